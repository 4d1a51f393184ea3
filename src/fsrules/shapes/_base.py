"""What every check shape shares: conditions, the scope, record selections and the hit.

A shape is a frozen, declarative description of a check (which subjects,
which facts, which parameters, what evidence); it evaluates in the batch
engine (it is the rule's ``evaluate``) and :meth:`Shape.describe` returns the
same description as plain data, for the live monitor to compile.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from fsrules._findings import FactRef, Finding, Period, Subject
from fsrules._rules import Param
from fsrules.exceptions import RuleDefinitionError
from fsrules.model import Fact, Severity

if TYPE_CHECKING:
    from fsrules._context import RuleContext

__all__ = [
    "Condition",
    "Hit",
    "Prepared",
    "Records",
    "Scope",
    "Shape",
    "at_least",
    "at_most",
    "callable_name",
    "kind_name",
    "latest",
    "one_of",
    "param_value",
    "shift",
]

#: The comparison operators a :class:`Condition` understands.
OPERATORS = ("==", "!=", "in", "not in", ">=", "<=", ">", "<")

#: The units a window can be counted in.
UNITS = ("days", "months", "years")


def kind_name(kind: str | type[Fact]) -> str:
    """A fact kind's name, from the name or the class."""
    return kind if isinstance(kind, str) else kind.KIND


def callable_name(func: Any) -> str | None:
    """``module:qualname`` of a hook (partials name their function), None for no hook."""
    if func is None:
        return None
    inner = getattr(func, "func", func)  # functools.partial
    module = getattr(inner, "__module__", "?")
    name = getattr(inner, "__qualname__", type(inner).__name__)
    return f"{module}:{name}"


def param_value(ctx: RuleContext, value: Any, on: dt.date | None = None) -> Any:
    """The value of ``value``: a :class:`~fsrules.Param` is read from the context."""
    if isinstance(value, Param):
        return ctx.param(value.name, on=on)
    return value


def _describe_value(value: Any) -> Any:
    if isinstance(value, Param):
        return {"parameter": value.name, "type": value.type}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        return [_describe_value(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    """A field's value as compared: enums by their value, datetimes by their date."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.date()
    return value


@attrs.frozen(kw_only=True)
class Condition:
    """``field op value`` on a fact; ``value`` may be a :class:`~fsrules.Param`."""

    field: str
    op: str
    value: Any

    def __attrs_post_init__(self) -> None:
        if self.op not in OPERATORS:
            raise RuleDefinitionError(f"condition on {self.field!r}: operator {self.op!r} is "
                                      f"not one of {', '.join(OPERATORS)}")

    def test(self, ctx: RuleContext, fact: Fact, on: dt.date | None = None) -> bool:
        """True when ``fact`` meets the condition (parameters read on ``on``)."""
        return self.meets(fact, self.wanted(ctx, on))

    def wanted(self, ctx: RuleContext, on: dt.date | None = None) -> Any:
        """What :meth:`meets` compares with: the value (or parameter on ``on``), prepared.

        One fact at a time (:meth:`test`) or once for many (:class:`Prepared`).
        """
        want = param_value(ctx, self.value, on)
        if self.op in ("in", "not in"):
            return {_plain(v) for v in want}
        want = _plain(want)
        if self.op in ("==", "!="):
            return want
        # Numbers compare exactly: a float as the decimal it was written as.
        number = isinstance(want, float | int)
        return number, (Fraction(repr(want)) if isinstance(want, float) else want), want

    def meets(self, fact: Fact, want: Any) -> bool:
        """True when ``fact`` meets the condition, ``want`` from :meth:`wanted`."""
        have = _plain(getattr(fact, self.field))
        op = self.op
        if op == "in":
            return have in want
        if op == "not in":
            return have not in want
        if op == "==":
            return bool(have == want)
        if op == "!=":
            return bool(have != want)
        if have is None:
            return False
        number, exact, plain = want
        if number and isinstance(have, float | int):
            have, plain = (Fraction(repr(have)) if isinstance(have, float) else have), exact
        return bool(_COMPARE[op](have, plain))

    def select(self, facts: Sequence[Fact], want: Any) -> list[Fact]:
        """The facts of ``facts`` (in their order) that meet the condition, ``want`` from
        :meth:`wanted`: :meth:`meets` once per distinct field value (by identity; facts
        loaded from one file share their values), C-level passes for the rest."""
        values = list(map(operator.attrgetter(self.field), facts))
        holder = dict(zip(map(id, values), facts, strict=True))  # a fact holding each value
        passing = {key for key, fact in holder.items() if self.meets(fact, want)}
        return list(itertools.compress(facts, map(passing.__contains__, map(id, values))))

    def describe(self) -> dict[str, Any]:
        """Plain data: ``{"field", "op", "value"}`` (a parameter as ``{"parameter": name}``)."""
        return {"field": self.field, "op": self.op, "value": _describe_value(self.value)}

    @property
    def parameters(self) -> tuple[Param, ...]:
        """The parameter the condition reads, if any."""
        return (self.value,) if isinstance(self.value, Param) else ()


_COMPARE: Mapping[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}

_UNSET = object()


class Prepared:
    """Conditions tested against many facts in one evaluation, each value prepared once.

    :meth:`Condition.test` reads the parameter and prepares the value (a set
    for ``in``) for every fact; here that is done on a condition's first use
    for a given day and kept for this evaluation. A condition is still only
    read once the conditions before it passed (as ``all(c.test(...))`` did),
    so the parameters a rule reads -- and a missing parameter's error -- are
    the same.
    """

    __slots__ = ("_conditions", "_ctx", "_wants")

    def __init__(self, ctx: RuleContext, conditions: Sequence[Condition]) -> None:
        self._ctx = ctx
        self._conditions = tuple(enumerate(conditions))
        self._wants: dict[tuple[int, dt.date | None], Any] = {}

    def __bool__(self) -> bool:
        return bool(self._conditions)

    def __call__(self, fact: Fact, on: dt.date | None = None) -> bool:
        """True when ``fact`` meets every condition (parameters read on ``on``)."""
        wants = self._wants
        for number, condition in self._conditions:
            want = wants.get((number, on), _UNSET)
            if want is _UNSET:
                want = wants[(number, on)] = condition.wanted(self._ctx, on)
            if not condition.meets(fact, want):
                return False
        return True

    def select(self, facts: Sequence[Fact], on: dt.date | None = None) -> list[Fact]:
        """``[f for f in facts if self(f, on)]``, a condition at a time over all the facts.

        A condition's value is still read only once some fact met the conditions
        before it, as with one fact at a time.
        """
        out = list(facts)
        wants = self._wants
        try:
            for number, condition in self._conditions:
                if not out:
                    break
                want = wants.get((number, on), _UNSET)
                if want is _UNSET:
                    want = wants[(number, on)] = condition.wanted(self._ctx, on)
                out = condition.select(out, want)
        except Exception:
            # A missing parameter or a comparison that fails: one fact at a time
            # raises what the first failing fact does, as without this path.
            return [fact for fact in facts if self(fact, on)]
        return out


def at_least(value: Any) -> tuple[str, Any]:
    """``where={"diners": at_least(MIN)}``: the field is ``>=`` value (or parameter)."""
    return (">=", value)


def at_most(value: Any) -> tuple[str, Any]:
    """``where={"held_on": at_most(LAST_DAY)}``: the field is ``<=`` value."""
    return ("<=", value)


def one_of(*values: Any) -> tuple[str, Any]:
    """``where={"business_type": one_of("small_eatery", "food_vendor")}``."""
    return ("in", tuple(values))


def _conditions(value: Mapping[str, Any] | Iterable[Condition] | None) -> tuple[Condition, ...]:
    """``{field: value}`` (==), ``{field: (op, value)}`` (helpers above) or Conditions."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        return tuple(value)
    out = []
    for field, want in value.items():
        if isinstance(want, Condition):
            out.append(want)
        elif isinstance(want, tuple) and len(want) == 2 and want[0] in OPERATORS:
            out.append(Condition(field=field, op=want[0], value=want[1]))
        elif isinstance(want, Param):
            out.append(Condition(field=field, op="in" if want.type == "list" else "==",
                                 value=want))
        elif isinstance(want, list | frozenset | set):
            out.append(Condition(field=field, op="in", value=tuple(want)))
        else:
            out.append(Condition(field=field, op="==", value=want))
    return tuple(out)


def _region(value: str | None) -> str | None:
    return None if value is None else (value + "000000")[:6]


@attrs.frozen(kw_only=True)
class Scope:
    """Which subjects a shape checks: facts of ``kind`` meeting every condition.

    ``region`` keeps the subjects of a division (a prefix such as ``"51"``);
    ``active`` only operators (facts with ``active_on``) open on ``as_of``;
    ``params_on`` names the subject's date field on which parameters are
    read (a changed threshold does not re-judge earlier events; default:
    ``as_of``); ``key`` the field records link to (default ``id``;
    ``code`` for regions). ``filter`` is the escape hatch: a function
    ``(ctx, fact) -> bool``, described by name only.
    """

    kind: str = attrs.field(converter=kind_name)
    where: tuple[Condition, ...] = attrs.field(default=(), converter=_conditions)
    region: str | None = attrs.field(default=None, converter=_region)
    active: bool = False
    params_on: str | None = None
    key: str = "id"
    filter: Callable[[RuleContext, Fact], bool] | None = None

    def day(self, ctx: RuleContext, subject: Fact) -> dt.date:
        """The day ``subject``'s parameters are read on."""
        if self.params_on is None:
            return ctx.as_of
        value = getattr(subject, self.params_on)
        return value.date() if isinstance(value, dt.datetime) else value

    def key_of(self, subject: Fact) -> str:
        """The value records link to."""
        return str(getattr(subject, self.key))

    def subjects(self, ctx: RuleContext) -> Iterator[Fact]:
        """The subjects in scope, in id order."""
        facts = (ctx.facts.in_region(self.kind, self.region) if self.region
                 else ctx.facts.of_kind(self.kind))
        tests = Prepared(ctx, self.where)
        if tests and self.params_on is None:
            # Every subject's parameters are read on as_of: test the conditions over
            # all the facts at once (the same subjects, the same parameters read).
            active: Sequence[Fact] = facts
            if self.active:
                active = [f for f in facts
                          if not (hasattr(f, "active_on") and not f.active_on(ctx.as_of))]
            for fact in tests.select(active, ctx.as_of):
                if self.filter is None or self.filter(ctx, fact):
                    yield fact
            return
        for fact in facts:
            if self.active and hasattr(fact, "active_on") and not fact.active_on(ctx.as_of):
                continue
            if tests and not tests(fact, self.day(ctx, fact)):
                continue
            if self.filter is not None and not self.filter(ctx, fact):
                continue
            yield fact

    def describe(self) -> dict[str, Any]:
        """Plain data describing the scope."""
        return {"kind": self.kind, "where": [c.describe() for c in self.where],
                "region": self.region, "active": self.active, "params_on": self.params_on,
                "key": self.key, "filter": callable_name(self.filter)}


@attrs.frozen(kw_only=True)
class Records:
    """The facts a shape reads per subject: facts of ``kind`` linked to it.

    ``link`` is the field holding the subject's key (default: the kind's
    subject field, i.e. the operator id); ``where`` conditions select
    among them (``{"inspection_kind": "routine"}``); ``date`` names the
    date field that dates a record (default: its kind's date; a 核查处置
    counts when ``completed_on``, not when it started).
    """

    kind: str = attrs.field(converter=kind_name)
    link: str | None = None
    where: tuple[Condition, ...] = attrs.field(default=(), converter=_conditions)
    date: str | None = None

    def day_of(self, fact: Fact) -> dt.date | None:
        """The day that dates ``fact`` (``date``'s field, else its kind's date)."""
        if self.date is None:
            return fact.fact_date
        value = getattr(fact, self.date)
        return value.date() if isinstance(value, dt.datetime) else value

    def lookup(self, ctx: RuleContext) -> Callable[[str], Sequence[Fact]]:
        """A function from a subject's key to its records (an index built once per run)."""
        tests = Prepared(ctx, self.where)
        if self.link is None:
            def by_subject(key: str) -> Sequence[Fact]:
                return [f for f in ctx.facts.for_subject(self.kind, key) if tests(f)]
            return by_subject
        index: dict[str, list[Fact]] = {}
        for fact in ctx.facts.of_kind(self.kind):
            if tests(fact):
                index.setdefault(str(getattr(fact, self.link)), []).append(fact)
        return lambda key: index.get(key, ())

    def describe(self) -> dict[str, Any]:
        """Plain data describing the selection (``date`` only when it is set)."""
        described: dict[str, Any] = {"kind": self.kind, "link": self.link,
                                     "where": [c.describe() for c in self.where]}
        if self.date is not None:
            described["date"] = self.date
        return described

    @property
    def parameters(self) -> tuple[Param, ...]:
        """The parameters the conditions read."""
        return tuple(p for c in self.where for p in c.parameters)


def dated(facts: Iterable[Fact], start: dt.date | None, end: dt.date | None,
          day_of: Callable[[Fact], dt.date | None] | None = None) -> list[Fact]:
    """The facts whose date (``day_of``, default their kind's) lies in [start, end], by date then id."""
    if day_of is None:
        out = [f for f in facts if f.fact_date is not None
               and (start is None or f.fact_date >= start)
               and (end is None or f.fact_date <= end)]
        return sorted(out, key=lambda f: (f.fact_date, f.id))
    keyed = [(day, f) for f in facts if (day := day_of(f)) is not None
             and (start is None or day >= start) and (end is None or day <= end)]
    return [f for _, f in sorted(keyed, key=lambda p: (p[0], p[1].id))]


def latest(facts: Iterable[Fact], end: dt.date) -> Fact | None:
    """The last of ``dated(facts, None, end)`` (by date then id), without sorting them all."""
    return max((f for f in facts if f.fact_date is not None and f.fact_date <= end),
               key=lambda f: (f.fact_date, f.id), default=None)


def shift(day: dt.date, length: int, unit: str) -> dt.date:
    """``day`` plus ``length`` ``unit`` (calendar months: the 31st becomes the month's last day)."""
    if unit == "days":
        return day + dt.timedelta(days=length)
    months = length * (12 if unit == "years" else 1)
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    following = dt.date(year + (month == 11), (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (following - dt.timedelta(days=1)).day))


def window(end: dt.date, length: int, unit: str) -> Period:
    """The ``length`` ``unit`` ending on ``end`` (inclusive)."""
    return Period.ending(end, **{unit: length})


@attrs.frozen(kw_only=True)
class Hit:
    """What a shape found for one subject: the facts and the values measured.

    ``values`` is the shape's own evidence (what it measured); an
    ``evidence`` hook turns the hit into the rule's evidence, a ``finding``
    hook into the whole finding (via :meth:`finding`).
    """

    ctx: RuleContext
    shape: Shape
    subject: Fact
    facts: tuple[Fact, ...]
    values: Mapping[str, Any]
    day: dt.date
    period: Period | None = None
    due_date: dt.date | None = None

    def param(self, name: str) -> Any:
        """The rule's parameter ``name`` on the hit's day."""
        return self.ctx.param(name, on=self.day)

    def finding(self, *, evidence: Any = None,
                **overrides: Any) -> Finding:
        """The finding of this hit (the shape's subject, period, facts; ``overrides`` win)."""
        shape = self.shape
        refs = (shape.refs(self) if shape.refs is not None
                else (self.subject, *self.facts))
        if evidence is None:
            evidence = shape.evidence(self) if shape.evidence is not None else self.values
        if isinstance(evidence, Mapping) and shape.EVIDENCE is not None and isinstance(
                shape.EVIDENCE, type) and self.ctx.rule.evidence is shape.EVIDENCE:
            evidence = shape.EVIDENCE(**evidence)  # the rule declares the shape's type
        args: dict[str, Any] = {
            "subject": (shape.subject(self.subject) if shape.subject is not None
                        else Subject.of(self.subject)),
            "evidence": evidence,
            "facts": refs, "period": self.period, "due_date": self.due_date,
            "fingerprint_period": shape.fingerprint_period,
        }
        args.update(overrides)
        if isinstance(args.get("severity"), str):
            args["severity"] = Severity.parse(args["severity"])
        return self.ctx.finding(**args)


@attrs.frozen(kw_only=True)
class Shape:
    """The base of the check shapes (:class:`Absence`, :class:`Threshold`...).

    Hooks, each optional and described by name: ``evidence(hit)`` the
    evidence mapping (default: what the shape measured), ``finding(hit)``
    the whole finding or None (the escape hatch), ``subject(fact)`` the
    finding's subject, ``refs(hit)`` the facts it rests on.
    ``fingerprint_period`` is False by default: windows roll with
    ``as_of``, and the same problem keeps its fingerprint.
    """

    SHAPE: ClassVar[str] = ""
    EVIDENCE: ClassVar[type | None] = None
    """The typed evidence of what the shape measures (``hit.values`` as a class)."""

    scope: Scope
    evidence: Callable[[Hit], Any] | None = None
    """The finding's evidence: an instance of the rule's evidence type (or a mapping)."""
    finding: Callable[[Hit], Finding | None] | None = None
    subject: Callable[[Fact], Subject] | None = None
    refs: Callable[[Hit], Iterable[Fact | FactRef]] | None = None
    fingerprint_period: bool = False
    module: str = attrs.field(default="", eq=False, repr=False)
    """The module that declared the rule (rules pickle by reference to it)."""

    @property
    def rule_module(self) -> str:
        """Where the rule using this shape lives (see :meth:`fsrules.Rule.__reduce_ex__`)."""
        return self.module

    def __call__(self, ctx: RuleContext) -> Iterator[Finding]:
        """Evaluate: one finding per hit (hooks applied)."""
        for hit in self.hits(ctx):
            found = self.finding(hit) if self.finding is not None else hit.finding()
            if found is not None:
                yield found

    def hits(self, ctx: RuleContext) -> Iterator[Hit]:
        """What the shape finds, before the hooks."""
        raise NotImplementedError

    def hit(self, ctx: RuleContext, subject: Fact, facts: Iterable[Fact],
            values: Mapping[str, Any], day: dt.date, *, period: Period | None = None,
            due_date: dt.date | None = None) -> Hit:
        """A :class:`Hit` of this shape."""
        return Hit(ctx=ctx, shape=self, subject=subject, facts=tuple(facts), values=values,
                   day=day, period=period, due_date=due_date)

    # ------------------------------------------------------------------ declaration

    def has_hooks(self) -> bool:
        """True when a hook words the finding (then the rule declares its own evidence)."""
        return self.evidence is not None or self.finding is not None

    def own_parameters(self) -> tuple[Param, ...]:
        """Parameters the shape's own fields name (windows, limits, counts)."""
        return ()

    def own_reads(self) -> tuple[str, ...]:
        """Fact kinds the shape's own fields read besides the scope."""
        return ()

    def parameters(self) -> tuple[Param, ...]:
        """Every parameter the shape reads (declared on the rule for you)."""
        found = [p for c in self.scope.where for p in c.parameters]
        found.extend(self.own_parameters())
        return tuple({p.name: p for p in found}.values())

    def reads(self) -> tuple[str, ...]:
        """Every fact kind the shape reads (declared on the rule for you)."""
        return tuple(dict.fromkeys((self.scope.kind, *self.own_reads())))

    def describe(self) -> dict[str, Any]:
        """The shape as plain data (JSON-able): what the live monitor compiles."""
        return {
            "shape": self.SHAPE,
            "scope": self.scope.describe(),
            **self.describe_own(),
            "parameters": [p.name for p in self.parameters()],
            "reads": list(self.reads()),
            "fingerprint_period": self.fingerprint_period,
            "hooks": {name: callable_name(getattr(self, name)) for name in
                      ("evidence", "finding", "subject", "refs")},
        }

    def describe_own(self) -> dict[str, Any]:
        """The shape-specific part of :meth:`describe`."""
        return {}


def describe_value(value: Any) -> Any:
    """A field value for :meth:`Shape.describe` (a parameter as ``{"parameter": name}``)."""
    return _describe_value(value)


def check_unit(unit: str) -> str:
    """Validate a window unit."""
    if unit not in UNITS:
        raise RuleDefinitionError(f"window unit {unit!r} is not one of {', '.join(UNITS)}")
    return unit
