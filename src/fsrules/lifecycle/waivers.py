"""Waivers (豁免/暂缓): a documented decision not to act on a finding, until a date.

A waiver file is TOML with one ``[[waiver]]`` table per decision::

    [[waiver]]
    id = "W-2024-001"                 # optional; default W-<position>
    fingerprint = "0f3c…"             # or: rule = "RISK-001" and subject = "<subject id>"
    reason = "停业装修，复业前重新检查"
    authority = "威县市场监督管理局"    # 审批单位
    document = "威市监〔2024〕12号"     # 文号
    granted = 2024-01-05
    expires = 2024-06-30

A waiver holds from ``granted`` to ``expires`` inclusive, judged against the
run's ``as_of`` (never the clock). A waived finding stays in every output,
marked, and does not count toward the exit code; once expired it counts again
and says so. A waiver that matches no finding is a warning. A critical finding
(否决, the veto items) is never waived unless the caller passes
``waive_veto=True`` (``--waive-veto``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from fsrules._findings import Finding
from fsrules._i18n import Text
from fsrules._marks import WaiverMark
from fsrules.exceptions import InputError
from fsrules.model import Severity

__all__ = ["Waiver", "load_waivers", "match_waivers", "parse_waivers"]

_REQUIRED = ("reason", "authority", "document", "granted", "expires")


@attrs.frozen(kw_only=True)
class Waiver:
    """One waiver entry: what it matches, why, who approved it, and until when."""

    id: str
    reason: str
    authority: str
    document: str
    granted: dt.date
    expires: dt.date
    fingerprint: str | None = None
    rule: str | None = None
    subject: str | None = None

    def matches(self, finding: Finding) -> bool:
        """True when the waiver names this finding (by fingerprint, or by rule and subject)."""
        if self.fingerprint is not None:
            return finding.fingerprint == self.fingerprint
        return finding.rule_id == self.rule and finding.subject.id == self.subject

    def mark(self, finding: Finding, as_of: dt.date, waive_veto: bool) -> WaiverMark:
        """The mark this waiver puts on ``finding`` on ``as_of``."""
        common: dict[str, Any] = {
            "id": self.id, "reason": self.reason, "authority": self.authority,
            "document": self.document, "granted": self.granted, "expires": self.expires}
        if finding.severity is Severity.CRITICAL and not waive_veto:
            return WaiverMark(state="veto_refused", note=Text(
                f"否决项问题不予豁免（豁免 {self.id}）；确需豁免请加 --waive-veto",
                f"a critical (veto) finding is not waived (waiver {self.id}); pass --waive-veto "
                "to waive it"), **common)
        if as_of > self.expires:
            return WaiverMark(state="expired", note=Text(
                f"豁免 {self.id}（{self.document}）已于 {self.expires} 到期，本问题重新计入",
                f"waiver {self.id} ({self.document}) expired on {self.expires}; the finding "
                "counts again"), **common)
        if as_of < self.granted:
            return WaiverMark(state="not_yet", note=Text(
                f"豁免 {self.id} 自 {self.granted} 起生效，评价日尚未生效",
                f"waiver {self.id} takes effect on {self.granted}, after the evaluation date"),
                **common)
        return WaiverMark(state="active", note=Text(
            f"已豁免至 {self.expires}（{self.authority}，{self.document}）：{self.reason}",
            f"waived until {self.expires} ({self.authority}, {self.document}): {self.reason}"),
            **common)


def _date(value: Any, where: str, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where}: {key} = {value!r} is not a date (write 2024-06-30)",
                         field=key, value=value) from None


def parse_waivers(data: Mapping[str, Any], *, source: str = "waivers") -> tuple[Waiver, ...]:
    """Waivers from the parsed TOML (``{"waiver": [...]}``); InputError names what is wrong."""
    entries = data.get("waiver", [])
    if not isinstance(entries, list):
        raise InputError(f"{source}: write each waiver as a [[waiver]] table", file=source)
    waivers = []
    for index, entry in enumerate(entries, start=1):
        where = f"{source}: waiver {index}"
        if not isinstance(entry, dict):
            raise InputError(f"{where}: not a table", file=source)
        missing = [k for k in _REQUIRED if not str(entry.get(k, "")).strip()]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)} (every waiver records the "
                             "reason, approving authority 审批单位, document number 文号, grant "
                             "and expiry dates)", file=source)
        fingerprint = entry.get("fingerprint")
        if fingerprint is None and not (entry.get("rule") and entry.get("subject")):
            raise InputError(f"{where}: give fingerprint, or rule and subject", file=source)
        granted = _date(entry["granted"], where, "granted")
        expires = _date(entry["expires"], where, "expires")
        if expires < granted:
            raise InputError(f"{where}: expires ({expires}) is before granted ({granted})",
                             file=source)
        waivers.append(Waiver(
            id=str(entry.get("id") or f"W-{index}"), reason=str(entry["reason"]),
            authority=str(entry["authority"]), document=str(entry["document"]),
            granted=granted, expires=expires,
            fingerprint=None if fingerprint is None else str(fingerprint),
            rule=None if entry.get("rule") is None else str(entry["rule"]),
            subject=None if entry.get("subject") is None else str(entry["subject"])))
    return tuple(waivers)


def load_waivers(path: str | Path) -> tuple[Waiver, ...]:
    """Read a waiver file (TOML)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}", file=str(path)) from exc
    return parse_waivers(data, source=str(path))


def match_waivers(findings: Sequence[Finding], waivers: Sequence[Waiver], as_of: dt.date, *,
                  waive_veto: bool = False) -> tuple[dict[str, WaiverMark], tuple[Text, ...]]:
    """The waiver mark of each matched finding (first matching waiver wins) and the warnings."""
    marks: dict[str, WaiverMark] = {}
    warnings: list[Text] = []
    for waiver in waivers:
        matched = [f for f in findings if waiver.matches(f)]
        if not matched:
            target = waiver.fingerprint or f"{waiver.rule} / {waiver.subject}"
            warnings.append(Text(f"豁免 {waiver.id}（{waiver.document}）没有匹配任何问题：{target}",
                                 f"waiver {waiver.id} ({waiver.document}) matches no finding: "
                                 f"{target}"))
        for finding in matched:
            if finding.fingerprint in marks:
                continue
            mark = waiver.mark(finding, as_of, waive_veto)
            marks[finding.fingerprint] = mark
            if mark.state in ("expired", "veto_refused"):
                warnings.append(mark.note)
    return marks, tuple(warnings)
