"""Take the report viewer's screenshots in docs/images/ with Playwright and Debian's chromium.

    python docs/images/screenshots.py

Renders the HTML report of examples/runs/mixed-run.json and shows it in the
light theme, the dark theme (the charts and an opened failure with its code) and
at 420 px wide.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import evalanalysis as ea
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]


def main() -> None:
    analysis = ea.analyze(str(ROOT / "examples" / "runs" / "mixed-run.json"), settings=ea.Settings(), date="2026-11-25")
    html = ea.PluginRegistry(ea.get_plugin_manager()).create("reporter", "html", ea.Settings()).render(analysis)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        page_file = Path(tmp) / "report.html"
        page_file.write_text(html, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        shots = [
            # name, viewport, colour scheme, what to show
            ("report-light.png", (1200, 1100), "light", "#failure-summary"),
            ("report-dark.png", (1200, 1100), "dark", "#failure-summary"),
            ("report-dark-code.png", (1200, 1100), "dark", "details.failure:has(pre.diff)"),
            ("report-420px.png", (420, 1100), "light", "#classification-table"),
        ]
        for name, (width, height), scheme, target in shots:
            context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
            page = context.new_page()
            page.goto(page_file.as_uri())
            page.evaluate(f"(t => {{ if (t.tagName === 'DETAILS') t.open = true; t.scrollIntoView(); }})(document.querySelector('{target}'))")
            page.screenshot(path=str(OUT / name))
            context.close()
            print(f"wrote {OUT.relative_to(ROOT) / name} ({(OUT / name).stat().st_size // 1000} KB)")
        browser.close()


if __name__ == "__main__":
    main()
