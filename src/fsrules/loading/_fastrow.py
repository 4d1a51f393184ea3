"""The fast path for table rows: one function per file, written for its columns.

Decided once per file from the mapped header: for each column a memo of
cell text to value (conversions are pure, so each distinct text is converted
once; values such as dates, enum members and operator ids are then shared
between records) and a converter for texts not seen yet. The row function
is generated as straight-line code that converts each cell, runs the cached
identifier checks and calls the fact class with keyword arguments, like the
``__init__`` attrs writes for the class. An empty optional cell passes the
field's default explicitly, which attrs treats exactly as an omitted argument
(converters run on defaults too).

When the fact class is a plain attrs class (slotted, attrs' own
``__init__``, no ``__attrs_post_init__``, validators only of the model's
pure kind: non-empty, non-negative, division-code format), the row function
builds the fact as that ``__init__`` does (``object.__new__`` and
``object.__setattr__`` per field; plain stores into an instance of the
class's :func:`~fsrules.loading._twin.unfrozen_twin` when it has one) without
running the field converters and validators per row: each column applies them once per distinct cell text,
when the conversion is remembered, and a value they refuse sends the row to
the general path. Plain printable ASCII text cells without spaces, which
normalisation leaves as they are, are taken as they are.

Each column's memo keeps, with the value, the value's canonical text for the
input digest (:func:`fsrules._digest.value_text`), so a row function that
builds a fact also writes the fact's canonical text from those pieces
(:func:`fsrules._digest.fact_text` gives the same text) into
``LoadState.texts``, which are hashed in bulk: no fact is read back and
encoded again for the digest. A row function that lets attrs' ``__init__``
build the fact encodes the fact itself.

The function returns None on the first problem of any kind; the caller then
takes the general path (:meth:`RecordBuilder.build`), which reports every
problem of the row. So nothing is validated twice on a clean row, and a bad
row is reported exactly as before.
"""

from __future__ import annotations

import datetime as dt
import keyword
import types
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
from typing import Any

import attrs

from fsrules._digest import fact_text, kind_head, value_text
from fsrules.exceptions import IdentifierError
from fsrules.loading._checks import IdentifierChecks
from fsrules.loading._state import LoadState
from fsrules.loading._twin import unfrozen_twin
from fsrules.loading._values import FieldPlan, KindPlan, to_text
from fsrules.model import LicenceKind
from fsrules.model._facts import _division_code, _non_empty, _non_negative

#: Validators that depend on the value alone (not on the instance or other
#: fields): run once per distinct value by a row function that builds facts itself.
PURE_VALIDATORS = frozenset({_division_code, _non_empty, _non_negative})

__all__ = ["GiveUp", "fast_row"]

#: A mapped column of a table: cell index, header label, field.
Column = tuple[int, str, FieldPlan]
#: (cells, row number) -> True when the row became a fact (recorded), False to
#: take the general path.
RowFunction = Callable[[Sequence[object], int], bool]

_MEMO_LIMIT = 16_384
#: Attribute factories whose value is immutable and always the same: an
#: empty optional cell takes one value made once instead of calling them per row.
IMMUTABLE_FACTORIES = frozenset({tuple, frozenset})
#: A converted cell: (value, its canonical text for the input digest).
Pair = tuple[object, str]
# Licence kinds whose numbers have a national format (JY, SC, YB); 登记证 and
# 备案卡 numbers are set by each province and are not checked.
NUMBERED_LICENCES = frozenset({LicenceKind.BUSINESS, LicenceKind.PRODUCTION, LicenceKind.FILING})


class GiveUp(Exception):
    """The fast path cannot take this row; the general path will report it."""


_GIVE_UP = GiveUp()
_FACTORY = object()  # an empty optional cell whose default is a factory


class _Memo(dict[object, "Pair"]):
    """One column's memo, cell -> (value, canonical text); ``memo[cell]`` converts a new cell.

    The row function reads every cell as ``memo[cell]``: a remembered cell
    costs one dict lookup, and only a cell not seen yet (or not remembered:
    ids, non-text cells, cells past the size limit) runs the column's
    converter, through :meth:`__missing__`.
    """

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[object], Pair]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, raw: object) -> Pair:
        return self.convert(raw)


def _column(
    fp: FieldPlan, normalize: Callable[[str], str], finish: Callable[[object], object] | None,
    plain: bool,
) -> tuple[_Memo, Callable[[], object] | None]:
    """(memo, factory) for one column; reading a cell from the memo raises on any problem.

    A cell gives the pair (value, its canonical text for the input digest:
    :func:`fsrules._digest.value_text`). ``finish`` (the attrs converter
    and validator of the field, when the row function builds facts itself)
    is applied to every value, once per distinct cell when remembered.
    ``plain``: printable ASCII text without spaces is taken as it is.
    """
    memoize = fp.name != "id"  # ids are unique: remembering them would only cost memory
    convert, raw_text_wanted, is_text = fp.convert, fp.raw_text, fp.is_text
    default = fp.attribute.default
    factory: Callable[[], object] | None = None
    empty: object
    if default is attrs.NOTHING:
        empty = None if fp.nullable else _GIVE_UP
    elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            empty = _GIVE_UP  # rare; the general path omits the argument
        elif default.factory in IMMUTABLE_FACTORIES:
            empty = default.factory()  # always an equal, immutable value: made once
        else:
            empty, factory = _FACTORY, default.factory
    else:
        empty = default
    if finish is not None:
        if factory is not None:
            made, done = factory, finish
            factory = lambda: done(made())  # noqa: E731
        elif empty is not _GIVE_UP:
            try:
                empty = finish(empty)
            except Exception:
                empty = _GIVE_UP
    last = finish or _same
    empty_pair: Pair | None = None
    if empty is _FACTORY:
        empty_pair = (_FACTORY, "")
    elif empty is not _GIVE_UP:
        empty_pair = (empty, value_text(empty))

    def column(raw: object) -> Pair:
        pair: Pair
        if raw.__class__ is str:
            if plain and raw and raw.isascii() and raw.isprintable() and " " not in raw:
                pair = (raw, encode_basestring(raw))
            else:
                text = normalize(raw)
                if not text:
                    if empty_pair is None:
                        raise _GIVE_UP
                    pair = empty_pair
                else:
                    value = last(text) if is_text else last(
                        convert(raw if raw_text_wanted else text))
                    pair = (value, value_text(value))
            if memoize and len(memo) < _MEMO_LIMIT:
                memo[raw] = pair
            return pair
        if raw is None:
            if empty_pair is None:
                raise _GIVE_UP
            return empty_pair
        # Numbers and dates of a workbook: not remembered (1, 1.0 and True are one key).
        value = last(to_text(raw) if is_text else convert(raw))
        return (value, value_text(value))

    memo = _Memo(column)
    return memo, factory


def _same(value: object) -> object:
    return value


def _finisher(attribute: Any) -> Callable[[object], object] | None:
    """The field's attrs converter then validator, as one function (None: nothing to do)."""
    converter, validator = attribute.converter, attribute.validator
    if converter is None and validator is None:
        return None

    def finish(value: object) -> object:
        if converter is not None:
            value = converter(value)
        if validator is not None:
            validator(None, attribute, value)
        return value

    return finish


def _direct(plan: KindPlan, columns: Sequence[Column]) -> dict[str, Any] | None:
    """Defaults of the fields no column gives, when the row function may build facts itself.

    None when attrs' own ``__init__`` must run: a class with its own
    ``__init__``, pre- or post-init hooks, instance dicts, a cached hash,
    validators other than the model's pure ones, converters that are not
    plain functions, a field without default that no column gives, or an
    identifier check that replaces a value with a converter or validator.
    """
    cls = plan.cls
    init = getattr(cls.__init__, "__code__", None)
    if (init is None or not init.co_filename.startswith("<attrs generated")
            or hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__")
            or cls.__dictoffset__ != 0
            or any("_attrs_cached_hash" in getattr(k, "__slots__", ()) for k in cls.__mro__)):
        return None
    given = {fp.name for _, _, fp in columns}
    defaults: dict[str, Any] = {}
    for attribute in attrs.fields(cls):
        if not attribute.init or (attribute.validator is not None
                                  and attribute.validator not in PURE_VALIDATORS):
            return None
        converter = attribute.converter
        if converter is not None and not isinstance(converter, types.FunctionType):
            return None
        if attribute.name in given:
            continue
        default = attribute.default
        if default is attrs.NOTHING:
            return None
        finish = _finisher(attribute) or _same
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                return None
            made = default.factory
            defaults[attribute.name] = (lambda made=made, finish=finish: finish(made()), True)
        else:
            try:
                defaults[attribute.name] = (finish(default), False)
            except Exception:
                return None
    for fp in plan.checked:
        if fp.check in ("uscc", "licence") and (fp.attribute.converter is not None
                                                or fp.attribute.validator is not None):
            return None
    return defaults


def _never(cells: Sequence[object], number: int) -> bool:
    return False


def fast_row(
    plan: KindPlan,
    columns: Sequence[Column],
    checks: IdentifierChecks,
    normalize: Callable[[str], str],
    as_of: dt.date | None,
    *,
    ids: set[str],
    state: LoadState,
    file_index: int,
) -> RowFunction:
    """The fast row function for a file with these mapped columns.

    A fact it builds is recorded as :meth:`LoadState.record` does (``ids``
    is the state's set for this kind). A repeated id is left to the general
    path, which reports where the id was first seen.
    """
    if not all(fp.name.isidentifier() and not keyword.iskeyword(fp.name)
               for _, _, fp in columns):
        return _never  # a plugin field attrs cannot take by keyword: the general path
    env: dict[str, Any] = {
        "FACTORY": _FACTORY, "cls": plan.cls, "as_of": as_of,
        "IdentifierError": IdentifierError, "NUMBERED": NUMBERED_LICENCES,
        "uscc": checks.uscc, "licence": checks.licence, "division": checks.division,
        "date": dt.date, "datetime": dt.datetime, "ids": ids, "append": state.facts.append,
        "files_append": state.fact_files.append, "rows_append": state.fact_rows.append,
        "file_index": file_index, "texts_append": state.texts.append,
        "esc": encode_basestring, "text": value_text, "fact_text": fact_text,
        "HEAD": kind_head(plan.kind),
    }
    direct = _direct(plan, columns)
    width = max((index for index, _, _ in columns), default=-1) + 1
    local: dict[str, str] = {}
    lines = ["def row(cells, number):", f"    if len(cells) < {width}:", "        return False",
             "    try:"]
    for n, (index, _, fp) in enumerate(columns):
        finish = _finisher(fp.attribute) if direct is not None else None
        # Printable ASCII without spaces is what normalisation leaves as it is
        # (most ids and codes): a text field whose attrs converter and validator
        # accept any non-empty text takes it as it is.
        plain = fp.is_text and (finish is None or (
            fp.attribute.converter is None and fp.attribute.validator in (None, _non_empty)))
        memo, factory = _column(fp, normalize, finish, plain)
        env[f"m{n}"] = memo
        name = local[fp.name] = f"v{n}"
        if fp.name == "id" and plain:  # ids are unique: not remembered, mostly plain
            lines += [
                f"        raw = cells[{index}]",
                "        if raw.__class__ is str and raw and raw.isascii() and raw.isprintable()"
                " and ' ' not in raw:",
                f"            {name}, j{n} = raw, esc(raw)",
                "        else:",
                f"            {name}, j{n} = m{n}.convert(raw)",
            ]
        else:
            lines.append(f"        {name}, j{n} = m{n}[cells[{index}]]")
        if factory is not None:
            env[f"f{n}"] = factory
            lines += [f"        if {name} is FACTORY:", f"            {name} = f{n}()",
                      f"            j{n} = text({name})"]
    lines += ["    except Exception:", "        return False"]
    for fp in plan.checked:
        found, kind = local.get(fp.name), local.get(plan.licence_kind_field or "")
        if found is None or (fp.check == "licence" and kind is None):
            continue  # not given (or no licence kind given): nothing to check
        name = found
        fragment = "j" + name[1:]
        lines.append(f"    if {name}.__class__ is str:")
        if fp.check == "uscc":
            lines += [
                f"        r = uscc({name})",
                "        if isinstance(r, IdentifierError) or r.warning_messages:",
                "            return False",
                f"        {name} = r.value",
                f"        {fragment} = esc({name})",
            ]
        elif fp.check == "division":
            when = local.get(plan.date_field or "")
            if when is None:
                lines.append("        on = as_of")
            else:
                lines += [
                    f"        on = {when}",
                    "        if isinstance(on, datetime):",
                    "            on = on.date()",
                    "        elif not isinstance(on, date):",
                    "            on = as_of",
                ]
            lines += [f"        if division({name}, on) is not None:", "            return False"]
        elif fp.check == "licence":
            lines += [
                f"        if {kind} in NUMBERED:",
                f"            r = licence({name})",
                "            if isinstance(r, IdentifierError):",
                "                return False",
                f"            {name} = r.value",
                f"            {fragment} = esc({name})",
            ]
    if direct is None:
        arguments = ", ".join(f"{field}={name}" for field, name in local.items())
        lines += [
            "    try:",
            f"        fact = cls({arguments})",
            "    except Exception:",
            "        return False",
            "    if fact.id in ids:",
            "        return False",  # a repeated id: the general path reports where it was first
            "    ids.add(fact.id)",
            "    texts_append(fact_text(fact))",  # attrs converters may have changed values
        ]
    else:
        # What attrs' __init__ does, with converters and validators already applied;
        # the fact's canonical text from the texts of its values.
        ident = local["id"]
        twin = unfrozen_twin(plan.cls)
        env["new"], env["setf"], env["Twin"] = object.__new__, object.__setattr__, twin
        lines += [f"    if {ident} in ids:", "        return False",
                  "    fact = new(cls)" if twin is None else "    fact = new(Twin)"]
        fragments: list[str] = []
        for attribute in attrs.fields(plan.cls):
            given = local.get(attribute.name)
            if given is None:
                value, made = direct[attribute.name]
                given = f"d{len(env)}"
                env[given] = value
                if made:
                    lines += [f"    {given}v = {given}()", f"    {given}j = text({given}v)"]
                    fragments.append(f"{{{given}j}}")
                    given += "v"
                else:
                    env[given + "j"] = value_text(value)
                    fragments.append(f"{{{given}j}}")
            else:
                fragments.append(f"{{j{given[1:]}}}")
            lines.append(f"    setf(fact, {attribute.name!r}, {given})" if twin is None
                         else f"    fact.{attribute.name} = {given}")
        if twin is not None:
            lines.append("    fact.__class__ = cls")
        lines += [f"    ids.add({ident})", f"    texts_append(f\"{{HEAD}}{','.join(fragments)}]]\")"]
    lines += [
        "    append(fact)",
        "    files_append(file_index)",
        "    rows_append(number)",
        "    return True",
    ]
    code = compile("\n".join(lines) + "\n", f"<fsrules row: {plan.kind}>", "exec")
    exec(code, env)  # our own text; field names are checked identifiers
    # Taken out of its globals, so that function and globals form no cycle:
    # the memos are freed as soon as the file is read, even with the cyclic
    # collector paused.
    function: RowFunction = env.pop("row")
    return function
