"""Regenerate every bundled sample file, byte for byte.

Usage::

    python sample_data/generate_samples.py            # rewrite sample_data/ in place
    python sample_data/generate_samples.py --out DIR  # write the same files under DIR

The simulation is seeded (see ``specs.py``), so the files are identical on every run and
machine. Texts live in ``texts_ko.py`` and ``texts_en.py``; annotator profiles and planted
themes in ``specs.py``; the simulation itself in ``simulate.py``; the tool-specific export
slices in ``export_formats.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from export_formats import write_formats  # noqa: E402
from model_samples import write_model_samples  # noqa: E402
from simulate import SimulatedDataset, simulate  # noqa: E402
from specs import DATASETS, DatasetSpec  # noqa: E402
from task_samples import write_task_samples  # noqa: E402


def write_csv(frame: pd.DataFrame, path: Path, *, encoding: str = "utf-8") -> None:
    """Write a frame as CSV with ``\\n`` line ends (strict encoding: unencodable text fails)."""
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode(encoding))


def annotator_table(specs: tuple[DatasetSpec, ...]) -> pd.DataFrame:
    """The documented annotator profiles of every dataset."""
    return pd.DataFrame(
        [
            {
                "dataset": spec.name,
                "annotator": a.name,
                "profile": a.profile,
                "annotator_group": a.group,
                "favoured_label": spec.favoured_label if a.profile == "biased" else "",
                "description": a.description,
            }
            for spec in specs
            for a in spec.annotators
        ]
    )


def generate(out: Path) -> dict[str, SimulatedDataset]:
    """Simulate both datasets and write every sample file under ``out``."""
    (out / "formats").mkdir(parents=True, exist_ok=True)
    results = {}
    for spec in DATASETS:
        result = simulate(spec)
        write_csv(result.table, out / f"{spec.name}.csv")
        write_csv(result.answer_key, out / f"{spec.name}_answer_key.csv")
        results[spec.name] = result
    write_csv(annotator_table(DATASETS), out / "annotators.csv")
    write_formats(results, {spec.name: spec for spec in DATASETS}, out / "formats")
    write_task_samples(out)
    english = next(spec for spec in DATASETS if spec.name == "en_support_intents")
    write_model_samples(out, results[english.name].table, results[english.name].answer_key,
                        list(english.labels))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=HERE, help="folder to write into (default: this folder)"
    )
    args = parser.parse_args(argv)
    generate(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
