"""Records given as objects: JSON Lines lines and ``load_records`` mappings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fsrules._diagnostics import DiagnosticLevel
from fsrules._i18n import Text
from fsrules.loading._readers import ReadError
from fsrules.loading._records import RecordBuilder
from fsrules.loading._result import Tally
from fsrules.loading._state import LoadState
from fsrules.loading._values import FieldPlan, KindPlan
from fsrules.model import Fact

__all__ = ["load_objects"]

_ERROR = DiagnosticLevel.ERROR
_WARNING = DiagnosticLevel.WARNING


def load_objects(
    state: LoadState,
    builder: RecordBuilder,
    shown: str,
    objects: Iterable[tuple[int, object]],
    cls: type[Fact] | None,
    tally: Tally,
) -> None:
    """One record per object; ``cls`` None means each object names its ``kind``."""
    keys: dict[tuple[str, str], FieldPlan | None] = {}
    warned: set[tuple[str, str]] = set()
    build = builder.build
    for number, obj in objects:
        if isinstance(obj, ReadError):
            state.report(_ERROR, obj.code, obj.message, obj.hint, file=shown, row=number)
            tally.count(False)
            continue
        if not isinstance(obj, Mapping):
            state.report(
                _ERROR, "input.json",
                Text("记录不是 JSON 对象", "the record is not a JSON object"),
                Text("每条记录应为一个对象，如 {\"id\": \"OP1\", …}",
                     "each record must be an object, e.g. {\"id\": \"OP1\", …}"),
                file=shown, row=number, value=obj)
            tally.count(False)
            continue
        record_cls = _object_kind(state, shown, number, obj, cls)
        if record_cls is None:
            tally.count(False)
            continue
        plan = state.plan(record_cls)
        items: list[tuple[FieldPlan, str, object]] = []
        present: set[str] = set()
        for key, raw in obj.items():
            if key == "kind":
                continue
            name = key if isinstance(key, str) else str(key)
            cache_key = (plan.kind, name)
            if cache_key in keys:
                fp = keys[cache_key]
            else:
                fp = keys[cache_key] = plan.lookup(name, state.normalize)
            if fp is None or fp.name in present:
                if cache_key not in warned and len(warned) < 10 * state.limits.max_columns:
                    warned.add(cache_key)
                    _unknown_key(state, shown, number, plan, name, fp)
                continue
            present.add(fp.name)
            items.append((fp, name, raw))
        tally.count(build(plan, items, shown, number, keyed=True))


def _unknown_key(
    state: LoadState, shown: str, number: int, plan: KindPlan, name: str, fp: FieldPlan | None
) -> None:
    if fp is None:
        state.report(
            _WARNING, "input.unknown_column",
            Text(f"{plan.kind} 记录中的未知字段「{name}」，已忽略",
                 f"unknown field {name!r} in {plan.kind} records; ignored"),
            Text(f"可用字段：{plan.accepted_headers()}",
                 f"accepted fields: {plan.accepted_headers()}"),
            file=shown, row=number, field=name, kind=plan.kind)
    else:
        state.report(
            _WARNING, "input.duplicate_column",
            Text(f"字段「{name}」与同一记录中的另一字段都表示 {fp.name}，只读取前者",
                 f"field {name!r} and another field of the record both mean {fp.name}; "
                 f"only the first is read"),
            Text("请每个字段只写一次", "give each field once"),
            file=shown, row=number, field=name, kind=plan.kind)


def _object_kind(
    state: LoadState, shown: str, number: int, obj: Mapping[Any, Any], cls: type[Fact] | None
) -> type[Fact] | None:
    value = obj.get("kind")
    if cls is not None:
        if value is None or value == "" or state.kind_for(value) is cls:
            return cls
        state.report(
            _ERROR, "input.unknown_kind",
            Text(f"记录的 kind 与文件的种类 {cls.KIND} 不一致",
                 f"the record's kind does not match the file's kind {cls.KIND}"),
            Text(f"删除 kind 字段或改为 {cls.KIND}，或把记录移到对应种类的文件中",
                 f"drop the kind field or set it to {cls.KIND}, or move the record to the "
                 f"file of its kind"),
            file=shown, row=number, field="kind", value=value, kind=cls.KIND)
        return None
    found = state.kind_for(value)
    if found is None:
        missing = value is None or value == ""
        state.report(
            _ERROR, "input.unknown_kind",
            Text("记录缺少 kind 字段" if missing else "未知的记录种类",
                 "the record has no kind field" if missing else "unknown kind of record"),
            Text(f"多种类 JSON Lines 文件的每条记录须有 kind 字段；"
                 f"可用种类：{state.known_kinds()}",
                 f"each record of a multi-kind JSON Lines file needs a kind; "
                 f"kinds: {state.known_kinds()}"),
            file=shown, row=number, field="kind", value=value)
    return found
