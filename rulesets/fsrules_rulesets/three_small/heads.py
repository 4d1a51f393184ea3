"""Is the product the category, or does its name only contain the category's word?

A province bans workshops from producing 酱油 (Shandong Art. 19), not from
producing 酱油瓜子 (melon seeds flavoured with soy sauce): in a Chinese product
name the head noun comes last, and a category word followed by another noun
is a flavour or an ingredient (酱油瓜子, 黄油饼干, 白酒酱鸭, 散装油条). Issue 10,
defect 4.

For the categories ``product_categories.toml`` marks ``match = "head"`` (those
named by what the product *is*: 酱油, 醋, 酒, 乳制品, 饮料...), a matched term
counts only when it is the head of the name: nothing follows it but
packaging, grade and quantity words (``head_suffixes``: 散装, 瓶装, 特级,
500ml, （生抽）...) or a separator starting another product (``酱油、醋``). Another
listed word right after it does not make a list: 果酒冰棍 is an ice lolly. Categories named by a method or a
descriptor (速冻, 液态法, 生腌, 浸出, 婴幼儿配方) are left as they are: there
the word *is* what makes the product prohibited wherever it stands.

This module only reads :class:`fsrules.matching.TermMatch` positions; it does
not change how terms are found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from fsrules.matching import TermMatch, normalize_for_matching

__all__ = ["HeadRule"]

#: Characters that start the next product of a list: "酱油、醋", "白酒/黄酒".
SEPARATORS = frozenset("、,，;；/／|｜+＋&和及与")
_BRACKETS = re.compile(r"^[(（\[【〔《<＜][^)）\]】〕》>＞]*[)）\]】〕》>＞]?")
_QUANTITY = re.compile(
    r"^(?:[*×xX]?\s*\d+(?:\.\d+)?\s*"
    r"(?:毫升|千克|公斤|ml|mL|ML|kg|KG|Kg|L|l|g|G|克|斤|两|升|瓶|袋|箱|桶|盒|罐|杯|包|支|件|"
    r"度|°|%vol|％vol|%|％|vol)?)")
_PUNCTUATION = re.compile(r"^[-—–·・.。:：_~～]+")


@attrs.frozen(kw_only=True)
class HeadRule:
    """Which categories need their term at the head of a product name, and what may follow."""

    categories: frozenset[str]
    suffixes: tuple[str, ...] = ()  # normalised, longest first

    @classmethod
    def from_catalogue(cls, catalogue: Mapping[str, Any]) -> HeadRule:
        """From ``product_categories.toml``: ``match = "head"`` per category, ``head_suffixes``."""
        categories = catalogue.get("category", {})
        heads = frozenset(name for name, spec in categories.items()
                          if isinstance(spec, Mapping) and spec.get("match") == "head")
        unknown = sorted({str(spec.get("match")) for spec in categories.values()
                          if isinstance(spec, Mapping)
                          and spec.get("match") not in (None, "head", "contains")})
        if unknown:
            raise ValueError(f"product categories: unknown match kind(s) {', '.join(unknown)}; "
                             "use 'head' or 'contains'")
        suffixes = sorted({normalize_for_matching(str(s))
                           for s in catalogue.get("head_suffixes", ())} - {""},
                          key=lambda s: (-len(s), s))
        return cls(categories=heads, suffixes=tuple(suffixes))

    def rest(self, tail: str) -> str:
        """``tail`` with leading packaging, grade and quantity words removed."""
        while tail:
            before = tail
            for pattern in (_BRACKETS, _QUANTITY, _PUNCTUATION):
                m = pattern.match(tail)
                if m and m.end():
                    tail = tail[m.end():]
            suffix = next((s for s in self.suffixes if tail.startswith(s)), None)
            if suffix is not None:
                tail = tail[len(suffix):]
            if tail == before:
                break
        return tail

    def is_product(self, norm: str, match: TermMatch) -> bool:
        """Whether ``match`` (found in the normalised name ``norm``) names what the product is."""
        if match.category not in self.categories:
            return True
        end = len(norm) - len(self.rest(norm[match.end:]))
        # Another listed word right after it is no list: 果酒冰棍 is an ice lolly.
        return end == len(norm) or norm[end] in SEPARATORS

    def products(self, text: str, matches: Iterable[TermMatch]) -> list[TermMatch]:
        """The matches of ``text`` that name what the product is."""
        norm = normalize_for_matching(text)
        return [m for m in matches if self.is_product(norm, m)]
