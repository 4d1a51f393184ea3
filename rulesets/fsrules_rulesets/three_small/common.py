"""Helpers the three-small rules share: the operators in scope, certificates, dates, text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

import attrs

from fsrules import Fact, Period, RuleContext
from fsrules.dates import add_months, add_years
from fsrules.model import BusinessType, Licence, LicenceKind, Operator, VendorRegistration

from .facts import SmallScope

__all__ = [
    "MARKET_BUREAU",
    "TOWNSHIP",
    "URBAN_MANAGEMENT",
    "Certificate",
    "Scoped",
    "add_months",
    "add_years",
    "certificates",
    "joined",
    "kind_en",
    "kinds_en",
    "kinds_zh",
    "licences_valid_on",
    "review_window",
    "scoped",
]

#: 牵头单位 and 责任单位 the rules name (county level: the regulations give the county
#: bureau the supervision, townships the vendors' zones and filing in Shandong).
MARKET_BUREAU = "县市场监管局"
TOWNSHIP = "乡镇人民政府（街道办事处）"
URBAN_MANAGEMENT = "县城市管理局"

#: The certificate kinds of the 三小 themselves (登记证 and 备案卡).
REGISTRATION_KINDS = frozenset({LicenceKind.WORKSHOP_REGISTRATION,
                                LicenceKind.EATERY_REGISTRATION, LicenceKind.VENDOR_FILING})


_KIND_EN = {
    LicenceKind.BUSINESS: "food business licence",
    LicenceKind.PRODUCTION: "food production licence",
    LicenceKind.FILING: "prepackaged-food filing",
    LicenceKind.WORKSHOP_REGISTRATION: "workshop registration certificate",
    LicenceKind.EATERY_REGISTRATION: "small-eatery registration certificate",
    LicenceKind.VENDOR_FILING: "vendor filing card",
}


def kind_en(kind: LicenceKind) -> str:
    """A certificate kind in English words, for messages."""
    return _KIND_EN.get(kind) or str(kind.value).replace("_", " ")


def kinds_zh(kinds: Iterable[LicenceKind]) -> str:
    """``小作坊登记证或食品生产许可证``."""
    return "或".join(k.zh for k in kinds)


def kinds_en(kinds: Iterable[LicenceKind]) -> str:
    """``workshop registration certificate or food production licence``."""
    return " or ".join(kind_en(k) for k in kinds)


@attrs.frozen(kw_only=True)
class Scoped:
    """An operator the profile in force judges, with its scope record."""

    scope: SmallScope
    operator: Operator


def scoped(ctx: RuleContext, types: Iterable[BusinessType] | None = None) -> list[Scoped]:
    """The operators SMALL-SCOPE put in scope (optionally of some business types), by id."""
    wanted = None if types is None else set(types)
    out = []
    for scope in ctx.facts.of_kind(SmallScope):
        if wanted is not None and scope.business_type not in wanted:
            continue
        operator = ctx.facts.operator(scope.operator_id)
        if operator is not None:
            out.append(Scoped(scope=scope, operator=operator))
    return out


def review_window(ctx: RuleContext, months: int) -> Period:
    """The ``months`` ending on ``as_of``: the records a rule looks at."""
    return Period.ending(ctx.as_of, months=months)


def joined(items: Iterable[object], sep: str = "、") -> str:
    """Items joined for a message (``-`` when there are none)."""
    text = sep.join(str(i) for i in items)
    return text or "-"


@attrs.frozen(kw_only=True)
class Certificate:
    """A 登记证, 备案卡 or licence of an operator, from a Licence or a VendorRegistration fact."""

    fact: Fact
    kind: LicenceKind
    number: str | None
    issued_on: dt.date
    valid_until: dt.date | None
    revoked_on: dt.date | None
    products: tuple[str, ...]
    zone: str | None = None
    time_slot: str | None = None

    def expiry(self, validity_years: int | None = None) -> dt.date | None:
        """The last valid day: as recorded, else ``validity_years`` after issue, else None.

        A 3-year certificate issued on 2020-08-18 is valid until 2023-08-17.
        """
        if self.valid_until is not None:
            return self.valid_until
        if validity_years:
            return add_years(self.issued_on, validity_years) - dt.timedelta(days=1)
        return None

    def valid_on(self, day: dt.date, validity_years: int | None = None) -> bool:
        """True when the certificate covered ``day``."""
        if day < self.issued_on:
            return False
        if self.revoked_on is not None and day >= self.revoked_on:
            return False
        end = self.expiry(validity_years)
        return end is None or day <= end

    @property
    def label(self) -> str:
        """``kind number`` for messages, e.g. ``小作坊登记证 冀食小作坊登字…``."""
        return f"{self.kind.zh} {self.number or self.fact.id}"

    @property
    def label_en(self) -> str:
        """The English form of :attr:`label`."""
        return f"{kind_en(self.kind)} {self.number or self.fact.id}"


def _from_licence(lic: Licence) -> Certificate:
    return Certificate(fact=lic, kind=lic.licence_kind, number=lic.number, issued_on=lic.issued_on,
                       valid_until=lic.valid_until, revoked_on=lic.revoked_on, products=lic.scope)


def _from_registration(reg: VendorRegistration) -> Certificate:
    return Certificate(fact=reg, kind=reg.licence_kind, number=reg.number,
                       issued_on=reg.issued_on, valid_until=reg.valid_until, revoked_on=None,
                       products=reg.products, zone=reg.zone, time_slot=reg.time_slot)


def certificates(ctx: RuleContext, operator_id: str, kinds: Iterable[LicenceKind] | None = None,
                 ) -> list[Certificate]:
    """The operator's certificates issued on or before ``as_of`` (from both fact kinds).

    Sorted by issue date, then fact kind and id, so "the latest" is the last.
    """
    wanted = None if kinds is None else set(kinds)
    found = [_from_licence(f) for f in ctx.facts.for_subject(Licence, operator_id)]
    found += [_from_registration(f)
              for f in ctx.facts.for_subject(VendorRegistration, operator_id)]
    return sorted((c for c in found if c.issued_on <= ctx.as_of
                   and (wanted is None or c.kind in wanted)),
                  key=lambda c: (c.issued_on, c.fact.KIND, c.fact.id))


def licences_valid_on(certs: Sequence[Certificate], kinds: Iterable[LicenceKind],
                      day: dt.date, validity_years: int | None = None) -> list[Certificate]:
    """The certificates of ``kinds`` valid on ``day``."""
    wanted = set(kinds)
    return [c for c in certs if c.kind in wanted and c.valid_on(day, validity_years)]


def facts_of(certs: Iterable[Certificate]) -> Iterator[Fact]:
    """The facts behind some certificates."""
    for cert in certs:
        yield cert.fact
