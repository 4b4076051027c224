"""The guideline document annotators read: rules grouped by label pair, with examples.

Markdown is often rendered as HTML (by the dashboard, a wiki, a code host), so user text
can never inject markup: rule bodies keep their Markdown but every ``<`` is written as
``&lt;`` and images become links (no external image is fetched for a reader); titles, labels and example texts are plain text with Markdown and HTML
punctuation escaped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Literal

import pandas as pd

from analysis.base.params import Options, validate_params
from analysis.data.schema import ITEM, TEXT
from analysis.workspace.rules import RuleVersion, decision_text, list_rules
from analysis.workspace.store import Workspace

_PLAIN_SPECIALS = re.compile(r"([\\`*_\[\]<>&#|~!])")


def escape_plain(text: str) -> str:
    r"""Escape plain text for Markdown so it renders literally, also as HTML.

    Examples
    --------
    >>> escape_plain("<script>alert(1)</script> *bold* [x](javascript:y)")
    '\\<script\\>alert(1)\\</script\\> \\*bold\\* \\[x\\](javascript:y)'
    """
    return _PLAIN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def escape_markdown_body(text: str) -> str:
    """Keep the author's Markdown but neutralise raw HTML and images.

    ``<`` becomes ``&lt;`` (no tag, comment or autolink survives), and the ``!`` that
    opens an image becomes ``&#33;``, so ``![x](https://tracker/pixel.png)`` is shown as
    a link to click, never fetched for every reader of the guideline.

    Examples
    --------
    >>> escape_markdown_body("**Yes** <img src=x onerror=alert(1)>")
    '**Yes** &lt;img src=x onerror=alert(1)>'
    >>> escape_markdown_body("See ![pixel](https://t.example/p.png) and ![ref][1]")
    'See &#33;[pixel](https://t.example/p.png) and &#33;[ref][1]'
    """
    return str(text).replace("<", "&lt;").replace("![", "&#33;[")


def _pair_key(rule: RuleVersion) -> tuple[str, ...]:
    return tuple(sorted(label for label in (rule.label_a, rule.label_b) if label))


def _item_texts(table: pd.DataFrame | None) -> dict[str, str]:
    if table is None or TEXT not in table.columns:
        return {}
    texts = table[[ITEM, TEXT]].dropna().drop_duplicates(ITEM)
    return dict(zip(texts[ITEM].astype(str), texts[TEXT].astype(str), strict=True))


WORDS: dict[str, dict[str, str]] = {
    "en": {"title": "Annotation guideline", "none_accepted": "No accepted rules yet.", "none": "No rules yet.",
           "other": "Other rules", "draft": " (draft)", "decision": "Decision:",
           "batch": "In effect from batch {batch}.", "examples": "Examples:"},
    "ko": {"title": "어노테이션 가이드라인", "none_accepted": "아직 승인된 규칙이 없습니다.",
           "none": "아직 규칙이 없습니다.", "other": "기타 규칙", "draft": " (초안)", "decision": "결정:",
           "batch": "{batch} 차수부터 적용합니다.", "examples": "예시:"},
}
"""The document's own words in each language."""


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@validate_params({"status": [Options("accepted", "any")]})
def export_guideline_markdown(
    workspace: Workspace,
    *,
    table: pd.DataFrame | None = None,
    status: Literal["accepted", "any"] = "accepted",
    title: str | None = None,
    max_example_chars: int = 400,
    language: Literal["en", "ko"] = "en",
) -> str:
    """Render the guideline rules as one Markdown document.

    Parameters
    ----------
    workspace : Workspace
    table : DataFrame, optional
        Canonical table with a ``text`` column: example items are shown with their text.
    status : {"accepted", "any"}, default "accepted"
        ``"accepted"``: each rule's latest accepted version (the guideline in force).
        ``"any"``: each rule's latest version, drafts included and marked.
    title : str, optional
        The document's title (default "Annotation guideline", in Korean "어노테이션 가이드라인").
    max_example_chars : int, default 400
        Example texts longer than this are shortened with an ellipsis.
    language : {"en", "ko"}, default "en"
        The language of the document's own words (headings, decisions); rule texts stay as written.

    Returns
    -------
    str
        Markdown: one section per label pair (then rules introducing new labels without
        a pair), each rule with its decision, explanation and examples.

    Examples
    --------
    >>> import tempfile
    >>> from analysis.workspace import open_workspace
    >>> from analysis.workspace.rules import RuleDraft, create_rule
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     ws = open_workspace(folder)
    ...     _ = create_rule(ws, RuleDraft("Irony", body="Ironic praise is negative.",
    ...                     label_a="neg", label_b="pos", example_item_ids=("t1",)), status="accepted")
    ...     doc = export_guideline_markdown(ws, table=pd.DataFrame(
    ...         {"item_id": ["t1"], "annotator": ["a"], "label": ["pos"], "text": ["Great, late again."]}))
    >>> print(doc)
    # Annotation guideline
    <BLANKLINE>
    ## neg vs pos
    <BLANKLINE>
    ### Irony
    <BLANKLINE>
    **Decision:** Use 'neg', not 'pos'.
    <BLANKLINE>
    Ironic praise is negative.
    <BLANKLINE>
    Examples:
    <BLANKLINE>
    - `t1`: Great, late again.
    <BLANKLINE>
    """
    rules = list_rules(workspace, status=status)
    texts = _item_texts(table)
    groups: dict[tuple[str, ...], list[RuleVersion]] = defaultdict(list)
    for rule in rules:
        groups[_pair_key(rule)].append(rule)

    words = WORDS["ko" if language == "ko" else "en"]
    lines = [f"# {escape_plain(title if title is not None else words['title'])}", ""]
    if not rules:
        lines += [f"_{words['none_accepted' if status == 'accepted' else 'none']}_", ""]
    for pair in sorted(groups, key=lambda key: (len(key) == 0, key)):
        heading = " vs ".join(escape_plain(label) for label in pair) if pair else words["other"]
        lines += [f"## {heading}", ""]
        for rule in groups[pair]:
            draft_mark = words["draft"] if rule.status == "draft" else ""
            lines += [f"### {escape_plain(rule.title)}{draft_mark}", ""]
            lines += [f"**{words['decision']}** {escape_plain(decision_text(rule, language))}", ""]
            if rule.batch:
                lines += [f"_{words['batch'].format(batch=escape_plain(rule.batch))}_", ""]
            if rule.body.strip():
                lines += [escape_markdown_body(rule.body.strip()), ""]
            if rule.example_item_ids:
                lines += [words["examples"], ""]
                for item in rule.example_item_ids:
                    text = texts.get(item)
                    shown = f": {escape_plain(_shorten(text, max_example_chars))}" if text else ""
                    lines.append(f"- `{item.replace('`', '')}`{shown}")
                lines.append("")
    return "\n".join(lines)
