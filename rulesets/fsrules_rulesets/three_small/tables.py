"""Typed views of the province tables a profile sets for each three-small rule.

A province's 三小 rules differ in who they cover, which numbers they use and
which article says so, so each rule reads one *table* parameter keyed by
business type (``small_workshop``, ``small_eatery``, ``small_grocery``,
``food_vendor``). A business type missing from the table means the
province's regulation sets no such duty for it: the rule does not judge it.
Every entry carries a ``basis`` (see :func:`.basis.citation`): the
province's instrument and article, which the finding cites first in its
``legal_basis`` (``ctx.finding(legal_basis=[entry.basis])``, issue 12).

The functions here check an entry's keys and types and raise
:class:`ProfileTableError` naming the rule, table, business type and key.
Each table parameter declares ``structure=BusinessTable(Entry)``, so the
catalogue parses every profile's table when it loads (issue 12): a bad one
fails there, naming the profile file and the key, not during a run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from fsrules import LegalBasis, RuleContext
from fsrules.model import BusinessType, LicenceKind

from .basis import citation
from .in_force import in_force_entries, require_in_force

__all__ = [
    "AreaLimit",
    "BasisOnly",
    "BusinessTable",
    "CertificateDuty",
    "HealthDuty",
    "OnlineDuty",
    "ProductTestDuty",
    "ProfileTableError",
    "ProhibitedList",
    "RetentionDuty",
    "basis_entry",
    "parse_table",
    "read_basis",
    "read_table",
]

E = TypeVar("E")


class ProfileTableError(ValueError):
    """A profile table of a three-small rule is malformed; the message says where."""


class _Entry:
    """Reads the keys of one table entry, remembering which were used."""

    def __init__(self, where: str, raw: Any) -> None:
        if not isinstance(raw, Mapping):
            raise ProfileTableError(f"{where}: expected a table, got {raw!r}")
        self.where = where
        self.raw = raw
        self.used: set[str] = set()

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        self.used.add(key)
        if key not in self.raw:
            if default is ...:
                raise ProfileTableError(f"{self.where}: missing key {key!r}")
            return default
        value = self.raw[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise ProfileTableError(f"{self.where}.{key}: expected {kind}, got a boolean")
        if not isinstance(value, kind):
            raise ProfileTableError(f"{self.where}.{key}: expected {kind}, got {value!r}")
        return value

    def kinds(self, key: str, default: Any = ...) -> tuple[LicenceKind, ...]:
        values = self.get(key, (list, tuple), default)
        try:
            return tuple(LicenceKind.parse(v) for v in values)
        except ValueError as exc:
            raise ProfileTableError(f"{self.where}.{key}: {exc}") from None

    def basis(self) -> LegalBasis:
        raw = self.get("basis", Mapping)
        try:
            basis = citation(raw)
        except ValueError as exc:
            raise ProfileTableError(f"{self.where}.basis: {exc}") from None
        if basis.in_force is None and basis.not_before is None:
            raise ProfileTableError(
                f"{self.where}.basis: the day {basis.instrument} took effect is not known; "
                f"give it as in_force = \"YYYY-MM-DD\"")
        return basis

    def done(self) -> None:
        extra = sorted(set(self.raw) - self.used)
        if extra:
            raise ProfileTableError(f"{self.where}: unknown key(s) {', '.join(extra)}; "
                                    f"allowed: {', '.join(sorted(self.used))}")


@attrs.frozen(kw_only=True)
class CertificateDuty:
    """SMALL-101: which certificate a business type holds, its validity and renewal lead time.

    ``label_zh``/``label_en`` name the certificate as the province does
    (河南 小经营店登记证, 山东 信息公示卡) when the kinds' own names differ.
    """

    kinds: tuple[LicenceKind, ...]
    alternatives: tuple[LicenceKind, ...]
    validity_years: int | None
    renew_days_before: int | None
    file_within_days: int | None
    basis: LegalBasis
    label_zh: str = ""
    label_en: str = ""


@attrs.frozen(kw_only=True)
class ProhibitedList:
    """SMALL-201/202/203: the catalogue categories a business type may not produce or sell.

    ``categories`` maps a category of ``product_categories.toml`` to the item
    of the article that lists it (``"第一项"``, or ``""``).
    """

    categories: Mapping[str, str]
    basis: LegalBasis


@attrs.frozen(kw_only=True)
class HealthDuty:
    """SMALL-301: whether every staff member needs a certificate, or only food handlers."""

    all_staff: bool
    basis: LegalBasis


@attrs.frozen(kw_only=True)
class RetentionDuty:
    """SMALL-302/303: the minimum months a record is kept."""

    min_months: int
    basis: LegalBasis


@attrs.frozen(kw_only=True)
class ProductTestDuty:
    """SMALL-304: first-batch and yearly product testing."""

    first_batch: bool
    yearly: bool
    basis: LegalBasis


@attrs.frozen(kw_only=True)
class BasisOnly:
    """A duty with nothing to set but its legal basis (SMALL-305, SMALL-401)."""

    basis: LegalBasis


@attrs.frozen(kw_only=True)
class AreaLimit:
    """SMALL-501: the largest area of the category, and which licences replace it beyond."""

    max_m2: float
    limit_inclusive: bool
    licence_kinds: tuple[LicenceKind, ...]
    basis: LegalBasis


@attrs.frozen(kw_only=True)
class OnlineDuty:
    """SMALL-502: selling online needs a physical shop and one of these certificates."""

    require_shop: bool
    certificate_kinds: tuple[LicenceKind, ...]
    basis: LegalBasis


def _non_negative(entry: _Entry, key: str) -> int | None:
    value = entry.get(key, int, None)
    if value is not None and value < 0:
        raise ProfileTableError(f"{entry.where}.{key}: must not be negative, got {value}")
    return value  # type: ignore[no-any-return]


def _certificate(entry: _Entry) -> CertificateDuty:
    kinds = entry.kinds("kinds")
    if not kinds:
        raise ProfileTableError(f"{entry.where}.kinds: name at least one certificate kind")
    return CertificateDuty(
        kinds=kinds, alternatives=entry.kinds("alternatives", ()),
        validity_years=_non_negative(entry, "validity_years"),
        renew_days_before=_non_negative(entry, "renew_days_before"),
        file_within_days=_non_negative(entry, "file_within_days"),
        basis=entry.basis(), label_zh=entry.get("label_zh", str, ""),
        label_en=entry.get("label_en", str, ""))


def _prohibited(entry: _Entry) -> ProhibitedList:
    raw = entry.get("categories", Mapping)
    cats: dict[str, str] = {}
    for name, item in raw.items():
        if not isinstance(item, str):
            raise ProfileTableError(f"{entry.where}.categories.{name}: expected the article's "
                                    f"item as text (\"第一项\" or \"\"), got {item!r}")
        cats[str(name)] = item
    return ProhibitedList(categories=cats, basis=entry.basis())


def _health(entry: _Entry) -> HealthDuty:
    return HealthDuty(all_staff=entry.get("all_staff", bool), basis=entry.basis())


def _retention(entry: _Entry) -> RetentionDuty:
    months = entry.get("min_months", int)
    if months < 1:
        raise ProfileTableError(f"{entry.where}.min_months: must be at least 1, got {months}")
    return RetentionDuty(min_months=months, basis=entry.basis())


def _testing(entry: _Entry) -> ProductTestDuty:
    return ProductTestDuty(first_batch=entry.get("first_batch", bool),
                       yearly=entry.get("yearly", bool), basis=entry.basis())


def _basis_only(entry: _Entry) -> BasisOnly:
    return BasisOnly(basis=entry.basis())


def _area(entry: _Entry) -> AreaLimit:
    limit = float(entry.get("max_m2", (int, float)))
    if limit <= 0:
        raise ProfileTableError(f"{entry.where}.max_m2: must be positive, got {limit}")
    return AreaLimit(max_m2=limit, limit_inclusive=entry.get("limit_inclusive", bool),
                     licence_kinds=entry.kinds("licence_kinds"), basis=entry.basis())


def _online(entry: _Entry) -> OnlineDuty:
    return OnlineDuty(require_shop=entry.get("require_shop", bool),
                      certificate_kinds=entry.kinds("certificate_kinds"), basis=entry.basis())


_READERS: dict[type[Any], Callable[[_Entry], Any]] = {
    CertificateDuty: _certificate,
    ProhibitedList: _prohibited,
    HealthDuty: _health,
    RetentionDuty: _retention,
    ProductTestDuty: _testing,
    BasisOnly: _basis_only,
    AreaLimit: _area,
    OnlineDuty: _online,
}


def parse_table(rule_id: str, name: str, raw: Any, kind: type[E]) -> dict[BusinessType, E]:
    """Parse a table parameter's value: business type → entry of ``kind``."""
    return _parse(f"{rule_id}.{name}", raw, kind)


class BusinessTable(Generic[E]):
    """The ``structure`` of a table parameter: business type → typed entry of ``kind``.

    Declared on the rule's :class:`~fsrules.Param`, it makes the catalogue
    parse every profile's table when it loads (a bad one fails there, naming
    file and key), and ``ctx.param`` return the parsed table.
    """

    def __init__(self, kind: type[E]) -> None:
        self.kind = kind

    def __call__(self, raw: Any, where: str) -> dict[BusinessType, E]:
        return _parse(where, raw, self.kind)

    def __repr__(self) -> str:
        return f"BusinessTable({self.kind.__name__})"


def basis_entry(raw: Any, where: str) -> LegalBasis:
    """The ``structure`` of a single ``basis`` parameter (SMALL-402): its citation."""
    entry = _Entry(where, {"basis": raw})
    basis = entry.basis()
    entry.done()
    return basis


def _parse(where: str, raw: Any, kind: type[E]) -> dict[BusinessType, E]:
    if not isinstance(raw, Mapping):
        raise ProfileTableError(f"{where}: expected a table keyed by business type, got {raw!r}")
    out: dict[BusinessType, E] = {}
    for key, value in raw.items():
        try:
            business = BusinessType.parse(key)
        except ValueError:
            raise ProfileTableError(f"{where}: {key!r} is not a business type") from None
        if not business.is_three_small:
            raise ProfileTableError(f"{where}: {key!r} is not a 三小 business type")
        entry = _Entry(f"{where}.{key}", value)
        out[business] = _READERS[kind](entry)
        entry.done()
    return out


def read_table(ctx: RuleContext, name: str, kind: type[E]) -> dict[BusinessType, E]:
    """The rule's table parameter ``name`` in force on ``ctx.as_of``, parsed.

    Only the entries whose instrument is in force on ``as_of`` are returned;
    when there are entries and none is in force, the rule is not in force
    (:class:`~fsrules.exceptions.RuleNotInForce`).
    """
    value = ctx.param(name)  # parsed by the parameter's BusinessTable structure
    if not all(isinstance(e, kind) for e in value.values()):
        value = parse_table(ctx.rule.id, name, value, kind)  # a Param declared without it
    table: dict[BusinessType, E] = value
    return in_force_entries(ctx, table)


def read_basis(ctx: RuleContext, name: str) -> LegalBasis:
    """A single ``basis`` entry parameter of the rule, parsed; it must be in force on as_of."""
    basis = ctx.param(name)  # parsed by basis_entry
    if not isinstance(basis, LegalBasis):
        basis = basis_entry(basis, f"{ctx.rule.id}.{name}")
    return require_in_force(ctx, basis)
