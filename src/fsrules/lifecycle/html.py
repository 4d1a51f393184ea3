"""``--format html``: one self-contained page with charts, for a bureau intranet.

Headline figures; charts of findings by severity, department and township;
the demonstration-city indicators against their thresholds; the veto items;
the trend of open findings across the runs in the history store; and a
findings table filtered in the page. The charts are drawn by plotly.js,
embedded inline once (no CDN: the file opens offline). Everything is escaped
and deterministic: fixed element ids, no timestamps, findings in report order.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from typing import IO, Any

from fsrules._i18n import Lang, Text
from fsrules._report import Report
from fsrules.model import Severity

__all__ = ["CHART_IDS", "write_html"]

#: The id of every chart ``<div>`` the page may hold, in page order.
CHART_IDS = ("chart-severity", "chart-department", "chart-township", "chart-indicators",
             "chart-trend")

_SEVERITY_COLOUR = {"critical": "#8b0000", "high": "#d62728", "medium": "#ff7f0e",
                    "low": "#1f77b4", "info": "#7f7f7f"}

_T = {
    "title": Text("食品安全监管问题报告", "Food-safety supervision findings"),
    "as_of": Text("评价日期", "As of"),
    "profile": Text("参数配置", "Profile"),
    "findings": Text("问题总数", "Findings"),
    "counted": Text("计入退出码", "Counted"),
    "waived": Text("已豁免", "Waived"),
    "new": Text("新增", "New"),
    "persisting": Text("仍存在", "Persisting"),
    "resolved": Text("已消除", "Resolved"),
    "severity": Text("按严重程度", "By severity"),
    "department": Text("按责任单位", "By department"),
    "township": Text("按乡镇", "By township"),
    "indicators": Text("示范城市指标（达到阈值的百分比）", "Demonstration-city indicators (% of "
                       "threshold)"),
    "trend": Text("未销号问题趋势", "Open findings across runs"),
    "veto": Text("否决项", "Veto items"),
    "table": Text("问题清单", "Findings"),
    "filter": Text("筛选（任意文字）", "Filter (any text)"),
    "all": Text("全部严重程度", "all severities"),
    "county": Text("（县级）", "(county)"),
    "no_indicators": Text("本次运行没有示范城市指标（未运行 demo-city 规则集，或报告读自 JSON）。",
                          "No demonstration-city indicators in this run (the demo-city "
                          "ruleset did not run, or the report was read from JSON)."),
    "threshold": Text("阈值", "threshold"),
    "status": Text("状态", "Status"),
}

_VETO_LABEL = {"fired": Text("触发否决", "FIRED"), "passed": Text("未触发", "passed"),
               "no_data": Text("无数据", "no data"), "not_run": Text("未运行", "not run")}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _figure(div_id: str, fig: Any, width: int = 440) -> str:
    import plotly.io as pio

    fig.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10}, width=width,
                      font={"family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"})
    text: str = pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                            config={"displaylogo": False})
    return text


def _bar(div_id: str, title: str, labels: Sequence[str], values: Sequence[int],
         colours: Sequence[str] | str = "#1f77b4", horizontal: bool = False) -> str:
    import plotly.graph_objects as go

    if horizontal:
        bar = go.Bar(x=list(values), y=list(labels), orientation="h", marker_color=colours)
    else:
        bar = go.Bar(x=list(labels), y=list(values), marker_color=colours)
    fig = go.Figure(bar)
    fig.update_layout(title=title, height=max(360, 24 * len(labels) + 80) if horizontal else 360)
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)
    return _figure(div_id, fig)


def _indicator_chart(report: Report, lang: Lang) -> tuple[str, list[tuple[str, str, str]]]:
    """The indicators chart (or a note) and the veto rows (rule, title, status label)."""
    if "demo-city" not in report.provenance.rulesets or not report.derived:
        return f"<p class=note>{_e(_T['no_indicators'].get(lang))}</p>", []
    import plotly.graph_objects as go

    from fsrules_rulesets.demo_city.summary import readiness

    names, ratios, colours, hovers = [], [], [], []
    vetoes: list[tuple[str, str, str]] = []
    for region in readiness(report).regions:
        for row in region.indicators:
            if row.value is None or row.threshold is None:
                continue
            value, threshold = float(row.value), float(row.threshold)
            if row.comparison == ">=":
                ratio = 100.0 if threshold == 0 else value / threshold * 100
            else:
                ratio = 100.0 if value <= threshold else (
                    0.0 if value == 0 else threshold / value * 100)
            if row.status == "pass":  # met; a "<=" value may be in other units than its limit
                ratio = max(ratio, 100.0)
            names.append(f"{row.title.get(lang)[:18]}（{region.region_name}）")
            ratios.append(round(min(ratio, 150.0), 1))
            colours.append("#2ca02c" if row.status == "pass" else "#d62728")
            hovers.append(f"{row.value} {row.unit.get(lang)} {row.comparison} "
                          f"{row.threshold}")
        vetoes.extend((v.rule_id, v.title.get(lang), _VETO_LABEL[v.status].get(lang))
                      for v in region.vetoes)
    fig = go.Figure(go.Bar(x=ratios, y=names, orientation="h", marker_color=colours,
                           hovertext=hovers, hoverinfo="text+x"))
    fig.add_vline(x=100, line_dash="dash", line_color="#333")
    fig.update_layout(title=_T["indicators"].get(lang), height=max(360, 22 * len(names) + 80))
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _figure("chart-indicators", fig, width=1300), vetoes


def _trend_chart(report: Report, lang: Lang) -> str:
    import plotly.graph_objects as go

    trend = list(report.lifecycle.trend) if report.lifecycle is not None else []
    if not trend:
        trend = [(report.provenance.as_of, len(report.counted()))]
    fig = go.Figure(go.Scatter(x=[d.isoformat() for d, _ in trend], y=[n for _, n in trend],
                               mode="lines+markers"))
    fig.update_layout(title=_T["trend"].get(lang), height=360)
    fig.update_xaxes(type="category")
    return _figure("chart-trend", fig)


_SCRIPT = """
function fsFilter() {
  var text = document.getElementById('fs-filter').value.toLowerCase();
  var sev = document.getElementById('fs-severity').value;
  var rows = document.querySelectorAll('#fs-findings tbody tr');
  var shown = 0;
  rows.forEach(function (row) {
    var ok = (!sev || row.dataset.severity === sev) &&
             (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
    row.style.display = ok ? '' : 'none';
    if (ok) { shown += 1; }
  });
  document.getElementById('fs-shown').textContent = shown;
}
"""

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
.cards{display:flex;flex-wrap:wrap;gap:.8em}.card{border:1px solid #ccc;border-radius:6px;
padding:.6em 1em;min-width:7em}.card b{display:block;font-size:1.6em}
.grid{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #ddd;
padding:.3em .5em;vertical-align:top;text-align:left}th{background:#f3f3f3}
.sev-critical{color:#8b0000;font-weight:bold}.sev-high{color:#d62728}.note{color:#666}
.fired{color:#8b0000;font-weight:bold}
"""


def write_html(report: Report, stream: IO[bytes], lang: Lang = "zh") -> None:
    """The report as one self-contained HTML page (see the module docstring)."""
    from plotly.offline import get_plotlyjs

    zh = lang == "zh"
    life = report.lifecycle
    county = _T["county"].get(lang)
    sev_counts = report.by_severity()
    severities = list(reversed(Severity))
    dept: Counter[str] = Counter()
    town: Counter[str] = Counter()
    for f in report.findings:
        mark = None if life is None else life.mark(f.fingerprint)
        owner = (mark.department if mark and mark.department else
                 (f.lead_departments[0] if f.lead_departments else "—"))
        dept[owner] += 1
        town[(mark.township if mark and mark.township else None) or county] += 1

    cards = [(_T["as_of"], report.provenance.as_of.isoformat()),
             (_T["profile"], report.provenance.profile),
             (_T["findings"], len(report.findings)), (_T["counted"], len(report.counted()))]
    cards += [(Text(s.zh, s.value), sev_counts[s.value]) for s in severities]
    if life is not None and life.visible:
        cards.append((_T["waived"], len(report.findings) - len(report.counted())))
        if life.baseline is not None:
            cards += [(_T["new"], life.baseline.new), (_T["persisting"], life.baseline.persisting),
                      (_T["resolved"], len(life.baseline.resolved))]
    indicators, vetoes = _indicator_chart(report, lang)
    charts = [
        _bar("chart-severity", _T["severity"].get(lang),
             [s.zh if zh else s.value for s in severities],
             [sev_counts[s.value] for s in severities],
             [_SEVERITY_COLOUR[s.value] for s in severities]),
        _bar("chart-department", _T["department"].get(lang),
             [k for k, _ in sorted(dept.items(), key=lambda kv: (-kv[1], kv[0]))],
             [v for _, v in sorted(dept.items(), key=lambda kv: (-kv[1], kv[0]))],
             horizontal=True),
        _bar("chart-township", _T["township"].get(lang),
             [k for k, _ in sorted(town.items(), key=lambda kv: (-kv[1], kv[0]))],
             [v for _, v in sorted(town.items(), key=lambda kv: (-kv[1], kv[0]))],
             "#9467bd", horizontal=True),
        _trend_chart(report, lang),
    ]
    heads = (["严重程度", "规则", "对象", "乡镇", "问题描述", "责任单位", "整改期限", "状态", "指纹"]
             if zh else ["Severity", "Rule", "Subject", "Township", "Finding", "Department",
                         "Due", "Status", "Fingerprint"])
    body = []
    for f in report.findings:
        mark = None if life is None else life.mark(f.fingerprint)
        status = (mark.status if mark and mark.status else "") or ""
        if mark is not None and mark.waiver is not None:
            status = (status + " " + mark.waiver.note.get(lang)).strip()
        if mark is not None and mark.baseline is not None:
            status = (status + " " + _T[mark.baseline].get(lang)).strip()
        due = mark.due_date if mark and mark.due_date else f.due_date
        cells = [f.severity.zh if zh else f.severity.value, f.rule_id,
                 f.subject.name or f.subject.id,
                 (mark.township if mark and mark.township else "") or "",
                 f.message.get(lang),
                 (mark.department if mark and mark.department else
                  "；".join(f.lead_departments)) or "",
                 "" if due is None else due.isoformat(), status, f.fingerprint]
        body.append(f'<tr data-severity="{_e(f.severity.value)}" '
                    f'class="sev-{_e(f.severity.value)}">'
                    + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    options = "".join(f'<option value="{s.value}">{_e(s.zh if zh else s.value)}</option>'
                      for s in severities)
    veto_rows = "".join(
        f"<tr><td>{_e(r)}</td><td>{_e(t)}</td>"
        f"<td class=\"{'fired' if s in ('触发否决', 'FIRED') else ''}\">{_e(s)}</td></tr>"
        for r, t, s in vetoes)
    title = _T["title"].get(lang)
    page = [
        "<!DOCTYPE html>", f'<html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">',
        f"<title>{_e(title)} {_e(report.provenance.as_of.isoformat())}</title>",
        f"<style>{_STYLE}</style>",
        f"<script>{get_plotlyjs()}</script>",
        f"<script>{_SCRIPT}</script></head><body>",
        f"<h1>{_e(title)}</h1>",
        '<div class="cards">' + "".join(f"<div class=card>{_e(label.get(lang))}<b>{_e(value)}</b>"
                                        "</div>" for label, value in cards) + "</div>",
        '<div class="grid">' + "".join(f"<section>{c}</section>" for c in charts) + "</div>",
        f"<section>{indicators}</section>",
    ]
    if vetoes:
        page.append(f"<h2>{_e(_T['veto'].get(lang))}</h2><table><tbody>{veto_rows}</tbody>"
                    "</table>")
    page += [
        f"<h2>{_e(_T['table'].get(lang))} (<span id=fs-shown>{len(report.findings)}</span>)</h2>",
        f'<p><input id=fs-filter type=search placeholder="{_e(_T["filter"].get(lang))}" '
        f'oninput="fsFilter()"> <select id=fs-severity onchange="fsFilter()">'
        f'<option value="">{_e(_T["all"].get(lang))}</option>{options}</select></p>',
        "<table id=fs-findings><thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads)
        + "</tr></thead><tbody>" + "".join(body) + "</tbody></table>",
        "</body></html>", "",
    ]
    stream.write("\n".join(page).encode("utf-8"))
