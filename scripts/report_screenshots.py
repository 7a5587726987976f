"""Take the screenshots of docs/reports.md: the HTML report of the ServiceNow sample in
headless Chromium, in Chinese and English (docs/images/report-zh.png, report-en.png).

Needs Debian's chromium and chromedriver (scripts/install_chromium.sh), selenium and the
sample in ../shared/data. Run from the repository: ``python scripts/report_screenshots.py``.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from PIL import Image
from selenium import webdriver

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "reports"))

from test_html_in_browser import FLAGS, sample_report  # noqa: E402

from conftest import SERVICENOW_CSV  # noqa: E402
from itsm_core.reports import render_html  # noqa: E402


def main() -> None:
    report = sample_report(SERVICENOW_CSV)
    with tempfile.TemporaryDirectory() as folder:
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in (*FLAGS, f"--user-data-dir={folder}/profile", "--window-size=1000,1300"):
            options.add_argument(flag)
        service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
        driver = webdriver.Chrome(options=options, service=service)
        try:
            for language, name in (("zh-CN", "zh"), ("en", "en")):
                page = Path(folder) / f"report-{name}.html"
                page.write_text(render_html(report, language=language), encoding="utf-8")
                driver.get(page.as_uri())
                shot = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
                shot = shot.quantize(colors=64)
                target = ROOT / "docs" / "images" / f"report-{name}.png"
                shot.save(target, optimize=True)
                print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
