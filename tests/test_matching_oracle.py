"""TermList.find (one Aho-Corasick pass) equals the term-by-term matcher it replaced.

The term-by-term implementation (blank out the exclusions, then each term
longest first with ``str.find``, each position claimed once, negations
checked on the blanked text) is kept here as the oracle. Random term lists
over a small alphabet make terms, synonyms, exclusions and negations overlap
often.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fsrules.matching import TermList, TermMatch, normalize_for_matching

DEEP = os.environ.get("FSRULES_HYPOTHESIS_PROFILE") == "deep"
PROFILE = settings(
    max_examples=2000 if DEEP else 300, derandomize=not DEEP, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow])

ALPHABET = "四季豆腐生煎包未无鲜黄花菜凉拌 ab"


def oracle_find(terms: TermList, text: str, categories: Any = None) -> tuple[TermMatch, ...]:
    """The term-by-term matcher (the implementation before the automaton)."""
    norm = normalize_for_matching(text)
    wanted = None if categories is None else set(categories)
    negations = terms._negations
    found: list[TermMatch] = []
    for cat in terms._categories:
        if wanted is not None and cat.name not in wanted:
            continue
        chars = list(norm)
        for phrase in (*terms._exclude, *cat.exclude):
            if not phrase:
                continue
            start = norm.find(phrase)
            while start != -1:
                for i in range(start, start + len(phrase)):
                    chars[i] = "\u0000"
                start = norm.find(phrase, start + 1)
        masked = "".join(chars)
        taken = [False] * len(masked)
        for form, canonical in cat.forms:
            start = masked.find(form)
            while start != -1:
                end = start + len(form)
                negated = any(masked[max(0, start - len(n)):start] == n for n in negations)
                if not any(taken[start:end]) and not negated:
                    found.append(TermMatch(category=cat.name, term=canonical, matched=form,
                                           start=start, end=end))
                    for i in range(start, end):
                        taken[i] = True
                start = masked.find(form, start + 1)
    return tuple(sorted(found, key=lambda m: (m.start, m.category, m.term)))


def _words(alphabet: str = ALPHABET, *, min_size: int = 1, max_size: int = 4
           ) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=min_size, max_size=max_size)


@st.composite
def term_lists(draw: st.DrawFn, alphabet: str = ALPHABET) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for k in range(draw(st.integers(1, 3))):
        word = _words(alphabet).filter(lambda w: bool(normalize_for_matching(w)))
        if draw(st.booleans()):
            terms: Any = draw(st.dictionaries(word, st.lists(word, max_size=2), min_size=1,
                                              max_size=4))
        else:
            terms = draw(st.lists(word, min_size=1, max_size=4))
        data[f"c{k}"] = {"terms": terms,
                         "exclude": draw(st.lists(_words(alphabet), max_size=2))}
    data["negations"] = draw(st.lists(_words(alphabet, max_size=2), max_size=2))
    data["exclude"] = draw(st.lists(_words(alphabet), max_size=2))
    return data


@PROFILE
@given(data=term_lists(), texts=st.lists(_words(min_size=0, max_size=30), min_size=1,
                                         max_size=4),
       pick=st.none() | st.lists(st.sampled_from(["c0", "c1", "c2", "other"]), max_size=2))
def test_find_equals_the_term_by_term_matcher(data: dict[str, Any], texts: list[str],
                                              pick: list[str] | None) -> None:
    terms = TermList.from_mapping(data)
    for text in texts:
        expected = oracle_find(terms, text, pick)
        assert terms.find(text, pick) == expected
        assert terms.find(text, pick) == expected  # the remembered answer
        assert terms.find(text) == oracle_find(terms, text)


@settings(PROFILE, max_examples=300 if DEEP else 60)
@given(data=term_lists(ALPHABET + "\u0000"),
       text=_words(ALPHABET + "\u0000", min_size=0, max_size=20))
def test_find_with_nul_characters_equals_the_term_by_term_matcher(data: dict[str, Any],
                                                                  text: str) -> None:
    terms = TermList.from_mapping(data)
    assert terms.find(text) == oracle_find(terms, text)


def test_known_overlaps() -> None:
    terms = TermList.from_mapping({
        "beans": {"terms": {"四季豆": ["豆角"]}, "exclude": ["四季豆腐"]},
        "raw": {"terms": ["生", "生鱼片"], "exclude": ["生煎包"]},
        "negations": ["未"],
    })
    text = "四季豆腐、凉拌四季豆、生煎包、未生鱼片、生鱼片"
    got = terms.find(text)
    assert got == oracle_find(terms, text)
    assert [(m.category, m.matched, m.start) for m in got] == [
        ("beans", "四季豆", 7), ("raw", "生鱼片", 20)]


def test_a_negation_inside_an_exclusion_does_not_negate() -> None:
    # The negation 未 is part of the excluded phrase 从未, so it is blanked out
    # with it and no longer stops the term after it.
    terms = TermList.from_mapping({"raw": {"terms": ["生"], "exclude": ["从未"]},
                                   "negations": ["未"]})
    assert [m.start for m in terms.find("从未生")] == [2] == [
        m.start for m in oracle_find(terms, "从未生")]
    assert terms.find("未生") == oracle_find(terms, "未生") == ()


def test_a_term_list_pickles_and_matches_alike_after() -> None:
    terms = TermList.from_mapping({"beans": {"terms": {"四季豆": ["豆角"]}}})
    assert terms.find("清炒豆角")  # builds the automaton and remembers the answer
    again = pickle.loads(pickle.dumps(terms))
    assert again.find("清炒豆角") == terms.find("清炒豆角")
    assert again.categories("四季豆") == ("beans",)


def test_remembered_answers_stay_bounded() -> None:
    terms = TermList.from_mapping({"beans": {"terms": ["豆"]}})
    for k in range(5000):
        assert terms.find(f"{k}豆")[0].start == len(str(k))
    assert len(terms._memo) <= 4096
