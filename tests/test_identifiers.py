"""Tests of fsrules.identifiers: USCC, licence numbers, division codes.

The USCC vectors and the division history come from ``shared/data`` beside
the repository (see the READMEs there); tests that need them are skipped,
with the reason, when that folder is absent.
"""

from __future__ import annotations

import csv
import functools
import inspect
import io
from datetime import date
from importlib import resources
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

import fsrules.identifiers as identifiers
from fsrules.exceptions import IdentifierError, InputError
from fsrules.identifiers import (
    Division,
    DivisionRegistry,
    LicenceNumber,
    compact_uscc,
    is_valid_uscc,
    make_uscc,
    normalize_text,
    org_code_check_char,
    parse_licence_number,
    uscc_check_char,
    validate_division,
    validate_uscc,
)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
USCC_VECTORS = SHARED_DATA / "uscc_vectors"
AREACODES = SHARED_DATA / "areacodes_mca_history"
MISSING_REASON = f"shared test data not found at {SHARED_DATA} (checked out beside the repo in CI)"


def _csv_params(path: Path, id_column: str) -> list[object]:
    """One ``pytest.param`` per CSV row, or a single skipped param if the file is missing."""
    if not path.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=MISSING_REASON), id="missing")]
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [pytest.param(row, id=f"{i}:{row[id_column]!r}") for i, row in enumerate(rows, 1)]


REAL_USCCS = _csv_params(USCC_VECTORS / "uscc_valid_stdnum_tests.csv", "uscc")
EDGE_CASES = _csv_params(USCC_VECTORS / "uscc_edge_cases.csv", "input")


# -- public surface ------------------------------------------------------------


def test_public_names_are_pinned_and_sorted() -> None:
    """The package re-exports exactly these names, in sorted order."""
    assert identifiers.__all__ == sorted(identifiers.__all__)
    assert set(identifiers.__all__) == {
        "Division",
        "DivisionLevel",
        "default_registry",
        "DivisionRegistry",
        "DivisionStatus",
        "LicenceNumber",
        "LicenceScheme",
        "UsccResult",
        "compact_uscc",
        "is_valid_uscc",
        "make_uscc",
        "normalize_text",
        "org_code_check_char",
        "parse_licence_number",
        "uscc_check_char",
        "validate_division",
        "validate_uscc",
    }
    for name in identifiers.__all__:
        obj = getattr(identifiers, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):  # Literal aliases carry no __doc__
            assert obj.__doc__, f"{name} has no docstring"


# -- normalize_text --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  abc  ", "abc"),
        ("\u200babc\u200c\u200d\u2060\ufeff", "abc"),
        ("９１Ｌ", "91L"),
        ("a\xa0\u3000 b", "a b"),
        ("a\tb\n", "a b"),
        ("河北省\u3000邢台市", "河北省 邢台市"),
        ("", ""),
        ("Ab", "Ab"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    """NFKC, zero-width characters removed, whitespace collapsed, case kept."""
    assert normalize_text(raw) == expected


# -- USCC: shared vectors ----------------------------------------------------------


@pytest.mark.parametrize("row", REAL_USCCS)
def test_real_uscc_is_accepted_and_split(row: dict[str, str]) -> None:
    """All 200 real codes from python-stdnum's tests pass, cleanly, in strict mode too."""
    for strict in (False, True):
        result = validate_uscc(row["uscc"], strict=strict)
        assert result.value == row["uscc"]
        assert result.department_code == row["dept_code"]
        assert result.category_code == row["category_code"]
        assert result.region_code == row["region_code"]
        assert result.org_code == row["org_code"]
        assert result.check_char == row["check_char"]
        assert result.warnings == ()
        assert result.warning_messages == ()
    assert is_valid_uscc(row["uscc"])


@pytest.mark.parametrize("row", REAL_USCCS)
def test_make_uscc_reproduces_real_codes(row: dict[str, str]) -> None:
    """The one maker gives back each real code from its parts (both check characters)."""
    code = row["uscc"]
    if code[0] not in "123456789ANY":
        pytest.skip("department outside GB 32100")
    assert org_code_check_char(code[8:16]) == code[16]
    assert uscc_check_char(code[:17]) == code[17]
    assert make_uscc(code[8:16], region_code=code[2:8], department=code[0],
                     category=code[1]) == code


@pytest.mark.parametrize(
    ("body", "kwargs", "match"),
    [
        ("MA00001", {}, "8 letters or digits"),
        ("MA0000O1", {}, "GB 32100 characters"),
        ("MA000001", {"region_code": "13053"}, "6-digit division code"),
        ("MA000001", {"department": "B"}, "department must be one of"),
    ],
)
def test_make_uscc_rejects_bad_parts(body: str, kwargs: dict[str, str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make_uscc(body, **{"region_code": "130533", **kwargs})


def test_real_uscc_file_has_200_rows() -> None:
    """The brief promises 200 real codes; a truncated copy would weaken the tests."""
    if not USCC_VECTORS.is_dir():
        pytest.skip(MISSING_REASON)
    assert len(REAL_USCCS) == 200


# Reasons for the rows of uscc_edge_cases.csv that must be rejected.
EDGE_REASONS = {
    "91110000600037341N": "checksum",
    "91110000600037342L": "checksum",
    "9111000060003734": "length",
    "911100006000373411L": "length",
    "9111000060003IOZSV": "charset",
    "91110000600037341O": "charset",
    "91110000600307341L": "checksum",
    "110108000000016": "legacy_registration_number",
    "60003734-1": "legacy_org_code",
    "11010519491231002X": "resident_id",
}
LEGACY_WORDS = {
    "legacy_registration_number": "looks like a 15-digit registration number",
    "legacy_org_code": "looks like a 9-character organisation code",
    "resident_id": "is an 18-character resident ID number",
}


@pytest.mark.parametrize("row", EDGE_CASES)
def test_edge_case_matches_gb32100_expectation(row: dict[str, str]) -> None:
    """Every row behaves as its ``expected_per_gb32100`` column says.

    A wrong embedded GB 11714 check character is an error in both modes.
    """
    raw, expected = row["input"], row["expected_per_gb32100"]
    compact = compact_uscc(raw)
    if expected == "valid" or expected.startswith("valid ("):
        for strict in (False, True):
            result = validate_uscc(raw, strict=strict)
            assert result.value == compact
            assert result.warnings == ()
    elif expected.startswith("format-valid"):
        for strict in (False, True):
            result = validate_uscc(raw, strict=strict)
            assert result.warnings == ("region_unknown",)
            assert result.region_code in result.warning_messages[0]
    elif expected.startswith("invalid (GB 11714"):
        for strict in (False, True):
            with pytest.raises(IdentifierError) as info:
                validate_uscc(raw, strict=strict)
            assert info.value.reason == "org_code_checksum"
            assert "GB 11714" in str(info.value)
            assert str(info.value).index("内嵌组织机构代码") < str(info.value).index(
                "organisation code")
        assert not is_valid_uscc(raw)
    elif expected in ("invalid", "not a USCC"):
        for strict in (False, True):
            with pytest.raises(IdentifierError) as info:
                validate_uscc(raw, strict=strict)
            err = info.value
            assert err.scheme == "uscc"
            assert err.value == raw
            assert err.reason == EDGE_REASONS[raw]
            assert compact in str(err), "the message must name the value"
            assert err.hint
            assert all(part in str(err) for part in err.hint.split(" / ")), "fix in message"
            zh_end = str(err).index(" / ")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err)[:zh_end]), "Chinese first"
            if err.reason in LEGACY_WORDS:
                assert LEGACY_WORDS[err.reason] in str(err)
        assert not is_valid_uscc(raw)
    else:
        pytest.fail(f"unrecognised expected_per_gb32100 value {expected!r}: extend this test")


@pytest.mark.parametrize("row", EDGE_CASES)
def test_stdnum_behaviour_is_as_recorded(row: dict[str, str]) -> None:
    """python-stdnum 2.2 does what ``stdnum_2_2_result`` says (why fsrules adds its own checks)."""
    import stdnum

    if stdnum.__version__ != "2.2":
        pytest.skip(f"column records python-stdnum 2.2; installed {stdnum.__version__}")
    try:
        stdnum_uscc.validate(row["input"])
        outcome = "valid"
    except ValidationError as exc:
        outcome = type(exc).__name__
    assert outcome == row["stdnum_2_2_result"]


# -- USCC: behaviour -------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["91350100M0001TGQXM", "91350211M0000XUF46", "91350203M0001FUE2P", "91350203M0001QKT19"]
)
def test_pilot_era_code_is_a_warning_unless_strict(code: str) -> None:
    """Fujian pilot codes fail mod 31 but are legal (regulations.md §8.1)."""
    result = validate_uscc(code)
    assert result.warnings == ("checksum_pilot_era",)
    assert "福建" in result.warning_messages[0]
    assert "Fujian" in result.warning_messages[0]
    assert is_valid_uscc(code)
    with pytest.raises(IdentifierError) as info:
        validate_uscc(code, strict=True)
    assert info.value.reason == "checksum"
    assert "pilot" in info.value.hint


def test_pilot_era_warning_is_narrow() -> None:
    """Only Fujian ``M0…`` codes pass as pilot-era; elsewhere a wrong check char is an error."""
    with pytest.raises(IdentifierError, match="expected 'L', got 'N'"):
        validate_uscc("91110000600037341N")
    # Same 主体标识码 as a pilot code but registered outside Fujian.
    with pytest.raises(IdentifierError) as info:
        validate_uscc("91330100M0001TGQXM")
    assert info.value.reason == "checksum"


def test_checksum_message_is_bilingual_and_specific() -> None:
    """The message says what is wrong (expected vs actual), names the value, and how to fix it."""
    with pytest.raises(IdentifierError) as info:
        validate_uscc("91110000600037341N")
    message = str(info.value)
    assert message.startswith("统一社会信用代码校验位错误：")
    assert "USCC check character is wrong: expected 'L', got 'N'" in message
    assert message.index("统一社会信用代码") < message.index("USCC")
    assert "91110000600037341N" in message
    assert "business licence" in info.value.hint


def test_transposition_hint_suggests_the_valid_code() -> None:
    """A swap of two adjacent characters is recognised and the fix is offered."""
    with pytest.raises(IdentifierError) as info:
        validate_uscc("91110000600307341L")
    assert "91110000600037341L" in info.value.hint


def test_lookalike_letters_are_named() -> None:
    """O in a USCC is almost always the digit 0."""
    with pytest.raises(IdentifierError) as info:
        validate_uscc("91110000600037341O")
    assert info.value.reason == "charset"
    assert "18:'O'" in str(info.value)
    assert "O→0" in info.value.hint


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("\u200b \xa0", "empty"),
        ("B1110000600037341L", "format"),
        ("911100A0600037341L", "format"),
        ("91110000600037341#", "charset"),
        ("1101051949****002X", "resident_id_masked"),
        ("110105194912310", "legacy_registration_number"),
        ("600037341", "legacy_org_code"),
        ("91110000", "length"),
    ],
)
def test_rejections(value: str, reason: str) -> None:
    """Each kind of malformed or foreign identifier gets its own reason."""
    with pytest.raises(IdentifierError) as info:
        validate_uscc(value)
    assert info.value.reason == reason
    assert info.value.scheme == "uscc"
    assert not is_valid_uscc(value)


def test_identifier_error_is_a_value_error() -> None:
    """Callers catching ValueError keep working."""
    with pytest.raises(ValueError, match="USCC"):
        validate_uscc("9111000060003734")


def test_national_registration_region_is_known() -> None:
    """Region 100000 (national registration authorities) is not flagged."""
    assert validate_uscc("A1100000MA2AB0C30Y").warnings == ()


def test_result_is_frozen() -> None:
    """UsccResult is an immutable attrs class."""
    result = validate_uscc("91110000600037341L")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.value = "x"  # type: ignore[misc]


def test_compact_uscc_does_not_validate() -> None:
    """compact_uscc only normalises, like stdnum's compact()."""
    assert compact_uscc(" 91 110000-600037341l\u200b") == "91110000600037341L"
    assert compact_uscc("abc") == "ABC"


# -- USCC: properties ----------------------------------------------------------------

# GB 32100-2015: 31 characters, no I, O, Z, S, V; values 0–30 in this order.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_DEPARTMENTS = "123456789ANY"
_DIGITS = "0123456789"


@functools.cache
def _known_regions() -> list[str]:
    text = resources.files("fsrules.identifiers").joinpath("data", "divisions.csv")
    with io.StringIO(text.read_text(encoding="utf-8")) as fh:
        return sorted({row["code"] for row in csv.DictReader(fh)} | {"100000"})


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    """USCCs with correct GB 11714 and GB 32100 check characters and a real region.

    Made by the one public maker, :func:`fsrules.identifiers.make_uscc`,
    which the 200 real codes pin down (``test_make_uscc_reproduces_real_codes``).
    """
    department = draw(st.sampled_from(_DEPARTMENTS))
    category = draw(st.sampled_from(USCC_ALPHABET))
    region = draw(st.sampled_from(_known_regions()))
    body = "".join(draw(st.lists(st.sampled_from(USCC_ALPHABET), min_size=8, max_size=8)))
    return make_uscc(body, region_code=region, department=department, category=category)


def _allowed_at(position: int) -> str:
    if position == 0:
        return _DEPARTMENTS
    if 2 <= position <= 7:
        return _DIGITS
    return USCC_ALPHABET


@settings(database=None, max_examples=300)
@given(code=valid_usccs(), spaced=st.booleans(), lower=st.booleans(), wide=st.booleans())
def test_generated_codes_are_accepted_and_round_trip(
    code: str, spaced: bool, lower: bool, wide: bool
) -> None:
    """A code with correct check characters is accepted cleanly and compacts to itself."""
    result = validate_uscc(code, strict=True)
    assert result.value == code
    assert result.warnings == ()
    assert compact_uscc(code) == code
    variant = f"{code[:2]} {code[2:8]} {code[8:]}" if spaced else code
    variant = variant.lower() if lower else variant
    if wide:
        variant = "".join(chr(ord(ch) + 0xFEE0) if ch != " " else "\u3000" for ch in variant)
    assert compact_uscc(variant) == code
    assert validate_uscc(variant).value == code


@settings(database=None, max_examples=500)
@given(code=valid_usccs(), data=st.data())
def test_one_changed_character_never_passes_silently(code: str, data: st.DataObject) -> None:
    """Changing one character to another allowed one raises or at least warns."""
    position = data.draw(st.integers(0, 17), label="position")
    replacement = data.draw(
        st.sampled_from([c for c in _allowed_at(position) if c != code[position]]),
        label="replacement",
    )
    mutated = code[:position] + replacement + code[position + 1 :]
    try:
        result = validate_uscc(mutated)
    except IdentifierError:
        pass
    else:
        assert result.warnings, f"{mutated} (from {code}) was accepted without a warning"
    with pytest.raises(IdentifierError):
        validate_uscc(mutated, strict=True)


# -- licence numbers ---------------------------------------------------------------


def test_jy_number() -> None:
    """JY + 1 业态 + 6 region + 6 sequence + 1 check digit."""
    number = parse_licence_number(" jy1 1305 3300 0012 3\u200b")
    assert number == LicenceNumber(
        scheme="JY",
        value="JY11305330000123",
        province_code="130000",
        region_code="130533",
        business_type_digit="1",
        sequence="000012",
        check_digit="3",
    )
    assert not number.legacy


def test_sc_number() -> None:
    """SC + 3 category + 6 region + 4 sequence + 1 check digit."""
    number = parse_licence_number("SC10613052100015")
    assert (number.scheme, number.category_code, number.region_code) == ("SC", "106", "130521")
    assert (number.province_code, number.sequence, number.check_digit) == ("130000", "0001", "5")
    assert number.business_type_digit is None
    assert parse_licence_number("SC20113052100015").category_code == "201"  # food additive


def test_yb_filing_number() -> None:
    """YB filing numbers are parsed with the JY layout."""
    number = parse_licence_number("YB13301060000017")
    assert (number.scheme, number.business_type_digit, number.region_code) == ("YB", "1", "330106")


def test_qs_number_is_legacy() -> None:
    """QS + 4 authority + 4 category + 4 sequence, no check digit."""
    number = parse_licence_number("QS1101 0601 0001")
    assert number.legacy
    assert (number.scheme, number.value) == ("QS", "QS110106010001")
    assert (number.province_code, number.region_code) == ("110000", "110100")
    assert (number.category_code, number.sequence, number.check_digit) == ("0601", "0001", None)


def test_check_digit_is_not_validated() -> None:
    """The JY/SC check-digit algorithm is unpublished, so every final digit is accepted."""
    values = {parse_licence_number(f"JY1130533000012{d}").check_digit for d in _DIGITS}
    assert values == set(_DIGITS)


@pytest.mark.parametrize(
    ("value", "reason", "words"),
    [
        ("JY1130533000012", "length", "has 13 digits after JY; it must have 14"),
        ("JY113053300001234", "length", "has 15 digits after JY"),
        ("SC1061305210001", "length", "has 13 digits after SC"),
        ("QS11010601000", "length", "has 11 digits after QS"),
        ("XK11305330000123", "prefix", "unknown prefix 'XK'"),
        ("11305330000123", "prefix", "prefix is missing"),
        ("91110000600037341L", "prefix", "looks like a USCC"),
        ("JY1130533OOOO123", "charset", "only digits after JY"),
        ("SC1061305210001A", "charset", "only digits after SC"),
        ("SC30613052100015", "format", "must start with 1 (food) or 2 (food additive)"),
        ("  ", "empty", "licence number is empty"),
    ],
)
def test_licence_rejections(value: str, reason: str, words: str) -> None:
    """Bad licence numbers raise IdentifierError(scheme="licence") naming the problem."""
    with pytest.raises(IdentifierError) as info:
        parse_licence_number(value)
    assert (info.value.scheme, info.value.reason) == ("licence", reason)
    assert words in str(info.value)
    if value.strip():
        assert value.replace(" ", "") in str(info.value) or repr(value) in str(info.value)


# -- division codes -----------------------------------------------------------------


@pytest.fixture(scope="module")
def registry() -> DivisionRegistry:
    """A registry over the bundled history."""
    return DivisionRegistry()


@pytest.mark.parametrize(
    ("code", "on", "status"),
    [
        ("330103", date(2019, 6, 1), "valid"),
        ("330103", date(2021, 6, 1), "abolished"),
        ("330103", date(2022, 1, 1), "abolished"),
        ("330113", date(2019, 6, 1), "not_yet_valid"),
        ("330113", date(2021, 6, 1), "valid"),
        ("330114", date(2020, 12, 31), "not_yet_valid"),
        ("130533", date(2023, 1, 1), "valid"),
        ("653228", date(2023, 12, 31), "not_yet_valid"),
        ("653228", date(2024, 1, 1), "valid"),
        ("653228", date(2030, 1, 1), "valid"),
        ("999999", date(2023, 1, 1), "unknown"),
        ("330171", date(2023, 1, 1), "unknown"),
        ("130107", date(1990, 1, 1), "abolished"),  # gap: 1983–1989, reused from 1992
        ("130107", date(1995, 1, 1), "valid"),
    ],
)
def test_status(registry: DivisionRegistry, code: str, on: date, status: str) -> None:
    """Dated status of the fixtures named in the brief and shared/data README."""
    assert registry.status(code, on) == status
    assert (registry.lookup(code, on) is not None) == (status == "valid")


def test_validate_returns_the_record(registry: DivisionRegistry) -> None:
    """validate() gives the record in use, with its place in the hierarchy."""
    division = registry.validate("130533", date(2023, 1, 1))
    assert division == Division(
        code="130533",
        name="威县",
        level="county",
        start_year=1993,
        end_year=None,
        province_code="130000",
        prefecture_code="130500",
    )
    assert registry.validate("330103", date(2019, 6, 1)).successors == ("330105",)
    assert registry.validate("130000", date(2023, 1, 1)).level == "province"
    assert registry.validate("130500", date(2023, 1, 1)).level == "prefecture"
    assert registry.validate("110101", date(2023, 1, 1)).prefecture_code is None


@pytest.mark.parametrize("on", [date(2021, 6, 1), date(2022, 1, 1)])
def test_abolished_hint_names_the_successor(registry: DivisionRegistry, on: date) -> None:
    """The hint says when the code ended and which code to use instead."""
    with pytest.raises(IdentifierError) as info:
        registry.validate("330103", on)
    err = info.value
    assert (err.scheme, err.reason, err.value) == ("division", "abolished", "330103")
    assert "330103 下城区 was abolished in 2021; use 330105" in err.hint
    assert "请改用 330105" in err.hint
    assert on.isoformat() in str(err)


def test_abolished_hint_lists_every_successor(registry: DivisionRegistry) -> None:
    """江干区 was split between 上城区 and 钱塘区."""
    with pytest.raises(IdentifierError) as info:
        registry.validate("330104", date(2022, 1, 1))
    assert "330102 上城区" in info.value.hint
    assert "330114 钱塘区" in info.value.hint


def test_successors_are_followed_to_the_date(registry: DivisionRegistry) -> None:
    """A successor that was itself abolished later is replaced by its own successor."""
    # 130122 获鹿县 → 130185 鹿泉市 (1994) → 130110 鹿泉区 (2014).
    with pytest.raises(IdentifierError) as info:
        registry.validate("130122", date(2000, 1, 1))
    assert "use 130185 鹿泉市" in info.value.hint
    with pytest.raises(IdentifierError) as info:
        registry.validate("130122", date(2023, 1, 1))
    assert "130122 获鹿县 was abolished in 1994; use 130110 鹿泉区" in info.value.hint


def test_not_yet_valid_hint_names_the_origin(registry: DivisionRegistry) -> None:
    """临平区 was split off 余杭区 in 2021."""
    with pytest.raises(IdentifierError) as info:
        registry.validate("330113", date(2019, 6, 1))
    assert info.value.reason == "not_yet_valid"
    assert "created in 2021" in info.value.hint
    assert "330110 余杭区" in info.value.hint
    with pytest.raises(IdentifierError, match="created in 2024") as info:
        validate_division("653228", date(2023, 6, 1))


@pytest.mark.parametrize(
    ("code", "reason", "words"),
    [
        ("999999", "unknown", "check the code for typos"),
        ("130171", "unknown", "development-zone"),
        ("33010", "format", "expected 6 digits"),
        ("33010A", "format", "expected 6 digits"),
        ("3301030", "format", "expected 6 digits"),
    ],
)
def test_validate_rejections(
    registry: DivisionRegistry, code: str, reason: str, words: str
) -> None:
    """Unknown and malformed codes raise with a specific reason."""
    with pytest.raises(IdentifierError) as info:
        registry.validate(code, date(2023, 1, 1))
    assert (info.value.scheme, info.value.reason) == ("division", reason)
    assert words in str(info.value)
    assert code in str(info.value)


def test_name_path(registry: DivisionRegistry) -> None:
    """Names from province down, skipping levels that do not exist."""
    assert registry.name_path("130533", date(2023, 1, 1)) == "河北省 邢台市 威县"
    assert registry.name_path("130500", date(2023, 1, 1)) == "河北省 邢台市"
    assert registry.name_path("130000", date(2023, 1, 1)) == "河北省"
    assert registry.name_path("110101", date(2023, 1, 1)) == "北京市 东城区"
    assert registry.name_path("330103", date(2019, 1, 1)) == "浙江省 杭州市 下城区"
    with pytest.raises(IdentifierError):
        registry.name_path("330103", date(2022, 1, 1))


def test_township_codes_use_their_county(registry: DivisionRegistry) -> None:
    """9- and 12-digit NBS codes are judged by their first 6 digits (township level undated)."""
    on = date(2023, 1, 1)
    assert registry.validate("130533100000", on).code == "130533"
    assert registry.validate("130533100", on).code == "130533"
    assert registry.name_path("130533100000", on) == "河北省 邢台市 威县"
    assert registry.status("330103001000", date(2022, 1, 1)) == "abolished"
    with pytest.raises(IdentifierError) as info:
        registry.validate("330103001000", date(2022, 1, 1))
    assert "use 330105" in info.value.hint
    assert "330103001000" in str(info.value)


@pytest.mark.parametrize(
    ("code", "ancestor", "inside"),
    [
        ("130533", "130500", True),
        ("130533", "130000", True),
        ("130533", "130533", True),
        ("130533100000", "130533", True),
        ("130533100201", "130533100000", True),
        ("130533100201", "130533100", True),
        ("130533", "130600", False),
        ("130533", "140000", False),
        ("130533", "130533100000", False),
        ("130533101000", "130533100000", False),
    ],
)
def test_is_within(registry: DivisionRegistry, code: str, ancestor: str, inside: bool) -> None:
    """Containment follows the digit structure of the codes."""
    assert registry.is_within(code, ancestor) is inside


def test_is_within_rejects_malformed_codes(registry: DivisionRegistry) -> None:
    """Malformed codes are an error, not False."""
    with pytest.raises(IdentifierError, match="expected 6 digits"):
        registry.is_within("13053", "130000")


def test_normalised_input_and_history(registry: DivisionRegistry) -> None:
    """Codes are normalised (full-width, spaces) before lookup; history lists every record."""
    assert registry.validate("１３０５３３\u200b ", date(2023, 1, 1)).name == "威县"
    names = [d.name for d in registry.history("210311")]
    assert names == ["郊区", "旧堡区", "千山区"]
    assert registry.is_known("330103")
    assert not registry.is_known("999999")
    assert registry.coverage == (1981, 2024)
    assert registry.history("999999") == ()


def test_registry_from_custom_file(tmp_path: Path) -> None:
    """Another file of the same shape can be used, and its data stays on the instance."""
    path = tmp_path / "divisions.csv"
    path.write_text(
        "code,name,level,start_year,end_year,successors\n"
        "990000,测试省,province,2000,,\n"
        "990101,旧区,county,2000,2010,990102\n"
        "990102,新区,county,2010,,\n",
        encoding="utf-8",
    )
    custom = DivisionRegistry(path)
    assert custom.status("990101", date(2015, 1, 1)) == "abolished"
    assert custom.coverage == (2000, 2010)
    assert custom.name_path("990102", date(2015, 1, 1)) == "测试省 新区"
    with pytest.raises(IdentifierError, match="use 990102 新区"):
        custom.validate("990101", date(2015, 1, 1))
    assert custom.status("330103", date(2019, 1, 1)) == "unknown"


def test_malformed_data_file_names_the_line(tmp_path: Path) -> None:
    """A broken data file is reported with its path and line."""
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,name,level,start_year,end_year,successors\n990000,x,state,2000,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"bad\.csv, line 2") as info:
        DivisionRegistry(path).status("990000", date(2020, 1, 1))
    assert info.value.row == 2


# -- bundled data ----------------------------------------------------------------------

_LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}


def derive_divisions(result_csv: str) -> str:
    """Turn upstream yescallop/areacodes ``result.csv`` into ``data/divisions.csv``.

    Keeps code, name, level (in English), start and end year and the 新代码
    list unchanged; sorts by code then start year.
    """
    reader = csv.DictReader(io.StringIO(result_csv.lstrip("\ufeff")))
    rows = sorted(
        (
            (
                r["代码"],
                int(r["启用时间"]),
                r["名称"],
                _LEVELS[r["级别"]],
                r["变更/弃用时间"],
                r["新代码"],
            )
            for r in reader
        ),
        key=lambda r: (r[0], r[1]),
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "level", "start_year", "end_year", "successors"])
    for code, start, name, level, end, successors in rows:
        writer.writerow([code, name, level, start, end, successors])
    return out.getvalue()


def _bundled(name: str) -> str:
    return resources.files("fsrules.identifiers").joinpath("data", name).read_text(encoding="utf-8")


def test_bundled_divisions_match_upstream() -> None:
    """data/divisions.csv is exactly what derive_divisions() makes of shared result.csv."""
    source = AREACODES / "result.csv"
    if not source.is_file():
        pytest.skip(MISSING_REASON)
    assert _bundled("divisions.csv") == derive_divisions(source.read_text(encoding="utf-8"))


def test_bundled_divisions_are_sorted_and_small() -> None:
    """Sorted by code then start year, county level and above, well under 300 kB."""
    text = _bundled("divisions.csv")
    assert len(text.encode()) < 300_000
    rows = list(csv.DictReader(io.StringIO(text)))
    keys = [(r["code"], int(r["start_year"])) for r in rows]
    assert keys == sorted(keys)
    assert {r["level"] for r in rows} == {"province", "prefecture", "county"}
    assert all(len(r["code"]) == 6 for r in rows)


def test_data_readme_keeps_attribution() -> None:
    """The CC0 source is named with its commit."""
    readme = _bundled("README.md")
    assert "yescallop/areacodes" in readme
    assert "eed219a0678d36bacaa717f62443b10e869f0291" in readme
    assert "CC0 1.0" in readme
