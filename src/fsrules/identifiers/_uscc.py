"""统一社会信用代码 (Unified Social Credit Code, USCC), GB 32100-2015.

Layout of the 18 characters (GB 32100-2015 §4):

====== =====================================================================
1      登记管理部门代码 registration department: ``1``–``9``, ``A``, ``N``, ``Y``
2      机构类别代码 organisation category
3–8    登记管理机关行政区划码: GB/T 2260 code of the registering authority
9–17   主体标识码 = 组织机构代码 (GB 11714, 8 characters + its own check char)
18     check character (mod 31)
====== =====================================================================

python-stdnum (:mod:`stdnum.cn.uscc`) computes the mod-31 check character
correctly and fsrules uses it for that. Its ``validate`` is wrong or
incomplete for fsrules in three ways, fixed here:

* it rejects the department codes ``A``, ``N`` and ``Y`` (it requires the
  first 8 characters to be digits), which GB 32100 Amendment No. 1
  ("123456789ANY") allows;
* it does not check the embedded GB 11714 organisation code;
* it does not strip zero-width characters or apply NFKC, so full-width
  input typed through an IME fails.

Pilot-era codes (Fujian, 2015–2016) are legal although they fail the mod-31
check; fsrules accepts them with a warning unless ``strict=True``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs
from stdnum.cn import ric as _stdnum_ric
from stdnum.cn import uscc as _stdnum_uscc
from stdnum.exceptions import ValidationError as _StdnumError

from fsrules.exceptions import IdentifierError
from fsrules.identifiers._division import NATIONAL_CODE, default_registry
from fsrules.identifiers._text import normalize_text

__all__ = [
    "USCC_ALPHABET",
    "UsccResult",
    "compact_uscc",
    "is_valid_uscc",
    "make_uscc",
    "org_code_check_char",
    "uscc_check_char",
    "validate_uscc",
]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 code characters of GB 32100 (no I, O, Z, S, V), in value order 0–30."""

# GB 32100-2015 as amended by Amendment No. 1: 1 机构编制, 2 外交, 3 司法行政,
# 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 工商 (市场监管), A 中央军委改革和编制
# 办公室, N 农业, Y 其他.
_DEPARTMENT_CODES = "123456789ANY"

# Separators people put inside codes: spaces, ASCII hyphen and the Unicode
# dashes that word processors substitute for it.
_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u2015\u2212")

# GB 11714-1997 §4: weights of the 8 body characters of an organisation code.
_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Characters GB 32100 leaves out because they look like digits or like each
# other, and what the writer most likely meant.
_LOOKALIKES: Mapping[str, str] = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": "U"}

_REGISTRATION_NUMBER_RE = re.compile(r"[0-9]{15}")
_ORG_CODE_RE = re.compile(r"[0-9A-Z]{8}[0-9X]")
# ID numbers printed on licences of sole proprietors mask digits 11–14.
_MASKED_ID_RE = re.compile(r"[0-9]{10}\*{4}[0-9]{3}[0-9X]")
_RESIDENT_ID_RE = re.compile(r"[0-9]{17}[0-9X]")

_WARNINGS: Mapping[str, tuple[str, str]] = {
    "checksum_pilot_era": (
        "校验位不符合 GB 32100（应为 {expected}，实为 {actual}），但代码形式与福建省"
        "2015—2016年试点期间赋予的代码一致，此类代码合法有效；请在国家企业信用信息公示系统核实",
        "the check character does not satisfy GB 32100 (expected {expected}, got {actual}), "
        "but the code has the form of codes issued in Fujian's 2015–2016 pilot, which are "
        "legal; confirm it on the National Enterprise Credit Information Publicity System",
    ),
    "region_unknown": (
        "登记管理机关行政区划码 {region} 不是1981年以来任何县级以上行政区划代码"
        "（可能是开发区等统计用代码，或抄写错误）",
        "registration region {region} is not a county-level-or-above division code of any "
        "year since 1981 (a development-zone statistical code, or a typo)",
    ),
}


@attrs.define(frozen=True, kw_only=True, slots=True)
class UsccResult:
    """A USCC that passed validation, split into its GB 32100 parts.

    Attributes:
        value: the compact, normalised code (18 upper-case characters).
        department_code: position 1, 登记管理部门代码.
        category_code: position 2, 机构类别代码.
        region_code: positions 3–8, 登记管理机关行政区划码 (6 digits).
        org_code: positions 9–17, 主体标识码 (组织机构代码, GB 11714).
        check_char: position 18.
        warnings: stable machine codes of accepted irregularities:
            ``"checksum_pilot_era"``, ``"region_unknown"``.
        warning_messages: one message per warning, ``"中文 / English"``.
    """

    value: str
    department_code: str
    category_code: str
    region_code: str
    org_code: str
    check_char: str
    warnings: tuple[str, ...] = ()
    warning_messages: tuple[str, ...] = ()


def compact_uscc(value: str) -> str:
    """Return *value* in compact form without validating it.

    Normalises the text (:func:`~fsrules.identifiers.normalize_text`: NFKC,
    zero-width characters removed), drops spaces and hyphens and upper-cases:
    ``compact_uscc(" 91 110000 600037341l")`` is ``"91110000600037341L"``.
    """
    return normalize_text(value).translate(_SEPARATORS).upper()


def is_valid_uscc(value: str, *, strict: bool = False) -> bool:
    """Whether :func:`validate_uscc` accepts *value* (warnings allowed)."""
    try:
        validate_uscc(value, strict=strict)
    except IdentifierError:
        return False
    return True


def validate_uscc(value: str, *, strict: bool = False) -> UsccResult:
    """Validate a 统一社会信用代码 and split it into its parts.

    The value is normalised first (NFKC, zero-width characters, spaces and
    hyphens removed, upper-cased). The result carries *warnings* for codes
    that are legal in practice but irregular:

    * ``"checksum_pilot_era"``: the mod-31 check fails but the code has the
      form of Fujian pilot codes (region 35xxxx, 主体标识码 ``M0…`` with a
      valid GB 11714 check), e.g. ``91350100M0001TGQXM``;
    * ``"region_unknown"``: positions 3–8 are not a division code of any year
      since 1981 (nor ``100000``, used by national registration authorities).

    With ``strict=True`` pilot-era codes are errors too; ``region_unknown``
    stays a warning. A wrong check character of the embedded GB 11714
    organisation code (positions 9-17) is always an error (reason
    ``"org_code_checksum"``): python-stdnum does not check it.

    Raises:
        IdentifierError: ``scheme="uscc"``; ``reason`` is one of ``"empty"``,
            ``"length"``, ``"charset"``, ``"format"``, ``"checksum"``,
            ``"org_code_checksum"``, or, for identifiers that
            are not USCCs, ``"legacy_registration_number"`` (15-digit 注册号),
            ``"legacy_org_code"`` (9-character 组织机构代码),
            ``"resident_id"`` / ``"resident_id_masked"`` (身份证号).
    """
    code = compact_uscc(value)
    shown = repr(code) if code == value else f"{code!r} ({value!r})"
    if not code:
        raise _error(
            value,
            "empty",
            "统一社会信用代码为空",
            "USCC is empty",
            "请填写营业执照上的18位统一社会信用代码",
            "enter the 18-character code printed on the business licence",
        )
    if len(code) != 18:
        raise _wrong_length(value, code, shown)
    if _MASKED_ID_RE.fullmatch(code):
        raise _error(
            value,
            "resident_id_masked",
            f"{shown} 是隐去第11–14位的身份证号码，不是统一社会信用代码",
            f"{shown} is a resident ID number with digits 11–14 masked, not a USCC",
            "个体工商户请填写营业执照上的统一社会信用代码（以92开头）",
            "for a sole proprietor, enter the USCC on the business licence (it starts with 92)",
        )
    _check_charset(value, code, shown)
    if code[0] not in _DEPARTMENT_CODES:
        raise _error(
            value,
            "format",
            f"统一社会信用代码格式错误：{shown} 第1位登记管理部门代码 {code[0]!r} 无效",
            f"USCC {shown} has an invalid registration department code {code[0]!r} in position 1",
            "第1位应为 1–9、A、N 或 Y（GB 32100 第1号修改单）",
            "position 1 must be 1–9, A, N or Y (GB 32100 Amendment No. 1)",
        )
    if not code[2:8].isdigit():
        raise _error(
            value,
            "format",
            f"统一社会信用代码格式错误：{shown} 第3–8位 {code[2:8]!r} 应为行政区划代码（6位数字）",
            f"USCC {shown} has {code[2:8]!r} in positions 3–8, where the 6-digit "
            f"registration region code belongs",
            "请核对第3–8位，应全部为数字",
            "re-check positions 3–8; they must all be digits",
        )

    expected = uscc_check_char(code[:17])
    org_expected = org_code_check_char(code[8:16])
    org_ok = org_expected == code[16]
    context = {
        "expected": expected,
        "actual": code[17],
        "org_code": code[8:17],
        "org_expected": org_expected,
        "org_actual": code[16],
        "region": code[2:8],
    }
    warnings: list[str] = []
    if expected != code[17]:
        if _is_resident_id(code):
            raise _error(
                value,
                "resident_id",
                f"{shown} 是18位居民身份证号码，不是统一社会信用代码",
                f"{shown} is an 18-character resident ID number, not a USCC",
                "个体工商户请填写营业执照上的统一社会信用代码（以92开头）；"
                "确需记录身份证号的，请填入经营者身份证号字段",
                "for a sole proprietor enter the USCC on the business licence (it starts with "
                "92); record the ID number in the operator-ID field instead",
            )
        if not strict and _is_pilot_era(code, org_ok=org_ok):
            warnings.append("checksum_pilot_era")
        else:
            raise _checksum_error(value, code, shown, expected, org_ok=org_ok, strict=strict)
    if not org_ok:
        # GB 32100 makes positions 9-17 a GB 11714 code, check character
        # included: python-stdnum does not check it, we do (the edge-case
        # vectors expect such codes to be invalid).
        raise _error(
            value,
            "org_code_checksum",
            f"统一社会信用代码 {shown} 内嵌组织机构代码校验码错误：第17位应为 "
            f"{org_expected!r}，实为 {code[16]!r}",
            f"the organisation code embedded in USCC {shown} fails the GB 11714 check: "
            f"position 17 should be {org_expected!r}, got {code[16]!r}",
            "请核对第9–17位（组织机构代码）",
            "re-check positions 9–17 (the organisation code)",
        )
    if code[2:8] != NATIONAL_CODE and not default_registry().is_known(code[2:8]):
        warnings.append("region_unknown")
    return UsccResult(
        value=code,
        department_code=code[0],
        category_code=code[1],
        region_code=code[2:8],
        org_code=code[8:17],
        check_char=code[17],
        warnings=tuple(warnings),
        warning_messages=tuple(
            f"{_WARNINGS[w][0].format(**context)} / {_WARNINGS[w][1].format(**context)}"
            for w in warnings
        ),
    )


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character (position 18) of a code's first 17 characters.

    Computed by python-stdnum (:func:`stdnum.cn.uscc.calc_check_digit`):
    ``uscc_check_char("91110000600037341")`` is ``"L"``.
    """
    return str(_stdnum_uscc.calc_check_digit(first17))


def org_code_check_char(body: str) -> str:
    """The GB 11714 check character of an 8-character organisation-code body.

    GB 11714-1997: digits have their value, letters A–Z are 10–35;
    C9 = 11 − (Σ Ci·Wi mod 11), where 10 is written ``X`` and 11 is ``0``.
    ``org_code_check_char("60003734")`` is ``"1"``.
    """
    if len(body) != 8 or not body.isalnum() or not body.isascii():
        raise ValueError(f"an organisation-code body is 8 letters or digits, got {body!r}")
    total = sum(int(ch, 36) * w for ch, w in zip(body, _GB11714_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def make_uscc(body: str, *, region_code: str, department: str = "9",
              category: str = "1") -> str:
    """A 统一社会信用代码 with correct check characters: the one maker fsrules uses.

    ``body`` is the 8-character 主体标识码 body (GB 11714 without its check
    character; the national scheme assigns ``MA`` + 6 characters), placed
    after ``department`` (登记管理部门, ``9`` 工商), ``category`` (机构类别,
    ``1`` 企业, ``2`` 个体工商户) and the first six digits of
    ``region_code``. The builders, the Hypothesis strategies and the demo
    generator all make codes here; :func:`validate_uscc` accepts every one
    with ``strict=True`` when the region is a real division::

        make_uscc("MA000001", region_code="130533")  # '91130533MA0000015X'
    """
    if department not in _DEPARTMENT_CODES or category not in USCC_ALPHABET or len(category) != 1:
        raise ValueError(f"department must be one of {_DEPARTMENT_CODES} and category one "
                         f"character of {USCC_ALPHABET}, got {department!r}, {category!r}")
    region = region_code[:6]
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"region_code must start with a 6-digit division code, got "
                         f"{region_code!r}")
    body = body.upper()
    if any(ch not in USCC_ALPHABET for ch in body):
        raise ValueError(f"the body may use only the GB 32100 characters {USCC_ALPHABET}, "
                         f"got {body!r}")
    first17 = f"{department}{category}{region}{body}{org_code_check_char(body)}"
    return first17 + uscc_check_char(first17)


def _is_pilot_era(code: str, *, org_ok: bool) -> bool:
    # Codes issued in Fujian before GB 32100 took effect (e.g. 91350100M0001TGQXM,
    # 91350211M0000XUF46, 91350203M0001FUE2P) fail the mod-31 check but are
    # legal. All known ones have region 35xxxx and a 主体标识码 "M0…" with a
    # correct GB 11714 check; the national scheme assigns "MA…"-style codes.
    return code[2:4] == "35" and code[8:10] == "M0" and org_ok


def _is_resident_id(code: str) -> bool:
    # GB 11643 citizen identity number: 17 digits, a birth date at 7–14 and a
    # mod-11 check digit (0–9 or X).
    if _RESIDENT_ID_RE.fullmatch(code) is None:
        return False
    if _stdnum_ric.calc_check_digit(code) != code[17]:
        return False
    try:
        _stdnum_ric.get_birth_date(code)
    except _StdnumError:
        return False
    return True


def _wrong_length(value: str, code: str, shown: str) -> IdentifierError:
    if _REGISTRATION_NUMBER_RE.fullmatch(code):
        return _error(
            value,
            "legacy_registration_number",
            f"{shown} 看起来是15位工商注册号（2015年“三证合一”前的旧号），不是统一社会信用代码",
            f"{shown} looks like a 15-digit registration number (注册号, replaced in 2015), "
            f"not a USCC",
            "请改填营业执照上的18位统一社会信用代码，可在国家企业信用信息公示系统按注册号查询",
            "enter the 18-character USCC from the current business licence; the National "
            "Enterprise Credit Information Publicity System finds it by registration number",
        )
    if _ORG_CODE_RE.fullmatch(code):
        return _error(
            value,
            "legacy_org_code",
            f"{shown} 看起来是9位组织机构代码，不是统一社会信用代码",
            f"{shown} looks like a 9-character organisation code (组织机构代码), not a USCC",
            "组织机构代码是统一社会信用代码的第9–17位；请填写完整的18位代码",
            "the organisation code is positions 9–17 of the USCC; enter the full 18-character code",
        )
    return _error(
        value,
        "length",
        f"统一社会信用代码长度错误：{shown} 有 {len(code)} 位，应为18位",
        f"USCC {shown} has {len(code)} characters; it must have 18",
        "请核对是否漏抄或多抄字符",
        "check for missing or extra characters",
    )


def _check_charset(value: str, code: str, shown: str) -> None:
    bad = [(i, ch) for i, ch in enumerate(code, start=1) if ch not in USCC_ALPHABET]
    if not bad:
        return
    where = ", ".join(f"{i}:{ch!r}" for i, ch in bad)
    guesses = [f"{ch}→{_LOOKALIKES[ch]}" for _, ch in bad if ch in _LOOKALIKES]
    zh_fix = "统一社会信用代码只用数字和除 I、O、Z、S、V 以外的大写字母"
    en_fix = "a USCC uses digits and capital letters except I, O, Z, S and V"
    if guesses:
        zh_fix += f"；可能是 {', '.join(guesses)}"
        en_fix += f"; did you mean {', '.join(guesses)}?"
    raise _error(
        value,
        "charset",
        f"统一社会信用代码含有不允许的字符：{shown}（位置:字符 {where}）",
        f"USCC {shown} contains characters that are not allowed (position:char {where})",
        zh_fix,
        en_fix,
    )


def _checksum_error(
    value: str, code: str, shown: str, expected: str, *, org_ok: bool, strict: bool
) -> IdentifierError:
    zh = f"统一社会信用代码校验位错误：{shown} 第18位应为 {expected!r}，实为 {code[17]!r}"
    en = f"USCC check character is wrong: expected {expected!r}, got {code[17]!r} in {shown}"
    if not org_ok:
        zh += "；内嵌组织机构代码的校验码也不符，第9–16位很可能有抄错"
        en += (
            "; the embedded organisation code fails its check too, so positions 9–16 are "
            "likely mistyped"
        )
    zh_fix = "请对照营业执照逐位核对，常见原因是抄错一位或相邻两位颠倒"
    en_fix = (
        "compare the code with the business licence; usually one character is mistyped or "
        "two adjacent ones are swapped"
    )
    swaps = _valid_transpositions(code)
    if swaps:
        zh_fix += f"；调换相邻两位后有效的代码：{', '.join(swaps)}"
        en_fix += f"; swapping two adjacent characters gives the valid code(s) {', '.join(swaps)}"
    if strict and _is_pilot_era(code, org_ok=org_ok):
        zh_fix += "；该代码形式与福建试点期代码一致，非严格模式下只作警告"
        en_fix += (
            "; it has the form of a Fujian pilot-era code, which is only a warning when "
            "strict=False"
        )
    return _error(value, "checksum", zh, en, zh_fix, en_fix)


def _valid_transpositions(code: str) -> list[str]:
    found: list[str] = []
    for i in range(17):
        if code[i] == code[i + 1]:
            continue
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
        if (
            swapped[0] in _DEPARTMENT_CODES
            and swapped[2:8].isdigit()
            and uscc_check_char(swapped[:17]) == swapped[17]
            and org_code_check_char(swapped[8:16]) == swapped[16]
        ):
            found.append(swapped)
    return found


def _error(value: str, reason: str, zh: str, en: str, zh_fix: str, en_fix: str) -> IdentifierError:
    return IdentifierError(
        f"{zh}。{zh_fix} / {en}; {en_fix}",
        scheme="uscc",
        value=value,
        reason=reason,
        hint=f"{zh_fix} / {en_fix}",
    )
