"""Pull a live Label Studio project, page by page, into the bytes of its JSON export.

:func:`pull_project` asks the server who it is (``/api/version``), reads the project
(``/api/projects/ID``: its title and label config), then its tasks with their annotations
and predictions (``/api/tasks?project=ID&fields=all&include=...``, :data:`PAGE_SIZE` tasks a page,
reporting progress after each page). As in Label Studio's own JSON export, the tasks with
annotations are kept, each with the export's fields (the Data Manager's computed columns are
dropped; predictions are kept whole, where the export's plain download lists their ids), so
the bytes read by
:func:`analysis.io.load_task.load_task` give exactly the report of the project's JSON
export: every task type (choices, multiple choices, spans, ratings) and every loader rule
(cancelled annotations skipped and counted) is the file loader's.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from analysis.io.label_studio import kept_annotations
from analysis.labelstudio.address import ProjectAddress
from analysis.labelstudio.client import Client, LabelStudioError
from analysis.labelstudio.token import TOKEN_ENV, Token, token_from_environment

PAGE_SIZE: Final = 500
"""Tasks per page (benchmarks/bench_label_studio_pull.py measured the page sizes)."""

TASK_KEYS: Final[tuple[str, ...]] = (
    "id", "annotations", "drafts", "predictions", "data", "meta", "created_at", "updated_at",
    "inner_id", "total_annotations", "cancelled_annotations", "total_predictions", "project",
)
"""Task fields of Label Studio's JSON export, in its order."""

INCLUDE: Final = ",".join((
    *TASK_KEYS, "result", "completed_by", "was_cancelled", "ground_truth", "lead_time",
    "draft_created_at", "import_id", "last_action", "bulk_created", "task",
    "parent_prediction", "parent_annotation", "last_created_by", "model_version", "score"))
"""The task list's ``include``: the export's fields of tasks, annotations and predictions
(the names apply at every level); the server then skips the Data Manager's computed
columns (1.7 s instead of 2.5 s for 200 tasks in one trial, docs/performance.md)."""

ANNOTATION_DROPPED: Final[frozenset[str]] = frozenset({"created_username", "created_ago"})
"""Fields the task list adds to an annotation that the JSON export does not have."""

Progress = Callable[[int, int], None]
"""``progress(tasks_read, tasks_in_project)``, called after each page."""


@dataclass(frozen=True)
class ProjectInfo:
    """A project as the server lists it.

    Attributes
    ----------
    id, title
    tasks : int
        Tasks in the project (the server's count).
    annotations : int
        Annotations in it, cancelled ones included (the server's count).
    controls : mapping
        The label config's controls by name (``parsed_label_config``: ``type``,
        ``to_name``, ``labels``), for writing gold back.
    """

    id: int
    title: str
    tasks: int = 0
    annotations: int = 0
    controls: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_answer(cls, answer: Mapping[str, Any]) -> ProjectInfo:
        """Read ``/api/projects/ID`` (or one entry of ``/api/projects``)."""
        def count(key: str) -> int:
            value = answer.get(key)
            return value if isinstance(value, int) and value >= 0 else 0

        controls = answer.get("parsed_label_config")
        title = answer.get("title")
        return cls(int(answer["id"]), title if isinstance(title, str) and title.strip()
                   else f"project {answer['id']}", count("task_number"),
                   count("total_annotations_number"),
                   controls if isinstance(controls, Mapping) else {})


@dataclass(frozen=True, eq=False)
class PulledProject:
    """One pull of a live project.

    Attributes
    ----------
    address : ProjectAddress
    project : ProjectInfo
    data : bytes
        The tasks as Label Studio's JSON export holds them (UTF-8 JSON): those with
        annotations, each with the export's fields; predictions in full (the export's
        plain download lists only their ids).
    tasks, annotations : int
        Tasks in the project and the annotations on them (cancelled ones included).
    pulled_at : datetime
        When the pull ended (UTC).
    seconds : float
        How long it took.
    server_version : str
        The server's release (``1.23.2``).
    task_ids : mapping
        Item id (as the loader reads it) -> Label Studio task id, for writing gold back.
    """

    address: ProjectAddress
    project: ProjectInfo
    data: bytes = field(repr=False)
    tasks: int
    annotations: int
    pulled_at: datetime
    seconds: float
    server_version: str
    task_ids: Mapping[str, int] = field(repr=False)

    @property
    def name(self) -> str:
        """The address the data came from, as messages and load reports name it."""
        return self.address.name

    def summary(self) -> str:
        """One line for the command line's standard error.

        Examples
        --------
        >>> from analysis.labelstudio.address import parse_address
        >>> pulled = PulledProject(parse_address("ls://127.0.0.1:8080/projects/3"),
        ...     ProjectInfo(3, "Intents"), b"[]", 1000, 3000,
        ...     datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), 4.25, "1.23.2", {})
        >>> pulled.summary()
        "pulled 1,000 tasks (3,000 annotations) of 'Intents' from ls://127.0.0.1:8080/projects/3 (Label Studio 1.23.2) in 4.2 s at 2026-01-02 03:04:05 UTC"
        """
        return (f"pulled {self.tasks:,} tasks ({self.annotations:,} annotations) of "
                f"{self.project.title!r} from {self.name} (Label Studio {self.server_version}) "
                f"in {self.seconds:.1f} s at {self.pulled_at:%Y-%m-%d %H:%M:%S} UTC")


def require_token(address: ProjectAddress, token: Token | None = None) -> Token:
    """The given token, else the one in ``LABEL_STUDIO_API_KEY``.

    Raises
    ------
    LabelStudioError
        No token anywhere (``kind="no_token"``).
    """
    token = token or token_from_environment()
    if token is None:
        raise LabelStudioError(
            "no_token", f"{TOKEN_ENV} is not set, so Label Studio cannot be asked",
            file=address.name, fix=f"set {TOKEN_ENV} to your Label Studio personal access "
            "token (Account & Settings > Personal Access Token) or legacy token; it is read "
            "from the environment only, never from a flag")
    return token


def connect(address: ProjectAddress, token: Token | None = None, *,
            timeout: float | None = None) -> Client:
    """A :class:`Client` for the address's server, its version checked.

    Raises
    ------
    LabelStudioError
        No token, or a server that cannot be reached, is not Label Studio or not 1.x.
    """
    client = Client(address, require_token(address, token), timeout=timeout)
    client.check_server()
    return client


def list_projects(client: Client, *, page_size: int = 100) -> list[ProjectInfo]:
    """Every project the token's user can see, by id.

    Raises
    ------
    LabelStudioError
        A refused token or an answer that is not a project list.
    """
    projects: list[ProjectInfo] = []
    page = 1
    while True:
        answer = client.request("GET", "/api/projects",
                                params={"page": page, "page_size": page_size}, missing_ok=True)
        if answer is None:
            break
        results = answer.get("results") if isinstance(answer, Mapping) else answer
        if not isinstance(results, list):
            raise client.error("bad_answer", "the server's project list is not the JSON Label "
                               "Studio sends", "check that the address is a Label Studio server",
                               server=True)
        projects += [ProjectInfo.from_answer(entry) for entry in results
                     if isinstance(entry, Mapping) and isinstance(entry.get("id"), int)]
        if not isinstance(answer, Mapping) or not answer.get("next"):
            break
        page += 1
    return sorted(projects, key=lambda project: project.id)


def project_info(client: Client) -> ProjectInfo:
    """The address's project.

    Raises
    ------
    LabelStudioError
        The project does not exist or the token's user cannot see it (``not_found``).
    """
    project = client.address.project
    missing = client.error("not_found", f"project {project} does not exist on this server, "
                           "or the token's user cannot see it", "check the id in the project's "
                           "page address (.../projects/ID), and that the token's user is a member")
    answer = client.request("GET", f"/api/projects/{project}", not_found=missing)
    if not isinstance(answer, Mapping) or not isinstance(answer.get("id"), int):
        raise client.error("bad_answer", "the server's answer about the project is not the "
                           "JSON Label Studio sends", "check that the address is a Label "
                           "Studio server")
    return ProjectInfo.from_answer(answer)


def export_task(task: Mapping[str, Any]) -> dict[str, Any]:
    """A task of the task list, with the fields of Label Studio's JSON export only.

    Examples
    --------
    >>> export_task({"id": 1, "data": {"text": "x"}, "annotators": [2], "annotations": [
    ...     {"id": 5, "completed_by": 2, "result": [], "created_ago": "1 minute"}]})
    {'id': 1, 'annotations': [{'id': 5, 'completed_by': 2, 'result': []}], 'data': {'text': 'x'}}
    """
    kept = {key: task[key] for key in TASK_KEYS if key in task}
    if isinstance(kept.get("annotations"), list):
        kept["annotations"] = [
            {key: value for key, value in annotation.items() if key not in ANNOTATION_DROPPED}
            if isinstance(annotation, Mapping) else annotation
            for annotation in kept["annotations"]]
    return kept


def _page(client: Client, page: int, page_size: int) -> tuple[list[Any], int | None] | None:
    answer = client.request("GET", "/api/tasks", params={
        "project": client.address.project, "page": page, "page_size": page_size,
        "fields": "all", "include": INCLUDE}, missing_ok=page > 1)
    if answer is None:  # past the last page (tasks were deleted during the pull)
        return None
    if isinstance(answer, list):
        return answer, None
    tasks = answer.get("tasks") if isinstance(answer, Mapping) else None
    if not isinstance(tasks, list):
        raise client.error("bad_answer", "the server's task list is not the JSON Label Studio "
                           "sends", "check that the address is a Label Studio server")
    total = answer.get("total")
    return tasks, total if isinstance(total, int) and total >= 0 else None


def pull_tasks(client: Client, *, page_size: int = PAGE_SIZE,
               progress: Progress | None = None) -> list[dict[str, Any]]:
    """Every task of the client's project in export form, by task id."""
    tasks: dict[int, dict[str, Any]] = {}
    page, total = 1, None
    while True:
        read = _page(client, page, page_size)
        if read is None:
            break
        found, said = read
        total = said if said is not None else total
        for task in found:
            if isinstance(task, Mapping) and isinstance(task.get("id"), int):
                tasks[task["id"]] = export_task(task)
        if progress is not None:
            progress(len(tasks), max(total or 0, len(tasks)))
        if len(found) < page_size or (total is not None and len(tasks) >= total):
            break
        page += 1
    return [tasks[key] for key in sorted(tasks)]


def _task_ids(tasks: list[dict[str, Any]]) -> dict[str, int]:
    """Item id (NFC, stripped: as the loader's table holds it) -> task id."""
    kept, _ = kept_annotations(tasks)
    return {unicodedata.normalize("NFC", annotation.item).strip(): tasks[annotation.task_index]["id"]
            for annotation in kept}


def pull_project(address: ProjectAddress, *, token: Token | None = None,
                 client: Client | None = None, page_size: int = PAGE_SIZE,
                 progress: Progress | None = None) -> PulledProject:
    """Read a live project's tasks and annotations.

    Parameters
    ----------
    address : ProjectAddress
        :func:`analysis.labelstudio.address.parse_address` or ``address_from_url``.
    token : Token, optional
        Default: ``LABEL_STUDIO_API_KEY``.
    client : Client, optional
        A connected client (the dashboard keeps one per connection); made here otherwise.
    page_size : int
        Tasks per request.
    progress : callable, optional
        ``progress(tasks_read, tasks_in_project)`` after each page.

    Returns
    -------
    PulledProject

    Raises
    ------
    LabelStudioError
        Any failure (one line, ``kind`` says which), among them a project without tasks
        (``no_tasks``) or without annotations (``no_annotations``).
    """
    started = time.perf_counter()
    if client is None:
        client = connect(address, token)
    elif client.address != address:
        if client.address.base_url != address.base_url:
            raise client.error("bad_url", f"this connection is to {client.address.server}, "
                               f"not {address.server}", "connect to the project's server")
        client = client.for_project(address.project)
    client.bytes_read = 0  # the byte limit holds per pull
    info = project_info(client)
    tasks = pull_tasks(client, page_size=page_size, progress=progress)
    annotations = sum(len(task.get("annotations") or []) for task in tasks)
    if not tasks:
        raise client.error("no_tasks", f"project {info.title!r} has no tasks",
                           "import tasks into the project in Label Studio first")
    if not annotations:
        raise client.error("no_annotations", f"project {info.title!r} has {len(tasks):,} tasks "
                           "but no annotations yet", "annotate some tasks in Label Studio, "
                           "then read the project again")
    # Label Studio's JSON export holds the tasks with annotations (cancelled ones too) only
    annotated = [task for task in tasks if task.get("annotations")]
    data = json.dumps(annotated, ensure_ascii=False).encode("utf-8")
    return PulledProject(address, info, data, len(tasks), annotations, datetime.now(UTC),
                         time.perf_counter() - started, client.version or "?", _task_ids(tasks))
