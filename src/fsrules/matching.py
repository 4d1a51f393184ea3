"""Match free Chinese text (menus, product names) against data-driven term lists.

Regulators' records name dishes and products in free text: ``凉拌鲜黄花菜``,
``清炒四季豆``, ``生鱼片``. A :class:`TermList` maps such text to categories
(``high_risk``, ``raw_food``...) and says which term matched, so a finding
can show *why* a dish was flagged. Matching is on normalised text: NFKC
(full-width forms), traditional → simplified characters (OpenCC ``t2s``),
white space removed, so ``涼拌鮮黃花菜`` and ``凉拌鲜黄花菜`` agree.

False alarms are handled with *exclusions*: phrases that contain a term but
are not it (``四季豆腐`` is tofu, not 四季豆; ``生煎包`` is a fried bun, not
raw food). Exclusions are masked before terms are searched, and the longest
term wins where terms overlap. Optional *negations* (``未``, ``无``) stop a
match that directly follows them ("未使用亚硝酸盐").

Matching is one pass over the text whatever the number of terms: an
Aho-Corasick automaton (:mod:`ahocorasick`, built on first use) finds every
occurrence of every term and exclusion at once; the exclusions, negations
and longest-term-wins rules are then applied to those occurrences only.
A term list also remembers its recent answers (texts repeat: one dish name
on many menus), so matching the same text twice costs a dictionary lookup.

A term list is plain data, typically a TOML table in a ruleset folder::

    [high_risk]
    label_zh = "高风险食品"
    label_en = "high-risk food"
    terms = { "四季豆" = ["芸豆", "豆角"], "鲜黄花菜" = ["新鲜黄花菜", "鲜金针菜"] }
    exclude = ["四季豆腐", "干黄花菜"]
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import ahocorasick
import attrs

__all__ = ["TermList", "TermMatch", "normalize_for_matching"]

_SPACE = re.compile(r"\s+")
_MASK = "\u0000"
#: Answers a term list remembers before it starts afresh (bounds its memory).
_MEMO_SIZE = 4096


@functools.cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


#: Normalised texts remembered (texts repeat: one dish or product name on many records).
_NORMALIZED_SIZE = 16384


@functools.lru_cache(maxsize=_NORMALIZED_SIZE)
def normalize_for_matching(text: str) -> str:
    """NFKC, traditional → simplified, no white space: the form terms are matched in.

    The result has the same length as the NFKC form without spaces (t2s maps
    character for character for the vocabulary that matters here), so match
    positions refer to it. A pure function of the text: the last
    ``_NORMALIZED_SIZE`` answers are remembered (a bounded, process-wide
    memo; the OpenCC call costs microseconds per text).
    """
    folded = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    converted = str(_converter().convert(folded))
    return converted if len(converted) == len(folded) else folded


@attrs.frozen(kw_only=True, order=True)
class TermMatch:
    """One term found in a text: its category, canonical term and the form found."""

    category: str
    term: str
    matched: str
    start: int
    end: int

    def as_evidence(self) -> dict[str, str]:
        """The fields a finding's evidence shows."""
        return {"category": self.category, "term": self.term, "matched": self.matched}


@attrs.frozen(kw_only=True)
class _Category:
    name: str
    label_zh: str
    label_en: str
    forms: tuple[tuple[str, str], ...]  # (surface form, canonical term), longest first
    exclude: tuple[str, ...]


class TermList:
    """Categories of terms with synonyms, exclusions and optional negations.

    Build one with :meth:`from_mapping` (e.g. from a TOML table); ``find``
    returns every match in a text, ``categories`` the categories matched.
    """

    def __init__(self, categories: Iterable[_Category], *, negations: Iterable[str] = (),
                 exclude: Iterable[str] = ()) -> None:
        self._categories = tuple(categories)
        self._negations = tuple(sorted({normalize_for_matching(n) for n in negations},
                                       key=len, reverse=True))
        self._exclude = tuple(normalize_for_matching(e) for e in exclude)
        self._index: _Index | None = None  # built on the first find
        self._memo: dict[tuple[str, frozenset[str] | None], tuple[TermMatch, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        # The automaton and the remembered answers are rebuilt on demand.
        return {**self.__dict__, "_index": None, "_memo": {}}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, negations: Iterable[str] = (),
                     exclude: Iterable[str] = ()) -> TermList:
        """Build from ``{category: {terms: {term: [synonyms]} | [terms], exclude: [...]}}``.

        ``label_zh``/``label_en`` name the category for messages. Keys
        ``negations`` and ``exclude`` at the top level apply to every category.
        Raises :class:`ValueError` naming the category when the data is malformed.
        """
        cats = []
        for name, spec in data.items():
            if name in ("negations", "exclude"):
                continue
            if not isinstance(spec, Mapping) or "terms" not in spec:
                raise ValueError(f"term list category {name!r} needs a 'terms' table or list")
            raw = spec["terms"]
            pairs: list[tuple[str, str]] = []
            if isinstance(raw, Mapping):
                for term, synonyms in raw.items():
                    canonical = normalize_for_matching(term)
                    pairs.append((canonical, canonical))
                    pairs.extend((normalize_for_matching(s), canonical) for s in synonyms)
            elif isinstance(raw, list):
                pairs.extend((normalize_for_matching(t), normalize_for_matching(t)) for t in raw)
            else:
                raise ValueError(f"term list category {name!r}: 'terms' must be a table or list")
            if any(not form for form, _ in pairs):
                raise ValueError(f"term list category {name!r} has an empty term")
            forms = tuple(sorted(set(pairs), key=lambda p: (-len(p[0]), p[0])))
            cats.append(_Category(
                name=name, label_zh=str(spec.get("label_zh", name)),
                label_en=str(spec.get("label_en", name)), forms=forms,
                exclude=tuple(normalize_for_matching(e) for e in spec.get("exclude", ())),
            ))
        return cls(cats, negations=[*negations, *data.get("negations", ())],
                   exclude=[*exclude, *data.get("exclude", ())])

    @property
    def category_names(self) -> tuple[str, ...]:
        """The categories, in declaration order."""
        return tuple(c.name for c in self._categories)

    def label(self, category: str, lang: str = "zh") -> str:
        """A category's label for messages."""
        for c in self._categories:
            if c.name == category:
                return c.label_en if lang == "en" else c.label_zh
        raise KeyError(category)

    def find(self, text: str, categories: Iterable[str] | None = None) -> tuple[TermMatch, ...]:
        """Every term of the (given) categories found in ``text``, in text order.

        Within a category, exclusions (the list's and the category's) are
        blanked out first; then terms claim their occurrences longest first
        (ties by the term's text), each position going to one term, and an
        occurrence directly after a negation does not count.
        """
        wanted = None if categories is None else frozenset(categories)
        key = (text, wanted)
        found = self._memo.get(key)
        if found is None:
            found = self._find(normalize_for_matching(text), wanted)
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _find(self, norm: str, wanted: frozenset[str] | None) -> tuple[TermMatch, ...]:
        index = self._index
        if index is None:
            index = self._index = _Index(self._categories, self._exclude, self._negations)
        if index.automaton is None:
            return self._find_by_scanning(norm, wanted) if index.scan else ()
        # Every occurrence of every pattern, in one pass.
        starts: dict[str, list[int]] = defaultdict(list)
        candidates: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
        for last, pattern in index.automaton.iter(norm):
            start = last - len(pattern) + 1
            starts[pattern].append(start)
            for number, rank, canonical in index.owners.get(pattern, ()):
                candidates[number].append((rank, start, pattern, canonical))
        found: list[TermMatch] = []
        for number, occurrences in candidates.items():
            cat = self._categories[number]
            if wanted is not None and cat.name not in wanted:
                continue
            masked = bytearray(len(norm))
            for phrase in index.exclusions[number]:
                for start in starts.get(phrase, ()):
                    masked[start:start + len(phrase)] = b"\x01" * len(phrase)
            taken = bytearray(len(norm))
            for _rank, start, form, canonical in sorted(occurrences):
                end = start + len(form)
                if (masked.find(1, start, end) != -1 or taken.find(1, start, end) != -1
                        or self._negated_at(norm, masked, start)):
                    continue
                found.append(TermMatch(category=cat.name, term=canonical, matched=form,
                                       start=start, end=end))
                taken[start:end] = b"\x01" * (end - start)
        return tuple(sorted(found, key=lambda m: (m.start, m.category, m.term)))

    def _negated_at(self, norm: str, masked: bytearray, start: int) -> bool:
        """A negation ends at ``start`` and none of it is blanked out."""
        for negation in self._negations:
            begin = start - len(negation)
            if begin >= 0 and norm.startswith(negation, begin) and \
                    masked.find(1, begin, start) == -1:
                return True
        return False

    def _find_by_scanning(self, norm: str, wanted: frozenset[str] | None
                          ) -> tuple[TermMatch, ...]:
        """Term by term with ``str.find`` on the masked text.

        Used only when a term or negation contains the mask character (NUL),
        where blanking out by position and by character could differ.
        """
        found: list[TermMatch] = []
        for cat in self._categories:
            if wanted is not None and cat.name not in wanted:
                continue
            masked = _mask(norm, (*self._exclude, *cat.exclude))
            taken = [False] * len(masked)
            for form, canonical in cat.forms:
                start = masked.find(form)
                while start != -1:
                    end = start + len(form)
                    if not any(taken[start:end]) and not self._negated(masked, start):
                        found.append(TermMatch(category=cat.name, term=canonical, matched=form,
                                               start=start, end=end))
                        for i in range(start, end):
                            taken[i] = True
                    start = masked.find(form, start + 1)
        return tuple(sorted(found, key=lambda m: (m.start, m.category, m.term)))

    def categories(self, text: str) -> tuple[str, ...]:
        """The categories matched in ``text``, in declaration order."""
        hit = {m.category for m in self.find(text)}
        return tuple(c for c in self.category_names if c in hit)

    def _negated(self, text: str, start: int) -> bool:
        return any(text[max(0, start - len(n)):start] == n for n in self._negations)


class _Index:
    """One automaton over every term and exclusion of a term list, and who owns each."""

    def __init__(self, categories: tuple[_Category, ...], exclude: tuple[str, ...],
                 negations: tuple[str, ...]) -> None:
        owners: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for number, cat in enumerate(categories):
            for rank, (form, canonical) in enumerate(cat.forms):
                owners[form].append((number, rank, canonical))
        self.owners = dict(owners)
        self.exclusions = tuple(tuple({e for e in (*exclude, *cat.exclude) if e})
                                for cat in categories)
        patterns = set(owners) | {e for phrases in self.exclusions for e in phrases}
        self.scan = any(_MASK in p for p in (*owners, *negations))
        self.automaton: Any = None
        if owners and not self.scan:
            automaton = ahocorasick.Automaton()
            for pattern in sorted(patterns):
                automaton.add_word(pattern, pattern)
            automaton.make_automaton()
            self.automaton = automaton


def _mask(text: str, phrases: Iterable[str]) -> str:
    """``text`` with every occurrence of the phrases blanked out (same length)."""
    chars = list(text)
    for phrase in phrases:
        if not phrase:
            continue
        start = text.find(phrase)
        while start != -1:
            for i in range(start, start + len(phrase)):
                chars[i] = _MASK
            start = text.find(phrase, start + 1)
    return "".join(chars)
