#!/usr/bin/env python
"""Generate a synthetic province: N real counties, each a generated county bundle.

Each county is built by :func:`generate_weixian.generate` (with a seed of its
own) and then moved to a real county-level division of the province: its
division codes, the province/prefecture/county names in names and addresses,
its USCCs (registration-authority digits and check character recomputed) and
its record ids (``WX000001`` becomes ``130521-000001``, so ids never collide
between counties). The counties are the first N county-level codes of the
province in use on 31 December of ``year`` in the division history fsrules
ships (``fsrules/identifiers/data/divisions.csv``), in code order.

Two layouts (``--layout``): ``folders`` (default) writes one bundle folder per
county under OUT (``OUT/130521/operator.csv``...); ``single`` writes one bundle
holding every county's records, split by division code when evaluated.

Only county-level regions are generated: the province has no prefecture or
province ``region`` records, so every region-level rule judges a county.

    python examples/generate_province.py --counties 20 --operators 60 --out /tmp/hebei
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import io
import sys
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent
try:  # pragma: no cover - depends on how the script is started
    import fsrules  # noqa: F401
except ImportError:  # pragma: no cover - running from a checkout without PYTHONPATH
    sys.path[:0] = [str(_ROOT / "src"), str(_ROOT / "rulesets")]

import attrs  # noqa: E402

from fsrules.identifiers import DivisionRegistry, uscc_check_char  # noqa: E402
from fsrules.model import Fact  # noqa: E402

__all__ = ["County", "generate_province", "main", "province_counties", "relabel",
           "write_province"]

#: What the Wei County generator writes, and is rewritten per county.
_SOURCE_CODE = "130533"
_SOURCE_PARENT = "130500"
_SOURCE_PATH = "河北省邢台市威县"
_SOURCE_NAME = "威县"
_SOURCE_TAG = "WX"
#: Generated operators opened as early as the 2000s: use counties that existed by then.
_SINCE = 2000


def _weixian() -> ModuleType:
    name = "generate_weixian"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, _HERE / "generate_weixian.py")
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError("cannot import generate_weixian.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@attrs.frozen(kw_only=True)
class County:
    """A real county-level division the generated records are moved to."""

    code: str
    name: str
    prefecture_code: str
    path: str  # 河北省石家庄市长安区: what addresses start with
    index: int = 0  # position in the province: moves the county's coordinates apart

    @property
    def offset(self) -> tuple[float, float]:
        """Degrees added to latitude and longitude: counties lie 0.5° (~50 km) apart."""
        return (round(-0.5 * (self.index // 8), 6), round(-0.5 * (self.index % 8), 6))

    @property
    def tag(self) -> str:
        """The prefix of this county's record ids (``130521-``)."""
        return f"{self.code}-"


def province_counties(province: str = "130000", count: int = 20, *, year: int = 2023
                      ) -> list[County]:
    """The first ``count`` county-level divisions of ``province`` in use in ``year``.

    Only divisions in use since 2000 or earlier are taken, as generated
    operators opened years before the evaluation date.

    Raises ValueError when the province has fewer.
    """
    registry = DivisionRegistry()
    on = dt.date(year, 12, 31)
    text = resources.files("fsrules.identifiers").joinpath("data/divisions.csv").read_text(
        encoding="utf-8")
    codes = sorted({row["code"] for row in csv.DictReader(io.StringIO(text))
                    if row["level"] == "county" and row["code"][:2] == province[:2]})
    out: list[County] = []
    for code in codes:
        division = registry.lookup(code, on)
        if (division is None or division.level != "county" or code[4:6] >= "70"
                or division.start_year > _SINCE):
            continue  # not in use throughout, or an NBS development zone (71-79)
        prefecture = code[:4] + "00"
        parent = registry.lookup(prefecture, on)
        top = registry.lookup(province[:2] + "0000", on)
        # Province-administered counties (e.g. 省直辖县级) have no prefecture record.
        path = "".join(d.name for d in (top, parent) if d is not None) + division.name
        out.append(County(code=code, name=division.name,
                          prefecture_code=prefecture if parent else province[:2] + "0000",
                          path=path, index=len(out)))
        if len(out) == count:
            return out
    raise ValueError(f"province {province} has only {len(out)} counties in use in {year}")


@cache
def _text_fields(cls: type[Fact]) -> tuple[str, ...]:
    return tuple(a.name for a in attrs.fields(cls) if a.init)


def _text(value: str, county: County) -> str:
    if _SOURCE_CODE in value:
        value = value.replace(_SOURCE_CODE, county.code)
    if _SOURCE_NAME in value:
        value = value.replace(_SOURCE_PATH, county.path).replace(_SOURCE_NAME, county.name)
    return value


def _identifier(value: str, county: County) -> str:
    if value.startswith(_SOURCE_TAG):
        return county.tag + value[len(_SOURCE_TAG):]
    if value[:1].isalpha():  # cadre ids (BBX0005...): people of this county
        return county.tag + value
    return _text(value, county)


def _uscc(value: str, county: County) -> str:
    if len(value) != 18 or value[2:8] != _SOURCE_CODE:
        return _text(value, county)
    head = value[:2] + county.code + value[8:17]
    return head + uscc_check_char(head)


def relabel(facts: Sequence[Fact], county: County) -> list[Fact]:
    """``facts`` (a generated Wei County) moved to ``county``.

    Fields named ``id`` or ``*_id`` get the county's id prefix; ``uscc``
    gets the county's division digits and a recomputed check character;
    the region record's ``parent_code`` becomes the county's prefecture;
    coordinates move by the county's offset (counties never overlap); every
    other text field has the Wei County code and names replaced.
    """
    out: list[Fact] = []
    for fact in facts:
        changes: dict[str, Any] = {}
        for name in _text_fields(type(fact)):
            value = getattr(fact, name)
            if isinstance(value, str):
                if name == "id" or name.endswith("_id"):
                    new = _identifier(value, county)
                elif name == "uscc":
                    new = _uscc(value, county)
                elif name == "parent_code" and value == _SOURCE_PARENT:
                    new = county.prefecture_code
                else:
                    new = _text(value, county)
            elif isinstance(value, tuple) and value and isinstance(value[0], str):
                new = tuple(_text(v, county) for v in value)
            elif name in ("latitude", "longitude") and isinstance(value, float):
                # Counties must not share streets: a vendor is near a school of its own county.
                shift = county.offset[0 if name == "latitude" else 1]
                new = round(value + shift, 6)
            else:
                continue
            if new != value:
                changes[name] = new
        out.append(attrs.evolve(fact, **changes) if changes else fact)
    return out


def generate_province(counties: Sequence[County], operators: int, seed: int = 1
                      ) -> Iterator[tuple[County, list[Fact]]]:
    """Each county with its facts (``operators`` operators, seed ``seed + i``)."""
    generator = _weixian()
    for index, county in enumerate(counties):
        yield county, relabel(generator.generate(operators, seed + index), county)


def write_province(counties: Sequence[County], operators: int, directory: str | Path, *,
                   seed: int = 1, layout: str = "folders") -> int:
    """Write the province under ``directory``; return the number of facts written.

    ``folders``: one bundle folder per county (``directory/<code>/``);
    ``single``: one bundle with every county's records.
    """
    if layout not in ("folders", "single"):
        raise ValueError(f"layout must be 'folders' or 'single', got {layout!r}")
    generator = _weixian()
    out = Path(directory)
    total = 0
    every: list[Fact] = []
    for county, facts in generate_province(counties, operators, seed):
        total += len(facts)
        if layout == "folders":
            generator.write_bundle(facts, out / county.code)
        else:
            every.extend(facts)
    if layout == "single":
        generator.write_bundle(every, out)
    return total


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write a province of N generated counties."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--counties", type=int, default=20, help="number of counties (20)")
    parser.add_argument("--operators", type=int, default=400,
                        help="operators per county (400, about 125 facts each)")
    parser.add_argument("--province", default="130000", help="province code (130000 河北省)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first county (1)")
    parser.add_argument("--layout", choices=("folders", "single"), default="folders",
                        help="one bundle per county (folders) or one bundle for all (single)")
    args = parser.parse_args(argv)
    counties = province_counties(args.province, args.counties)
    total = write_province(counties, args.operators, args.out, seed=args.seed,
                           layout=args.layout)
    print(f"wrote {total} records of {len(counties)} counties "
          f"({counties[0].code}..{counties[-1].code}) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
