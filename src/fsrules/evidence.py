"""Typed evidence: what a finding rests on, as data, rendered into words by templates.

A rule declares its evidence type, an attrs class made with :func:`evidence`,
and builds each finding's evidence as an instance of it::

    @evidence
    class ScoreEvidence:
        indicator: str
        score: float | None = None           # default None: omitted from the finding when None
        level: Code | None = None            # stored as its code, rendered by label

    @rule(id="VETO-004", ..., evidence=ScoreEvidence,
          title=("满意度未达到{min_score}分", "Satisfaction below {min_score}"),
          message=("{subject}：满意度 {score} 分", "{subject}: satisfaction {score}"),
          messages={"no_data": ("{subject}：没有数据", "{subject}: no data")})

The finding stores the evidence as JSON data (field name → value, a
:class:`Code` as its code) and its title and message as :class:`~fsrules.Text`
rendered in Chinese and English from the templates, the evidence and the
rule's resolved parameters; the writers print the language asked for. So a
change of wording never changes stored evidence or a fingerprint, and
consumers read typed keys described per rule in ``docs/finding.schema.json``
(:func:`json_schema`).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypeVar, dataclass_transform

import attrs

from fsrules._i18n import Text
from fsrules.exceptions import RuleDefinitionError

__all__ = [
    "Code",
    "display",
    "display_properties",
    "evidence",
    "evidence_fields",
    "is_evidence_type",
    "json_schema",
    "optional_fields",
    "rule_evidence_schema",
    "template_values",
    "to_mapping",
    "type_name",
    "with_evidence_schemas",
]

T = TypeVar("T")

_MARK = "__fsrules_evidence__"
_Lang = Literal["zh", "en"]


@attrs.frozen(order=True)
class Code:
    """A coded value: stored and compared as ``value``, shown as ``zh`` or ``en``.

    ``Code("II", "重大", "major")`` is ``"II"`` in the evidence (and the
    fingerprint); ``{level}`` in a template renders ``重大`` in Chinese and
    ``major`` in English, ``{level.value}`` the code.
    """

    value: str
    zh: str
    en: str

    @classmethod
    def of(cls, member: enum.Enum) -> Code:
        """The code of a model enum member (its value; labels ``zh`` and the value in English)."""
        value = str(member.value)
        return cls(value, str(getattr(member, "zh", value)), str(getattr(member, "en", value)))

    @staticmethod
    def table(labels: Mapping[str, tuple[str, str]]) -> Callable[[str], Code]:
        """A function from a code to its :class:`Code`, from ``{code: (中文, English)}``.

        Raises :class:`KeyError` for a code the table does not have.
        """
        frozen = dict(labels)

        def lookup(value: str) -> Code:
            zh, en = frozen[value]
            return Code(value, zh, en)

        return lookup

    def __str__(self) -> str:
        return self.value


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(attrs.field,))
def evidence(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen, keyword-only attrs class usable as a rule's evidence type.

    Field types are checked now (raises
    :class:`~fsrules.exceptions.RuleDefinitionError`): text, numbers, booleans,
    dates, :class:`Code`, model enums, another evidence class, tuples/lists
    and ``str``-keyed mappings of those, each optionally ``| None``. A field
    whose default is None is *optional*: left out of the finding's evidence
    when it is None (so findings of another status keep their own keys).
    Annotations are resolved now: a nested evidence class must be defined
    above the class that uses it.
    """
    made: Any = attrs.frozen(kw_only=True)(cls)
    module = sys.modules.get(made.__module__)
    try:
        attrs.resolve_types(made, globalns=vars(module) if module else None)
    except NameError as exc:
        raise RuleDefinitionError(f"evidence {cls.__qualname__}: {exc}") from exc
    for field in attrs.fields(made):
        problem = _type_problem(field.type)
        if problem:
            raise RuleDefinitionError(
                f"evidence {cls.__qualname__}.{field.name}: {problem}; evidence holds text, "
                "numbers, booleans, dates, Code, enums, tuples and str-keyed mappings of those")
        if field.name.endswith(("_zh", "_en", "_text")):
            raise RuleDefinitionError(
                f"evidence {cls.__qualname__}.{field.name}: localized text does not belong in "
                "evidence; store the code and put the wording in the rule's templates")
    setattr(made, _MARK, True)
    setattr(made, _LAYOUT, _layout(made))
    return made  # type: ignore[no-any-return]


def is_evidence_type(value: Any) -> bool:
    """True for a class made with :func:`evidence`."""
    return isinstance(value, type) and bool(getattr(value, _MARK, False))


def evidence_fields(cls: type[Any]) -> tuple[str, ...]:
    """The field names of an evidence class, in declaration order (= evidence key order)."""
    return tuple(f.name for f in attrs.fields(cls))


_Layout = tuple[tuple[tuple[str, bool], ...], tuple[str, ...]]
_LAYOUT = "__fsrules_evidence_layout__"


def _layout(cls: type[Any]) -> _Layout:
    """(field name, optional?) pairs and display property names of an evidence class.

    Worked out once, when :func:`evidence` makes the class.
    """
    known: _Layout | None = vars(cls).get(_LAYOUT)
    if known is not None:
        return known
    fields = tuple((f.name, _is_optional(f)) for f in attrs.fields(cls))
    return fields, display_properties(cls)


def display_properties(cls: type[Any]) -> tuple[str, ...]:
    """The public properties of an evidence class: derived wording a template may use.

    A property is not stored in the evidence (nor in the fingerprint); it
    turns fields into words, e.g. a :class:`~fsrules.Text` that says "no
    permit on record" when a date field is None. A property named ``status``
    chooses the message variant.
    """
    names: dict[str, None] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, property) and not name.startswith("_"):
                names[name] = None
    return tuple(names)


def _is_optional(field: attrs.Attribute[Any]) -> bool:
    return field.default is None


_SCALAR_TYPES: tuple[type, ...] = (str, int, float, bool, dt.date, Code)
_PLAIN: tuple[type, ...] = (*_SCALAR_TYPES, enum.Enum)


def _type_problem(tp: Any) -> str:
    """Why ``tp`` is not an allowed evidence field type ('' when it is)."""
    if tp is None or tp is type(None):
        return ""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return next((p for p in (_type_problem(a) for a in args) if p), "")
    if origin in (tuple, list):
        items = [a for a in args if a is not Ellipsis]
        return next((p for p in (_type_problem(a) for a in items) if p), "")
    if origin in (dict, Mapping) or (origin is not None and origin is typing.get_origin(
            Mapping[str, int])):
        if args and args[0] is not str:
            return "mapping keys must be str"
        return _type_problem(args[1]) if len(args) == 2 else ""
    if isinstance(tp, type):
        if issubclass(tp, _SCALAR_TYPES) or issubclass(tp, enum.Enum) or is_evidence_type(tp):
            return ""
        return f"type {tp.__name__} is not allowed"
    return f"type {tp!r} is not allowed (annotate with a concrete type)"


def to_mapping(instance: Any) -> dict[str, Any]:
    """The evidence mapping of an evidence instance: field name → value, optional Nones left out.

    Values keep their Python types (a :class:`Code` stays a Code); the
    finding normalises them to JSON data (a Code becomes its code).
    """
    out: dict[str, Any] = {}
    for name, optional in _layout(type(instance))[0]:
        value = getattr(instance, name)
        if value is None and optional:
            continue
        out[name] = _data(value)
    return out


def _data(value: Any) -> Any:
    if value is None or isinstance(value, _PLAIN):
        return value
    if is_evidence_type(type(value)):
        return to_mapping(value)
    if isinstance(value, tuple | list):
        return [_data(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _data(v) for k, v in value.items()}
    return value


# --------------------------------------------------------------------------- rendering


class _Label:
    """A coded value inside a template: formats as its label, ``.value`` is the code."""

    def __init__(self, value: str, zh: str, en: str, lang: _Lang) -> None:
        self.value = value
        self.zh = zh
        self.en = en
        self.label = zh if lang == "zh" else en

    def __format__(self, spec: str) -> str:
        return format(self.label, spec)

    def __str__(self) -> str:
        return self.label


def display(value: Any, lang: _Lang) -> Any:
    """How one evidence value reads in a template in ``lang``.

    Numbers as people write them (80 not 80.0, at most 4 decimals), dates
    ISO, a :class:`Code` or model enum by its label, a sequence joined with
    ``、`` (Chinese) or ``, `` (English), None as ``-``.
    """
    if isinstance(value, str):
        return value
    if value is None:
        return "-"
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        rounded = round(value, 4)
        return int(rounded) if rounded.is_integer() else rounded
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Code):
        return _Label(value.value, value.zh, value.en, lang)
    if isinstance(value, enum.Enum):
        code = Code.of(value)
        return _Label(code.value, code.zh, code.en, lang)
    if isinstance(value, tuple | list | set | frozenset):
        return ("、" if lang == "zh" else ", ").join(str(display(v, lang)) for v in value)
    if isinstance(value, Mapping):
        sep = "，" if lang == "zh" else ", "
        return sep.join(f"{k}: {display(v, lang)}" for k, v in value.items())
    return value


def template_values(instance: Any, lang: _Lang) -> dict[str, Any]:
    """Every field of an evidence instance as it reads in a template in ``lang``.

    An optional field that is None is left out, so a placeholder of the same
    name falls back to the rule's parameter (or renders ``-``).
    """
    fields, properties = _layout(type(instance))
    out: dict[str, Any] = {}
    for name, optional in fields:
        value = getattr(instance, name)
        if value is None and optional:
            continue
        out[name] = display(value, lang)
    for name in properties:
        out[name] = display(getattr(instance, name), lang)
    return out


def optional_fields(cls: type[Any]) -> frozenset[str]:
    """The names of the optional fields (default None: left out when None)."""
    return frozenset(name for name, optional in _layout(cls)[0] if optional)


# --------------------------------------------------------------------------- JSON Schema


def json_schema(cls: type[Any]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``evidence`` object a finding of ``cls`` holds."""
    props: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        props[field.name] = _schema_of(field.type)
        if not _is_optional(field):
            required.append(field.name)
    return {"type": "object", "additionalProperties": False, "required": required,
            "properties": props}


def type_name(tp: Any) -> str:
    """A field type as the catalogue writes it: ``str``, ``tuple[date, ...]``, ``Code | None``."""
    if tp is None or tp is type(None):
        return "None"
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(type_name(a) for a in args)
    if origin is not None:
        inner = ", ".join("..." if a is Ellipsis else type_name(a) for a in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    return str(getattr(tp, "__name__", tp))


def _schema_of(tp: Any) -> dict[str, Any]:
    if tp is None or tp is type(None):
        return {"type": "null"}
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_schema_of(a) for a in args]}
    if origin in (tuple, list):
        items = [a for a in args if a is not Ellipsis]
        if len(items) == 1 or (items and Ellipsis in args):
            return {"type": "array", "items": _schema_of(items[0])}
        if items:
            return {"type": "array", "prefixItems": [_schema_of(a) for a in items],
                    "items": False}
        return {"type": "array"}
    if origin is not None and len(args) == 2:  # a mapping
        return {"type": "object", "additionalProperties": _schema_of(args[1])}
    if isinstance(tp, type):
        if issubclass(tp, bool):
            return {"type": "boolean"}
        if issubclass(tp, enum.Enum):
            return {"enum": sorted(str(m.value) for m in tp)}
        if issubclass(tp, int):
            return {"type": "integer"}
        if issubclass(tp, float):
            return {"type": "number"}
        if issubclass(tp, dt.datetime):
            return {"type": "string", "format": "date-time"}
        if issubclass(tp, dt.date):
            return {"type": "string", "format": "date"}
        if issubclass(tp, str | Code):
            return {"type": "string"}
        if is_evidence_type(tp):
            return json_schema(tp)
    return {}


def rule_evidence_schema(rule: Any) -> dict[str, Any] | None:
    """The schema of the evidence of ``rule``'s findings (None: the rule has no evidence type).

    A rule with several evidence types (by status) gets ``anyOf`` of them.
    """
    types_ = tuple(getattr(rule, "evidence_types", ()))
    if not types_:
        return None
    schemas = [json_schema(t) for t in types_]
    schema = schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
    names = ", ".join(t.__name__ for t in types_)
    return {"description": f"Evidence of {rule.id} ({names}).", **schema}


def with_evidence_schemas(report_schema: str, rules: Iterable[Any]) -> str:
    """The report schema text with ``$defs/evidence.<RULE_ID>`` for every rule with typed evidence.

    Each is applied to the findings of its rule (``if rule_id == ... then
    evidence: ...``), so validating a report checks every such finding's
    evidence. Used to generate docs/finding.schema.json.
    """
    schema = json.loads(report_schema)
    defs: dict[str, Any] = {}
    checks: list[dict[str, Any]] = []
    for rule in sorted(rules, key=lambda r: r.id):
        one = rule_evidence_schema(rule)
        if one is None:
            continue
        name = f"evidence.{rule.id}"
        defs[name] = one
        checks.append({"if": {"required": ["rule_id"],
                              "properties": {"rule_id": {"const": rule.id}}},
                       "then": {"properties": {"evidence": {"$ref": f"#/$defs/{name}"}}}})
    if not checks:
        return report_schema
    # Keep the hand-laid-out packaged text as it is; add one compact line per rule.
    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=False)

    head, sep, tail = report_schema.partition('\n    "finding": {\n')
    end = tail.rstrip()
    if not sep or not end.endswith("}\n  }\n}"):
        raise ValueError("the packaged report schema does not have the expected layout")
    all_of = ",\n".join(f"        {line(c)}" for c in checks)
    body = end[: -len("\n  }\n}")]
    added = ",\n".join(f"    {line(k)}: {line(v)}" for k, v in defs.items())
    text = (f"{head}{sep}      \"allOf\": [\n{all_of}\n      ],\n{body},\n{added}\n  }}\n}}\n")
    merged = json.loads(text)
    schema["$defs"]["finding"] = {"allOf": checks, **schema["$defs"]["finding"]}
    schema["$defs"].update(defs)
    if merged != schema:  # pragma: no cover - a layout this function does not know
        raise ValueError("adding evidence schemas changed the report schema")
    return text
