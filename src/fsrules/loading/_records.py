"""One record to one fact: convert, check, construct, or say exactly why not.

Two paths give the same result. :meth:`RecordBuilder.table_row` makes, once
per file, a function that turns a clean row into a fact with per-column
converters decided from the header (each remembering its conversions of
repeated values) and cached identifier checks; it gives up on the first
problem of any kind. :meth:`RecordBuilder.build` is the general path: it
converts every cell, collects every problem and reports each one with its
file, row, field, value and fix. A row the fast path gives up on goes to
:meth:`build`, so the diagnostics are those of the general path and nothing
is validated twice on a clean row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from fsrules._diagnostics import Diagnostic, DiagnosticLevel
from fsrules._i18n import Text
from fsrules.exceptions import IdentifierError
from fsrules.loading._checks import DIVISION_FORMAT_PROBLEM, IdentifierChecks
from fsrules.loading._dates import ValueProblem
from fsrules.loading._fastrow import NUMBERED_LICENCES, Column, RowFunction, fast_row
from fsrules.loading._state import LoadState
from fsrules.loading._text import raw_text, safe_message, split_bilingual, split_pair
from fsrules.loading._values import FieldPlan, KindPlan
from fsrules.model import Fact

__all__ = ["Column", "RecordBuilder"]

#: A problem with a record: the field it concerns (None: the whole record),
#: the diagnostic code, message and hint.
_Problem = tuple[str | None, str, Text, Text]

_ERROR = DiagnosticLevel.ERROR
_WARNING = DiagnosticLevel.WARNING
_MISSING = object()
_MEMO_LIMIT = 65_536


def _unexpected(exc: BaseException) -> ValueProblem:
    """A converter failure that is not a ValueProblem, as one (never a crash)."""
    detail = type(exc).__name__
    return ValueProblem(
        "input.invalid",
        Text(f"无法转换此值（{detail}）", f"the value cannot be converted ({detail})"),
        Text("请按 docs/input-formats.md 的说明更正此值",
             "correct the value (see docs/input-formats.md)"),
    )


def _convert(fp: FieldPlan, value: object) -> object:
    try:
        return fp.convert(value)
    except ValueProblem:
        raise
    except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:
        raise _unexpected(exc) from None


class RecordBuilder:
    """Builds facts into a :class:`LoadState`, with cached identifier checks."""

    def __init__(self, state: LoadState, checks: IdentifierChecks,
                 as_of: dt.date | None) -> None:
        self.state = state
        self.checks = checks
        self.as_of = as_of

    # -- the fast path -------------------------------------------------------------

    def table_row(self, plan: KindPlan, columns: Sequence[Column],
                  shown: str) -> RowFunction:
        """The fast path for the rows of one file (see :mod:`._fastrow`): True when the
        row became a fact, recorded; False to take :meth:`build`."""
        state = self.state
        return fast_row(plan, columns, self.checks, state.normalize, self.as_of,
                        ids=state.seen.setdefault(plan.kind, set()), state=state,
                        file_index=state.file_index(shown))

    # -- the general path ------------------------------------------------------------

    def build(
        self,
        plan: KindPlan,
        items: Sequence[tuple[FieldPlan, str, object]],
        shown: str,
        row: int,
        *,
        keyed: bool,
    ) -> bool:
        """Convert, check and construct one record; True when it became a fact."""
        state = self.state
        normalize = state.normalize
        values: dict[str, Any] = {}
        problems: list[_Problem] = []
        for fp, _label, raw in items:
            name = fp.name
            if raw is None:
                pass
            elif isinstance(raw, str):
                memo = fp.memo
                if memo is not None:
                    value = memo.get(raw, _MISSING)
                    if value is not _MISSING:
                        values[name] = value
                        continue
                text = normalize(raw)
                if text:
                    if fp.is_text:
                        values[name] = text
                        continue
                    try:
                        value = values[name] = _convert(fp, raw if fp.raw_text else text)
                    except ValueProblem as problem:
                        problems.append((name, problem.code, problem.message, problem.hint))
                    else:
                        if memo is not None and len(memo) < _MEMO_LIMIT:
                            memo[raw] = value
                    continue
            else:
                try:
                    values[name] = _convert(fp, raw)
                except ValueProblem as problem:
                    problems.append((name, problem.code, problem.message, problem.hint))
                continue
            # The cell is empty.
            if fp.required:
                if fp.nullable:
                    values[name] = None
                else:
                    problems.append(_required(fp, present=True))
        if keyed and len(items) < len(plan.fields):
            present = {fp.name for fp, _, _ in items}
            for fp in plan.required:
                if fp.name not in present:
                    problems.append(_required(fp, present=False))

        notes: list[Diagnostic] = []
        if plan.checked:
            self._check_identifiers(plan, values, problems, notes, shown, row, items)

        rid: str | None = values.get("id") if isinstance(values.get("id"), str) else None
        fact: Fact | None = None
        if not problems:
            try:
                fact = plan.cls(**values)
            except Exception as exc:  # validators and __attrs_post_init__ of plugin kinds
                self._validator_problems(plan, values, problems, exc)
        else:
            self._validator_problems(plan, values, problems, None)

        if fact is not None and state.record(fact, state.file_index(shown), row):
            if notes:
                state.diagnostics.extend(notes)
            return True
        labels = {fp.name: label for fp, label, _ in items}
        raws = {fp.name: raw for fp, _, raw in items}
        if fact is not None:
            where, first_row = state.first_place(plan.kind, fact.id)
            where_zh = where + (f" 第 {first_row} 行" if first_row is not None else "")
            where_en = where + (f" row {first_row}" if first_row is not None else "")
            state.report(
                _ERROR, "input.duplicate_id",
                Text(f"编号重复：{plan.kind} 编号 {fact.id} 已见于 {where_zh}，本条未导入",
                     f"duplicate id: {plan.kind} {fact.id} already appears at {where_en}; "
                     f"this record was not loaded"),
                Text("同一种类的记录编号须唯一；请删除重复的记录或更正编号",
                     "ids must be unique within a kind; delete the repeated record or correct "
                     "its id"),
                file=shown, row=row, field=labels.get("id", "id"), value=raws.get("id", fact.id),
                kind=plan.kind, record_id=fact.id)
            state.diagnostics.extend(notes)
            return False

        for where_field, code, message, hint in problems:
            state.report(_ERROR, code, message, hint, file=shown, row=row,
                         field=None if where_field is None else labels.get(where_field,
                                                                           where_field),
                         value=None if where_field is None else raws.get(where_field),
                         kind=plan.kind, record_id=rid)
        state.diagnostics.extend(notes)
        return False

    def _validator_problems(
        self,
        plan: KindPlan,
        values: Mapping[str, object],
        problems: list[_Problem],
        exc: Exception | None,
    ) -> None:
        """Run each field's attrs validator alone, to say which fields are invalid."""
        flagged = {p[0] for p in problems}
        before = len(problems)
        for fp in plan.validated:
            if fp.name in flagged or fp.name not in values:
                continue
            try:
                fp.attribute.validator(None, fp.attribute, values[fp.name])
            except (ValueError, TypeError) as error:
                problems.append(_validator_problem(fp, error))
            except Exception:
                pass
        if exc is not None and len(problems) == before:
            detail = raw_text(_exception_text(exc))
            problems.append((
                None,
                "input.invalid",
                Text(f"记录不符合要求：{detail}", f"invalid record: {detail}"),
                Text("请按 docs/input-formats.md 的说明更正此记录",
                     "correct the record (see docs/input-formats.md)"),
            ))

    def _check_identifiers(
        self,
        plan: KindPlan,
        values: dict[str, Any],
        problems: list[_Problem],
        notes: list[Diagnostic],
        shown: str,
        row: int,
        items: Sequence[tuple[FieldPlan, str, object]],
    ) -> None:
        for fp in plan.checked:
            value = values.get(fp.name)
            if not isinstance(value, str):
                continue
            if fp.check == "uscc":
                result = self.checks.uscc(value)
                if isinstance(result, IdentifierError):
                    message, hint = split_bilingual(result)
                    problems.append((fp.name, "input.uscc", message, hint))
                    continue
                values[fp.name] = result.value
                for text in result.warning_messages:
                    label, raw = next((lb, r) for f, lb, r in items if f is fp)
                    record_id = values.get("id")
                    notes.append(Diagnostic(
                        level=_WARNING, code="input.uscc", message=safe_message(split_pair(text)),
                        hint=Text("请在国家企业信用信息公示系统核实此代码",
                                  "confirm the code on the National Enterprise Credit "
                                  "Information Publicity System"),
                        file=shown, row=row, field=raw_text(label), value=raw_text(raw),
                        kind=plan.kind,
                        record_id=record_id if isinstance(record_id, str) else None,
                    ))
            elif fp.check == "division":
                problem = self.checks.division(value, self._record_date(plan, values))
                if problem is not None and problem[2]:
                    label, raw = next((lb, r) for f, lb, r in items if f is fp)
                    record_id = values.get("id")
                    notes.append(Diagnostic(
                        level=_WARNING, code="input.division", message=safe_message(problem[0]),
                        hint=safe_message(problem[1]), file=shown, row=row, field=raw_text(label),
                        value=raw_text(raw), kind=plan.kind,
                        record_id=record_id if isinstance(record_id, str) else None,
                    ))
                elif problem is not None:
                    problems.append((fp.name, "input.division", problem[0], problem[1]))
            elif fp.check == "licence":
                if values.get(plan.licence_kind_field or "") not in NUMBERED_LICENCES:
                    continue
                parsed = self.checks.licence(value)
                if isinstance(parsed, IdentifierError):
                    message, hint = split_bilingual(parsed)
                    problems.append((fp.name, "input.licence", message, hint))
                    continue
                values[fp.name] = parsed.value

    def _record_date(self, plan: KindPlan, values: Mapping[str, object]) -> dt.date | None:
        if plan.date_field is not None:
            value = values.get(plan.date_field)
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
        return self.as_of


def _exception_text(exc: Exception) -> str:
    try:
        return str(exc)
    except Exception:
        return type(exc).__name__


def _required(fp: FieldPlan, *, present: bool) -> _Problem:
    first = fp.zh[0] if fp.zh else fp.name
    message = (Text("必填项为空", "a required value is empty") if present
               else Text(f"缺少必填字段 {fp.name}（{first}）",
                         f"the required field {fp.name} ({first}) is missing"))
    return (fp.name, "input.required", message,
            Text(f"请填写「{first}」（{fp.name}）", f"fill in {fp.name} ({first})"))


def _validator_problem(fp: FieldPlan, error: Exception) -> _Problem:
    text = raw_text(_exception_text(error)) or ""
    if "negative" in text:
        return (fp.name, "input.number", Text("不能为负数", "must not be negative"),
                Text("请填写 0 或正数", "write 0 or a positive number"))
    if "must not be empty" in text:
        return _required(fp, present=True)
    if fp.check == "division":
        return (fp.name, "input.division", *DIVISION_FORMAT_PROBLEM)
    return (fp.name, "input.invalid", Text(f"取值不符合要求：{text}", f"invalid value: {text}"),
            Text("请按 docs/input-formats.md 的说明更正此值",
                 "correct the value (see docs/input-formats.md)"))
