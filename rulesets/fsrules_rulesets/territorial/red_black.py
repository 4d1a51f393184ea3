"""The 红黑榜: a quarterly ranking of a county's townships from their open findings.

Seed 002 (V): the county scores its townships every quarter on a red/black
list under its "three bottom lines" measure. The seeds do not give the
scoring method (?), so every weight is a parameter of the derivation
INFER-TERR-001 with no default; the demo profile sets illustrative ones.

How it works (docs/territorial.md):

1. INFER-TERR-001 derives one :class:`~.facts.TownshipRoster` per township:
   its operators (by their 乡镇) and the method in force on ``as_of`` — severity
   weights, the extra weight of an overdue rectification and of a missed
   cadence, and how many townships each list names.
2. After the run, :func:`red_black` attributes every counted finding of every
   ruleset to a township: findings about the township itself, about an
   operator located in it, or naming it in their ``township_id`` evidence.
   Waived findings (a lifecycle waiver) do not count.
3. A township's score is the sum of its findings' severity weights, plus
   ``overdue_weight`` for each finding of an ``overdue_rules`` rule and
   ``cadence_weight`` for each of a ``cadence_rules`` rule. Lower is better.
   Townships are ranked by score (then by id); the ``list_size`` best with the
   lowest scores are the red list (红榜), the ``list_size`` worst the black list
   (黑榜); a county with fewer than twice that many townships splits them.

The quarter is the calendar quarter of ``as_of``: the ranking reads the
findings as of that day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from fsrules import Finding, Param, Report, RuleContext, Text, derivation
from fsrules.model import Region, Severity

from ._common import Townships, quarter_of
from .basis import COUNTY_REVIEW, LEADERS_RESPONSIBILITY, plan_item
from .facts import Township, TownshipRoster

__all__ = [
    "RankedTownship",
    "RedBlackBoard",
    "red_black",
    "render_red_black",
    "township_roster",
]


@derivation(
    id="INFER-TERR-001", version="1.0",
    title=("红黑榜乡镇名册与评分方法", "Red/black list: township roster and scoring method"),
    reads=[Township, "operator", "region"],
    produces=[TownshipRoster],
    legal_basis=[COUNTY_REVIEW, LEADERS_RESPONSIBILITY, plan_item(1)],
    parameters=[
        Param(name="severity_weights", type="table", confidence="?",
              description=Text("每条未销号问题按严重程度计分（critical/high/medium/low/info → 分值）",
                               "points per open finding by severity (critical/high/medium/"
                               "low/info → points)")),
        Param(name="overdue_weight", type="float", minimum=0, confidence="?",
              description=Text("逾期未整改问题另加的分值", "extra points per overdue "
                               "rectification")),
        Param(name="cadence_weight", type="float", minimum=0, confidence="?",
              description=Text("未按频次开展督查调度另加的分值", "extra points per missed "
                               "cadence period")),
        Param(name="overdue_rules", type="list", confidence="V",
              description=Text("计为逾期整改的规则", "rules whose findings are overdue "
                               "rectifications")),
        Param(name="cadence_rules", type="list", confidence="V",
              description=Text("计为未按频次开展的规则", "rules whose findings are missed "
                               "cadence periods")),
        Param(name="list_size", type="int", minimum=1, confidence="?",
              description=Text("红榜、黑榜各列多少个乡镇", "townships named on each list")),
    ],
    description=("每个乡镇一条派生记录：所属经营主体和评价日适用的红黑榜计分方法；排名在运行后由"
                 "全部规则集的问题计算（--format summary 显示）。",
                 "One derived record per township: its operators and the scoring method in "
                 "force on the evaluation date; the ranking is computed after the run from "
                 "the findings of every ruleset (shown by --format summary)."),
)
def township_roster(ctx: RuleContext) -> Iterator[TownshipRoster]:
    """One roster per township, carrying the 红黑榜 method in force on ``as_of``."""
    weights: Mapping[str, Any] = ctx.param("severity_weights")
    known = {s.value for s in Severity}
    unknown = sorted(set(weights) - known)
    if unknown:
        raise ValueError(f"severity_weights: unknown severities {unknown}; use "
                         f"{', '.join(sorted(known))}")
    severity_weights = tuple(sorted((k, float(v)) for k, v in weights.items()))
    overdue = float(ctx.param("overdue_weight"))
    cadence = float(ctx.param("cadence_weight"))
    overdue_rules = tuple(ctx.param("overdue_rules"))
    cadence_rules = tuple(ctx.param("cadence_rules"))
    size = int(ctx.param("list_size"))
    quarter = quarter_of(ctx.as_of)
    label = f"{quarter.start.year}Q{(quarter.start.month - 1) // 3 + 1}"
    towns = Townships(ctx.facts)
    names = {r.code: r.name for r in ctx.facts.of_kind(Region)}
    for town in towns.all:
        yield TownshipRoster(
            id=town.id, township_id=town.id, name=town.name, county_code=town.county_code,
            county_name=names.get(town.county_code, town.county_code),
            quarter=label, quarter_start=quarter.start, quarter_end=quarter.end,
            operator_ids=tuple(op.id for op in towns.operators(town)),
            severity_weights=severity_weights, overdue_weight=overdue,
            cadence_weight=cadence, overdue_rules=overdue_rules,
            cadence_rules=cadence_rules, list_size=size)


# --------------------------------------------------------------------------- the ranking


@attrs.frozen(kw_only=True)
class RankedTownship:
    """One township's place on the 红黑榜."""

    rank: int
    township_id: str
    name: str
    score: float
    findings: int
    by_severity: Mapping[str, int]
    overdue: int
    cadence: int
    board: str
    """``red``, ``black`` or ``""`` (neither list)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"rank": self.rank, "township_id": self.township_id, "name": self.name,
                "score": self.score, "findings": self.findings,
                "by_severity": dict(sorted(self.by_severity.items())),
                "overdue": self.overdue, "cadence": self.cadence, "board": self.board}


@attrs.frozen(kw_only=True)
class RedBlackBoard:
    """A county's quarterly 红黑榜."""

    county_code: str
    county_name: str
    quarter: str
    townships: tuple[RankedTownship, ...]
    unattributed: int
    """Counted findings no township could be named for (county-level and the like)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"county_code": self.county_code, "county_name": self.county_name,
                "quarter": self.quarter,
                "townships": [t.as_dict() for t in self.townships],
                "unattributed": self.unattributed}

    @property
    def red(self) -> tuple[RankedTownship, ...]:
        """The red list (best first)."""
        return tuple(t for t in self.townships if t.board == "red")

    @property
    def black(self) -> tuple[RankedTownship, ...]:
        """The black list (worst last)."""
        return tuple(t for t in self.townships if t.board == "black")


def _township_of(finding: Finding, by_operator: Mapping[str, str], towns: set[str]
                 ) -> str | None:
    subject = finding.subject
    if subject.kind == "township" and subject.id in towns:
        return subject.id
    if subject.kind == "operator":
        return by_operator.get(subject.id)
    named = finding.evidence.get("township_id")
    return named if isinstance(named, str) and named in towns else None


def red_black(report: Report) -> list[RedBlackBoard]:
    """The 红黑榜 of every county in ``report`` (none when INFER-TERR-001 did not run)."""
    rosters = sorted(report.derived_of_kind(TownshipRoster), key=lambda r: r.id)
    rosters_t: list[TownshipRoster] = [r for r in rosters if isinstance(r, TownshipRoster)]
    if not rosters_t:
        return []
    by_operator = {op: r.township_id for r in rosters_t for op in r.operator_ids}
    towns = {r.township_id for r in rosters_t}
    mine: dict[str, list[Finding]] = defaultdict(list)
    unattributed: Counter[str] = Counter()
    county_of = {r.township_id: r.county_code for r in rosters_t}
    for f in report.counted():
        town = _township_of(f, by_operator, towns)
        if town is None:
            unattributed[f.subject.region_code or ""] += 1
        else:
            mine[town].append(f)
    boards = []
    for county in sorted({r.county_code for r in rosters_t}):
        group = [r for r in rosters_t if r.county_code == county]
        rows = [_score(r, mine.get(r.township_id, [])) for r in group]
        rows.sort(key=lambda row: (row[0], row[1].township_id))
        size = group[0].list_size
        n = len(rows)
        red_n = min(size, n // 2)
        black_n = min(size, n - red_n)
        ranked = []
        for i, (score, r, counts, overdue, cadence, total) in enumerate(rows):
            board = "red" if i < red_n else "black" if i >= n - black_n else ""
            ranked.append(RankedTownship(
                rank=i + 1, township_id=r.township_id, name=r.name, score=score,
                findings=total, by_severity=counts, overdue=overdue, cadence=cadence,
                board=board))
        boards.append(RedBlackBoard(
            county_code=county, county_name=group[0].county_name, quarter=group[0].quarter,
            townships=tuple(ranked),
            unattributed=sum(v for k, v in unattributed.items()
                             if k == county or k == "" or county_of.get(k) == county)))
    return boards


def _score(roster: TownshipRoster, findings: Sequence[Finding]
           ) -> tuple[float, TownshipRoster, dict[str, int], int, int, int]:
    weights = dict(roster.severity_weights)
    counts = Counter(f.severity.value for f in findings)
    overdue = sum(1 for f in findings if f.rule_id in roster.overdue_rules)
    cadence = sum(1 for f in findings if f.rule_id in roster.cadence_rules)
    score = sum(weights.get(sev, 0.0) * n for sev, n in counts.items())
    score += roster.overdue_weight * overdue + roster.cadence_weight * cadence
    return (round(score, 4), roster, dict(sorted(counts.items())), overdue, cadence,
            len(findings))


_T = {
    "title": Text("食品安全红黑榜（{quarter}，{county}）", "Food-safety red/black list ({quarter}, "
                                                        "{county})"),
    "header": Text("名次  乡镇            得分    问题  逾期整改  未按频次  榜单",
                   "rank  township        score   open  overdue   cadence   list"),
    "red": Text("红榜", "RED"),
    "black": Text("黑榜", "BLACK"),
    "unattributed": Text("另有 {n} 条问题不属于任何乡镇（县级或未标明乡镇）。",
                         "{n} more findings belong to no township (county-level or "
                         "unplaced)."),
}


def _pad(text: str, width: int) -> str:
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(0, width - shown)


def render_red_black(boards: Sequence[RedBlackBoard], lang: str = "zh") -> str:
    """The 红黑榜 as plain text (empty when there is none)."""
    lines: list[str] = []
    for board in boards:
        lines.append(_T["title"].format(quarter=board.quarter, county=board.county_name)
                     .get("en" if lang == "en" else "zh"))
        lines.append(_T["header"].get("en" if lang == "en" else "zh"))
        for t in board.townships:
            mark = _T[t.board].get("en" if lang == "en" else "zh") if t.board else ""
            score = f"{t.score:g}"
            lines.append(f"{t.rank:>4}  {_pad(t.name, 16)}{score:>6}  {t.findings:>4}  "
                         f"{t.overdue:>8}  {t.cadence:>8}   {mark}".rstrip())
        if board.unattributed:
            lines.append(_T["unattributed"].format(n=board.unattributed)
                         .get("en" if lang == "en" else "zh"))
        lines.append("")
    return "\n".join(lines)
