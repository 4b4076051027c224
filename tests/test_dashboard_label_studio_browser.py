"""End to end in Chromium: the dashboard connects to the session's real Label Studio server.

Types the server's project address and an annotator's personal access token into the
*Connect to Label Studio* panel, pulls the project, and compares the Overview's alpha card
with ``python -m analysis report ls://...`` on the same project. The token field must be
empty again after connecting. Screenshot: ``label_studio.png`` beside the other browser
test's (``artifacts/browser`` or ``DASHBOARD_SCREENSHOTS``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_dashboard_browser import (  # the same server and browser set-up
    BOOTSTRAP,
    CHROMIUM,
    CHROMIUM_ARGS,
    _alpha_card,
    _settled,
    running_dashboard,
    sync_api,
)

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1500)]


def test_the_dashboard_connects_to_label_studio_and_pulls_a_project(label_studio):
    token = label_studio.annotators[0].personal_token
    address = label_studio.address(label_studio.choices)
    cli = subprocess.run(
        [sys.executable, "-m", "analysis", "report", address, "--format", "json",
         "--bootstrap", str(BOOTSTRAP), "--seed", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
        env=os.environ | {"LABEL_STUDIO_API_KEY": token})
    expected = f"{json.loads(cli.stdout)['overall']['krippendorff_alpha']['value']:.3f}"
    shots = Path(os.environ.get("DASHBOARD_SCREENSHOTS", ROOT / "artifacts" / "browser"))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            with running_dashboard() as (url, _):
                page.goto(url)
                _alpha_card(page, "Krippendorff's alpha").wait_for(timeout=60_000)
                sidebar = page.locator('[data-testid="stSidebar"]')
                sidebar.get_by_text("Connect to Label Studio").click()
                field = sidebar.get_by_role("textbox", name="Label Studio address")
                field.fill(f"{label_studio.server.url}/projects/{label_studio.choices}")
                field.press("Enter")
                _settled(page)
                secret = sidebar.get_by_role("textbox", name="Access token")
                assert secret.get_attribute("type") == "password"
                secret.fill(token)
                secret.press("Enter")
                _settled(page)
                sidebar.get_by_role("button", name="Connect").click()
                sidebar.get_by_text("Connected to").wait_for(timeout=60_000)
                sidebar.get_by_role("button", name="Pull annotations").click()
                sidebar.get_by_text("Last pull:").wait_for(timeout=60_000)
                sync_api.expect(_alpha_card(page, "Krippendorff's alpha")).to_have_text(
                    expected, timeout=60_000)
                _settled(page)
                page.screenshot(path=str(shots / "label_studio.png"))
                assert sidebar.get_by_role("button", name="Refresh").count() == 1
                assert page.locator('[data-testid="stException"]').count() == 0
                assert page.locator('[data-testid="stAlertContentError"]').count() == 0
                assert token not in page.content()
        finally:
            browser.close()
