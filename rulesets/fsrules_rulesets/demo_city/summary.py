"""The readiness summary: the one-page view a county food-safety office needs.

:func:`readiness` turns a :class:`~fsrules.Report` into a
:class:`ReadinessSummary`: per region and period, each indicator's value,
threshold, pass or fail and gap in its own units ("还需抽检 312 批次",
"满意度差 1.6 分"), the checklist items, the status of the five veto items,
and the departments with open items. It reads only the report: the derived
``demo_indicator`` facts (``report.derived``), the findings, the rule
statistics and the resolved parameters (``report.provenance``), so the same
report always gives the same summary.

Two output formats show it: ``summary`` (terminal tables, colour only on a
terminal) and ``summary-json`` (canonical JSON, keys sorted).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import IO, Any

import attrs

from fsrules import Finding, Report, Severity, Text

from .._numbers import ceil_to, floor_to
from ..territorial.red_black import red_black, render_red_black
from ..veto import RULESET as _VETO
from .checks import MEASURED_BY
from .facts import DemoIndicator
from .judge import actual, gap_text, number
from .vocabulary import IndicatorSpec, vocabulary

__all__ = [
    "CHECKLIST_STATUSES",
    "INDICATOR_STATUSES",
    "VETO_RULES",
    "VETO_STATUSES",
    "ChecklistRow",
    "DepartmentRow",
    "IndicatorRow",
    "ReadinessSummary",
    "RegionReadiness",
    "VetoRow",
    "readiness",
    "render_text",
    "write_summary",
    "write_summary_json",
]

#: Indicator outcomes: met, not met, no figure, nothing to measure, rule not run.
INDICATOR_STATUSES = ("pass", "fail", "no_data", "not_applicable", "not_run")
#: Checklist outcomes: the recorded status, or none recorded, or rule not run.
CHECKLIST_STATUSES = ("done", "partly", "not_done", "no_data", "not_run")
#: Veto outcomes.
VETO_STATUSES = ("fired", "passed", "no_data", "not_run")

#: The five veto items (the rules of the ``veto`` ruleset), in order, with their titles.
VETO_RULES: tuple[tuple[str, Text], ...] = tuple(
    (r.id, r.title) for r in sorted(_VETO.rules, key=lambda r: r.id))

_LABELS: dict[str, Text] = {
    "pass": Text("达标", "pass"),
    "fail": Text("未达标", "FAIL"),
    "no_data": Text("无数据", "no data"),
    "not_applicable": Text("不适用", "n/a"),
    "not_run": Text("未运行", "not run"),
    "done": Text("已完成", "done"),
    "partly": Text("部分完成", "partly"),
    "not_done": Text("未完成", "NOT DONE"),
    "fired": Text("触发否决", "FIRED"),
    "passed": Text("未触发", "passed"),
}


def _period_dict(start: dt.date | None, end: dt.date | None) -> dict[str, str] | None:
    if start is None or end is None:
        return None
    return {"start": start.isoformat(), "end": end.isoformat()}


def _text(t: Text | None) -> dict[str, str] | None:
    return None if t is None else {"zh": t.zh, "en": t.en}


@attrs.frozen(kw_only=True)
class IndicatorRow:
    """One quantitative indicator of one region: value, threshold, outcome and gap."""

    code: str
    rule_id: str
    item: int
    section: str
    title: Text
    unit: Text
    comparison: str
    threshold: float | int | None
    value: float | int | None
    numerator: float | int | None
    denominator: float | int | None
    status: str
    gap: float | int | None = None
    gap_text: Text | None = None
    source: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    fingerprint: str | None = None
    note: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code, "rule_id": self.rule_id, "item": self.item,
            "section": self.section, "title": _text(self.title), "unit": _text(self.unit),
            "comparison": self.comparison, "threshold": self.threshold, "value": self.value,
            "numerator": self.numerator, "denominator": self.denominator,
            "status": self.status, "gap": self.gap, "gap_text": _text(self.gap_text),
            "source": self.source, "period": _period_dict(self.period_start, self.period_end),
            "departments": {"lead": list(self.lead), "responsible": list(self.responsible)},
            "fingerprint": self.fingerprint, "note": _text(self.note),
        }


@attrs.frozen(kw_only=True)
class ChecklistRow:
    """One qualitative item of one region, as the office recorded it."""

    code: str
    item: int
    section: str
    title: Text
    status: str
    evidence_ref: str = ""
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"code": self.code, "item": self.item, "section": self.section,
                "title": _text(self.title), "status": self.status,
                "evidence_ref": self.evidence_ref,
                "departments": {"lead": list(self.lead), "responsible": list(self.responsible)}}


@attrs.frozen(kw_only=True)
class VetoRow:
    """One veto item: fired, passed, no data (the rule said it could not judge) or not run."""

    rule_id: str
    title: Text
    status: str
    message: Text | None = None
    fingerprint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"rule_id": self.rule_id, "title": _text(self.title), "status": self.status,
                "message": _text(self.message), "fingerprint": self.fingerprint}


@attrs.frozen(kw_only=True)
class DepartmentRow:
    """A department with open items: how many it leads and how many it shares."""

    name: str
    lead: int
    responsible: int
    rules: tuple[str, ...]

    @property
    def total(self) -> int:
        """Open items it leads or is responsible for."""
        return self.lead + self.responsible

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"name": self.name, "lead": self.lead, "responsible": self.responsible,
                "total": self.total, "rules": list(self.rules)}


@attrs.frozen(kw_only=True)
class RegionReadiness:
    """The readiness of one region for one period."""

    region_code: str
    region_name: str
    period_start: dt.date | None
    period_end: dt.date | None
    indicators: tuple[IndicatorRow, ...]
    checklist: tuple[ChecklistRow, ...]
    vetoes: tuple[VetoRow, ...]
    departments: tuple[DepartmentRow, ...]

    def counts(self) -> dict[str, int]:
        """Indicators per outcome (every outcome present, 0 when none)."""
        found = Counter(r.status for r in self.indicators)
        return {s: found.get(s, 0) for s in INDICATOR_STATUSES}

    def checklist_counts(self) -> dict[str, int]:
        """Checklist items per outcome."""
        found = Counter(r.status for r in self.checklist)
        return {s: found.get(s, 0) for s in CHECKLIST_STATUSES}

    def indicator(self, code: str) -> IndicatorRow:
        """The row of indicator ``code``."""
        for row in self.indicators:
            if row.code == code:
                return row
        raise KeyError(code)

    def veto(self, rule_id: str) -> VetoRow:
        """The row of veto rule ``rule_id``."""
        for row in self.vetoes:
            if row.rule_id == rule_id:
                return row
        raise KeyError(rule_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "region_code": self.region_code, "region_name": self.region_name,
            "period": _period_dict(self.period_start, self.period_end),
            "counts": {"indicators": self.counts(), "checklist": self.checklist_counts()},
            "indicators": [r.to_dict() for r in self.indicators],
            "checklist": [r.to_dict() for r in self.checklist],
            "vetoes": [r.to_dict() for r in self.vetoes],
            "departments": [d.to_dict() for d in self.departments],
        }


@attrs.frozen(kw_only=True)
class ReadinessSummary:
    """The readiness of every region the report covers, as data."""

    as_of: dt.date
    profile: str
    regions: tuple[RegionReadiness, ...]

    def region(self, code: str) -> RegionReadiness:
        """The readiness of region ``code``."""
        for region in self.regions:
            if region.region_code == code:
                return region
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"as_of": self.as_of.isoformat(), "profile": self.profile,
                "regions": [r.to_dict() for r in self.regions]}

    def to_json(self) -> str:
        """Canonical JSON: keys sorted, UTF-8 characters kept, trailing newline."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


# --------------------------------------------------------------------------- building


def _open(finding: Finding) -> bool:
    return finding.severity is not Severity.INFO


def _shown(spec: IndicatorSpec, ind: DemoIndicator) -> float | int | None:
    value = actual(spec, ind)
    if value is None:
        return None
    return number(floor_to(float(value)) if spec.at_least else ceil_to(float(value)))


def _indicator_row(spec: IndicatorSpec, ind: DemoIndicator | None, finding: Finding | None,
                   ran: str | None, threshold: Any) -> IndicatorRow:
    base: dict[str, Any] = {
        "code": spec.code, "rule_id": spec.rule_id, "item": spec.item,
        "section": spec.group.section, "title": spec.title, "unit": spec.unit,
        "comparison": spec.comparison,
        "threshold": None if threshold is None else number(threshold),
        "lead": spec.lead, "responsible": spec.responsible,
        "value": None, "numerator": None, "denominator": None,
    }
    if ind is not None:
        base.update(value=_shown(spec, ind), numerator=number(ind.numerator),
                    denominator=number(ind.denominator), source=ind.source,
                    period_start=ind.period_start, period_end=ind.period_end)
    if ran != "ran":
        note = Text("规则未选中（未用 --ruleset 选择）", "rule not selected") if ran is None \
            else Text(f"规则状态：{ran}", f"rule status: {ran}")
        return IndicatorRow(status="not_run", note=note, **base)
    if finding is not None:
        ev = finding.evidence
        base["value"] = ev.get("value", base["value"])
        if finding.period is not None:
            base.update(period_start=finding.period.start, period_end=finding.period.end)
        gap = ev.get("gap")
        text = (spec.gap_text.format(years=ev.get("threshold")) if spec.gap == "window"
                else gap_text(spec, str(ev.get("gap_kind", spec.gap)), gap,
                              ev.get("hours_short"))) if gap is not None else Text("", "")
        return IndicatorRow(status="fail", gap=gap, gap_text=text,
                            fingerprint=finding.fingerprint, **base)
    if ind is None:
        return IndicatorRow(status="no_data", **base)
    if ind.value is None:
        if ind.denominator == 0:
            return IndicatorRow(status="not_applicable", note=Text(
                "没有需计量的对象", "nothing to measure"), **base)
        missing = Text("人口未记录", "population not recorded") if spec.gap == "per_1000" \
            else None
        return IndicatorRow(status="no_data", note=missing, **base)
    if spec.gap == "window" and ind.basis:
        base["note"] = Text(f"最近一次演练 {ind.basis}", f"latest drill {ind.basis}")
    return IndicatorRow(status="pass", gap=0, **base)


def _veto_row(rule_id: str, title: Text, stat: str | None, findings: Sequence[Finding]
              ) -> VetoRow:
    if stat != "ran":
        return VetoRow(rule_id=rule_id, title=title, status="not_run")
    fired = [f for f in findings if _open(f)]
    if fired:
        return VetoRow(rule_id=rule_id, title=title, status="fired", message=fired[0].message,
                       fingerprint=fired[0].fingerprint)
    if any(f.evidence.get("status") == "no_data" for f in findings):
        return VetoRow(rule_id=rule_id, title=title, status="no_data",
                       message=findings[0].message)
    return VetoRow(rule_id=rule_id, title=title, status="passed")


def _departments(findings: Iterable[Finding]) -> tuple[DepartmentRow, ...]:
    lead: Counter[str] = Counter()
    resp: Counter[str] = Counter()
    rules: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        for name in f.lead_departments:
            lead[name] += 1
            rules[name].add(f.rule_id)
        for name in f.responsible_departments:
            resp[name] += 1
            rules[name].add(f.rule_id)
    rows = [DepartmentRow(name=n, lead=lead[n], responsible=resp[n], rules=tuple(sorted(rules[n])))
            for n in rules]
    return tuple(sorted(rows, key=lambda d: (-d.lead, -d.total, d.name)))


def _common_period(indicators: Sequence[DemoIndicator]) -> tuple[dt.date | None, dt.date | None]:
    if not indicators:
        return None, None
    counts = Counter((d.period_start, d.period_end) for d in indicators)
    (start, end), _ = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return start, end


def readiness(report: Report) -> ReadinessSummary:
    """The readiness summary of ``report``, per region (sorted by code).

    Regions are those the demonstration-city inference rules measured, and
    any region a veto or demonstration-city finding is about. An indicator
    whose rule did not run is ``not_run``; one without a measurement is
    ``no_data``; a veto rule that did not run is ``not_run``.
    """
    vocab = vocabulary()
    stats = {s.rule_id: s.status for s in report.rule_stats}
    params = {(p.rule_id, p.name): p.value for p in report.provenance.parameters}
    own_rules = {s.rule_id for s in vocab.indicators.values()} | {"DEMO-CHECKLIST"}
    veto_ids = {rid for rid, _ in VETO_RULES}

    measured: dict[str, dict[str, DemoIndicator]] = defaultdict(dict)
    names: dict[str, str] = {}
    for fact in report.derived_of_kind(DemoIndicator):
        assert isinstance(fact, DemoIndicator)
        measured[fact.region_code][fact.indicator] = fact
        names.setdefault(fact.region_code, fact.region_name)
    by_region: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        if f.subject.kind == "region" and (f.rule_id in own_rules or f.rule_id in veto_ids):
            by_region[f.subject.id].append(f)
            names.setdefault(f.subject.id, f.subject.name)

    regions = []
    for code in sorted(set(measured) | set(by_region)):
        mine = measured.get(code, {})
        findings = by_region.get(code, [])
        rows = []
        for spec in sorted(vocab.indicators.values(), key=lambda s: s.rule_id):
            hit = next((f for f in findings if f.rule_id == spec.rule_id and _open(f)), None)
            status = stats.get(spec.rule_id)
            measure = MEASURED_BY.get(spec.code, "INFER-DEMO-RECORDED")
            if status == "ran" and stats.get(measure) != "ran":
                status = f"{measure} {stats.get(measure)}"  # measured by a rule that did not run
            rows.append(_indicator_row(spec, mine.get(spec.code), hit, status,
                                       params.get((spec.rule_id, spec.param))))
        checklist_ran = stats.get("DEMO-CHECKLIST") == "ran"
        items = []
        for item in sorted(vocab.checklist.values(), key=lambda i: (i.item, i.code)):
            ind = mine.get(item.code)
            status = ("not_run" if not checklist_ran else "no_data" if ind is None
                      or ind.status is None else ind.status.value)
            items.append(ChecklistRow(code=item.code, item=item.item,
                                      section=item.group.section, title=item.title,
                                      status=status,
                                      evidence_ref="" if ind is None else ind.evidence_ref,
                                      lead=item.lead, responsible=item.responsible))
        vetoes = tuple(_veto_row(rid, title, stats.get(rid),
                                 [f for f in findings if f.rule_id == rid])
                       for rid, title in VETO_RULES)
        start, end = _common_period(list(mine.values()))
        regions.append(RegionReadiness(
            region_code=code, region_name=names.get(code, "") or code,
            period_start=start, period_end=end, indicators=tuple(rows),
            checklist=tuple(items), vetoes=vetoes,
            departments=_departments(f for f in findings if _open(f)),
        ))
    return ReadinessSummary(as_of=report.provenance.as_of, profile=report.provenance.profile,
                            regions=tuple(regions))


# --------------------------------------------------------------------------- output formats


def write_summary_json(report: Report, stream: IO[bytes], lang: str = "zh") -> None:
    """The readiness summary as canonical JSON (both languages, keys sorted).

    When the territorial ruleset ran, ``red_black`` holds each county's 红黑榜.
    """
    del lang
    boards = red_black(report)
    if not boards:
        stream.write(readiness(report).to_json().encode("utf-8"))
        return
    doc = readiness(report).to_dict()
    doc["red_black"] = [b.as_dict() for b in boards]
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    stream.write(text.encode("utf-8"))


_STYLE = {"pass": "green", "fail": "bold red", "no_data": "yellow", "not_applicable": "dim",
          "not_run": "dim", "done": "green", "partly": "yellow", "not_done": "bold red",
          "fired": "bold white on red", "passed": "green"}


def _num(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.4f}".rstrip("0").rstrip(".")


def _with_unit(value: float | int | None, unit: Text, lang: str) -> str:
    if value is None:
        return "—"
    text = _num(value)
    u = unit.zh if lang == "zh" else unit.en
    return f"{text}%" if u == "%" else f"{text} {u}"


def _label(status: str, lang: str) -> str:
    label = _LABELS.get(status, Text(status, status))
    return label.zh if lang == "zh" else label.en


def render_text(summary: ReadinessSummary, lang: str = "zh", *, width: int | None = 140,
                colour: bool = False) -> str:
    """The summary as terminal text (rich tables); ``colour`` adds ANSI styles."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text as RichText

    zh = lang == "zh"
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=colour, no_color=not colour,
                      color_system="standard" if colour else None, width=width,
                      highlight=False, emoji=False, markup=False, legacy_windows=False,
                      _environ={})

    def styled(status: str) -> RichText:
        return RichText(_label(status, lang), style=_STYLE.get(status, "") if colour else "")

    if not summary.regions:
        console.print(RichText("没有示范城市指标数据：请用 --ruleset demo-city 运行。" if zh else
                               "No demonstration-city data: run with --ruleset demo-city."))
    for region in summary.regions:
        period = ("—" if region.period_start is None else
                  f"{region.period_start} 至 {region.period_end}" if zh else
                  f"{region.period_start} to {region.period_end}")
        head = (f"{region.region_name}（{region.region_code}）示范城市创建准备情况  {period}  "
                f"（评价日 {summary.as_of}，配置 {summary.profile}）" if zh else
                f"{region.region_name} ({region.region_code}) demonstration-city readiness  "
                f"{period}  (as of {summary.as_of}, profile {summary.profile})")
        console.print(RichText(head, style="bold" if colour else ""))
        c = region.counts()
        k = region.checklist_counts()
        console.print(
            f"指标：达标 {c['pass']}，未达标 {c['fail']}，无数据 {c['no_data']}，不适用 "
            f"{c['not_applicable']}，未运行 {c['not_run']}；定性任务：已完成 {k['done']}，部分完成 "
            f"{k['partly']}，未完成 {k['not_done']}，未记录 {k['no_data']}" if zh else
            f"indicators: {c['pass']} pass, {c['fail']} fail, {c['no_data']} no data, "
            f"{c['not_applicable']} n/a, {c['not_run']} not run; checklist: {k['done']} done, "
            f"{k['partly']} partly, {k['not_done']} not done, {k['no_data']} not recorded")

        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for head_zh, head_en, opts in (("项", "Item", {"no_wrap": True}),
                                       ("规则", "Rule", {"no_wrap": True}),
                                       ("指标", "Indicator", {"overflow": "fold", "ratio": 3}),
                                       ("数值", "Value", {"justify": "right", "max_width": 18,
                                                         "overflow": "fold"}),
                                       ("要求", "Required", {"max_width": 18,
                                                            "overflow": "fold"}),
                                       ("结果", "Result", {"no_wrap": True}),
                                       ("差距", "Gap", {"overflow": "fold", "ratio": 2})):
            table.add_column(head_zh if zh else head_en, **opts)
        for row in region.indicators:
            op = "≥" if row.comparison == ">=" else "≤"
            required = ("—" if row.threshold is None else
                        f"{op} {_with_unit(row.threshold, row.unit, lang)}")
            if row.code == "emergency_drill" and row.threshold is not None:
                required = f"近 {row.threshold} 年" if zh else f"within {row.threshold} yr"
            gap = "" if row.gap_text is None else (row.gap_text.zh if zh else row.gap_text.en)
            if not gap and row.note is not None:
                gap = row.note.zh if zh else row.note.en
            table.add_row(str(row.item), row.rule_id, row.title.zh if zh else row.title.en,
                          _with_unit(row.value, row.unit, lang), required, styled(row.status),
                          gap)
        console.print(table)

        vetoes = Table(box=box.SIMPLE_HEAD, show_edge=False,
                       title="否决项" if zh else "Veto items", title_justify="left")
        vetoes.add_column("规则" if zh else "Rule", no_wrap=True)
        vetoes.add_column("否决项" if zh else "Veto item", overflow="fold")
        vetoes.add_column("状态" if zh else "Status", no_wrap=True)
        for v in region.vetoes:
            vetoes.add_row(v.rule_id, v.title.zh if zh else v.title.en, styled(v.status))
        console.print(vetoes)

        open_items = [r for r in region.checklist if r.status in ("partly", "not_done")]
        if open_items:
            tasks = Table(box=box.SIMPLE_HEAD, show_edge=False,
                          title="未完成的定性任务" if zh else "Qualitative tasks not done",
                          title_justify="left")
            tasks.add_column("项" if zh else "Item", no_wrap=True)
            tasks.add_column("任务" if zh else "Task", overflow="fold", ratio=3)
            tasks.add_column("状态" if zh else "Status", no_wrap=True)
            tasks.add_column("牵头单位" if zh else "Lead", overflow="fold", ratio=1)
            tasks.add_column("佐证" if zh else "Evidence", overflow="fold", ratio=2)
            for r in open_items:
                tasks.add_row(str(r.item), r.title.zh if zh else r.title.en, styled(r.status),
                              "、".join(r.lead or r.responsible), r.evidence_ref or "—")
            console.print(tasks)

        if region.departments:
            depts = Table(box=box.SIMPLE_HEAD, show_edge=False,
                          title="有待办事项的单位" if zh else "Departments with open items",
                          title_justify="left")
            depts.add_column("单位" if zh else "Department", overflow="fold")
            depts.add_column("牵头" if zh else "Lead", justify="right")
            depts.add_column("责任" if zh else "Responsible", justify="right")
            depts.add_column("规则" if zh else "Rules", overflow="fold", ratio=2)
            for d in region.departments:
                depts.add_row(d.name, str(d.lead), str(d.responsible), ", ".join(d.rules))
            console.print(depts)
        console.print()
    text = buffer.getvalue()
    return text if colour else "".join(line.rstrip() + "\n" for line in text.splitlines())


def _isatty(stream: IO[Any]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def write_summary(report: Report, stream: IO[bytes], lang: str = "zh") -> None:
    """The readiness summary as terminal tables.

    Colour and the terminal's own width only when ``stream`` is a terminal
    (and ``NO_COLOR`` is unset); otherwise plain text 140 columns wide, so
    files and pipes are reproducible.
    """
    import os
    import shutil

    tty = _isatty(stream) and "NO_COLOR" not in os.environ
    width = shutil.get_terminal_size((140, 40)).columns if tty else 140
    stream.write(render_text(readiness(report), lang, width=width, colour=tty).encode("utf-8"))
    ranking = render_red_black(red_black(report), lang)  # the territorial ruleset's 红黑榜
    if ranking:
        stream.write(("\n" + ranking).encode("utf-8"))
