"""--format html: one self-contained page; every chart draws in headless Chromium."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fsrules.lifecycle import annotate
from fsrules.lifecycle.html import CHART_IDS, write_html
from fsrules.lifecycle.store import HistoryStore

from ._lifecycle import DEC, JAN, demo_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync")


def _page(tmp_path: Path) -> Path:
    store = tmp_path / "h.sqlite"
    with HistoryStore(store) as db:
        for day in (DEC, JAN):
            db.record(demo_report(day))
        report = demo_report(JAN)
        annotated = annotate(report, baseline=demo_report(DEC), history=db.marks(report),
                             trend=db.trend())
    out = io.BytesIO()
    write_html(annotated, out, "zh")
    page = tmp_path / "report.html"
    page.write_bytes(out.getvalue())
    return page


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=180, check=False)


def test_html_is_self_contained_and_deterministic(tmp_path: Path) -> None:
    page = _page(tmp_path).read_text(encoding="utf-8")
    # no CDN or any other fetch: every script is inline
    assert not re.search(r"<script[^>]+src=", page)
    from plotly.offline import get_plotlyjs

    # plotly.js itself is embedded once; nothing else in the page names a URL
    assert page.count(get_plotlyjs()) == 1
    assert "<link" not in page and "http" not in page.replace(get_plotlyjs(), "")
    for chart in CHART_IDS:
        assert f'id="{chart}"' in page
    assert page.count("<tr data-severity=") == len(demo_report(JAN).findings)
    again = io.BytesIO()
    write_html(demo_report(DEC), again, "zh")
    other = io.BytesIO()
    write_html(demo_report(DEC), other, "zh")
    assert again.getvalue() == other.getvalue()


def test_html_escapes_input_text() -> None:
    import attrs

    from fsrules import Subject

    report = demo_report()
    bad = attrs.evolve(report.findings[0], subject=Subject(kind="operator", id="X",
                                                             name="<script>alert(1)</script>"))
    out = io.BytesIO()
    write_html(attrs.evolve(report, findings=(bad,)), out, "en")
    text = out.getvalue().decode("utf-8")
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                    reason="chromium is not installed (make test installs it; required in CI)")
def test_every_chart_draws_in_headless_chromium(tmp_path: Path) -> None:
    page = _page(tmp_path)
    dom = _chromium(tmp_path, "--virtual-time-budget=20000", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = dom.stdout
    starts = sorted((text.index(f'id="{c}"'), c) for c in CHART_IDS)
    for (start, chart), (end, _) in zip(starts, [*starts[1:], (len(text), "")], strict=True):
        part = text[start:end]
        # plotly marks a drawn chart js-plotly-plot and builds its SVG layers in the div
        assert "js-plotly-plot" in part[:400], chart
        assert 'class="main-svg"' in part, chart
        assert re.search(r'class="(point|scatterlayer|trace bars)', part), chart
    shot = tmp_path / "report.png"
    result = _chromium(tmp_path, "--virtual-time-budget=20000", "--window-size=1400,2400",
                       f"--screenshot={shot}", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
