"""Legal instruments the three-small (三小) rules cite, declared once.

Confidence labels follow shared/domain/regulations.md §6. The Shandong,
Henan and Chongqing regulations were read in full (shared/domain/texts/,
V). The Hebei instruments were not: their facts are corroborated (C) and no
article number is cited for them (``article=None``; the note says why).

Profiles cite an instrument by its key in :data:`INSTRUMENTS` (see
``profiles/*.three-small.toml``); :func:`citation` narrows it to the
article, item and confidence a profile gives.

Every instrument carries the day it took effect (:attr:`ProvinceBasis.in_force`):
a province's rules judge nothing before it (issue 10). The dates of the
Shandong, Henan and Chongqing regulations are their own final articles (V);
Hebei's 2016 regulation is dated by the earliest source showing it in force
(C); the 2026 revision's date was not found (?): it cannot apply before its
publication (``not_before``), and from then on a profile must give the day
(the ``instrument_in_force`` parameter) or the rules citing it do not run. A
profile citing an instrument by title gives ``in_force = "YYYY-MM-DD"`` in
its ``basis`` entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from fsrules import LegalBasis
from fsrules.instruments import FOOD_SAFETY_LAW, ORDER_49, article

__all__ = [
    "CHONGQING",
    "FSL_ART_35",
    "FSL_ART_36",
    "FSL_ART_45",
    "HEBEI_2016",
    "HEBEI_2026",
    "HEBEI_REGISTRATION_DRAFT",
    "HENAN",
    "INSTRUMENTS",
    "ORDER_49_ART_54",
    "SHANDONG",
    "ProvinceBasis",
    "citation",
]

@attrs.frozen(kw_only=True)
class ProvinceBasis(LegalBasis):
    """A legal basis that knows the day its instrument took effect (``in_force``).

    ``in_force`` is None only for an instrument whose date a profile must give
    (its ``instrument_in_force`` parameter, see :mod:`.in_force`); ``not_before``
    is then the earliest day it can apply, so before it nothing is asked.
    It is not part of a finding's ``legal_basis`` JSON (the core's fields are);
    the three-small findings show it in ``province_basis``.
    """

    in_force: dt.date | None = None
    #: The earliest day an instrument of unknown date can apply (its publication), or None.
    not_before: dt.date | None = None
    #: How the profile cited it (a key of :data:`INSTRUMENTS`, or a title).
    key: str | None = None


def _dated(basis: LegalBasis, in_force: dt.date | None) -> ProvinceBasis:
    return ProvinceBasis(**attrs.asdict(basis, recurse=False), in_force=in_force)


#: 食品安全法第三十六条: small workshops and vendors; provinces make the concrete rules (V).
FSL_ART_36 = article(FOOD_SAFETY_LAW, "第三十六条", en="Art. 36")
#: 食品安全法第三十五条: licensing, and filing for prepackaged-food-only sellers (V).
FSL_ART_35 = article(FOOD_SAFETY_LAW, "第三十五条", en="Art. 35")
#: 食品安全法第四十五条第二款: yearly health checks for staff touching ready-to-eat food (V).
FSL_ART_45 = article(FOOD_SAFETY_LAW, "第四十五条", "第二款", en="Art. 45(2)")

ORDER_49_ART_54 = attrs.evolve(
    article(ORDER_49, "第五十四条", en="Art. 54"),
    note="省级没有规定的，三小的监督检查可参照本办法 / where a province has no rule, "
         "三小 inspections may follow this order",
)

SHANDONG = ProvinceBasis(
    instrument="《山东省食品小作坊小餐饮和食品摊点管理条例》",
    instrument_en="Shandong Regulations on Food Small Workshops, Small Eateries and Food Stalls",
    version_date=dt.date(2017, 1, 18),
    jurisdiction="37",
    confidence="V",
    note="2017-01-18通过，2017-06-01施行（第五十五条）；全文已核对 / adopted 2017-01-18, in "
         "force 2017-06-01 (Art. 55); full text read",
    in_force=dt.date(2017, 6, 1),
)

HENAN = ProvinceBasis(
    instrument="《河南省食品小作坊、小经营店和小摊点管理条例》",
    instrument_en="Henan Regulations on Food Small Workshops, Small Shops and Small Stalls",
    version_date=dt.date(2017, 12, 1),
    jurisdiction="41",
    confidence="V",
    note="2017-12-01通过，2018-03-01施行（第五十五条）；全文已核对 / adopted 2017-12-01, in "
         "force 2018-03-01 (Art. 55); full text read",
    in_force=dt.date(2018, 3, 1),
)

CHONGQING = ProvinceBasis(
    instrument="《重庆市食品生产加工小作坊和食品摊贩管理条例》",
    instrument_en="Chongqing Regulations on Small Food Processing Workshops and Food Vendors",
    version_date=dt.date(2016, 11, 24),
    jurisdiction="50",
    confidence="V",
    note="2016-11-24通过，2017-05-01施行（第六十二条）；未规定小餐饮；全文已核对 / adopted "
         "2016-11-24, in force 2017-05-01 (Art. 62); covers workshops and vendors only; "
         "full text read",
    in_force=dt.date(2017, 5, 1),
)

HEBEI_2016 = ProvinceBasis(
    instrument="《河北省食品小作坊小餐饮小摊点管理条例》",
    instrument_en="Hebei Regulations on Food Small Workshops, Small Eateries and Small Stalls "
                  "(2016)",
    version_date=None,
    jurisdiction="13",
    confidence="C",
    note="2016年施行（县局通知，C）；全文未读，条号未核实，不引条号 / in force by mid-2016 "
         "(county notice, C); full text not read, article numbers not verified",
    # The exact day was not found: 2016-07-20 is the county notice asking every 三小 to
    # register under it, the earliest day the sources show it in force (C).
    in_force=dt.date(2016, 7, 20),
)

HEBEI_REGISTRATION_DRAFT = ProvinceBasis(
    instrument="《河北省食品小作坊登记管理办法（征求意见稿）》",
    instrument_en="Hebei Measures for the Registration of Food Small Workshops (2023 draft)",
    version_date=None,
    jurisdiction="13",
    confidence="C",
    note="2023年征求意见稿（C），未见定稿；条号未核实 / 2023 consultation draft (C), no final "
         "text seen; article numbers not verified",
    # A draft is never in force: a profile citing it must give the day it applies from.
    in_force=None,
)

HEBEI_2026 = ProvinceBasis(
    instrument="《河北省食品小作坊小餐饮小摊点管理条例》（修订）",
    instrument_en="Hebei Regulations on Food Small Workshops, Small Eateries and Small Stalls "
                  "(revision published January 2026)",
    version_date=None,
    jurisdiction="13",
    confidence="C",
    note="据2026年1月公布的修订解读（C）；施行日期与条号未核实(?) / from the interpretation "
         "published in January 2026 (C); effective date and article numbers not found (?)",
    # Not found (?): a profile gives it (instrument_in_force). Published in January
    # 2026 (C), so it cannot apply before 2026-01-01: until then nothing is asked.
    in_force=None,
    not_before=dt.date(2026, 1, 1),
)

#: Instruments by the key profiles cite them with.
INSTRUMENTS: Mapping[str, ProvinceBasis] = {
    # 食品安全法第一百五十四条: in force 2015-10-01 (V); Order 49 Art. 55: 2022-03-15 (V).
    "fsl": _dated(FOOD_SAFETY_LAW, dt.date(2015, 10, 1)),
    "order49": _dated(attrs.evolve(ORDER_49_ART_54, article=None, article_en=None, note=""),
                      dt.date(2022, 3, 15)),
    "shandong": SHANDONG,
    "henan": HENAN,
    "chongqing": CHONGQING,
    "hebei-2016": HEBEI_2016,
    "hebei-2023-draft": HEBEI_REGISTRATION_DRAFT,
    "hebei-2026": HEBEI_2026,
}

_ENTRY_KEYS = frozenset({"instrument", "instrument_en", "article", "item", "article_en",
                         "confidence", "note", "jurisdiction", "version_date", "in_force"})


def citation(entry: Mapping[str, Any]) -> ProvinceBasis:
    """The legal basis a profile's ``basis`` entry describes.

    ``instrument`` is a key of :data:`INSTRUMENTS`, or the Chinese title of
    an instrument not shipped here (then ``instrument_en`` and
    ``jurisdiction`` should be given too). ``article`` may be left out when
    the article number is not known; ``confidence`` (V, C, M or ?) is how
    sure the profile is of this citation. ``in_force`` (``YYYY-MM-DD``)
    is the day the instrument took effect; it overrides the instrument's own
    date and is needed where that is unknown (an instrument given by title,
    Hebei's 2026 revision).

    Raises:
        ValueError: naming the unknown key or instrument.
    """
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise ValueError(f"basis entry has unknown key(s) {', '.join(unknown)}; "
                         f"allowed: {', '.join(sorted(_ENTRY_KEYS))}")
    name = entry.get("instrument")
    if not isinstance(name, str) or not name:
        raise ValueError("basis entry needs 'instrument' (a key such as 'shandong', or a title)")
    if name in INSTRUMENTS:
        base = INSTRUMENTS[name]
    elif name.startswith("《"):
        base = ProvinceBasis(instrument=name, confidence="?")
    else:
        raise ValueError(f"unknown instrument {name!r}; use one of "
                         f"{', '.join(sorted(INSTRUMENTS))} or a title in 《》")
    changes: dict[str, Any] = {}
    for key in ("article", "item", "article_en"):
        if key in entry:
            changes[key] = None if entry[key] in (None, "") else str(entry[key])
    if "article" in entry and "article_en" not in entry:
        changes["article_en"] = None
    for key in ("instrument_en", "jurisdiction"):
        if key in entry:
            changes[key] = str(entry[key])
    for key in ("version_date", "in_force"):
        if key in entry:
            value = entry[key]
            changes[key] = dt.date.fromisoformat(value) if isinstance(value, str) else value
    # The profile's note says why this article applies; the instrument's says how
    # far its text was verified. Keep both.
    notes = [str(entry.get("note") or ""), base.note]
    changes["note"] = "；".join(n for n in notes if n)
    changes["confidence"] = entry.get("confidence", base.confidence.value)
    changes["key"] = name
    basis = attrs.evolve(base, **changes)
    if basis.article is None and basis.item is not None:
        raise ValueError("basis entry gives an item without an article")
    return basis
