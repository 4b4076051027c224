"""Slices of the sample datasets written in the real export formats of annotation tools.

Each writer takes the canonical long table of a dataset (timestamps as ISO 8601 text) and
writes the first items the way the tool itself exports them, so loaders can be tested on
realistic files: Excel CSV in CP949, Label Studio JSON, Prodigy JSONL, a wide CSV, Excel
workbook, Amazon Mechanical Turk batch results, JSON lines, Parquet, and a CSV whose labels
carry Unicode-form, case and space variants.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from simulate import DatasetSpec, SimulatedDataset

SLICE_ITEMS = 100
LABEL_STUDIO_ITEMS = 80
NFD_ITEMS = 40
FIXED_TIME = datetime(2024, 12, 2, 9, 0, 0)
ZIP_TIME = (2024, 12, 2, 9, 0, 0)
PST = timezone(timedelta(hours=-8))
LABEL_STUDIO_USERS = {
    "kim_seoyeon": 3,
    "lee_junho": 4,
    "park_jiwoo": 7,
    "choi_minseo": 9,
    "jung_hyunwoo": 12,
}
MTURK_WORKERS = {
    "alice_morgan": "A2QX7NCTJ8V4KE",
    "ben_okafor": "A1M5R8ZLWP3D9Q",
    "carla_reyes": "A3HVB2N6Y0TQWS",
    "dev_patel": "AY7KD4FP1ZC0RB",
    "erin_kowalski": "A1TE9GXJ5H2NLU",
}


def first_items(table: pd.DataFrame, n_items: int) -> pd.DataFrame:
    """Rows of the first ``n_items`` item ids (ids sort in item order)."""
    keep = sorted(table["item_id"].unique())[:n_items]
    return table[table["item_id"].isin(keep)].reset_index(drop=True)


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()


def _hash32(*parts: object) -> int:
    """A signed 32-bit hash, the shape of Prodigy's ``_input_hash``/``_task_hash``."""
    return int.from_bytes(_digest(*parts)[:4], "big", signed=True)


def _token(
    length: int, *parts: object, alphabet: str = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
) -> str:
    raw = _digest(*parts)
    return "".join(alphabet[b % len(alphabet)] for b in (raw * 2)[:length])


def _utc(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp).astimezone(UTC)


def _write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


def _csv_text(frame: pd.DataFrame, **options: Any) -> str:
    return frame.to_csv(index=False, lineterminator="\n", **options)


def label_studio_tasks(
    table: pd.DataFrame, *, cancelled: int = 3, seed: int = 7
) -> list[dict[str, Any]]:
    """Label Studio JSON export: one task per item, one annotation per judgement.

    ``cancelled`` extra annotations are skipped ones (``was_cancelled`` true, empty result),
    made by annotators who did not label that item.
    """
    rng = np.random.default_rng(seed)
    counts = table.groupby("item_id", sort=True).size()
    items = counts.index[counts < len(LABEL_STUDIO_USERS)].tolist()
    skip_items = set(rng.choice(items, size=cancelled, replace=False).tolist())
    tasks = []
    annotation_id = 5000
    for number, (item_id, rows) in enumerate(table.groupby("item_id", sort=True), start=1):
        annotations = []
        for row in rows.itertuples(index=False):
            annotation_id += 1
            annotations.append(
                _ls_annotation(annotation_id, number, row.annotator, row.timestamp, [row.label])
            )
        if item_id in skip_items:
            absent = [name for name in LABEL_STUDIO_USERS if name not in set(rows["annotator"])]
            annotation_id += 1
            when = (_utc(rows["timestamp"].iloc[-1]) + timedelta(minutes=3)).isoformat()
            annotations.append(_ls_annotation(annotation_id, number, absent[0], when, []))
        created = _utc(rows["timestamp"].min()) - timedelta(days=2)
        tasks.append(
            {
                "id": 1000 + number,
                "annotations": annotations,
                "file_upload": "6f1d2c7a-ko_news_headlines.csv",
                "drafts": [],
                "predictions": [],
                "data": {"text": rows["text"].iloc[0], "item_id": item_id},
                "meta": {},
                "created_at": _ls_time(created),
                "updated_at": _ls_time(_utc(rows["timestamp"].max())),
                "inner_id": number,
                "total_annotations": sum(not a["was_cancelled"] for a in annotations),
                "cancelled_annotations": sum(a["was_cancelled"] for a in annotations),
                "total_predictions": 0,
                "comment_count": 0,
                "unresolved_comment_count": 0,
                "last_comment_updated_at": None,
                "project": 3,
                "updated_by": None,
                "comment_authors": [],
            }
        )
    return tasks


def _ls_time(moment: datetime) -> str:
    micro = int.from_bytes(_digest(moment.isoformat())[:3], "big") % 1_000_000
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{micro:06d}Z"


def _ls_annotation(
    annotation_id: int, task: int, annotator: str, timestamp: str, choices: list[str]
) -> dict[str, Any]:
    moment = _utc(timestamp)
    result = (
        [
            {
                "value": {"choices": choices},
                "id": _token(
                    10,
                    annotation_id,
                    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
                ),
                "from_name": "topic",
                "to_name": "text",
                "type": "choices",
                "origin": "manual",
            }
        ]
        if choices
        else []
    )
    return {
        "id": annotation_id,
        "completed_by": LABEL_STUDIO_USERS[annotator],
        "result": result,
        "was_cancelled": not choices,
        "ground_truth": False,
        "created_at": _ls_time(moment),
        "updated_at": _ls_time(moment),
        "draft_created_at": None,
        "lead_time": round(8 + (annotation_id * 7919 % 4000) / 100, 3),
        "prediction": {},
        "result_count": len(result),
        "unique_id": "-".join(
            _token(n, annotation_id, k, alphabet="0123456789abcdef")
            for k, n in enumerate((8, 4, 4, 4, 12))
        ),
        "import_id": None,
        "last_action": None,
        "task": 1000 + task,
        "project": 3,
        "updated_by": LABEL_STUDIO_USERS[annotator],
        "parent_prediction": None,
        "parent_annotation": None,
        "last_created_by": None,
    }


def prodigy_lines(
    table: pd.DataFrame, labels: tuple[str, ...], *, dataset: str, ignored: int = 4, seed: int = 11
) -> list[dict[str, Any]]:
    """Prodigy ``textcat`` choice-interface records, one per judgement, in time order.

    ``ignored`` extra records are tasks an annotator skipped with ``answer: "ignore"``.
    """
    rng = np.random.default_rng(seed)
    options = [{"id": label, "text": label} for label in labels]
    records = []
    for row in table.itertuples(index=False):
        records.append(
            _prodigy_record(
                row.text,
                row.item_id,
                row.annotator,
                row.timestamp,
                [row.label],
                "accept",
                options,
                dataset,
            )
        )
    names = list(dict.fromkeys(table["annotator"]))
    items = table.drop_duplicates("item_id")
    for index in sorted(rng.choice(len(items), size=ignored, replace=False).tolist()):
        item = items.iloc[index]
        done = set(table.loc[table["item_id"] == item["item_id"], "annotator"])
        who = next((name for name in names if name not in done), names[0])
        when = (_utc(item["timestamp"]) + timedelta(minutes=5)).isoformat()
        records.append(
            _prodigy_record(
                item["text"], item["item_id"], who, when, [], "ignore", options, dataset
            )
        )
    records.sort(key=lambda r: (r["_timestamp"], r["_annotator_id"]))
    return records


def _prodigy_record(
    text: str,
    item_id: str,
    annotator: str,
    timestamp: str,
    accept: list[str],
    answer: str,
    options: list[dict[str, str]],
    dataset: str,
) -> dict[str, Any]:
    session = f"{dataset}-{annotator}"
    return {
        "text": text,
        "meta": {"item_id": item_id},
        "_input_hash": _hash32("input", text),
        "_task_hash": _hash32("task", text, json.dumps(options)),
        "options": options,
        "_view_id": "choice",
        "config": {"choice_style": "single"},
        "accept": accept,
        "answer": answer,
        "_timestamp": int(_utc(timestamp).timestamp()),
        "_annotator_id": session,
        "_session_id": session,
    }


def wide_table(table: pd.DataFrame, annotators: list[str]) -> pd.DataFrame:
    """One row per item: ``item_id``, ``text``, then one label column per annotator."""
    wide = table.pivot(index="item_id", columns="annotator", values="label")
    texts = table.drop_duplicates("item_id").set_index("item_id")["text"]
    return pd.concat([texts, wide.reindex(columns=annotators)], axis=1).reset_index()


def mturk_table(table: pd.DataFrame) -> pd.DataFrame:
    """Amazon Mechanical Turk batch results: one row per assignment, times in Pacific time."""
    hit_type = _token(30, "hit-type")
    rows = []
    for item_id, group in table.groupby("item_id", sort=True):
        hit = _token(30, "hit", item_id)
        created = _utc(group["timestamp"].min()) - timedelta(hours=6)
        for row in group.itertuples(index=False):
            submit = _utc(row.timestamp)
            work = 20 + int.from_bytes(_digest(item_id, row.annotator)[:1], "big") % 60
            rows.append(
                {
                    "HITId": hit,
                    "HITTypeId": hit_type,
                    "Title": "Classify the intent of a customer support message",
                    "Description": "Read a short customer message and choose the one intent that fits best.",
                    "Keywords": "text, classification, customer support, intent",
                    "Reward": "$0.05",
                    "CreationTime": _mturk_time(created),
                    "MaxAssignments": len(group),
                    "RequesterAnnotation": "BatchId:5128841;OriginalHitTemplateId:928390451;",
                    "AssignmentDurationInSeconds": 600,
                    "AutoApprovalDelayInSeconds": 259200,
                    "Expiration": _mturk_time(created + timedelta(days=7)),
                    "NumberOfSimilarHITs": "",
                    "LifetimeInSeconds": "",
                    "AssignmentId": _token(30, "assignment", item_id, row.annotator),
                    "WorkerId": MTURK_WORKERS[row.annotator],
                    "AssignmentStatus": "Submitted",
                    "AcceptTime": _mturk_time(submit - timedelta(seconds=work)),
                    "SubmitTime": _mturk_time(submit),
                    "AutoApprovalTime": _mturk_time(submit + timedelta(days=3)),
                    "ApprovalTime": "",
                    "RejectionTime": "",
                    "RequesterFeedback": "",
                    "WorkTimeInSeconds": work,
                    "LifetimeApprovalRate": "0% (0/0)",
                    "Last30DaysApprovalRate": "0% (0/0)",
                    "Last7DaysApprovalRate": "0% (0/0)",
                    "Input.item_id": item_id,
                    "Input.text": row.text,
                    "Answer.intent": row.label,
                    "Approve": "",
                    "Reject": "",
                }
            )
    return pd.DataFrame(rows)


def _mturk_time(moment: datetime) -> str:
    return moment.astimezone(PST).strftime("%a %b %d %H:%M:%S PST %Y")


def nfd_variants(table: pd.DataFrame, *, seed: int = 5) -> pd.DataFrame:
    """Labels in NFD form on about a quarter of rows, plus a few case and space variants."""
    rng = np.random.default_rng(seed)
    out = table.copy()
    labels = out["label"].to_numpy(dtype=object)
    spots = rng.permutation(len(out))
    for position in spots[: len(out) // 4]:
        labels[position] = unicodedata.normalize("NFD", labels[position])
    tweaks = {
        "IT과학": ("it과학", "IT 과학", "It과학"),
        "경제": (" 경제", "경제 "),
        "사회": ("사회 ",),
    }
    for position in spots[len(out) // 4 :]:
        options = tweaks.get(labels[position])
        if options and rng.random() < 0.35:
            labels[position] = options[int(rng.integers(len(options)))]
    out["label"] = labels
    return out


def write_xlsx(frame: pd.DataFrame, path: Path, *, sheet: str) -> None:
    """An Excel workbook whose bytes depend only on ``frame`` (fixed times in the archive)."""
    book = openpyxl.Workbook()
    book.properties.creator = "label-agreement-dashboard sample data"
    book.properties.created = FIXED_TIME
    sheet_obj = book.active
    sheet_obj.title = sheet
    sheet_obj.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet_obj.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)",
                    rb"\g<1>" + fixed.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Parquet with a typed UTC timestamp column and no pandas metadata."""
    typed = frame.assign(timestamp=pd.to_datetime(frame["timestamp"], utc=True, format="ISO8601"))
    table = pa.Table.from_pandas(typed, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd", write_statistics=False)


def write_formats(
    results: dict[str, SimulatedDataset], specs: dict[str, DatasetSpec], out: Path
) -> None:
    """Write every format slice under ``out``."""
    ko = first_items(results["ko_news_topics"].table, SLICE_ITEMS)
    en = first_items(results["en_support_intents"].table, SLICE_ITEMS)
    en_spec = specs["en_support_intents"]

    _write_text(out / "ko_news_topics_cp949.csv", _csv_text(ko), encoding="cp949")
    tasks = label_studio_tasks(first_items(ko, LABEL_STUDIO_ITEMS))
    _write_text(
        out / "ko_news_topics_labelstudio.json",
        json.dumps(tasks, ensure_ascii=False, indent=2) + "\n",
    )
    lines = prodigy_lines(en, en_spec.labels, dataset="en_support_intents")
    _write_text(
        out / "en_support_intents_prodigy.jsonl",
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines),
    )
    names = [a.name for a in en_spec.annotators]
    _write_text(out / "en_support_intents_wide.csv", _csv_text(wide_table(en, names)))
    write_xlsx(ko, out / "ko_news_topics.xlsx", sheet="annotations")
    _write_text(
        out / "en_support_intents_mturk.csv", _csv_text(mturk_table(en), quoting=csv.QUOTE_ALL)
    )
    _write_text(
        out / "en_support_intents.jsonl",
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in en.to_dict("records")),
    )
    write_parquet(ko, out / "ko_news_topics.parquet")
    _write_text(out / "ko_news_topics_nfd.csv", _csv_text(nfd_variants(first_items(ko, NFD_ITEMS))))
