"""The golden-report cases: one CLI command per sample and output, run from the repository root.

``python -m tests.golden_cases`` writes ``tests/data/golden/<case>`` from the current code;
``tests/test_golden_reports.py`` checks that the code still writes the same bytes. Regenerate
only for a change to the numbers or the text that is meant, and say why in the commit.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "data" / "golden"

_SINGLE = ("en_support_intents.csv", "ko_news_topics.csv",
           "formats/en_support_intents_mturk.csv", "formats/ko_news_topics.xlsx",
           "formats/ko_news_topics_nfd.csv", "formats/en_support_intents_prodigy.jsonl",
           "formats/en_support_intents.jsonl", "formats/en_support_intents_wide.csv",
           "formats/ko_news_topics.parquet", "formats/ko_news_topics_labelstudio.json",
           "formats/ko_news_topics_cp949.csv")
_TASKS = ("tasks/en_support_tags.csv", "tasks/en_support_tags_labelstudio.json",
          "tasks/en_trial_spans.conll", "tasks/en_trial_spans_labelstudio.json",
          "tasks/ko_trial_spans_doccano.jsonl", "tasks/ko_trial_spans_labelstudio.json")

# Samples rendered as Markdown and HTML too: one per distinct table. The other format
# variants hold the same judgements, so their JSON report (and validate) checks the reader.
_RENDERED = ("en_support_intents.csv", "ko_news_topics.csv", "formats/ko_news_topics_nfd.csv",
             "formats/ko_news_topics_labelstudio.json", "tasks/en_support_tags.csv",
             "tasks/en_trial_spans.conll", "tasks/ko_trial_spans_doccano.jsonl")


def _slug(sample: str) -> str:
    return sample.replace("/", "__")


def cases() -> dict[str, list[str]]:
    """Case name (the golden file's name) -> CLI arguments, paths relative to the root."""
    out: dict[str, list[str]] = {}
    for sample in _SINGLE + _TASKS:
        path = f"sample_data/{sample}"
        slug = _slug(sample)
        out[f"validate__{slug}.json"] = ["validate", path, "--format", "json"]
        out[f"validate__{slug}.txt"] = ["validate", path]
        gold_format = "jsonl" if "spans" in sample else "csv"
        out[f"gold__{slug}.{gold_format}"] = ["gold", "export", path, "--format", gold_format,
                                              "--workspace", "{workspace}"]
        formats = (("json", "json"), ("markdown", "md"), ("html", "html"))
        for fmt, ext in formats if sample in _RENDERED else formats[:1]:
            out[f"report__{slug}.{ext}"] = ["report", path, "--bootstrap", "30",
                                           "--consensus", "--format", fmt]
    for sample in ("en_support_intents.csv", "ko_news_topics.csv"):
        path = f"sample_data/{sample}"
        slug = _slug(sample)
        out[f"report_ordinal__{slug}.json"] = ["report", path, "--bootstrap", "30",
                                              "--level", "ordinal"]
        out[f"clusters__{slug}.json"] = ["clusters", path, "--backend", "char-ngram",
                                        "--format", "json", "--no-cache"]
        out[f"clusters__{slug}.md"] = ["clusters", path, "--backend", "char-ngram",
                                      "--format", "markdown", "--no-cache"]
        out[f"label_issues__{slug}.json"] = ["label-issues", path, "--backend", "char-ngram",
                                            "--format", "json", "--no-cache"]
    models = "sample_data/models/en_support_intents_llm.csv"
    out["report_models__en_support_intents_llm.json"] = [
        "report", models, "--bootstrap", "30", "--include-models", "--format", "json"]
    out["report_models__en_support_intents_llm.md"] = [
        "report", models, "--bootstrap", "30", "--format", "markdown"]
    return out


# A number with a decimal point, as the JSON (and the JSON block of Markdown/HTML) writes it.
_FLOAT = re.compile(rb"(?<![\w.])(-?\d+\.\d+(?:[eE][-+]?\d+)?)(?![\w.])")


def differences(expected: bytes, written: bytes, *, rel_tol: float = 1e-9) -> list[str]:
    """Where ``written`` differs from ``expected``: text byte for byte, long floats to ``rel_tol``.

    The last bits of a bootstrap interval depend on the CPU's vector kernels (the same
    sums added in another order on a machine with or without AVX-512), so a number with a
    decimal point counts as equal within ``rel_tol`` (a rounded figure such as ``0.48``
    against ``0.49`` still differs); everything else (keys, order, integers, messages)
    must match exactly.

    Examples
    --------
    >>> differences(b'{"a": 0.44257906100878850}', b'{"a": 0.44257906100878863}')
    []
    >>> differences(b'{"a": 0.48}', b'{"a": 0.49}')
    ['float 0: 0.48 != 0.49']
    >>> len(differences(b'{"a": 1}', b'{"b": 1}'))
    1
    """
    old, new = _FLOAT.split(expected), _FLOAT.split(written)
    if len(old) != len(new):
        return [f"{len(old) // 2} decimal numbers expected, {len(new) // 2} written"]
    found = []
    for index, (a, b) in enumerate(zip(old, new, strict=True)):
        if index % 2 == 0:
            if a != b:
                found.append(f"text {index // 2}: {a[-60:]!r} != {b[-60:]!r}")
        elif a != b and not math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=1e-12):
            found.append(f"float {index // 2}: {a.decode()} != {b.decode()}")
    return found


def run_case(args: list[str], name: str) -> tuple[bytes, str]:
    """Run one case through the CLI: the bytes it wrote and what the user read besides.

    The second value is the exit code on the first line, then standard error, with the
    temporary output folder written as ``<out>``.
    """
    import tempfile

    from analysis.workspace import open_workspace

    with tempfile.TemporaryDirectory() as folder:
        if "{workspace}" in args:
            open_workspace(folder, create=True)
        args = [folder if arg == "{workspace}" else arg for arg in args]
        output = Path(folder) / name
        code, printed, messages = _run(args, output)
        written = printed.encode() if args[0] == "validate" else (
            output.read_bytes() if output.exists() else b"")
        return written, f"{code}\n{messages}".replace(folder, "<out>")


def _run(args: list[str], output: Path) -> tuple[int, str, str]:
    import contextlib
    import io

    from analysis.cli import main

    printed, messages = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(messages):
        code = main(args if args[0] == "validate" else [*args, "--output", str(output)])
    return code, printed.getvalue(), messages.getvalue()


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    wanted = set(sys.argv[1:])
    for case, case_args in cases().items():
        if wanted and case not in wanted:
            continue
        written, said = run_case(case_args, case)
        (GOLDEN / case).write_bytes(written)
        (GOLDEN / f"{case}.exit").write_text(said, encoding="utf-8")
        print(said.splitlines()[0], case)
