"""Which annotators are models: the types a load keeps (how each model was recognised).

The rules that find them in an export live in :mod:`analysis.io.annotator_kinds`; these
types sit with the core data because the load report and the dataset hold them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

Kind = Literal["human", "model"]
IdentifiedBy = Literal["named", "kind_column", "label_studio_prediction", "prefix"]

DEFAULT_MODEL_PREFIXES: Final[tuple[str, ...]] = ("llm:", "model:")
"""Name prefixes that mark a model annotator unless the data says otherwise."""


@dataclass(frozen=True)
class ModelAnnotator:
    """One annotator recognised as a model.

    Attributes
    ----------
    annotator : str
        Its name in the canonical table.
    judgements : int
        Its judgements in the table.
    identified_by : {"named", "kind_column", "label_studio_prediction", "prefix"}
        How it was recognised (see the module notes).
    detail : str or None
        The column or the prefix that marked it.
    """

    annotator: str
    judgements: int
    identified_by: IdentifiedBy
    detail: str | None = None

    def describe(self) -> str:
        """How it was recognised, in words (the load report's text form).

        Examples
        --------
        >>> ModelAnnotator("llm:gpt", 3, "prefix", "llm:").describe()
        "name prefix 'llm:'"
        """
        return {
            "named": "named as a model",
            "kind_column": f"column {self.detail!r}",
            "label_studio_prediction": "Label Studio prediction (model_version)",
            "prefix": f"name prefix {self.detail!r}",
        }[self.identified_by]

    def to_dict(self) -> dict[str, Any]:
        """JSON form (an entry of the load report's ``model_annotators``)."""
        return {"annotator": self.annotator, "judgements": self.judgements,
                "identified_by": self.identified_by, "detail": self.detail}


@dataclass(frozen=True)
class AnnotatorKinds:
    """What decides which annotators are models (kept with a :class:`LoadResult`).

    Attributes
    ----------
    marked : mapping of str to {"human", "model"}
        Annotators whose kind the data gives (a kind column, Label Studio predictions).
    marked_by : {"kind_column", "label_studio_prediction"} or None
        Where ``marked`` came from; ``detail`` names the column.
    detail : str or None
    prefixes : tuple of str
        Name prefixes that mark a model among the unmarked annotators.
    named : tuple of str
        Annotators the user named as models.
    humans : tuple of str
        Annotators the user named as people (never models).
    """

    marked: Mapping[str, Kind] = field(default_factory=dict)
    marked_by: IdentifiedBy | None = None
    detail: str | None = None
    prefixes: tuple[str, ...] = DEFAULT_MODEL_PREFIXES
    named: tuple[str, ...] = ()
    humans: tuple[str, ...] = ()

    def classify(self, judgements: Mapping[str, int]) -> tuple[ModelAnnotator, ...]:
        """The models among annotators (``{name: judgements}``), in the given order.

        Examples
        --------
        >>> kinds = AnnotatorKinds(marked={"gpt": "model", "llm:x": "human"})
        >>> [m.annotator for m in kinds.classify({"ann": 4, "gpt": 4, "llm:x": 4, "llm:y": 2})]
        ['gpt', 'llm:y']
        """
        named, people = set(self.named), set(self.humans)
        models = []
        for name, count in judgements.items():
            if name in people:
                continue
            if name in named:
                models.append(ModelAnnotator(name, int(count), "named"))
            elif name in self.marked:
                if self.marked[name] == "model":
                    models.append(ModelAnnotator(name, int(count), self.marked_by or "kind_column",
                                                 self.detail))
            else:
                prefix = next((p for p in self.prefixes if p and name.casefold().startswith(
                    p.casefold())), None)
                if prefix is not None:
                    models.append(ModelAnnotator(name, int(count), "prefix", prefix))
        return tuple(models)
