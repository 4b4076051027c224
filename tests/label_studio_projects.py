"""The projects the live-project tests read from the real Label Studio server.

Built once per test session on the server of the ``label_studio`` fixture (conftest.py):
three annotators sign up; a single-choice project and a span (NER) project are annotated by
each of them through the API with their own token (one annotation cancelled, a few tasks
left out by one annotator); a multiple-choice project and a 1-5 rating project (a
``Choices`` question and a ``Rating`` question of stars: the task's level, one star more
from the third annotator) are imported with their annotations (``completed_by`` the annotators' ids); plus a project without tasks,
one without annotations and two small ones that the write-back tests change. Labels are
drawn from a seeded generator, so every run holds the same judgements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # benchmarks/ is on the path only once the fixture runs
    from label_studio_server import LabelStudioServer, User

INTENTS = ("billing", "refund", "shipping", "other")
CHOICES_CONFIG = ('<View><Text name="text" value="$text"/><Choices name="intent" toName="text">'
                  + "".join(f'<Choice value="{label}"/>' for label in INTENTS)
                  + "</Choices></View>")
TAGS = ("bug", "billing", "feature", "urgent")
MULTI_CONFIG = ('<View><Text name="text" value="$text"/><Choices name="tags" toName="text" '
                'choice="multiple">' + "".join(f'<Choice value="{tag}"/>' for tag in TAGS)
                + "</Choices></View>")
RATING_CONFIG = ('<View><Text name="text" value="$text"/><Choices name="quality" toName="text">'
                 + "".join(f'<Choice value="{n}"/>' for n in range(1, 6)) + "</Choices>"
                 '<Rating name="stars" toName="text" maxRating="5"/></View>')
SPAN_CONFIG = ('<View><Labels name="label" toName="text"><Label value="PER"/><Label value="ORG"/>'
               '<Label value="LOC"/></Labels><Text name="text" value="$text"/></View>')
TEXTS = ("My card was charged twice", "환불은 언제 되나요?", "Where is my parcel", "Cancel my plan",
         "배송이 너무 늦어요", "Refund for the broken lamp", "Invoice shows the wrong amount",
         "Can I change the address", "결제가 두 번 됐어요", "The app crashes on login")
SENTENCES = (
    ("Kim Minji joined Samsung in Seoul", [(0, 9, "PER"), (17, 24, "ORG"), (28, 33, "LOC")]),
    ("Acme opened an office in Busan", [(0, 4, "ORG"), (25, 30, "LOC")]),
    ("Lee called Naver support from Incheon", [(0, 3, "PER"), (11, 16, "ORG"), (30, 37, "LOC")]),
    ("Park Jisoo visited Paris", [(0, 10, "PER"), (19, 24, "LOC")]),
    ("Kakao hired Choi in Jeju", [(0, 5, "ORG"), (12, 16, "PER"), (20, 24, "LOC")]),
    ("Hyundai moved to Ulsan", [(0, 7, "ORG"), (17, 22, "LOC")]),
    ("Jung met Han at LG", [(0, 4, "PER"), (9, 12, "PER"), (16, 18, "ORG")]),
    ("Seoul hosts the Naver summit", [(0, 5, "LOC"), (16, 21, "ORG")]),
)


@dataclass
class Projects:
    """Project ids on the server, and who annotated."""

    server: LabelStudioServer
    annotators: list[User]
    choices: int
    spans: int
    multi: int
    ratings: int
    empty: int
    unannotated: int
    write_labels: int
    write_spans: int

    def address(self, project: int) -> str:
        """``ls://127.0.0.1:PORT/projects/ID``."""
        return f"ls://{self.server.url.split('://', 1)[1]}/projects/{project}"


def _choice(name: str, value: str) -> list[dict[str, Any]]:
    return [{"from_name": name, "to_name": "text", "type": "choices",
             "value": {"choices": [value]}}]


def _spans(text: str, spans: list[tuple[int, int, str]]) -> list[dict[str, Any]]:
    return [{"id": f"r{n}", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}}
            for n, (s, e, label) in enumerate(spans)]


def _labels_project(server: LabelStudioServer, annotators: list[User], title: str,
                    n_tasks: int, rng: np.random.Generator) -> int:
    """Single-choice intents, each annotation posted by its annotator."""
    project = server.create_project(title, CHOICES_CONFIG)
    tasks = server.import_tasks(project, [
        {"item_id": f"q-{i:02d}", "text": f"{TEXTS[i % len(TEXTS)]} ({i})"} for i in range(n_tasks)])
    for i, task in enumerate(tasks):
        gold = INTENTS[int(rng.integers(len(INTENTS)))]
        for k, user in enumerate(annotators):
            if k == 2 and i % 9 == 4:
                continue  # the third annotator left a few tasks out
            label = gold if rng.random() < 0.7 else INTENTS[int(rng.integers(len(INTENTS)))]
            server.annotate(user, task, _choice("intent", label), cancelled=(k == 1 and i == 5))
    return project


def _span_project(server: LabelStudioServer, annotators: list[User], title: str) -> int:
    """NER spans with boundary, type and missed-span disagreements, posted per annotator;
    one more task nobody annotated (the export leaves it out, and so must a pull)."""
    project = server.create_project(title, SPAN_CONFIG)
    tasks = server.import_tasks(project, [{"item_id": f"s-{i}", "text": text}
                                          for i, (text, _) in enumerate(SENTENCES)])
    server.import_tasks(project, [{"item_id": "s-later", "text": "Not annotated yet, Seoul"}])
    for i, (task, (text, gold)) in enumerate(zip(tasks, SENTENCES, strict=True)):
        for k, user in enumerate(annotators):
            spans = list(gold)
            if k == 1 and i % 3 == 0:
                spans = spans[1:]  # missed the first entity
            if k == 2 and i % 2 == 1:
                s, e, label = spans[-1]
                spans[-1] = (s, e, "ORG" if label == "LOC" else "LOC")  # type disagreement
            if k == 0 and i == 2:
                s, e, label = spans[0]
                spans[0] = (s, e + 7, label)  # boundary disagreement
            server.annotate(user, task, _spans(text, spans))
    return project


def _imported(server: LabelStudioServer, title: str, config: str, tasks: list[dict[str, Any]]) -> int:
    project = server.create_project(title, config)
    server.import_tasks(project, tasks)
    return project


def build_projects(server: LabelStudioServer) -> Projects:
    """Sign up three annotators and create every project (about 20 s)."""
    rng = np.random.default_rng(28)
    annotators = [server.sign_up(f"annotator{k}@example.org") for k in (1, 2, 3)]
    choices = _labels_project(server, annotators, "Support intents", 27, rng)
    spans = _span_project(server, annotators, "Entities")
    multi_tasks = []
    for i in range(12):
        truth = {tag for tag in TAGS if rng.random() < 0.4} or {TAGS[0]}
        annotations = []
        for user in annotators:
            chosen = sorted(tag for tag in TAGS if (tag in truth) == (rng.random() < 0.85))
            annotations.append({"completed_by": user.id, "result": [
                {"from_name": "tags", "to_name": "text", "type": "choices",
                 "value": {"choices": chosen or [TAGS[3]]}}]})
        multi_tasks.append({"data": {"item_id": f"m-{i}", "text": TEXTS[i % len(TEXTS)]},
                            "annotations": annotations})
    multi = _imported(server, "Ticket tags", MULTI_CONFIG, multi_tasks)
    rating_tasks = []
    for i in range(15):
        level = int(rng.integers(1, 6))
        annotations = []
        for user in annotators:
            quality = int(np.clip(level + rng.integers(-1, 2), 1, 5))
            stars = {"from_name": "stars", "to_name": "text", "type": "rating",
                     "value": {"rating": int(np.clip(level + (user is annotators[2]), 1, 5))}}
            annotations.append({"completed_by": user.id, "result": [*_choice("quality", str(quality)), stars]})
        rating_tasks.append({"data": {"item_id": f"r-{i}", "text": TEXTS[i % len(TEXTS)]},
                             "annotations": annotations})
    ratings = _imported(server, "Answer quality", RATING_CONFIG, rating_tasks)
    empty = server.create_project("No tasks yet", CHOICES_CONFIG)
    unannotated = _imported(server, "Not annotated", CHOICES_CONFIG,
                            [{"data": {"text": text}} for text in TEXTS[:3]])
    write_labels = _labels_project(server, annotators, "Write-back labels", 9, rng)
    write_spans = _span_project(server, annotators, "Write-back spans")
    return Projects(server, annotators, choices, spans, multi, ratings, empty, unannotated,
                    write_labels, write_spans)
