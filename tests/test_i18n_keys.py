"""Every UI string key the dashboard builds exists in English and Korean, f-string keys too,
and a missing key fails loudly in tests (strict mode) instead of showing the key."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from analysis.base.errors import OPTIONS
from analysis.data.levels import LEVELS
from analysis.diagnostics import CODES
from analysis.metrics.bands import SCALES
from dashboard.i18n import MissingStringError, en, ko, t, t_or

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for p in (ROOT / "dashboard").rglob("*.py") if p.parent.name != "i18n")
HEADLINE = ("krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "percent_agreement")  # overview.py
TASK_HEADLINES = ("krippendorff_alpha_masi", "krippendorff_alpha_jaccard", "exact_set_agreement",
                  "mean_per_label_kappa", "span_f1_strict", "span_f1_overlap",
                  "token_krippendorff_alpha")  # components/task_views.py

# Each f-string key the dashboard builds (placeholders written as {}) and every value its
# placeholder takes there. A new f-string key fails test_every_f_string_key_is_enumerated
# until its values are listed here; then every expansion is checked in both languages.
F_STRING_KEYS: dict[str, tuple[str, ...]] = {
    "annotators.groups_{}": ("within", "between"),
    "col.{}": ("text", "votes", "neighbour_labels"),  # explicit headers; column_labels uses t_or
    "metric.{}": (*HEADLINE, "cohen_kappa", "mean_pairwise_cohen_kappa",
                  "fleiss_kappa", "krippendorff_alpha", "specific_agreement"),
    "metric.{}.help": HEADLINE,
    "clusters.kind.{}": ("systematic", "annotator_noise", "no_label_fits"),  # ClusterKind
    "clusters.clarity.{}": ("clear", "lean", "split", "none"),  # analysis.clusters Clarity
    "clusters.basis.{}": ("consistent", "reliable_split", "camps_split", "contradicted", "no_label_fits",
                          "no_pair"),  # analysis.clusters DraftBasis
    "clusters.note.{}": ("no_items", "too_few", "same_text", "broad", "no_groups"),  # ClusterResult.note_code
    "review.kind.{}": ("consensus", "ambiguous", "split"),  # analysis.label_issues.ranking kinds
    "clusters.col.{}": ("cluster", "size", "kind", "pair", "terms"),
    "clusters.backend.{}": ("char-ngram", "transformer"),
    "data.origin_{}": ("sample", "upload", "label_studio"),
    "ls.write.kind.{}": ("annotations", "predictions"),  # analysis.labelstudio WRITE_KINDS
    "ls.write.help.{}": ("annotations", "predictions"),
    "guidelines.filter.{}": ("any", "draft", "accepted"),
    "guidelines.col.{}": ("rule_id", "version", "title", "status", "decision", "author", "saved_at"),
    "guidelines.decision.{}": ("prefer", "new_label"),
    "adjudication.verdict.{}": ("none", "confirmed_error", "not_error"),
    "band.{}": tuple(band.label for bands in SCALES.values() for band in bands),
    "sidebar.{}": ("sample_ko", "sample_en", "sample_spans_ko", "sample_spans_en", "sample_tags_en",
                   "sample_llm_en", "upload", "label_studio"),
    "option.{}": tuple(sorted(OPTIONS)),
    "overview.flag.{}": ("fatigue", "bias", "low_quality"),
    "overview.count.{}": ("fatigue", "bias", "low_quality"),  # components/flags.py
    "annotators.bias_why.{}": ("flagged", "untested", "not_significant", "small_excess", "spread"),  # bias_reasons
    "annotators.rank.{}": ("accuracy", "few_items", "model"),  # analysis.quality.explain.rank_drivers
    "level.{}": LEVELS,
    "annotators.direction.{}": ("lenient", "severe", "None"),  # analysis.diagnostics leniency_table
    "diag.{}": tuple(CODES),  # t("diag." + code)
    "tasks.metric.{}": (*TASK_HEADLINES, "fleiss_kappa", "krippendorff_alpha", "specific_agreement",
                        "specific_agreement_absent", "prevalence", "items", "labels_per_item",
                        "label_rate_bias", "spans", "f1_vs_dawid_skene", "f1_vs_consensus", "quality"),
    "tasks.metric.{}.help": TASK_HEADLINES,
    "tasks.kind.{}": ("agreed", "boundary", "type", "missed"),  # analysis.tasks.spans ambiguity kinds
    "models.by.{}": ("named", "kind_column", "label_studio_prediction", "prefix"),  # ModelAnnotator
    "models.verdict.{}": ("better", "worse", "similar", "undefined"),  # model_annotators.agreement
    "models.measure.{}": ("human_alpha", "alpha_with_model", "alpha_change", "human_mean_kappa",
                          "model_mean_kappa", "kappa_difference"),  # app_pages/models.py
}


def _t_calls() -> list[tuple[Path, ast.Call]]:
    calls = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("t", "formatter") and node.args):  # t_or: optional by design
                calls.append((path, node))
    return calls


def _pattern(node: ast.expr) -> str | None:
    """``f"a.{x}"`` or ``"a." + x`` as ``"a.{}"``; None for any other argument."""
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)):
        return node.left.value + "{}"
    return None


def _literals(node: ast.expr) -> list[str]:
    """The keys of a literal argument: a string, or ``"a" if ... else "b"``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def test_literal_keys_exist_in_both_languages():
    used = {key for _, node in _t_calls() for key in _literals(node.args[0])}
    assert len(used) > 200  # the scan found the pages' calls
    assert sorted(used - set(en.STRINGS)) == []
    assert sorted(used - set(ko.STRINGS)) == []


def test_every_f_string_key_is_enumerated():
    found = {pattern for _, node in _t_calls() if (pattern := _pattern(node.args[0])) is not None}
    assert found, "the scan found no f-string keys"
    assert sorted(found - set(F_STRING_KEYS)) == [], "list the values of these keys in F_STRING_KEYS"
    assert sorted(set(F_STRING_KEYS) - found) == [], "these patterns are no longer used"


def test_other_dynamic_keys_are_known():
    # t(variable): only the navigation titles, whose keys are literal strings in app.py.
    dynamic = sorted({f"{path.relative_to(ROOT)}:{node.lineno}" for path, node in _t_calls()
                      if not _literals(node.args[0]) and _pattern(node.args[0]) is None})
    assert len(dynamic) == 1 and dynamic[0].startswith("dashboard/app.py:")
    nav = re.findall(r'"(nav\.[a-z_]+)"', (ROOT / "dashboard" / "app.py").read_text(encoding="utf-8"))
    assert len(nav) >= 9 and all(key in en.STRINGS and key in ko.STRINGS for key in nav)


@pytest.mark.parametrize("pattern", sorted(F_STRING_KEYS))
def test_f_string_keys_exist_in_both_languages(pattern):
    keys = [pattern.replace("{}", value) for value in F_STRING_KEYS[pattern]]
    assert [key for key in keys if key not in en.STRINGS] == []
    assert [key for key in keys if key not in ko.STRINGS] == []


def test_tables_have_the_same_keys_and_no_empty_string():
    assert set(en.STRINGS) == set(ko.STRINGS)
    assert all(value.strip() for value in (*en.STRINGS.values(), *ko.STRINGS.values()))


def test_missing_key_fails_in_strict_mode(monkeypatch):
    monkeypatch.setenv("DASHBOARD_STRICT_STRINGS", "1")
    with pytest.raises(MissingStringError, match=r"'overview\.no_such_key' is missing"):
        t("overview.no_such_key")
    assert t_or("col.no_such_column", "no_such_column") == "no_such_column"  # optional by design
    monkeypatch.setenv("DASHBOARD_STRICT_STRINGS", "0")
    assert t("overview.no_such_key") == "overview.no_such_key"  # a deployment shows the key


def test_the_suite_runs_strict():
    import os

    assert os.environ.get("DASHBOARD_STRICT_STRINGS") == "1"
