"""Live Label Studio projects: read one by address and token, write gold back on request.

``python -m analysis report ls://HOST/projects/ID`` (or ``--label-studio-url URL --project
ID``), with the token in ``LABEL_STUDIO_API_KEY``, pulls the project's tasks through the
REST API (:func:`pull_project`) into the bytes of its JSON export, which the same loader
as an export file reads (:func:`analysis.io.load_task.load_task`). The dashboard's *Connect
to Label Studio* panel uses the same calls. :func:`push_gold` writes gold labels or spans
back as annotations or predictions; the front ends call it only on an explicit, confirmed
request.

Modules: :mod:`~analysis.labelstudio.address` (``ls://`` addresses),
:mod:`~analysis.labelstudio.token` (the token and its kind), :mod:`~analysis.labelstudio.client`
(HTTP, authentication, errors), :mod:`~analysis.labelstudio.pull` (the paged pull),
:mod:`~analysis.labelstudio.write_back` (gold back into the project).
"""

from analysis.labelstudio.address import (
    ProjectAddress,
    address_from_url,
    is_label_studio_address,
    parse_address,
)
from analysis.labelstudio.client import Client, LabelStudioError
from analysis.labelstudio.pull import (
    ProjectInfo,
    PulledProject,
    connect,
    list_projects,
    project_info,
    pull_project,
)
from analysis.labelstudio.token import TOKEN_ENV, Token, token_from_environment
from analysis.labelstudio.write_back import WriteBack, gold_label_results, push_gold, span_results

__all__ = [
    "TOKEN_ENV",
    "Client",
    "LabelStudioError",
    "ProjectAddress",
    "ProjectInfo",
    "PulledProject",
    "Token",
    "WriteBack",
    "address_from_url",
    "connect",
    "gold_label_results",
    "is_label_studio_address",
    "list_projects",
    "parse_address",
    "project_info",
    "pull_project",
    "push_gold",
    "span_results",
    "token_from_environment",
]
