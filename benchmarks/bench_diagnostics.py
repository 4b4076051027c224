"""What the diagnostics say, and how long they take, on real ratings and on planted simulations.

Run: ``.venv/bin/python benchmarks/bench_diagnostics.py [--seeds 20]``.

* Real data: KLUE-STS v1.1 dev (``../shared/data/klue_sts/klue_sts_dev_long.csv``; 519
  Korean sentence pairs rated 0-5 by 17 annotators, CC BY-SA 4.0), when present. Expected:
  suggested level interval (or ordinal), a ``level_mismatch`` at the nominal level, and at
  the interval level leniency instead of the nominal "bias" flags.
* Simulations (``tests/diagnostics_simulation.py``): two camps that differ on one label
  (camps must be found), one population, and one population with one careless annotator
  (no camps may be found); the share of seeds with camps is printed for each. Then a
  rare positive label read differently by two camps (like real hate-speech labels):
  both ``annotator_camps`` and ``skewed_labels`` must be reported.
* Timing: ``diagnose`` on a dense 20,000 items x 8 annotators table (best of 3).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.data.reliability import ReliabilityData  # noqa: E402
from analysis.diagnostics import diagnose, find_camps  # noqa: E402
from analysis.io import load_annotations  # noqa: E402
from analysis.metrics.overall import agreement_summary  # noqa: E402
from analysis.report import build_report  # noqa: E402
from tests.diagnostics_simulation import binary_camps_table, camps_table, skewed_table  # noqa: E402

KLUE = ROOT.parent.parent / "shared" / "data" / "klue_sts" / "klue_sts_dev_long.csv"


def _klue() -> None:
    path = KLUE if KLUE.is_file() else Path("/work/shared/data/klue_sts/klue_sts_dev_long.csv")
    if not path.is_file():
        print("KLUE-STS not found: skipped")
        return
    table = load_annotations(path).table
    for level in ("nominal", "interval", "ordinal"):
        start = time.perf_counter()
        report = build_report(table, level=level, bootstrap=1000, seed=0).to_dict()
        seconds = time.perf_counter() - start
        alpha = report["overall"]["krippendorff_alpha"]
        per = report["per_annotator"]
        bias = [a for a, e in per.items() if e["flags"]["bias"]]
        print(f"KLUE-STS level={level}: suggested={report['dataset']['suggested_level']} "
              f"(clear={report['dataset']['suggested_level_clear']}); alpha {alpha['value']:.3f} "
              f"[{alpha['ci_low']:.3f}, {alpha['ci_high']:.3f}]; report {seconds:.2f} s")
        print(f"  diagnostics: {[(d['code'], d['severity']) for d in report['diagnostics']]}; "
              f"camps: {len(report['annotator_camps'])}; bias flags: {len(bias)} {bias}")
        if level != "nominal":
            lenient = sorted(((e["leniency"]["value"], a, e["leniency"]["ci_low"], e["leniency"]["ci_high"])
                              for a, e in per.items()), reverse=True)
            top, bottom = lenient[0], lenient[-1]
            print(f"  leniency range: {bottom[1]} {bottom[0]:+.3f} [{bottom[2]:+.3f}, {bottom[3]:+.3f}] to "
                  f"{top[1]} {top[0]:+.3f} [{top[2]:+.3f}, {top[3]:+.3f}]; flagged: "
                  f"{[(a, e['leniency_direction']) for a, e in per.items() if e['leniency_direction']]}; "
                  f"fatigue flags: {[a for a, e in per.items() if e['flags']['fatigue']]}")
        for d in report["diagnostics"]:
            print(f"  [{d['code']}] {d['message']}")


def _simulations(seeds: int) -> None:
    for kind in ("camps", "one", "careless"):
        hits, found_right = 0, 0
        example = None
        for seed in range(seeds):
            data = ReliabilityData.from_table(camps_table(kind=kind, seed=seed))
            search = find_camps(data, bootstrap=500, seed=seed)
            hits += bool(search.camps)
            found_right += sorted(c.annotators for c in search.camps) == [("ann0", "ann1", "ann2"),
                                                                          ("ann3", "ann4", "ann5")]
            example = example or (search if search.camps else None)
        print(f"simulation {kind}: camps found in {hits}/{seeds} seeds"
              + (f" (planted membership exact in {found_right}/{seeds})" if kind == "camps" else ""))
        if example is not None:
            for camp in example.camps:
                print(f"  {camp.annotators}: within {camp.within.value:.3f} [{camp.within.ci_low:.3f}, "
                      f"{camp.within.ci_high:.3f}], between {camp.between.value:.3f} [{camp.between.ci_low:.3f}, "
                      f"{camp.between.ci_high:.3f}], split labels {camp.split_labels}, "
                      f"{camp.split_item_count} split items")
    hits = 0
    for seed in range(seeds):
        report = build_report(binary_camps_table(seed=seed), bootstrap=500, seed=seed).to_dict()
        hits += [d["code"] for d in report["diagnostics"]][:2] == ["annotator_camps", "skewed_labels"]
        if seed == 0:
            o = report["overall"]
            print(f"simulation rare label + two camps (1,120 items, 6 annotators): alpha "
                  f"{o['krippendorff_alpha']['value']:.3f}, AC1 {o['gwet_ac1']['value']:.3f}, percent "
                  f"{o['percent_agreement']['value']:.3f}")
            for camp in report["annotator_camps"]:
                w, b = camp["within"], camp["between"]
                agree = camp["label_agreement"][camp["split_labels"][0]]
                print(f"  {camp['annotators']}: within {w['value']:.3f} [{w['ci_low']:.3f}, {w['ci_high']:.3f}], "
                      f"between {b['value']:.3f} [{b['ci_low']:.3f}, {b['ci_high']:.3f}], split on "
                      f"{camp['split_labels']} (specific agreement {agree['within']:.2f} within vs "
                      f"{agree['between']:.2f} across), {camp['split_item_count']} split items")
            print("  verdict: " + " ".join(__import__("analysis.diagnostics", fromlist=["verdict"]).verdict(report)))
    print(f"  camps and skewed_labels both reported in {hits}/{seeds} seeds")
    report = build_report(skewed_table(), bootstrap=1000).to_dict()
    skew = next(d for d in report["diagnostics"] if d["code"] == "skewed_labels")
    e = skew["evidence"]
    print(f"simulation skewed binary: alpha {e['krippendorff_alpha']:.3f}, AC1 {e['gwet_ac1']:.3f}, "
          f"percent {e['percent_agreement']:.3f}; PI {e['prevalence_index']:.3f}, BI {e['bias_index']:.3f}; "
          f"p_pos('{e['rare_label']}') {e['rare_positive_agreement']['value']:.3f}")


def _timing() -> None:
    table = camps_table(kind="camps", items=20_000, annotators=8, seed=1)
    data = ReliabilityData.from_table(table)
    summary = agreement_summary(data, bootstrap_resamples=0)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        diagnose(data, overall=summary.overall, per_class=summary.per_class, bootstrap=1000, seed=0)
        times.append(time.perf_counter() - start)
    print(f"diagnose, 20,000 items x 8 annotators, 1000 resamples (camps 500): best {min(times):.2f} s "
          f"of {', '.join(f'{t:.2f}' for t in times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    _klue()
    _simulations(args.seeds)
    _timing()


if __name__ == "__main__":
    main()
