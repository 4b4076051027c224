"""Live Label Studio projects without a server: addresses, tokens, the progress bar."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime

import pytest

from analysis.base.errors import AnnotationDataError, cli_option
from analysis.cli.label_studio import ProgressBar
from analysis.labelstudio.address import (
    ProjectAddress,
    address_from_url,
    is_label_studio_address,
    parse_address,
    server_from_url,
)
from analysis.labelstudio.token import HIDDEN, Token, scrub, token_from_environment


@pytest.mark.parametrize("address, base, project", [
    ("ls://127.0.0.1:8080/projects/3", "http://127.0.0.1:8080", 3),
    ("ls://localhost/projects/12", "http://localhost", 12),
    ("ls://[::1]:8080/projects/1", "http://[::1]:8080", 1),
    ("ls://label.example.org/projects/7/data?tab=2", "https://label.example.org", 7),
    ("ls://label.example.org/studio/projects/7", "https://label.example.org/studio", 7),
    ("ls+http://10.1.2.3:8080/projects/4", "http://10.1.2.3:8080", 4),
    ("LS+HTTPS://127.0.0.1:8443/projects/5", "https://127.0.0.1:8443", 5),
])
def test_addresses_name_the_server_and_project(address, base, project):
    parsed = parse_address(address)
    assert (parsed.base_url, parsed.project) == (base, project)
    assert parse_address(parsed.name) == parsed  # the shown name reads back to the same


def test_a_url_and_a_project_id_are_the_same_address():
    assert address_from_url("https://label.example.org/", "7") == \
        parse_address("ls://label.example.org/projects/7")
    assert address_from_url("http://127.0.0.1:8080/projects/7/data", None).project == 7
    assert server_from_url("http://127.0.0.1:8080") == (ProjectAddress("http://127.0.0.1:8080", 0),
                                                        None)


def test_a_missing_project_names_the_option_as_each_front_end_spells_it():
    with pytest.raises(AnnotationDataError) as raised:
        address_from_url("https://label.example.org", None)
    assert "set --project to the project's id" in raised.value.render(cli_option)
    assert raised.value.options == ("project",)


@pytest.mark.parametrize("url", ["label.example.org", "ftp://label.example.org", "file:///etc"])
def test_only_http_urls_are_label_studio_urls(url):
    with pytest.raises(AnnotationDataError, match="must start with http:// or https://"):
        address_from_url(url, 1)


def test_file_paths_are_not_addresses():
    assert not is_label_studio_address("ls_export.json")
    assert not is_label_studio_address("ls:/projects/1")
    assert not is_label_studio_address(None)
    assert is_label_studio_address("ls+https://h/projects/1")


def _jwt(payload: dict) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{body}.c2lnbmF0dXJl"


def test_token_kinds_and_expiry():
    legacy = Token("0123456789abcdef0123456789abcdef01234567")
    assert not legacy.is_personal and legacy.expired_at() is None
    live = Token(_jwt({"token_type": "refresh", "exp": 4_102_444_800}))  # 2100
    assert live.is_personal and live.expired_at() is None
    dead = Token(_jwt({"token_type": "refresh", "exp": 1_700_000_000}))
    assert dead.expired_at() == datetime.fromtimestamp(1_700_000_000, tz=UTC)
    assert "0123456789abcdef" not in repr(legacy) and str(legacy) == HIDDEN
    assert token_from_environment({"LABEL_STUDIO_API_KEY": "   "}) is None


def test_scrub_hides_every_copy_of_the_token():
    token = "s3cret-value-123"
    assert scrub(f"{token} and again {token}", token, None) == f"{HIDDEN} and again {HIDDEN}"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_only():
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(stream)
        bar(500, 1000)
        bar(1000, 1000)
        bar.close()
    assert pipe.getvalue() == ""
    assert terminal.getvalue() == (f"\rpulling tasks [{'#' * 15}{' ' * 15}] 500/1,000"
                                   f"\rpulling tasks [{'#' * 30}] 1,000/1,000\n")
