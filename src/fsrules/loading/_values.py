"""Column plans: how each column of a fact kind is recognised and converted.

A :class:`KindPlan` is computed once per fact kind and load (never per row):
it resolves the attrs field types, picks a converter for each field, and
indexes every accepted header (the field name and the Chinese aliases in
the field's ``metadata["zh"]``, NFKC-normalised and case-folded).

Converters take a cell that is not empty: either text already passed
through ``normalize_text`` or a non-text value (a number or datetime from
openpyxl, a JSON number, list or boolean, a Python object from
``load_records``). They return the field value or raise
:class:`~fsrules.loading._dates.ValueProblem`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from fsrules._i18n import Text
from fsrules.loading._dates import ValueProblem, parse_date, parse_datetime
from fsrules.model import BUILTIN_FACT_KINDS, Fact, LabelledEnum

__all__ = [
    "DIVISION_FIELDS",
    "LIST_SEPARATORS",
    "Convert",
    "FieldPlan",
    "KindPlan",
    "build_plan",
    "header_aliases_markdown",
    "header_key",
]

Convert = Callable[[object], object]
Normalize = Callable[[str], str]

#: Fields holding a GB/T 2260 division code, validated against the dated history.
DIVISION_FIELDS = frozenset({"region_code", "code", "parent_code"})

# Separators of list cells: the model's converter splits on the same set, so a
# value that survives a CSV round trip means the same in both places.
LIST_SEPARATORS = re.compile(r"[;；、,，|\n]")
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?")

_TRUE = frozenset({"是", "有", "y", "yes", "true", "t", "1", "✓", "✔", "√", "对", "on"})
_FALSE = frozenset({"否", "无", "n", "no", "false", "f", "0", "✗", "✘", "×", "错", "off", "没有"})

_NUMBER_HINT = Text(
    "请填写数字，如 12 或 12.5（可带千位分隔符 1,234；百分数 98.5% 按 98.5 读取）",
    "write a number such as 12 or 12.5 (1,234 is accepted; 98.5% is read as 98.5)",
)
_INT_HINT = Text("请填写整数，如 12", "write a whole number such as 12")
_BOOL_HINT = Text(
    "请填写 是 或 否（也可用 有/无、Y/N、1/0、✓）", "write 是 or 否 (or Y/N, 1/0, true/false, ✓)"
)
_TEXT_HINT = Text("请填写文本", "write plain text")


def header_key(text: str, normalize: Normalize) -> str:
    """The lookup key of a column header: NFKC, stripped, case-folded, ``*`` marks dropped.

    Spaces and hyphens become underscores, so ``Region Code`` finds ``region_code``.
    """
    key = normalize(text).strip("*").strip().casefold()
    return "_".join(key.replace("-", " ").split())


# --------------------------------------------------------------------------- scalar converters


_TOO_LARGE = Text("数字太大", "the number is too large")


def _number_problem(message: Text, hint: Text = _NUMBER_HINT) -> ValueProblem:
    return ValueProblem("input.number", message, hint)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise _number_problem(Text("不是有限的数字", "not a finite number"))
    return value


def _ungroup(text: str) -> str:
    if "," not in text:
        return text
    if _GROUPED.fullmatch(text) is None:
        raise _number_problem(
            Text("千位分隔符位置不对", "thousands separators are misplaced"), _NUMBER_HINT
        )
    return text.replace(",", "")


def to_int(value: object) -> int:
    """A whole number: ``12``, ``1,234``, ``12.0``, ``１２`` (already NFKC'd), 12.0 from Excel."""
    if isinstance(value, bool):
        raise _number_problem(
            Text("需要整数，收到的是是/否值", "expected a whole number, got yes/no"), _INT_HINT
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if _finite(value).is_integer():
            return int(value)
        raise _number_problem(Text("不是整数", "not a whole number"), _INT_HINT)
    if not isinstance(value, str):
        raise _number_problem(Text("需要整数", "expected a whole number"), _INT_HINT)
    if value.endswith("%"):
        raise _number_problem(
            Text("此列需要整数，不能用百分数",
                 "this column takes a whole number, not a percentage"),
            _INT_HINT,
        )
    text = _ungroup(value)
    try:
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            number = _finite(float(text))
            if number.is_integer():
                return int(number)
            raise _number_problem(Text("不是整数", "not a whole number"), _INT_HINT)
    except ValueError:  # more digits than int() converts
        pass
    raise _number_problem(Text("不是数字", "not a number"), _INT_HINT)


def to_float(value: object) -> float:
    """A number: ``12.5``, ``1,234.5``, ``1e3``, or a percentage ``98.5%``.

    A percentage is read as its number of percent, 98.5: fsrules keeps rates
    and scores in percent (0-100, like ``SamplingMetric.pass_rate`` and the
    rulesets' thresholds), so ``98.5%`` and ``98.5`` in one column agree.
    """
    if isinstance(value, bool):
        raise _number_problem(Text("需要数字，收到的是是/否值", "expected a number, got yes/no"))
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:  # a JSON integer of 309 digits or more
            raise _number_problem(_TOO_LARGE) from None
    if isinstance(value, float):
        return _finite(value)
    if not isinstance(value, str):
        raise _number_problem(Text("需要数字", "expected a number"))
    text = value[:-1].rstrip() if value.endswith("%") else value
    text = _ungroup(text)
    if _FLOAT.fullmatch(text) is None:
        raise _number_problem(Text("不是数字", "not a number"))
    return _finite(float(text))


def to_bool(value: object) -> bool:
    """是/否, 有/无, Y/N, yes/no, true/false, 1/0, ✓/✗ (and real booleans)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        key = value.casefold()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    raise ValueProblem("input.bool", Text("不是“是/否”值", "not a yes/no value"), _BOOL_HINT)


def to_text(value: object) -> str:
    """Text; numbers from spreadsheets become their plain digits (1001.0 → ``"1001"``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if _finite(value).is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    raise ValueProblem("input.type", Text("需要文本", "expected text"), _TEXT_HINT)


def _enum_converter(cls: type[enum.Enum], normalize: Normalize) -> Convert:
    table: dict[str, enum.Enum] = {}
    for member in cls:
        names = [str(member.value), member.name]
        if isinstance(member, LabelledEnum):
            names += [member.zh, *member.aliases]
        for name in names:
            table.setdefault(normalize(name).casefold(), member)
    parse = cls.parse if issubclass(cls, LabelledEnum) else None
    accepted_zh = "、".join(_enum_choice(m) for m in cls)
    accepted_en = ", ".join(_enum_choice(m) for m in cls)

    def convert(value: object) -> object:
        if isinstance(value, cls):
            return value
        text = to_text(value)
        member = table.get(text.casefold())
        if member is not None:
            return member
        if parse is not None:  # a subclass may accept more spellings than its members list
            try:
                return parse(text)
            except ValueError:
                pass
        raise ValueProblem(
            "input.enum",
            Text(f"不是可选的{cls.__name__}取值", f"not one of the accepted {cls.__name__} values"),
            Text(f"可选值：{accepted_zh}", f"accepted: {accepted_en}"),
        )

    return convert


def _enum_choice(member: enum.Enum) -> str:
    if isinstance(member, LabelledEnum):
        return f"{member.value}/{member.zh}"
    return str(member.value)


def _tuple_converter(element: Convert, normalize: Normalize) -> Convert:
    def convert(value: object) -> object:
        if isinstance(value, str):
            parts: Iterable[object] = LIST_SEPARATORS.split(value)
        elif isinstance(value, list | tuple):
            parts = value
        else:
            parts = (value,)
        items: list[object] = []
        for part in parts:
            if part is None:
                continue
            if isinstance(part, str):
                part = normalize(part)
                if not part:
                    continue
            items.append(element(part))
        return tuple(items)

    return convert


def _passthrough(value: object) -> object:
    return value


# --------------------------------------------------------------------------- plans


@attrs.frozen(kw_only=True, eq=False)
class FieldPlan:
    """How one field is read: its headers, converter and checks."""

    name: str
    zh: tuple[str, ...]
    doc: str
    type_label: str
    convert: Convert
    required: bool
    nullable: bool
    raw_text: bool
    is_text: bool
    check: str | None
    attribute: Any
    #: Conversions of repeated cells (dates, enum labels, numbers): raw text
    #: to value. Plans are built per load, so this never outlives one load.
    memo: dict[str, object] | None


@attrs.frozen(kw_only=True, eq=False)
class KindPlan:
    """The column plan of one fact kind."""

    cls: type[Fact]
    kind: str
    fields: tuple[FieldPlan, ...]
    by_key: Mapping[str, FieldPlan]
    date_field: str | None
    licence_kind_field: str | None
    checked: tuple[FieldPlan, ...]
    required: tuple[FieldPlan, ...]
    validated: tuple[FieldPlan, ...]

    def lookup(self, header: str, normalize: Normalize) -> FieldPlan | None:
        """The field a column header names, or None."""
        return self.by_key.get(header_key(header, normalize))

    def accepted_headers(self) -> str:
        """Every accepted header, for a warning about an unknown column."""
        return "; ".join(
            f"{fp.name} ({'、'.join(fp.zh)})" if fp.zh else fp.name for fp in self.fields
        )


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(tp))
        if len(args) == 1:
            return args[0], nullable
        return Any, nullable
    return tp, False


def _converter(tp: Any, normalize: Normalize) -> tuple[Convert, str, bool]:
    """Converter, documentation label and whether it wants the raw (unnormalised) text."""
    if tp is str:
        return to_text, "text", False
    if tp is bool:
        return to_bool, "yes/no (是/否)", False
    if tp is int:
        return to_int, "whole number", False
    if tp is float:
        return to_float, "number", False
    if tp is dt.datetime:
        return parse_datetime, "date and time", False
    if tp is dt.date:
        return parse_date, "date", False
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        choices = ", ".join(f"`{_enum_choice(m)}`" for m in tp)
        return _enum_converter(tp, normalize), f"one of {choices}", False
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        element_type = args[0] if len(args) == 2 and args[1] is Ellipsis else str
        element, label, _ = _converter(element_type, normalize)
        return _tuple_converter(element, normalize), f"list of {label}", True
    return _passthrough, "any", False


_MEMOIZED = frozenset({bool, int, float, dt.date, dt.datetime})


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


@functools.lru_cache(maxsize=256)
def _type_hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of a fact class (cached: classes do not change)."""
    try:
        return typing.get_type_hints(cls)
    except Exception:  # a plugin class whose annotations do not resolve
        return {}


def build_plan(cls: type[Fact], normalize: Normalize) -> KindPlan:
    """Compute the column plan of ``cls`` (once per kind and load)."""
    hints = _type_hints(cls)  # type: ignore[arg-type]  # classes hash by identity
    fields = attrs.fields(cls)
    names = {a.name for a in fields}
    plans: list[FieldPlan] = []
    by_key: dict[str, FieldPlan] = {}
    for attribute in fields:
        if not attribute.init:
            continue
        tp = hints.get(attribute.name, attribute.type)
        if isinstance(tp, str):
            tp = Any
        inner, nullable = _unwrap_optional(tp)
        convert, label, raw_text = _converter(inner, normalize)
        check: str | None = None
        if attribute.name == "uscc":
            check, label = "uscc", "USCC (checked)"
        elif attribute.name in DIVISION_FIELDS or attribute.name == cls.REGION_FIELD:
            check, label = "division", "division code (checked at the record's date)"
        elif attribute.name == "number" and "licence_kind" in names:
            check, label = "licence", "licence number (JY/SC/YB checked)"
        metadata = attribute.metadata
        zh = tuple(str(z) for z in metadata.get("zh", ()))
        plan = FieldPlan(
            name=attribute.name,
            zh=zh,
            doc=str(metadata.get("doc", "")),
            type_label=label + (" or empty" if nullable else ""),
            convert=convert,
            required=attribute.default is attrs.NOTHING,
            nullable=nullable,
            raw_text=raw_text,
            is_text=convert is to_text,
            check=check,
            attribute=attribute,
            memo={} if inner in _MEMOIZED or _is_enum(inner) else None,
        )
        plans.append(plan)
    # Field names take precedence over aliases; among aliases the first field
    # declared wins (vendor_registration's 编号 means the record id, not the
    # certificate number, which has its own unambiguous headers).
    for plan in plans:
        by_key.setdefault(header_key(plan.name, normalize), plan)
    for plan in plans:
        for alias in plan.zh:
            by_key.setdefault(header_key(alias, normalize), plan)
    date_field = cls.DATE_FIELD if cls.DATE_FIELD in names else None
    return KindPlan(
        cls=cls,
        kind=cls.KIND,
        fields=tuple(plans),
        by_key=by_key,
        date_field=date_field,
        licence_kind_field="licence_kind" if "licence_kind" in names else None,
        checked=tuple(p for p in plans if p.check is not None),
        required=tuple(p for p in plans if p.required),
        validated=tuple(p for p in plans if p.attribute.validator is not None),
    )


# --------------------------------------------------------------------------- documentation


_VALUE_FORMATS = """\
## Value formats

Headers are matched after NFKC normalisation (full-width letters and digits
are fine), ignoring case and a leading `*`. An empty cell means "not given":
the field's default, or an error for a required field.

| Type | Accepted |
|---|---|
| text | anything; normalised (NFKC, whitespace collapsed) |
| whole number | `12`, `1,234`, `１２` |
| number | `12.5`, `1,234.5`; `98.5%` is read as 98.5 (rates are kept in percent, 0-100) |
| yes/no | `是`/`否`, `有`/`无`, `Y`/`N`, `true`/`false`, `1`/`0`, `✓`/`✗` |
| date | `2023-01-05`, `2023/1/5`, `2023.1.5`, `20230105`, `2023年1月5日`, Excel dates and serial numbers |
| date and time | a date followed by `11:30`, `11:30:15` or `11时30分` |
| list | items separated by `;` `；` `、` `,` `，` (JSON Lines: a list) |
| one of | the English value, the Chinese label or an alias |
| USCC | 18 characters, checked against GB 32100 |
| division code | 6 digits (12 for a township), checked against the code history at the record's date |
| licence number | JY, SC or YB numbers are checked when the licence kind is one of those |
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def header_aliases_markdown(
    kinds: Mapping[str, type[Fact]] | Iterable[type[Fact]] | None = None,
) -> str:
    """Markdown documenting the accepted column headers of each fact kind.

    One section per kind (in the order given; by default the built-in kinds
    in documentation order) with a table of field, type, whether the column
    is required, the accepted Chinese headers and the field's description.
    ``docs/input-formats.md`` is generated from it.
    """
    from fsrules.identifiers import normalize_text

    if kinds is None:
        classes: list[type[Fact]] = list(BUILTIN_FACT_KINDS)
    elif isinstance(kinds, Mapping):
        classes = list(kinds.values())
    else:
        classes = list(kinds)
    lines: list[str] = [_VALUE_FORMATS]
    for cls in classes:
        plan = build_plan(cls, normalize_text)
        title = f"## `{plan.kind}` — {cls.TITLE_ZH}" if cls.TITLE_ZH else f"## `{plan.kind}`"
        lines.append(title)
        lines.append("")
        summary = (cls.__doc__ or "").strip().splitlines()
        if summary:
            lines.append(_cell(summary[0]))
            lines.append("")
        names = [f"`{plan.kind}.csv`"] + ([f"`{cls.TITLE_ZH}.csv`"] if cls.TITLE_ZH else [])
        lines.append(
            f"File: {' or '.join(names)} (also `.jsonl`, `.xlsx`); "
            f"in a multi-kind JSON Lines file, `\"kind\": \"{plan.kind}\"`."
        )
        lines.append("")
        lines.append("| Field | Type | Required | Chinese headers | Description |")
        lines.append("|---|---|---|---|---|")
        for fp in plan.fields:
            lines.append(
                f"| `{fp.name}` | {_cell(fp.type_label)} | {'yes' if fp.required else 'no'} "
                f"| {_cell('、'.join(fp.zh))} | {_cell(fp.doc)} |"
            )
        lines.append("")
    return "\n".join(lines)
