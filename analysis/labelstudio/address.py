"""Where a live Label Studio project is: ``ls://HOST/projects/ID`` or a URL and a project id.

``ls://HOST[:PORT][/PREFIX]/projects/ID`` reads project ``ID`` of the server at
``https://HOST[:PORT][/PREFIX]``; a loopback host (``localhost``, ``127.0.0.1``, ``::1``)
is reached over plain ``http``, and ``ls+http://`` / ``ls+https://`` name the scheme
outright. ``--label-studio-url URL --project ID`` says the same in two parts (the URL may
also be the project's page, ``https://HOST/projects/ID/data?...``, copied from the browser).
The token never appears in an address: it comes from ``LABEL_STUDIO_API_KEY`` alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from analysis.base.errors import AnnotationDataError

SCHEMES: Final[dict[str, str | None]] = {"ls": None, "ls+http": "http", "ls+https": "https"}
"""Address schemes and the HTTP scheme each names (``None``: https, http on loopback)."""

LOOPBACK: Final[frozenset[str]] = frozenset({"localhost", "127.0.0.1", "::1"})
_PROJECT_PATH: Final = re.compile(r"^(?P<prefix>.*?)/projects/(?P<id>[^/?#]+)(?:/.*)?$")


@dataclass(frozen=True)
class ProjectAddress:
    """A Label Studio server and one project on it.

    Attributes
    ----------
    base_url : str
        The server's root, without a trailing slash (``http://127.0.0.1:8080``).
    project : int
        The project's id.
    """

    base_url: str
    project: int

    @property
    def name(self) -> str:
        """The address as messages and reports name it: ``ls://HOST/projects/ID``.

        Examples
        --------
        >>> ProjectAddress("http://127.0.0.1:8080", 3).name
        'ls://127.0.0.1:8080/projects/3'
        >>> ProjectAddress("http://example.org/ls", 3).name
        'ls+http://example.org/ls/projects/3'
        """
        scheme, rest = self.base_url.split("://", 1)
        host = urlsplit(self.base_url).hostname or ""
        default = "http" if host in LOOPBACK else "https"
        prefix = "ls" if scheme == default else f"ls+{scheme}"
        return f"{prefix}://{rest}/projects/{self.project}"

    @property
    def server(self) -> str:
        """The server part of :attr:`name` (``ls://HOST``), for messages about the server."""
        return self.name.rsplit("/projects/", 1)[0]


def is_label_studio_address(path: object) -> bool:
    """Whether a PATH argument names a live project (``ls://...``) rather than a file.

    Examples
    --------
    >>> is_label_studio_address("ls://example.org/projects/1"), is_label_studio_address("a.json")
    (True, False)
    """
    return isinstance(path, str) and path.split("://", 1)[0].casefold() in SCHEMES \
        and "://" in path


def _bad(address: str, problem: str, fix: str) -> AnnotationDataError:
    return AnnotationDataError(problem, file=_shown(address), fix=fix)


def _shown(address: str) -> str:
    """The address as it may be shown: never a user name or password given inside it."""
    parts = urlsplit(address)
    if parts.username is None and parts.password is None:
        return address
    return address.replace(parts.netloc, parts.netloc.rsplit("@", 1)[-1], 1)


def _project_id(value: str, address: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise _bad(address, f"the project id must be a whole number from 1, got {value!r}",
                   "use the number in the project's page address, e.g. .../projects/3")
    return int(value)


def _split(url: str, *, scheme: str | None, address: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise _bad(address, "the address holds a user name or password",
                   "leave credentials out of the address; set LABEL_STUDIO_API_KEY to the token")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise _bad(address, "the address has a malformed port",
                   "write e.g. ls://HOST:8080/projects/3") from None
    if not host:
        raise _bad(address, "the address names no server",
                   "write e.g. ls://HOST/projects/3, or {label_studio_url} https://HOST")
    chosen = scheme or ("http" if host in LOOPBACK else "https")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return f"{chosen}://{netloc}", parts.path.rstrip("/")


def parse_address(address: str) -> ProjectAddress:
    """Read ``ls://HOST[:PORT][/PREFIX]/projects/ID``.

    Raises
    ------
    AnnotationDataError
        An address without a server or a project id, or with credentials in it.

    Examples
    --------
    >>> parse_address("ls://127.0.0.1:8080/projects/3")
    ProjectAddress(base_url='http://127.0.0.1:8080', project=3)
    >>> parse_address("ls://label.example.org/studio/projects/12/")
    ProjectAddress(base_url='https://label.example.org/studio', project=12)
    >>> parse_address("ls+http://10.0.0.5:8080/projects/1").base_url
    'http://10.0.0.5:8080'
    """
    scheme_name, _, rest = address.partition("://")
    if scheme_name.casefold() not in SCHEMES:
        raise _bad(address, "this is not a Label Studio address",
                   "write ls://HOST/projects/ID")
    base, path = _split(f"http://{rest}", scheme=SCHEMES[scheme_name.casefold()], address=address)
    match = _PROJECT_PATH.match(path)
    if match is None:
        raise _bad(address, "the address names no project",
                   "end it with /projects/ID, e.g. ls://HOST/projects/3")
    return ProjectAddress(base + match["prefix"], _project_id(match["id"], address))


def server_from_url(url: str) -> tuple[ProjectAddress, int | None]:
    """The server of a URL (as an address of no project yet, id 0) and the project id the
    URL names, if any: what the dashboard connects to before a project is picked.

    Raises
    ------
    AnnotationDataError
        As :func:`address_from_url`.

    Examples
    --------
    >>> server_from_url("http://localhost:8080/projects/4/data")
    (ProjectAddress(base_url='http://localhost:8080', project=0), 4)
    >>> server_from_url("https://ls.example.org")[1] is None
    True
    """
    try:
        address = address_from_url(url, None)
    except AnnotationDataError as error:
        if "no project is named" not in error.problem:
            raise
        return ProjectAddress(address_from_url(url, 1).base_url, 0), None
    return ProjectAddress(address.base_url, 0), address.project


def address_from_url(url: str, project: int | str | None) -> ProjectAddress:
    """``--label-studio-url URL`` and ``--project ID``; the project may be in the URL instead.

    Raises
    ------
    AnnotationDataError
        A URL that is not http(s), names no server, holds credentials, or gives no project.

    Examples
    --------
    >>> address_from_url("http://localhost:8080/", 2)
    ProjectAddress(base_url='http://localhost:8080', project=2)
    >>> address_from_url("https://ls.example.org/projects/7/data?tab=1", None).project
    7
    """
    url = url.strip()
    scheme = url.partition("://")[0].casefold() if "://" in url else ""
    if scheme not in ("http", "https"):
        raise _bad(url, "the Label Studio URL must start with http:// or https://",
                   "give {label_studio_url} as the address you open Label Studio at, "
                   "e.g. https://HOST")
    base, path = _split(url, scheme=scheme, address=url)
    match = _PROJECT_PATH.match(path)
    prefix = match["prefix"] if match else path
    if project is None or str(project).strip() == "":
        if match is None:
            raise _bad(url, "no project is named",
                       "set {project} to the project's id (the number in its page address)")
        return ProjectAddress(base + prefix, _project_id(match["id"], url))
    return ProjectAddress(base + prefix, _project_id(str(project).strip(), url))
