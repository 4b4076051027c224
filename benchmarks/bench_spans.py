"""Span report on real crowd data: PICO Participants spans (Nguyen et al., ACL 2017).

Run: ``PYTHONPATH=. python benchmarks/bench_spans.py [REPEATS] [DATA_DIR]`` (default data:
``shared/data/pico_spans`` next to the checkout or one level up; 4,049 medical abstracts, MTurk workers).

1. Times (wall clock and process CPU time) the full span report as the CLI makes it from
   the corpus folder as published (``train_crowd.jsonl``, ``dev_crowd.jsonl``: spans by
   worker; ``docs.jsonl``: the texts; ``python -m analysis report pico_spans/``): load
   (detection, offsets checked against the texts), agreement with 1000 document-bootstrap
   intervals, consensus spans, ambiguity clusters, JSON; best and median of REPEATS
   (default 3). Target: <= 10 s.
2. The same from a Label Studio export of the same spans (``labels`` results, no ``text``
   in the results, the abstract in ``data.text``; converted untimed), the path measured
   before the raw layout could be read.
3. Prints the held-out comparison of the consensus: in each abstract with three or more
   workers one worker (seeded) is held out, token majority vote and token Dawid-Skene are
   fitted on the others, and each consensus is scored against the held-out worker's spans
   (token F1, strict and overlap span F1). Repeated for five seeds.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from analysis.data.dataset import AnnotationDataset
from analysis.io.load_task import load_task
from analysis.report import build_report
from analysis.tasks.spans.consensus import heldout_comparison
from analysis.tasks.spans.grid import TokenGrid

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = (ROOT.parent / "shared" / "data" / "pico_spans",
              ROOT.parent.parent / "shared" / "data" / "pico_spans")
DEFAULT = next((c for c in CANDIDATES if c.exists()), CANDIDATES[0])


def to_label_studio(folder: Path) -> list[dict]:
    texts = {}
    with open(folder / "docs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts[record["docid"]] = record["text"]
    tasks = []
    for name in ("train_crowd.jsonl", "dev_crowd.jsonl"):
        with open(folder / name, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                annotations = [{"completed_by": worker, "result": [
                    {"from_name": "pico", "to_name": "text", "type": "labels",
                     "value": {"start": s, "end": e, "labels": ["Participants"]}}
                    for s, e in spans]} for worker, spans in record["Participants"].items()]
                tasks.append({"id": record["docid"], "data": {"text": texts[record["docid"]]},
                              "annotations": annotations})
    return tasks


def main(argv: list[str]) -> int:
    repeats = int(argv[1]) if len(argv) > 1 else 3
    folder = Path(argv[2]) if len(argv) > 2 else DEFAULT
    with tempfile.TemporaryDirectory() as tmp:
        converted = Path(tmp) / "pico_labelstudio.json"
        converted.write_text(json.dumps(to_label_studio(folder)), encoding="utf-8")
        for title, path in (("corpus folder as published", folder),
                            ("Label Studio export", converted)):
            times, cpu = [], []
            for _ in range(repeats):
                start, start_cpu = time.perf_counter(), time.process_time()
                dataset = AnnotationDataset.from_task_load(load_task(path))
                report = build_report(dataset, bootstrap=1000, seed=0, consensus=True).to_dict()
                text = json.dumps(report, allow_nan=False)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            print(f"{title}: full span report best {min(times):.2f} s, median "
                  f"{statistics.median(times):.2f} s over {repeats} runs (target <= 10 s); CPU time "
                  f"best {min(cpu):.2f} s (the wall time on an idle core, for this single-threaded work)")
    print(f"documents {report['dataset']['items']}, workers {report['dataset']['annotators']}, "
          f"judgements {report['dataset']['annotations']}, spans {report['dataset']['spans']}, "
          f"JSON {len(text) / 1e6:.1f} MB")
    for name in ("span_f1_strict", "span_f1_overlap", "token_krippendorff_alpha"):
        m = report["overall"][name]
        print(f"  {name}: {m['value']:.3f} [{m['ci_low']:.3f}, {m['ci_high']:.3f}]")
    print(f"  disagreements: {report['disagreements']['overall']}")
    grid = TokenGrid.from_spans(dataset.task_data)
    print("held-out check (consensus vs the held-out worker's spans):")
    print("seed | docs | MV token F1 | DS token F1 | MV span F1 strict | DS strict | "
          "MV overlap | DS overlap")
    for seed in range(5):
        out = heldout_comparison(grid, seed=seed)
        mv, ds = out["majority_vote"], out["dawid_skene"]
        print(f"{seed} | {out['documents']} | {mv['token_f1']:.3f} | {ds['token_f1']:.3f} | "
              f"{mv['span_f1_strict']:.3f} | {ds['span_f1_strict']:.3f} | "
              f"{mv['span_f1_overlap']:.3f} | {ds['span_f1_overlap']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
