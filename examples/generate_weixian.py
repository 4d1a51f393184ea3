#!/usr/bin/env python
"""Generate the synthetic Wei County (威县) demo bundle in ``examples/weixian/``.

Everything here is invented: the operators, people, licences, inspections,
sampling results and incidents do not describe real businesses or events.
Only the frame is real: 威县 (division 130533, 河北省邢台市), its 16 towns
and townships with their NBS codes, and the shape of the records Chinese
regulators keep (USCCs with valid check characters, JY/SC/YB licence
numbers, 三小 registration cards, 包保 assignments, 日管控/周排查/月调度).

The data is built to tell a story when evaluated with the ``demo`` profile
as of 2023-12-31: the county's 2023 evaluative sampling pass rate is
slightly below 98 % (veto item 5 fires), its largest incident (a rural
banquet poisoning in 2022 with more than 100 ill) is level III, not level II
(veto item 2 stays quiet), and satisfaction is 81.2 (veto item 4 passes).
Smaller problems are sprinkled through the records for the other rulesets.

Run ``python examples/generate_weixian.py`` to rewrite the bundle; the output
is byte-for-byte the same on every run (one seeded :class:`random.Random`,
no wall clock, no set iteration). :func:`generate` builds a county of any
size for the benchmarks, and :func:`write_bundle` writes facts the way the
demo is written (Chinese column headers, mixed date formats and encodings).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import random
import sys
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
try:  # pragma: no cover - depends on how the script is started
    import fsrules  # noqa: F401
except ImportError:  # pragma: no cover - running from a checkout without PYTHONPATH
    sys.path[:0] = [str(_ROOT / "src"), str(_ROOT / "rulesets")]

import attrs  # noqa: E402

from fsrules.dates import add_years  # noqa: E402
from fsrules.identifiers import make_uscc  # noqa: E402
from fsrules.model import (  # noqa: E402
    BUILTIN_FACT_KINDS,
    BanquetReport,
    BaobaoAssignment,
    BaobaoTier,
    BusinessType,
    CadreLevel,
    ChecklistStatus,
    Complaint,
    Disposal,
    DisposalStatus,
    EnforcementCase,
    Fact,
    HealthCertificate,
    Incident,
    IncidentCategory,
    IncidentLevel,
    IndicatorObservation,
    Inspection,
    InspectionKind,
    InspectionResult,
    InstitutionType,
    LabelledEnum,
    Licence,
    LicenceKind,
    MealService,
    MealSlot,
    Operator,
    OperatorScale,
    ProductionRecord,
    ProductTest,
    PurchaseChannel,
    PurchaseRecord,
    Region,
    RiskAssessment,
    RiskGrade,
    SampleRetention,
    SamplingKind,
    SamplingLevel,
    SamplingResult,
    SelfCheck,
    SelfCheckCycle,
    StaffMember,
    StaffRole,
    SupervisionVisit,
    SupplyChainLink,
    TrainingRecord,
    VendorRegistration,
    Verdict,
    WorkShift,
    dump_fact,
)
from fsrules_rulesets.risk.facts import DutyClosure, RiskFactor  # noqa: E402
from fsrules_rulesets.three_small.facts import VendorObservation  # noqa: E402

if str(Path(__file__).resolve().parent) not in sys.path:  # the territorial records' module
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from weixian_territorial import KINDS as TERRITORIAL_KINDS  # noqa: E402
from weixian_territorial import README_LINES as TERRITORIAL_README  # noqa: E402
from weixian_territorial import territorial_facts  # noqa: E402

__all__ = ["DEFAULT_OPERATORS", "DEFAULT_SEED", "generate", "main", "write_bundle"]

DEFAULT_SEED = 20231231
"""Seed of the committed demo bundle."""

DEFAULT_OPERATORS = 400
"""Number of operators in the committed demo bundle."""

#: Kinds the rulesets register (risk, two-responsibilities, three-small), written after
#: the core kinds as ``<kind>.csv`` with the Chinese headers of their field metadata.
EXTRA_KINDS: tuple[type[Fact], ...] = (RiskFactor, DutyClosure, VendorObservation)

OUTPUT_DIR = _ROOT / "examples" / "weixian"

COUNTY = "130533"
PREFECTURE = "130500"
START = dt.date(2021, 1, 1)
END = dt.date(2023, 12, 31)

#: The 16 towns and townships of 威县 with their 12-digit NBS codes (2023 edition,
#: shared/data/admin_divisions_nbs/streets.csv; 9 digits there, padded with 000).
TOWNSHIPS: tuple[tuple[str, str], ...] = (
    ("130533100000", "洺州镇"),
    ("130533101000", "梨园屯镇"),
    ("130533102000", "章台镇"),
    ("130533103000", "侯贯镇"),
    ("130533104000", "七级镇"),
    ("130533105000", "贺营镇"),
    ("130533106000", "方家营镇"),
    ("130533107000", "常庄镇"),
    ("130533108000", "第什营镇"),
    ("130533109000", "贺钊镇"),
    ("130533110000", "赵村镇"),
    ("130533111000", "固献镇"),
    ("130533202000", "枣园乡"),
    ("130533206000", "张家营乡"),
    ("130533207000", "常屯乡"),
    ("130533209000", "高公庄乡"),
)
_SEAT = "洺州镇"  # the county seat: most shops and restaurants are there

# --------------------------------------------------------------------------- vocabularies

_SURNAMES = (
    "王王王李李李张张张刘刘赵赵杨杨高高孙马郭郭陈徐吴朱胡何周宋韩冯田董袁于曹崔魏吕"
    "丁任姚卢贾侯孟秦邢范武段史乔白尹苗常霍牛岳郝申靳耿路邵"
)
_GIVEN = (
    "建国", "建军", "秀英", "桂兰", "志强", "海燕", "丽娟", "红梅", "国庆", "立新", "振华",
    "淑芬", "玉兰", "文静", "晓东", "春生", "金山", "凤英", "俊杰", "明亮", "伟", "磊", "静",
    "敏", "强", "军", "洋", "勇", "艳", "杰", "娟", "涛", "超", "明", "霞", "平", "刚", "桂英",
    "秀兰", "志刚", "小红", "学军", "保国", "新民", "永生", "占军", "书香", "瑞芳", "英杰",
    "立华", "海涛", "金凤", "素娟", "卫东", "爱华", "振国", "树林", "彦军", "胜利", "建华",
    "晓燕", "丽霞", "佳琪", "子涵", "浩然", "雅静", "文博", "思远", "梦瑶", "宏伟",
)
_BRANDS = (
    "永盛", "鑫源", "金麦", "福瑞", "康泰", "润通", "宏达", "兴旺", "聚福", "百味", "丰源",
    "恒信", "顺达", "瑞祥", "德隆", "华康", "益民", "天润", "嘉禾", "鸿运", "利民", "新华",
    "富民", "万家", "乐源", "盛世", "同德", "惠民", "金穗", "冀南", "洺香", "梨乡", "威康",
    "鼎盛", "合源", "泰和", "永昌", "金鼎", "宏源", "东方", "美佳", "家和", "万福", "汇丰",
    "四季", "好运", "旺达", "金秋", "祥和", "佳美",
)
_VILLAGES = (
    "东街", "西街", "南关", "北关", "前屯", "后屯", "王庄", "李庄", "张营", "刘庄", "赵庄",
    "孙家寨", "高村", "马庄", "杨庄", "郭庄", "大营", "小营", "东关", "西关", "陈庄", "徐庄",
    "前街", "后街", "新庄", "桑园", "枣林", "梨园", "河头", "沙窝",
)
_SEAT_STREETS = (
    "人民大街", "洺州大街", "冀南路", "迎宾大道", "建设街", "光明路", "新华大街", "育才路",
    "富强路", "东风路", "文化路", "振兴大街",
)

# Producers: (word in the name, SC category digits, food category, products).
_PRODUCER_LINES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("面粉", "01", "粮食加工品", ("小麦粉",)),
    ("挂面", "01", "粮食加工品", ("挂面",)),
    ("粮油", "02", "食用油、油脂及其制品", ("大豆油", "花生油")),
    ("调味品", "03", "调味品", ("酱油", "食醋")),
    ("肉制品", "04", "肉制品", ("酱卤肉制品", "熏煮香肠")),
    ("乳业", "05", "乳制品", ("纯牛奶", "酸奶")),
    ("饮品", "06", "饮料", ("饮用纯净水", "果汁饮料")),
    ("食品", "24", "糕点", ("月饼", "面包")),
    ("酒业", "15", "酒类", ("白酒",)),
    ("豆制品", "25", "豆制品", ("豆腐", "腐竹")),
    ("淀粉制品", "23", "淀粉及淀粉制品", ("粉条",)),
    ("酱菜", "16", "蔬菜制品", ("酱腌菜",)),
    ("梨业", "17", "水果制品", ("梨膏", "果脯")),
    ("炒货", "18", "炒货食品及坚果制品", ("瓜子",)),
)
_WORKSHOP_LINES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("香油坊", "食用油、油脂及其制品", ("芝麻油",)),
    ("豆腐坊", "豆制品", ("豆腐",)),
    ("粉条坊", "淀粉及淀粉制品", ("粉条",)),
    ("馒头坊", "粮食加工品", ("馒头",)),
    ("熏肉坊", "肉制品", ("熏肉",)),
    ("糕点坊", "糕点", ("桃酥", "麻花")),
    ("酱菜坊", "蔬菜制品", ("酱腌菜",)),
    ("面条坊", "粮食加工品", ("鲜湿面",)),
)
_EATERY_DISHES = (
    "烧饼", "羊汤", "牛肉面", "饺子", "包子", "驴肉火烧", "麻辣烫", "快餐", "烩面", "米线",
    "凉皮", "炸鸡", "卤肉饭", "馄饨", "煎饼", "豆腐脑", "扒鸡", "面馆",
)
_CATERER_WORDS = ("饭店", "酒楼", "大酒店", "餐厅", "火锅店", "烤肉店", "农家院", "家常菜馆")
_SELLER_WORDS = ("超市", "便利店", "粮油店", "副食批发部", "果蔬店", "生鲜超市", "调料店",
                 "食品商行", "大药房")
_VENDOR_FOODS = ("煎饼果子", "烤红薯", "糖葫芦", "烤冷面", "手抓饼", "烤肠", "臭豆腐",
                 "鸡蛋灌饼", "水果", "凉粉")

# Sampling catalogue: (product, food category, residue test, failed items to pick from).
_Product = tuple[str, str, bool, tuple[str, ...]]
_FARM: tuple[_Product, ...] = (
    ("韭菜", "食用农产品", True, ("腐霉利", "毒死蜱")),
    ("芹菜", "食用农产品", True, ("毒死蜱", "甲拌磷")),
    ("豇豆", "食用农产品", True, ("克百威", "灭蝇胺")),
    ("普通白菜", "食用农产品", True, ("啶虫脒",)),
    ("菠菜", "食用农产品", True, ("毒死蜱",)),
    ("辣椒", "食用农产品", True, ("吡虫啉",)),
    ("黄瓜", "食用农产品", True, ("腐霉利",)),
    ("番茄", "食用农产品", True, ("烯酰吗啉",)),
    ("鸡蛋", "食用农产品", True, ("恩诺沙星", "氟苯尼考")),
    ("猪肉", "食用农产品", True, ("磺胺类（总量）",)),
    ("鸡肉", "食用农产品", True, ("恩诺沙星",)),
    ("牛肉", "食用农产品", True, ("克伦特罗",)),
    ("羊肉", "食用农产品", True, ("克伦特罗",)),
    ("草鱼", "食用农产品", True, ("孔雀石绿",)),
    ("鲫鱼", "食用农产品", True, ("恩诺沙星",)),
    ("梨", "食用农产品", True, ("氯氟氰菊酯和高效氯氟氰菊酯",)),
    ("苹果", "食用农产品", True, ("毒死蜱",)),
    ("香蕉", "食用农产品", True, ("吡唑醚菌酯",)),
    ("柑橘", "食用农产品", True, ("丙溴磷",)),
)
_PACKAGED: tuple[_Product, ...] = (
    ("小麦粉", "粮食加工品", False, ("脱氧雪腐镰刀菌烯醇",)),
    ("挂面", "粮食加工品", False, ("菌落总数",)),
    ("大米", "粮食加工品", False, ("镉（以Cd计）",)),
    ("大豆油", "食用油、油脂及其制品", False, ("酸价（KOH）", "溶剂残留量")),
    ("花生油", "食用油、油脂及其制品", False, ("黄曲霉毒素B1",)),
    ("酱油", "调味品", False, ("氨基酸态氮",)),
    ("食醋", "调味品", False, ("苯甲酸及其钠盐（以苯甲酸计）",)),
    ("纯牛奶", "乳制品", False, ("蛋白质",)),
    ("酸奶", "乳制品", False, ("大肠菌群",)),
    ("饮用纯净水", "饮料", False, ("铜绿假单胞菌",)),
    ("白酒", "酒类", False, ("甜蜜素（以环己基氨基磺酸计）",)),
    ("啤酒", "酒类", False, ("甲醛",)),
    ("饼干", "饼干", False, ("过氧化值（以脂肪计）",)),
    ("方便面", "方便食品", False, ("酸价（以脂肪计）（KOH）",)),
    ("月饼", "糕点", False, ("菌落总数", "霉菌")),
    ("瓜子", "炒货食品及坚果制品", False, ("过氧化值（以脂肪计）",)),
    ("酱腌菜", "蔬菜制品", False, ("脱氢乙酸及其钠盐（以脱氢乙酸计）",)),
    ("粉条", "淀粉及淀粉制品", False, ("铝的残留量",)),
    ("豆腐", "豆制品", False, ("苯甲酸及其钠盐（以苯甲酸计）",)),
    ("调味面制品", "方便食品", False, ("霉菌",)),
)
_CATERING: tuple[_Product, ...] = (
    ("馒头", "餐饮食品", False, ("糖精钠（以糖精计）",)),
    ("油条", "餐饮食品", False, ("铝的残留量",)),
    ("复用餐饮具", "餐饮食品", False, ("大肠菌群", "阴离子合成洗涤剂")),
    ("煎炸过程用油", "餐饮食品", False, ("极性组分",)),
    ("自制面食", "餐饮食品", False, ("脱氢乙酸及其钠盐（以脱氢乙酸计）",)),
    ("火锅底料", "餐饮食品", False, ("罂粟碱",)),
    ("酱卤肉", "餐饮食品", False, ("亚硝酸盐（以亚硝酸钠计）",)),
)
_PRODUCT_INDEX: dict[str, _Product] = {p[0]: p for p in (*_FARM, *_PACKAGED, *_CATERING)}


def _producer_product(name: str, category: str) -> _Product:
    """The catalogue entry of a producer's product (a generic one if not listed)."""
    return _PRODUCT_INDEX.get(name, (name, category, False, ("菌落总数",)))


# --------------------------------------------------------------------------- helpers


def _days(a: dt.date, b: dt.date) -> int:
    """Days from ``a`` to ``b``."""
    return (b - a).days


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in metres between two WGS-84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))


def _slot_hours(slot: str) -> tuple[int, int]:
    """First and last hour of a vendor's time slot such as ``06:00-10:00``."""
    start, end = slot.split("-")
    return int(start.split(":")[0]), int(end.split(":")[0])


def _uscc(rng: random.Random, prefix: str, *, new_style: bool) -> str:
    """A valid 统一社会信用代码 starting with ``prefix`` (e.g. ``92130533``).

    Both check characters come from :func:`fsrules.identifiers.make_uscc`,
    the one place fsrules computes them.
    """
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    if new_style:
        body = "MA0" + "".join(rng.choice(alphabet) for _ in range(5))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    return make_uscc(body, region_code=prefix[2:], department=prefix[0], category=prefix[1])


@attrs.define
class _Meta:
    """What the generator knows about an operator beyond the Operator fact."""

    key: str
    products: tuple[_Product, ...] = ()
    sc_category: str = ""
    grade: RiskGrade = RiskGrade.B
    principal: str | None = None
    director: str | None = None
    officer: str | None = None
    cooks: list[str] = attrs.Factory(list)
    start: dt.date = START
    end: dt.date = END


# Operator mix of the 400-operator county; other sizes scale it.
_MIX: tuple[tuple[str, int], ...] = (
    ("producer", 23),
    ("health_food_producer", 1),
    ("seller", 72),
    ("caterer", 76),
    ("canteen", 17),
    ("school_canteen", 3),
    ("central_kitchen", 1),
    ("meal_delivery", 1),
    ("small_workshop", 40),
    ("small_eatery", 72),
    ("small_grocery", 40),
    ("food_vendor", 44),
    ("banquet_undertaker", 10),
)


class _County:
    """Builds every fact of one synthetic county."""

    def __init__(self, n_operators: int, seed: int) -> None:
        """Start an empty county of ``n_operators`` operators drawn from ``seed``."""
        if n_operators < 60:
            raise ValueError("n_operators must be at least 60")
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = n_operators
        self.scale = n_operators / DEFAULT_OPERATORS
        self.facts: dict[str, list[Fact]] = {cls.KIND: [] for cls in BUILTIN_FACT_KINDS}
        self.ops: list[Operator] = []
        self.meta: dict[str, _Meta] = {}
        self.by_key: dict[str, list[Operator]] = {}
        self.names: dict[str, int] = {}
        self.counters: dict[str, int] = {}
        self.staff_roles: dict[str, StaffRole] = {}
        self.staff_names: dict[str, str] = {}
        self.sequence = {"JY": 0, "SC": 0, "YB": 0, "XZF": 0, "XCY": 0, "TF": 0}
        self.planned: dict[tuple[int, SamplingKind], int] = {}
        self._positions: dict[str, tuple[list[Any], dict[int, int], list[int]]] = {}

    # ------------------------------------------------------------------ small helpers

    def add(self, fact: Fact) -> None:
        """Record a fact."""
        self.facts[fact.KIND].append(fact)

    def next_id(self, prefix: str, width: int = 6) -> str:
        """The next id with ``prefix``: ``WX000001``, ``WX000002``..."""
        value = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = value
        return f"{prefix}{value:0{width}d}"

    def count(self, base: float, minimum: int = 0) -> int:
        """``base`` (a count for the 400-operator county) scaled to this county."""
        return max(minimum, round(base * self.scale))

    def day(self, a: dt.date, b: dt.date) -> dt.date:
        """A random day in [a, b] (``a`` when the range is empty)."""
        if b <= a:
            return a
        return a + dt.timedelta(days=self.rng.randint(0, _days(a, b)))

    def person_name(self) -> str:
        """A random Chinese personal name."""
        return self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)

    def unique(self, name: str, township: str) -> str:
        """``name``, or a branch name such as ``威县润通超市（章台）`` when it is taken."""
        short = township[:-1] if township.endswith(("镇", "乡")) else township
        candidate, n = name, 1
        while candidate in self.names:
            n += 1
            candidate = f"{name}（{short}）" if n == 2 else f"{name}（{short}{n - 1}）"
        self.names[candidate] = 1
        return candidate

    def township(self, seat_share: float = 0.4) -> tuple[str, str]:
        """(NBS code, name) of a random township; ``seat_share`` of them the county seat."""
        if self.rng.random() < seat_share:
            return TOWNSHIPS[0]
        return self.rng.choice(TOWNSHIPS[1:])

    def address(self, township: str) -> str:
        """A premises address in ``township``."""
        if township == _SEAT:
            return f"河北省邢台市威县{township}{self.rng.choice(_SEAT_STREETS)}{self.rng.randint(1, 399)}号"
        return f"河北省邢台市威县{township}{self.rng.choice(_VILLAGES)}村"

    def coordinates(self, township_code: str) -> tuple[float, float]:
        """WGS-84 latitude and longitude near the township."""
        index = [c for c, _ in TOWNSHIPS].index(township_code)
        base_lat = 36.975 + 0.11 * math.sin(index * 0.9)
        base_lon = 115.27 + 0.13 * math.cos(index * 0.9)
        return (round(base_lat + self.rng.uniform(-0.02, 0.02), 6),
                round(base_lon + self.rng.uniform(-0.02, 0.02), 6))

    # ------------------------------------------------------------------ region

    def region(self) -> None:
        """The county itself, with its population."""
        resident = round(self.n * 1496.6)
        self.add(Region(id="130533", code=COUNTY, name="威县", parent_code=PREFECTURE,
                        resident_population=resident,
                        registered_population=round(resident * 1.063),
                        population_year=2022))

    # ------------------------------------------------------------------ operators

    def operators(self) -> None:
        """Every operator, in the proportions of ``_MIX``."""
        counts = {key: self.count(base, 1) for key, base in _MIX}
        counts["school_canteen"] = max(3, counts["school_canteen"])
        counts["seller"] += self.n - sum(counts.values())
        for key, _ in _MIX:
            for i in range(counts[key]):
                self.operator(key, i)

    def operator(self, key: str, index: int) -> None:
        """One operator of category ``key`` (the ``index``-th of its category)."""
        rng = self.rng
        op_id = self.next_id("WX")
        code, township = self.township(0.55 if key in ("seller", "caterer", "small_eatery",
                                                        "food_vendor") else 0.3)
        meta = _Meta(key=key)
        fields: dict[str, Any] = {}
        uscc_prefix: str | None = "92" + COUNTY
        new_style = True
        scale = OperatorScale.MICRO
        if key in ("producer", "health_food_producer"):
            if key == "producer":
                word, sc, category, products = _PRODUCER_LINES[index % len(_PRODUCER_LINES)]
                business = BusinessType.PRODUCER
            else:
                word, sc, category, products = "保健食品", "27", "保健食品", ("蛋白粉",)
                business = BusinessType.HEALTH_FOOD_PRODUCER
                fields["is_special_food"] = True
            scale = rng.choices([OperatorScale.LARGE, OperatorScale.MEDIUM, OperatorScale.SMALL,
                                 OperatorScale.MICRO], [2, 5, 10, 6])[0]
            if word == "乳业":
                scale = OperatorScale.LARGE
            flagship = key == "producer" and index == 0
            suffix = rng.choice(("有限公司", "有限公司", "厂"))
            if flagship:
                name, scale = "威县永盛面粉厂", OperatorScale.MEDIUM
            else:
                name = f"威县{rng.choice(_BRANDS)}{word}{suffix}"
            meta.products = tuple(_producer_product(p, category) for p in products)
            meta.sc_category = sc
            uscc_prefix, new_style = "91" + COUNTY, rng.random() < 0.6
            fields["business_area_m2"] = round(rng.uniform(300, 20000) if scale in (
                OperatorScale.LARGE, OperatorScale.MEDIUM) else rng.uniform(80, 600), 1)
        elif key == "seller":
            business = BusinessType.SELLER
            word = rng.choices(_SELLER_WORDS, [5, 4, 3, 2, 2, 2, 1, 2, 1])[0]
            scale = rng.choices([OperatorScale.LARGE, OperatorScale.MEDIUM, OperatorScale.SMALL,
                                 OperatorScale.MICRO], [2, 6, 30, 34])[0]
            if index == 0:
                name, scale = "威县万家福超市有限公司", OperatorScale.LARGE
                fields["is_chain_hq"] = True
            elif scale in (OperatorScale.LARGE, OperatorScale.MEDIUM):
                name = f"威县{rng.choice(_BRANDS)}{word}有限公司"
            else:
                name = f"威县{rng.choice(_BRANDS)}{word}"
            if scale in (OperatorScale.LARGE, OperatorScale.MEDIUM):
                uscc_prefix, new_style = "91" + COUNTY, rng.random() < 0.5
            meta.products = tuple(rng.sample(_FARM, 4) + rng.sample(_PACKAGED, 6))
            fields["business_area_m2"] = round(rng.uniform(40, 3000), 1)
        elif key == "caterer":
            business = BusinessType.CATERER
            scale = rng.choices([OperatorScale.MEDIUM, OperatorScale.SMALL, OperatorScale.MICRO],
                                [6, 30, 40])[0]
            word = rng.choice(_CATERER_WORDS)
            if index == 0:
                name = "威县聚福楼饭店"
            elif scale is OperatorScale.MEDIUM:
                name = f"威县{rng.choice(_BRANDS)}餐饮有限公司"
            else:
                name = f"威县{rng.choice(_BRANDS)}{word}"
            if scale is not OperatorScale.MICRO:
                uscc_prefix, new_style = "91" + COUNTY, rng.random() < 0.7
            meta.products = _CATERING
            fields.update(
                avg_diners_per_meal=rng.randint(40, 600 if scale is OperatorScale.MEDIUM else 200),
                business_area_m2=round(rng.uniform(60, 1200), 1),
                has_bright_kitchen=rng.random() < 0.7, has_physical_shop=True,
                sells_online=rng.random() < 0.35)
        elif key in ("canteen", "school_canteen", "central_kitchen", "meal_delivery"):
            meta.products = _CATERING
            fields.update(has_bright_kitchen=True, has_physical_shop=True)
            uscc_prefix, new_style = "12" + COUNTY, False
            scale = OperatorScale.SMALL
            if key == "school_canteen":
                business = BusinessType.UNIT_CANTEEN
                kind = index % 3
                series = "" if index < 3 else str(index // 3 + 1)
                if kind == 0:
                    name = f"威县育才小学{series}食堂"
                    fields.update(institution_type=InstitutionType.PRIMARY_SCHOOL,
                                  avg_diners_per_meal=1180 + 37 * (index // 3))
                elif kind == 1:
                    name = f"威县明德中学{series}食堂"
                    fields.update(institution_type=InstitutionType.SECONDARY_SCHOOL,
                                  avg_diners_per_meal=1650 + 29 * (index // 3))
                else:
                    name = f"威县阳光幼儿园{series}食堂"
                    fields.update(institution_type=InstitutionType.KINDERGARTEN,
                                  avg_diners_per_meal=360)
                scale = OperatorScale.MEDIUM
                code, township = TOWNSHIPS[0]
            elif key == "canteen":
                business = BusinessType.UNIT_CANTEEN
                options = (
                    ("威县人民医院职工食堂", InstitutionType.OTHER, 1100),
                    ("威县人民政府机关食堂", InstitutionType.OTHER, 420),
                    ("威县中医院食堂", InstitutionType.OTHER, 380),
                    ("威县社会福利中心食堂", InstitutionType.ELDERLY_CARE, 160),
                )
                if index < len(options):
                    name, institution, diners = options[index]
                    code, township = TOWNSHIPS[0]
                    if "机关" in name:
                        uscc_prefix = "11" + COUNTY  # 机关: category 1 (机构编制), 1
                else:
                    town = rng.choice(TOWNSHIPS[1:])
                    code, township = town
                    if rng.random() < 0.4:
                        name = f"威县{township}{rng.choice(_VILLAGES)}村幸福院食堂"
                        institution, diners = InstitutionType.ELDERLY_CARE, rng.randint(30, 120)
                    else:
                        name = f"威县{rng.choice(_BRANDS)}实业有限公司职工食堂"
                        institution, diners = InstitutionType.OTHER, rng.randint(50, 700)
                        uscc_prefix, new_style = "91" + COUNTY, True
                fields.update(institution_type=institution, avg_diners_per_meal=diners)
                scale = OperatorScale.MEDIUM if diners >= 300 else OperatorScale.SMALL
            elif key == "central_kitchen":
                business = BusinessType.CENTRAL_KITCHEN
                name = "威县鑫厨中央厨房有限公司" if index == 0 else (
                    f"威县{rng.choice(_BRANDS)}中央厨房有限公司")
                fields.update(avg_diners_per_meal=2400)
                scale, uscc_prefix, new_style = OperatorScale.MEDIUM, "91" + COUNTY, True
            else:
                business = BusinessType.MEAL_DELIVERY
                name = "威县好味道团餐配送有限公司" if index == 0 else (
                    f"威县{rng.choice(_BRANDS)}团餐配送有限公司")
                fields.update(avg_diners_per_meal=1300)
                scale, uscc_prefix, new_style = OperatorScale.MEDIUM, "91" + COUNTY, True
            fields["business_area_m2"] = round(rng.uniform(150, 900), 1)
        elif key == "small_workshop":
            business = BusinessType.SMALL_WORKSHOP
            word, category, products = _WORKSHOP_LINES[index % len(_WORKSHOP_LINES)]
            surname = rng.choice(_SURNAMES)
            style = rng.choice(("{s}家", "{s}氏", "老{s}家", "{s}记"))
            name = f"威县{style.format(s=surname)}{word}"
            meta.products = tuple(_producer_product(p, category) for p in products)
            fields["business_area_m2"] = round(rng.uniform(30, 200), 1)
        elif key == "small_eatery":
            business = BusinessType.SMALL_EATERY
            surname = rng.choice(_SURNAMES)
            dish = rng.choice(_EATERY_DISHES)
            style = rng.choice(("老{s}家", "{s}记", "{s}家", "{s}师傅"))
            shop = rng.choice(("店", "馆", "店", "铺"))
            name = "威县老王家烧饼店" if index == 0 else f"威县{style.format(s=surname)}{dish}{shop}"
            meta.products = _CATERING[:2] + _CATERING[4:5]
            fields.update(avg_diners_per_meal=rng.randint(10, 60),
                          business_area_m2=round(rng.uniform(15, 49), 1),
                          has_bright_kitchen=rng.random() < 0.4, has_physical_shop=True,
                          sells_online=rng.random() < 0.4)
        elif key == "small_grocery":
            business = BusinessType.SMALL_GROCERY
            village = rng.choice(_VILLAGES)
            surname = rng.choice(_SURNAMES)
            name = rng.choice((f"威县{township}{village}村{surname}记小卖部",
                               f"威县{surname}氏食杂店", f"威县{village}便民食杂店"))
            meta.products = tuple(rng.sample(_PACKAGED, 5))
            # 小食杂店 are small (Hebei practice: 30 m² or less); one in twenty has outgrown it.
            fields["business_area_m2"] = round(
                rng.uniform(8, 30) if rng.random() > 0.05 else rng.uniform(31, 60), 1)
        elif key == "food_vendor":
            business = BusinessType.FOOD_VENDOR
            food = rng.choice(_VENDOR_FOODS)
            name = f"威县{rng.choice(_SURNAMES)}记{food}摊"
            meta.products = _CATERING[:2] if food not in ("水果",) else tuple(_FARM[15:19])
            uscc_prefix = None if rng.random() < 0.8 else uscc_prefix
            online = index == 7
            fields.update(has_physical_shop=False, sells_online=online)
        else:
            business = BusinessType.BANQUET_UNDERTAKER
            surname = rng.choice(_SURNAMES)
            name = f"威县{township}{surname}师傅乡厨服务队"
            uscc_prefix = None
            meta.products = _CATERING[:1]
            fields["avg_diners_per_meal"] = rng.randint(100, 300)
        name = self.unique(name, township)
        if key in ("food_vendor", "banquet_undertaker"):
            opened = self.day(dt.date(2014, 1, 1), dt.date(2023, 6, 30))
        else:
            opened = self.day(dt.date(2008, 1, 1), dt.date(2020, 12, 31))
            if rng.random() < 0.08:
                opened = self.day(dt.date(2021, 2, 1), dt.date(2023, 9, 30))
        if key == "school_canteen":
            opened = dt.date(2012 + index % 5, 8, 20)
        elif key == "producer" and index == 0:
            opened = dt.date(2009, 4, 12)
        closed: dt.date | None = None
        if key not in ("school_canteen", "producer") and rng.random() < 0.03:
            closed = self.day(max(opened, dt.date(2021, 6, 1)) + dt.timedelta(days=200),
                              dt.date(2023, 10, 31))
            if closed > dt.date(2023, 10, 31):
                closed = None
        meta.start = max(START, opened)
        meta.end = END if closed is None else closed - dt.timedelta(days=1)
        uscc = _uscc(rng, uscc_prefix, new_style=(new_style and opened.year >= 2016) or
                     uscc_prefix.startswith("92")) if uscc_prefix else None
        lat, lon = self.coordinates(code)
        op = Operator(
            id=op_id, name=name, business_type=business, region_code=COUNTY, uscc=uscc,
            township=township, address=self.address(township), scale=scale,
            latitude=lat, longitude=lon, opened_on=opened, closed_on=closed, **fields,
        )
        meta.grade = self.grade(op)
        self.ops.append(op)
        self.meta[op_id] = meta
        self.by_key.setdefault(key, []).append(op)
        self.add(op)

    def grade(self, op: Operator) -> RiskGrade:
        """A risk grade typical of the operator's business type."""
        weights = {
            BusinessType.PRODUCER: (2, 5, 3, 1), BusinessType.HEALTH_FOOD_PRODUCER: (0, 2, 3, 1),
            BusinessType.SELLER: (5, 4, 1, 0), BusinessType.CATERER: (2, 6, 2, 0.3),
            BusinessType.UNIT_CANTEEN: (1, 5, 4, 0.5), BusinessType.CENTRAL_KITCHEN: (0, 1, 3, 1),
            BusinessType.MEAL_DELIVERY: (0, 1, 3, 1),
        }.get(op.business_type, (3, 5, 2, 0.2))
        return self.rng.choices(list(RiskGrade), weights)[0]

    # ------------------------------------------------------------------ permits

    def permits(self) -> None:
        """Licences for licensed operators, registration cards for the 三小."""
        for op in self.ops:
            meta = self.meta[op.id]
            if meta.key in ("small_workshop", "small_eatery", "food_vendor"):
                self.registration(op, meta)
            elif meta.key != "banquet_undertaker":
                self.licences(op, meta)

    def licences(self, op: Operator, meta: _Meta) -> None:
        """The JY/SC/YB licence history of one operator (renewals, lapses, late renewals)."""
        rng = self.rng
        if op.business_type in (BusinessType.PRODUCER, BusinessType.HEALTH_FOOD_PRODUCER):
            self.sequence["SC"] += 1
            kind = LicenceKind.PRODUCTION
            number = (f"SC1{meta.sc_category}{COUNTY}{self.sequence['SC'] % 10000:04d}"
                      f"{rng.randint(0, 9)}")
            scope = tuple(p[0] for p in meta.products)
        else:
            digit = {BusinessType.SELLER: "1", BusinessType.SMALL_GROCERY: "1",
                     BusinessType.UNIT_CANTEEN: "3"}.get(op.business_type, "2")
            filing = (op.business_type is BusinessType.SMALL_GROCERY and rng.random() < 0.4)
            prefix = "YB" if filing else "JY"
            self.sequence[prefix] += 1
            kind = LicenceKind.FILING if filing else LicenceKind.BUSINESS
            number = (f"{prefix}{digit}{COUNTY}{self.sequence[prefix] % 1000000:06d}"
                      f"{rng.randint(0, 9)}")
            if digit == "1":
                scope = ("预包装食品销售（含冷藏冷冻食品）",) if filing else (
                    "预包装食品销售（含冷藏冷冻食品）", "散装食品销售（不含冷藏冷冻食品）")
                if "药房" in op.name:
                    scope = (*scope, "保健食品销售")
            elif digit == "3":
                scope = ("热食类食品制售",)
            else:
                scope = ("热食类食品制售", "冷食类食品制售") if rng.random() < 0.3 else (
                    "热食类食品制售",)
        opened = op.opened_on or dt.date(2016, 1, 1)
        issued = max(opened, dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 800)))
        if kind is LicenceKind.FILING:
            issued = max(opened, dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 150)))
        lapses = rng.random() < 0.025
        late = rng.random() < 0.05
        while True:
            valid_until: dt.date | None = add_years(issued, 5) - dt.timedelta(days=1)
            if kind is LicenceKind.FILING:
                valid_until = None  # a filing does not expire
            revoked = op.closed_on if op.closed_on and op.closed_on <= END else None
            if valid_until is None or valid_until >= START:
                self.add(Licence(id=self.next_id("WXXK"), operator_id=op.id, licence_kind=kind,
                                 number=number, issued_on=issued, valid_until=valid_until,
                                 revoked_on=revoked if revoked and (
                                     valid_until is None or revoked <= valid_until) else None,
                                 scope=scope))
            if valid_until is None or valid_until >= END or (lapses and valid_until >= START):
                break
            if op.closed_on and op.closed_on <= valid_until:
                break
            if late and valid_until >= START:
                issued = valid_until + dt.timedelta(days=rng.randint(10, 75))
                late = False
            else:
                issued = valid_until - dt.timedelta(days=rng.randint(5, 40))
            if issued > END:
                break

    def registration(self, op: Operator, meta: _Meta) -> None:
        """The 三小 registration or filing history of one operator (3-year cards)."""
        rng = self.rng
        if meta.key == "small_workshop":
            kind, prefix = LicenceKind.WORKSHOP_REGISTRATION, "XZF"
            label = "冀食小作坊登字"
        elif meta.key == "small_eatery":
            kind, prefix = LicenceKind.EATERY_REGISTRATION, "XCY"
            label = "冀食小餐饮登字"
        else:
            kind, prefix = LicenceKind.VENDOR_FILING, "TF"
            label = "冀食摊点备字"
        if meta.key == "food_vendor" and rng.random() < 0.1:
            return  # an unregistered vendor
        opened = op.opened_on or dt.date(2016, 8, 1)
        issued = max(opened, dt.date(2016, 8, 1) + dt.timedelta(days=rng.randint(0, 400)))
        lapses = rng.random() < 0.12
        while True:
            self.sequence[prefix] += 1
            number = f"{label}（威）第{issued.year}{self.sequence[prefix] % 100000:05d}号"
            valid_until = add_years(issued, 3) - dt.timedelta(days=1)
            if valid_until >= START:
                zone = slot = None
                if meta.key == "food_vendor":
                    place = rng.choice(("人民大街夜市", "农贸市场东侧", "集市", "文化广场北侧"))
                    zone = f"{op.township}{place}"
                    slot = rng.choice(("06:00-10:00", "17:00-22:00", "08:00-18:00"))
                self.add(VendorRegistration(
                    id=self.next_id("WXDJ"), operator_id=op.id, licence_kind=kind, number=number,
                    issued_on=issued, valid_until=valid_until,
                    products=tuple(p[0] for p in meta.products), zone=zone, time_slot=slot))
            if valid_until >= END or (lapses and valid_until >= START):
                break
            if op.closed_on and op.closed_on <= valid_until:
                break
            issued = valid_until + dt.timedelta(days=rng.randint(-20, 25))
            if issued > END:
                break

    # ------------------------------------------------------------------ people

    def staff(self) -> None:
        """Staff of every operator, with their health certificates and training."""
        rng = self.rng
        for op in self.ops:
            meta = self.meta[op.id]
            key = meta.key
            big = op.scale in (OperatorScale.LARGE, OperatorScale.MEDIUM)
            roles: list[tuple[StaffRole, bool]] = [(StaffRole.PRINCIPAL, key in (
                "small_workshop", "small_eatery", "small_grocery", "food_vendor"))]
            needs_director = (
                op.is_special_food
                or (big and key in ("producer", "seller", "caterer", "central_kitchen",
                                    "meal_delivery"))
                or ((op.avg_diners_per_meal or 0) >= {
                    InstitutionType.KINDERGARTEN: 300, InstitutionType.ELDERLY_CARE: 300,
                    InstitutionType.PRIMARY_SCHOOL: 500, InstitutionType.SECONDARY_SCHOOL: 500,
                }.get(op.institution_type or InstitutionType.OTHER, 1000)
                    and key in ("canteen", "school_canteen"))
            )
            if needs_director:
                # The kindergarten and the hospital canteen of the demo have no 总监, the
                # two schools do; elsewhere one in five large operators lacks one.
                if op.name.startswith(("威县阳光幼儿园", "威县人民医院")):
                    missing = True
                elif op.name.startswith(("威县育才小学", "威县明德中学")):
                    missing = False
                else:
                    missing = rng.random() < 0.2
                if not missing:
                    roles.append((StaffRole.DIRECTOR, False))
            if key not in ("small_workshop", "small_eatery", "small_grocery", "food_vendor",
                           "banquet_undertaker"):
                roles.append((StaffRole.SAFETY_OFFICER, False))
            handlers = {
                "producer": rng.randint(2, 6), "health_food_producer": 3,
                "seller": rng.randint(0, 3) if not big else rng.randint(3, 6),
                "caterer": rng.randint(1, 4), "canteen": rng.randint(2, 5),
                "school_canteen": rng.randint(5, 8), "central_kitchen": 6, "meal_delivery": 5,
                "small_workshop": rng.randint(0, 2), "small_eatery": rng.randint(0, 2),
                "small_grocery": 0, "food_vendor": 0, "banquet_undertaker": rng.randint(2, 4),
            }[key]
            cooks = {"caterer": rng.randint(1, 3), "canteen": rng.randint(1, 2),
                     "school_canteen": 2, "central_kitchen": 2, "meal_delivery": 2,
                     "banquet_undertaker": 1}.get(key, 0)
            roles += [(StaffRole.COOK, True)] * cooks + [(StaffRole.FOOD_HANDLER, True)] * handlers
            for role, touches in roles:
                person = self.next_id("WXRY")
                name = self.person_name()
                joined = self.day(op.opened_on or START, min(END, (op.opened_on or START)
                                                             + dt.timedelta(days=2000)))
                left = None
                if role in (StaffRole.FOOD_HANDLER, StaffRole.COOK) and rng.random() < 0.06:
                    left = self.day(max(joined, START) + dt.timedelta(days=30), END)
                    if left >= END:
                        left = None
                self.add(StaffMember(id=person, operator_id=op.id, name=name, role=role,
                                     touches_ready_to_eat=touches or (
                                         role is StaffRole.PRINCIPAL and key != "small_grocery"),
                                     joined_on=joined, left_on=left))
                self.staff_roles[person] = role
                self.staff_names[person] = name
                if role is StaffRole.PRINCIPAL:
                    meta.principal = person
                elif role is StaffRole.DIRECTOR:
                    meta.director = person
                elif role is StaffRole.SAFETY_OFFICER:
                    meta.officer = person
                else:
                    meta.cooks.append(person)
                if touches or role is StaffRole.PRINCIPAL:
                    self.health_certificates(op, person, joined, left)
                if role in (StaffRole.DIRECTOR, StaffRole.SAFETY_OFFICER):
                    self.training(op, person, joined, left)
                elif role is StaffRole.PRINCIPAL:  # heads' centralised training (item 19)
                    self.training(op, person, joined, left, years=(2023,), diligent_share=0.9)

    def health_certificates(self, op: Operator, person: str, joined: dt.date,
                            left: dt.date | None) -> None:
        """Yearly health certificates of one person (some late, some not renewed)."""
        rng = self.rng
        if rng.random() < 0.03:
            return  # never had one
        stop_after = 2023 if rng.random() > 0.08 else 2022  # 8 % did not renew in 2023
        first = max(joined, START - dt.timedelta(days=rng.randint(0, 300)))
        issued = first
        while issued <= END and issued.year <= stop_after:
            end = min(left or END, self.meta[op.id].end)
            if issued > end:
                break
            valid_until = add_years(issued, 1) - dt.timedelta(days=1)
            if valid_until >= START:
                self.add(HealthCertificate(id=self.next_id("WXJK"), operator_id=op.id,
                                           person_id=person, issued_on=issued,
                                           valid_until=valid_until))
            gap = rng.randint(-20, 10) if rng.random() > 0.1 else rng.randint(20, 60)
            issued = valid_until + dt.timedelta(days=gap)

    def training(self, op: Operator, person: str, joined: dt.date, left: dt.date | None, *,
                 years: Sequence[int] = (2022, 2023), diligent_share: float = 0.75) -> None:
        """Training of a 总监, 安全员 or head (some fall short of the 40 hours a year)."""
        rng = self.rng
        meta = self.meta[op.id]
        topics = ("食品安全法律法规", "食品安全主体责任落实", "日管控周排查月调度实务",
                  "食品安全风险防控", "餐饮服务食品安全操作规范", "学校食品安全与营养健康",
                  "食品安全事故应急处置", "抽检不合格食品核查处置")
        diligent = rng.random() < diligent_share
        for year in years:
            target = rng.choice((40, 44, 48)) if diligent else rng.choice((16, 24, 32))
            total = 0.0
            lo = max(dt.date(year, 2, 15), joined, meta.start)
            hi = min(dt.date(year, 12, 10), left or END, meta.end)
            if lo > hi:
                continue
            while total < target:
                hours = float(rng.choice((4, 8, 8, 12, 16)))
                day = self.day(lo, hi)
                self.add(TrainingRecord(id=self.next_id("WXPX"), person_id=person,
                                        trained_on=day, hours=hours, operator_id=op.id,
                                        topic=rng.choice(topics)))
                total += hours

    def product_tests(self) -> None:
        """Yearly product tests of producers and workshops (first batch for new ones)."""
        rng = self.rng
        for op in self.by_key.get("producer", []) + self.by_key.get("small_workshop", []):
            meta = self.meta[op.id]
            skips_2023 = rng.random() < 0.15
            first = meta.start > START
            for year in (2021, 2022, 2023):
                lo = max(meta.start, dt.date(year, 3, 1))
                hi = min(meta.end, dt.date(year, 11, 30))
                if lo > hi or (year == 2023 and skips_2023):
                    continue
                day = lo + dt.timedelta(days=rng.randint(0, 20)) if first else self.day(lo, hi)
                product = rng.choice(meta.products)
                self.add(ProductTest(
                    id=self.next_id("WXCP"), operator_id=op.id, tested_on=min(day, hi),
                    product_name=product[0], first_batch=first,
                    verdict=Verdict.FAIL if rng.random() < 0.03 else Verdict.PASS))
                first = False

    # ------------------------------------------------------------------ supervision

    def risk_assessments(self) -> None:
        """Risk grades assessed in 2021 and 2023."""
        bands = {RiskGrade.A: (8, 29), RiskGrade.B: (30, 44), RiskGrade.C: (45, 59),
                 RiskGrade.D: (60, 80)}
        for op in self.ops:
            meta = self.meta[op.id]
            if meta.key in ("food_vendor", "banquet_undertaker"):
                continue
            for year in (2021, 2023):
                day = self.day(dt.date(year, 3, 1), dt.date(year, 4, 30))
                if not meta.start <= day <= meta.end:
                    continue
                grade = meta.grade if year == 2023 else self.rng.choice(
                    (meta.grade, meta.grade, RiskGrade.B))
                lo, hi = bands[grade]
                total = self.rng.randint(lo, hi)
                static = min(40, max(5, round(total * self.rng.uniform(0.45, 0.65))))
                self.add(RiskAssessment(id=self.next_id("WXFJ"), operator_id=op.id,
                                        assessed_on=day, grade=grade, static_score=float(static),
                                        dynamic_score=float(total - static)))

    def inspections(self) -> None:
        """Inspections 2021–2023 by risk grade, term-start checks of school canteens."""
        rng = self.rng
        items = ("许可证照公示", "从业人员健康证明", "进货查验记录", "餐饮具清洗消毒",
                 "原料贮存", "食品添加剂使用", "加工制作规范", "环境卫生", "防蝇防鼠设施",
                 "留样记录", "过期食品清理", "生产记录", "出厂检验记录", "标签标识")
        per_year = {RiskGrade.A: 1, RiskGrade.B: 1.5, RiskGrade.C: 2.5, RiskGrade.D: 3.5}
        for op in self.ops:
            meta = self.meta[op.id]
            if rng.random() < 0.05 and meta.key != "school_canteen":
                continue  # never inspected since 2021
            rate = per_year[meta.grade]
            if meta.key in ("food_vendor", "banquet_undertaker", "small_grocery"):
                rate = 0.7
            for year in (2021, 2022, 2023):
                lo = max(meta.start, dt.date(year, 1, 1))
                hi = min(meta.end, dt.date(year, 12, 31))
                if lo > hi:
                    continue
                times = int(rate) + (rng.random() < rate - int(rate))
                days = sorted(self.day(lo, hi) for _ in range(times))
                kinds = [rng.choices((InspectionKind.ROUTINE, InspectionKind.RANDOM,
                                      InspectionKind.FLYING, InspectionKind.SPECIAL),
                                     [8, 3, 0.3, 1.5])[0] for _ in days]
                if meta.key == "school_canteen":
                    for month, kind_day in ((2, 20), (8, 28)):
                        if op.name.startswith("威县阳光幼儿园食堂") and year == 2023 and month == 8:
                            continue  # autumn 2023 term-start check missed
                        start_day = dt.date(year, month, kind_day)
                        days.append(start_day + dt.timedelta(days=rng.randint(0, 14)))
                        kinds.append(InspectionKind.TERM_START)
                for day, kind in zip(days, kinds, strict=True):
                    roll = rng.random()
                    failed: tuple[str, ...]
                    if roll < 0.74:
                        result, failed = InspectionResult.CONFORMING, ()
                    elif roll < 0.95:
                        result = InspectionResult.BASICALLY_CONFORMING
                        failed = tuple(rng.sample(items, rng.randint(1, 2)))
                    else:
                        result = InspectionResult.NON_CONFORMING
                        failed = tuple(rng.sample(items, rng.randint(2, 4)))
                    self.add(Inspection(
                        id=self.next_id("WXJC"), operator_id=op.id, inspected_on=day,
                        inspection_kind=kind, result=result,
                        full_checklist=rng.random() < 0.93, failed_items=failed,
                        key_items_failed=(rng.randint(1, 2) if result is
                                          InspectionResult.NON_CONFORMING else 0),
                        inspectors=1 if rng.random() < 0.02 else 2,
                        obstructed=result is InspectionResult.NON_CONFORMING
                        and rng.random() < 0.05))

    # ------------------------------------------------------------------ sampling

    def sampling(self) -> None:
        """Sampling batches per year and kind; 2023 evaluative just below 98 %."""
        plan: dict[int, dict[SamplingKind, tuple[int, float | None]]] = {
            2021: {SamplingKind.EVALUATIVE: (1100, 0.014), SamplingKind.SUPERVISORY: (360, 0.035),
                   SamplingKind.RISK_MONITORING: (100, 0.06)},
            2022: {SamplingKind.EVALUATIVE: (1500, 0.016), SamplingKind.SUPERVISORY: (420, 0.04),
                   SamplingKind.RISK_MONITORING: (120, 0.05)},
            2023: {SamplingKind.EVALUATIVE: (2400, None), SamplingKind.SUPERVISORY: (560, 0.04),
                   SamplingKind.RISK_MONITORING: (160, 0.05)},
        }
        kind_code = {SamplingKind.EVALUATIVE: "PJ", SamplingKind.SUPERVISORY: "JD",
                     SamplingKind.RISK_MONITORING: "JC"}
        for year, kinds in plan.items():
            for kind, (base, fail_rate) in kinds.items():
                batches = self.count(base, 10)
                self.planned[(year, kind)] = batches
                if fail_rate is None:
                    # 2023 evaluative: a handful of failures more than 98 % allows.
                    failures = math.floor(batches * 0.02) + max(1, round(batches * 0.004))
                else:
                    failures = round(batches * fail_rate)
                failing = set(self.rng.sample(range(batches), failures))
                for i in range(batches):
                    self.sample(year, kind, kind_code[kind], i in failing)

    def pick_operator(self, keys: Sequence[str], weights: Sequence[float], day: dt.date
                      ) -> Operator | None:
        """A random operator of one of ``keys`` that was open on ``day``, or None."""
        for _ in range(20):
            key = self.rng.choices(keys, weights)[0]
            pool = self.by_key.get(key)
            if not pool:
                continue
            op = self.rng.choice(pool)
            meta = self.meta[op.id]
            if meta.start <= day <= meta.end:
                return op
        return None

    def sample(self, year: int, kind: SamplingKind, code: str, fail: bool) -> None:
        """One sampling batch (and the 核查处置 of a failed one)."""
        rng = self.rng
        last = dt.date(year, 12, 31) - dt.timedelta(days=26) if year == 2023 else dt.date(
            year, 12, 20)
        day = self.day(dt.date(year, 2, 20), last)
        if kind is SamplingKind.EVALUATIVE:
            link = rng.choices((SupplyChainLink.DISTRIBUTION, SupplyChainLink.CATERING,
                                SupplyChainLink.PRODUCTION), [70, 15, 15])[0]
        elif kind is SamplingKind.SUPERVISORY:
            link = rng.choices((SupplyChainLink.DISTRIBUTION, SupplyChainLink.CATERING,
                                SupplyChainLink.PRODUCTION), [45, 30, 25])[0]
        else:
            link = rng.choices((SupplyChainLink.AGRICULTURE, SupplyChainLink.DISTRIBUTION),
                               [40, 60])[0]
        op: Operator | None = None
        if link is SupplyChainLink.DISTRIBUTION:
            op = self.pick_operator(("seller", "small_grocery", "food_vendor"), (80, 15, 5), day)
        elif link is SupplyChainLink.CATERING:
            op = self.pick_operator(("caterer", "small_eatery", "canteen", "school_canteen",
                                     "central_kitchen"), (45, 35, 10, 6, 4), day)
        elif link is SupplyChainLink.PRODUCTION:
            op = self.pick_operator(("producer", "small_workshop", "health_food_producer"),
                                    (70, 28, 2), day)
        if op is None:
            product = rng.choice(_FARM)
            if link is not SupplyChainLink.AGRICULTURE:
                link = SupplyChainLink.AGRICULTURE
        else:
            products = self.meta[op.id].products
            farm = [p for p in products if p[2]]
            # 食用农产品 are the bulk of evaluative and monitoring batches in shops.
            if farm and kind is not SamplingKind.SUPERVISORY and rng.random() < 0.6:
                product = rng.choice(farm)
            else:
                product = rng.choice(products)
        name, category, residue, fail_items = product
        if kind is SamplingKind.RISK_MONITORING:
            verdict = Verdict.PROBLEM if fail else Verdict.NO_PROBLEM
        else:
            verdict = Verdict.FAIL if fail else Verdict.PASS
        received = day + dt.timedelta(days=rng.randint(8, 25))
        published = None
        if kind is not SamplingKind.RISK_MONITORING and rng.random() < 0.85:
            published = received + dt.timedelta(days=rng.randint(5, 40))
            if published > END:
                published = None
        level = rng.choices((SamplingLevel.COUNTY, SamplingLevel.CITY, SamplingLevel.PROVINCIAL),
                            [60, 25, 15])[0]
        sample = SamplingResult(
            id=self.next_id(f"WX{year % 100}{code}", 6),
            region_code=COUNTY, sampling_kind=kind, sampled_on=day, product_name=name,
            verdict=verdict, operator_id=op.id if op else None, level=level, link=link,
            food_category=category, is_residue_test=residue,
            failed_items=(rng.choice(fail_items),) if fail else (),
            result_received_on=received, published_on=published)
        self.add(sample)
        if fail and kind is not SamplingKind.RISK_MONITORING:
            self.disposal(sample)

    def disposal(self, sample: SamplingResult) -> None:
        """The 核查处置 of a non-conforming batch: mostly timely, some late or open."""
        rng = self.rng
        received = sample.result_received_on or sample.sampled_on
        if rng.random() < 0.02:
            return  # never disposed of: a gap item 8 should catch
        start = received + dt.timedelta(days=rng.randint(0, 5))
        roll = rng.random()
        if roll < 0.06:
            completed: dt.date | None = received + dt.timedelta(days=rng.randint(95, 160))
        elif roll < 0.1:
            completed = None
        else:
            completed = start + dt.timedelta(days=rng.randint(7, 60))
        started: dt.date | None = start
        if start > END:
            status, started, completed = DisposalStatus.NOT_STARTED, None, None
        elif completed is None or completed > END:
            status, completed = DisposalStatus.IN_PROGRESS, None
        else:
            status = DisposalStatus.COMPLETED
        producer = sample.link is SupplyChainLink.PRODUCTION
        measures = ["责令下架", "立案调查"] if not producer else ["责令停止生产", "召回", "立案调查"]
        if status is DisposalStatus.COMPLETED:
            measures.append("整改复查")
        self.add(Disposal(id=self.next_id("WXHC"), sampling_id=sample.id,
                          operator_id=sample.operator_id, status=status, started_on=started,
                          completed_on=completed, measures=tuple(measures),
                          recall_required=producer,
                          recall_done=(status is DisposalStatus.COMPLETED) if producer else None))
        if sample.operator_id and rng.random() < 0.4:
            self.case(sample.operator_id, received, intentional=rng.random() < 0.1)

    # ------------------------------------------------------------------ incidents, complaints, cases

    def incidents(self) -> None:
        """Small poisoning events and one level-III-sized banquet poisoning in 2022."""
        rng = self.rng
        small = self.count(6, 3)
        big = self.count(1, 1)
        caterers = self.by_key["small_eatery"] + self.by_key["caterer"]
        undertakers = self.by_key["banquet_undertaker"]
        for i in range(small + big):
            if i < big:
                op = undertakers[i % len(undertakers)]
                day = dt.date(2022, 8, 14) if i == 0 else self.day(dt.date(2021, 3, 1),
                                                                   dt.date(2023, 10, 31))
                ill = 126 if i == 0 else rng.randint(100, 140)
                level: IncidentLevel | None = IncidentLevel.III
                description = (f"{op.township}某村婚宴集体聚餐后{ill}人出现腹泻、呕吐、发热症状，"
                               "经流行病学调查和实验室检测，系凉拌菜受沙门氏菌污染所致，无死亡病例")
            else:
                op = rng.choice(caterers)
                day = self.day(self.meta[op.id].start, self.meta[op.id].end)
                # The first small event is level IV sized (30 or more ill, no death).
                ill = 35 if i == big else rng.choice((5, 7, 9, 12, 14, 18, 23, 27, 35, 40))
                level = None
                cause = rng.choice(("隔夜凉菜", "未烧熟的豆角", "变质卤肉", "交叉污染的冷食"))
                description = f"{op.name}就餐人员{ill}人出现胃肠道症状，初步判定为{cause}引起的食物中毒"
            self.add(Incident(id=self.next_id("WXSG", 4), region_code=COUNTY, occurred_on=day,
                              operator_id=op.id, level=level,
                              category=IncidentCategory.POISONING, ill=ill, deaths=0,
                              description=description))
            self.case(op.id, day + dt.timedelta(days=1), intentional=False)

    def complaints(self) -> None:
        """Complaints and reports, mostly through 12315."""
        rng = self.rng
        channels = ("12315", "12315", "12315", "全国12315平台", "12345市长热线", "来信", "来访")
        for _ in range(self.count(150)):
            received = self.day(START, END)
            op = self.pick_operator(("caterer", "small_eatery", "seller", "small_grocery",
                                     "food_vendor"), (30, 30, 25, 10, 5), received)
            if rng.random() < 0.15:
                op = None
            due = received + dt.timedelta(days=30)
            roll = rng.random()
            if roll < 0.03:
                closed: dt.date | None = due + dt.timedelta(days=rng.randint(1, 20))
            else:
                closed = received + dt.timedelta(days=rng.randint(2, 28))
            if closed is not None and (closed > END or roll > 0.985):
                closed = None
            self.add(Complaint(id=self.next_id("WXTS"), region_code=COUNTY, received_on=received,
                               operator_id=op.id if op else None, channel=rng.choice(channels),
                               is_food=rng.random() < 0.95, due_on=due, closed_on=closed))
            if op is not None and rng.random() < 0.12:
                self.case(op.id, received, intentional=False)

    def case(self, operator_id: str, clue: dt.date, *, intentional: bool) -> None:
        """An enforcement case opened on a clue received on ``clue``."""
        rng = self.rng
        if clue > END:
            return
        opened = clue + dt.timedelta(days=rng.randint(2, 14) if rng.random() > 0.08
                                     else rng.randint(20, 45))
        opened = min(opened, self.meta[operator_id].end)  # filed before deregistration
        if opened > END:
            return  # filed next year
        closed: dt.date | None = opened + dt.timedelta(days=rng.randint(20, 85))
        if rng.random() < 0.05:
            closed = opened + dt.timedelta(days=rng.randint(100, 170))
        if closed is not None and closed > END:
            closed = None
        penalty = rng.choice(("警告", f"罚款{rng.choice((2000, 5000, 10000, 20000))}元",
                              f"没收违法所得{rng.randint(3, 40) * 100}元，并处罚款"
                              f"{rng.choice((5000, 10000, 50000))}元", "责令停产停业"))
        self.add(EnforcementCase(id=self.next_id("WXAJ"), region_code=COUNTY,
                                 operator_id=operator_id, clue_received_on=clue,
                                 opened_on=opened, closed_on=closed, intentional=intentional,
                                 penalty=penalty if closed else None))

    # ------------------------------------------------------------------ 两个责任

    def baobao(self) -> None:
        """包保 assignments by tier and cadre level, and the cadres' 2023 visits."""
        rng = self.rng
        levels = (("BBS", CadreLevel.CITY, self.count(4, 2)),
                  ("BBX", CadreLevel.COUNTY, self.count(16, 4)),
                  ("BBZ", CadreLevel.TOWNSHIP, self.count(48, 8)),
                  ("BBC", CadreLevel.VILLAGE, self.count(120, 12)))
        cadres: dict[CadreLevel, list[tuple[str, str]]] = {}
        for prefix, level, count in levels:
            cadres[level] = [(self.next_id(prefix, 4), self.person_name()) for _ in range(count)]
        tier_of = {OperatorScale.LARGE: (BaobaoTier.A, CadreLevel.CITY),
                   OperatorScale.MEDIUM: (BaobaoTier.B, CadreLevel.COUNTY),
                   OperatorScale.SMALL: (BaobaoTier.C, CadreLevel.TOWNSHIP),
                   OperatorScale.MICRO: (BaobaoTier.D, CadreLevel.VILLAGE)}
        frequency = {BaobaoTier.A: 4, BaobaoTier.B: 4, BaobaoTier.C: 2, BaobaoTier.D: 1}
        for op in self.ops:
            meta = self.meta[op.id]
            if rng.random() < 0.04 or meta.key == "banquet_undertaker":
                continue  # not assigned
            tier, level = tier_of[op.scale or OperatorScale.MICRO]
            if rng.random() < 0.04:  # mismatch: covered by a cadre of the wrong level
                level = {CadreLevel.CITY: CadreLevel.COUNTY, CadreLevel.COUNTY: CadreLevel.TOWNSHIP,
                         CadreLevel.TOWNSHIP: CadreLevel.VILLAGE,
                         CadreLevel.VILLAGE: CadreLevel.TOWNSHIP}[level]
            cadre_id, cadre_name = rng.choice(cadres[level])
            three_small = op.business_type.is_three_small
            assigned = self.day(dt.date(2023, 3, 1), dt.date(2023, 4, 15)) if three_small else (
                self.day(dt.date(2022, 11, 10), dt.date(2022, 12, 20)))
            assigned = max(assigned, meta.start)
            if assigned > meta.end:
                continue
            signed = None if rng.random() < 0.06 else assigned + dt.timedelta(
                days=rng.randint(0, 20))
            self.add(BaobaoAssignment(
                id=self.next_id("WXBB"), operator_id=op.id, cadre_id=cadre_id,
                cadre_name=cadre_name, cadre_level=level, tier=tier, assigned_on=assigned,
                ended_on=op.closed_on, commitment_signed_on=signed))
            if rng.random() < 0.1 or meta.end < dt.date(2023, 1, 1):
                continue  # never visited (or closed before the 2023 rounds)
            visits = frequency[tier] if rng.random() > 0.2 else max(1, frequency[tier] - 1)
            span = _days(max(assigned, dt.date(2023, 1, 1)), meta.end)
            for k in range(visits):
                lo = max(assigned, dt.date(2023, 1, 1)) + dt.timedelta(days=span * k // visits)
                hi = max(assigned, dt.date(2023, 1, 1)) + dt.timedelta(
                    days=span * (k + 1) // visits)
                day = self.day(lo, min(hi, meta.end))
                found = rng.choice((0, 0, 0, 1, 1, 2, 3))
                fixed = found if rng.random() < 0.85 else max(0, found - 1)
                self.add(SupervisionVisit(id=self.next_id("WXDD"), operator_id=op.id,
                                          cadre_id=cadre_id, visited_on=day, issues_found=found,
                                          issues_fixed=fixed))

    def self_checks(self) -> None:
        """日管控/周排查/月调度 records of a few dozen enterprises over 2023, with gaps."""
        rng = self.rng
        candidates = [op for op in self.ops if self.meta[op.id].officer and (
            op.scale in (OperatorScale.LARGE, OperatorScale.MEDIUM)
            or self.meta[op.id].key in ("school_canteen", "central_kitchen", "meal_delivery"))]
        chosen = candidates[: self.count(30, 5)]
        year_start = dt.date(2023, 1, 1)
        for number, op in enumerate(chosen):
            meta = self.meta[op.id]
            # Every other enterprise keeps complete records; the others have gaps: missed
            # days here and there and, for some, a block of weeks without any record.
            complete = number % 2 == 0
            diligence = 1.0 if complete else rng.uniform(0.85, 0.98)
            gap_start = self.day(dt.date(2023, 3, 1), dt.date(2023, 10, 1))
            gap_end = gap_start if complete else gap_start + dt.timedelta(
                days=rng.choice((0, 7, 14, 21)))
            day = max(year_start, meta.start)
            while day <= meta.end:
                if not gap_start <= day < gap_end and rng.random() < diligence:
                    self.add(SelfCheck(id=self.next_id("WXZC", 7), operator_id=op.id,
                                       cycle=SelfCheckCycle.DAILY, checked_on=day,
                                       role=StaffRole.SAFETY_OFFICER, person_id=meta.officer,
                                       risks_found=1 if rng.random() < 0.03 else 0))
                if day.weekday() == 4 and (complete or rng.random() < diligence):
                    weekly_by = meta.director or meta.officer
                    self.add(SelfCheck(id=self.next_id("WXZC", 7), operator_id=op.id,
                                       cycle=SelfCheckCycle.WEEKLY, checked_on=day,
                                       role=self.staff_roles[weekly_by] if weekly_by else
                                       StaffRole.SAFETY_OFFICER, person_id=weekly_by,
                                       risks_found=rng.choice((0, 0, 0, 1, 2))))
                nxt = day + dt.timedelta(days=1)
                if nxt.month != day.month and (complete or rng.random() < diligence):
                    self.add(SelfCheck(id=self.next_id("WXZC", 7), operator_id=op.id,
                                       cycle=SelfCheckCycle.MONTHLY,
                                       checked_on=max(meta.start, day - dt.timedelta(
                                           days=rng.randint(0, 3))),
                                       role=StaffRole.PRINCIPAL, person_id=meta.principal,
                                       risks_found=rng.choice((0, 1, 2, 3))))
                day = nxt

    # ------------------------------------------------------------------ canteens

    _MENUS: Mapping[InstitutionType, tuple[tuple[str, ...], ...]] = {
        InstitutionType.PRIMARY_SCHOOL: (
            ("米饭", "红烧黄花鱼", "西红柿炒鸡蛋", "蒜蓉油麦菜", "紫菜蛋花汤"),
            ("生煎包", "小米粥", "肉末茄子", "清炒小白菜"),
            ("米饭", "宫保鸡丁", "醋溜白菜", "四季豆腐汤"),
            ("米饭", "土豆烧牛肉", "香菇油菜", "冬瓜排骨汤"),
            ("馒头", "红烧肉炖粉条", "木须肉", "西红柿鸡蛋汤"),
        ),
        InstitutionType.SECONDARY_SCHOOL: (
            ("米饭", "鱼香肉丝", "麻婆豆腐", "清炒西葫芦", "蛋花汤"),
            ("米饭", "红烧黄花鱼", "蒜薹炒肉", "手撕包菜", "海带汤"),
            ("米饭", "清炒四季豆", "土豆烧鸡块", "青椒炒蛋", "冬瓜汤"),
            ("生煎包", "八宝粥", "孜然土豆片", "炒豆芽"),
            ("米饭", "可乐鸡翅", "家常豆腐", "醋溜土豆丝", "紫菜蛋花汤"),
        ),
        InstitutionType.KINDERGARTEN: (
            ("软米饭", "胡萝卜炒肉丁", "西红柿炒鸡蛋", "青菜豆腐汤"),
            ("小花卷", "黄花鱼豆腐煲", "蒜蓉西兰花", "小米南瓜粥"),
            ("软米饭", "土豆炖牛肉", "清炒油麦菜", "四季豆腐汤"),
            ("鸡蛋龙须面", "肉末蒸蛋", "炒三丝"),
            ("软米饭", "红烧鸡块", "白菜炖豆腐", "紫菜虾皮汤"),
        ),
    }

    def canteen_week(self) -> None:
        """Lunch of one school week in May 2023 at each school canteen, with 留样."""
        rng = self.rng
        monday = dt.date(2023, 5, 15)
        for op in self.by_key["school_canteen"]:
            meta = self.meta[op.id]
            assert op.institution_type is not None
            menus = self._MENUS[op.institution_type]
            leader = self.staff_names[meta.principal] if meta.principal else None
            keeper = self.staff_names[meta.cooks[0]] if meta.cooks else None
            for d, dishes in enumerate(menus):
                day = monday + dt.timedelta(days=d)
                gap = (op.institution_type is InstitutionType.KINDERGARTEN and d == 4) or (
                    op.institution_type is InstitutionType.PRIMARY_SCHOOL and d == 3)
                meal = MealService(
                    id=self.next_id("WXGC"), operator_id=op.id, served_on=day,
                    meal=MealSlot.LUNCH, dishes=dishes,
                    diners=(op.avg_diners_per_meal or 0) - rng.randint(0, 40),
                    accompanying_leader=None if gap else leader,
                    accompanying_recorded=not gap)
                self.add(meal)
                for dish in dishes:
                    if op.institution_type is InstitutionType.SECONDARY_SCHOOL and d == 3 and (
                            dish == "炒豆芽"):
                        continue  # one dish not retained
                    weight = float(rng.choice((125, 130, 135, 140, 150, 160, 180)))
                    if rng.random() < 0.06:
                        weight = float(rng.choice((90, 100, 110, 120)))
                    retained = dt.datetime.combine(day, dt.time(11, rng.randint(20, 50)))
                    hours = rng.choice((48, 49, 50, 52)) if rng.random() > 0.07 else rng.choice(
                        (24, 30, 36))
                    self.add(SampleRetention(
                        id=self.next_id("WXLY"), operator_id=op.id, meal_service_id=meal.id,
                        served_on=day, dish=dish, weight_g=weight, retained_at=retained,
                        discarded_at=retained + dt.timedelta(hours=hours,
                                                             minutes=rng.randint(0, 30)),
                        dedicated_fridge=True, recorded_by=keeper))

    def purchases(self) -> None:
        """Weekly and monthly bulk purchases of the school canteens and central kitchen."""
        rng = self.rng
        buyers = self.by_key["school_canteen"] + self.by_key["central_kitchen"]
        suppliers: dict[str, list[Operator]] = {}
        for op in self.by_key["producer"]:
            for product in self.meta[op.id].products:
                suppliers.setdefault(product[0], []).append(op)
        sellers = [op for op in self.by_key["seller"]
                   if op.scale in (OperatorScale.LARGE, OperatorScale.MEDIUM)]
        weekly = (("猪肉", "肉"), ("鸡蛋", "蛋"), ("时令蔬菜", "蔬菜"))
        monthly = (("大米", "米"), ("小麦粉", "面"), ("大豆油", "油"), ("纯牛奶", "奶"))
        for op in buyers:
            meta = self.meta[op.id]
            day = dt.date(2023, 1, 2)
            while day <= min(meta.end, dt.date(2023, 12, 25)):
                items = list(weekly) + (list(monthly) if day.day <= 7 else [])
                for item, category in items:
                    makers = suppliers.get(item, [])
                    supplier = rng.choice(makers) if makers and rng.random() < 0.7 else (
                        rng.choice(sellers) if sellers else None)
                    channel = PurchaseChannel.DESIGNATED
                    name = supplier.name if supplier else None
                    supplier_id = supplier.id if supplier else None
                    if category == "肉" and rng.random() < 0.08:
                        channel, supplier_id = PurchaseChannel.OTHER, None
                        name = f"{rng.choice(_SURNAMES)}某（集市个体肉摊）"
                    if supplier is not None and not (
                            self.meta[supplier.id].start <= day <= self.meta[supplier.id].end):
                        continue
                    self.add(PurchaseRecord(
                        id=self.next_id("WXJH"), operator_id=op.id, purchased_on=day, item=item,
                        supplier_id=supplier_id, supplier_name=name, category=category,
                        channel=channel, record_kept_until=add_years(day, 2)))
                day += dt.timedelta(days=7)

    def banquets(self) -> None:
        """Rural collective banquets of 2022–2023 and their reports to the township."""
        rng = self.rng
        undertakers = self.by_key["banquet_undertaker"]
        dishes = ("红烧肉", "扒鸡", "炖排骨", "糖醋里脊", "清蒸鱼", "四喜丸子", "炸藕盒",
                  "凉拌三丝", "八宝饭", "炖菜", "酥肉", "海带丝")
        occasions = ("婚宴", "寿宴", "满月宴", "升学宴", "丧事答谢宴")
        for _ in range(self.count(120)):
            op = rng.choice(undertakers)
            meta = self.meta[op.id]
            day = self.day(max(dt.date(2022, 1, 1), meta.start), meta.end)
            code, township = next(t for t in TOWNSHIPS if t[1] == op.township)
            diners = rng.choice((60, 80, 90, 120, 150, 180, 200, 240, 300))
            roll = rng.random()
            if roll < 0.75:
                reported: dt.date | None = day - dt.timedelta(days=rng.randint(2, 6))
            elif roll < 0.9:
                reported = day - dt.timedelta(days=rng.randint(0, 1))
            else:
                reported = None
            practices: tuple[str, ...] = ()
            if rng.random() < 0.08:
                practices = (rng.choice(("未按要求留样", "帮厨人员无健康证明", "使用散装白酒",
                                         "生熟食品混放")),)
            family = rng.choice(_SURNAMES)
            self.add(BanquetReport(
                id=self.next_id("WXJS", 5), region_code=code,
                held_on=day, diners=diners, reported_on=reported,
                organiser=f"{family}某家（{rng.choice(occasions)}）", undertaker_id=op.id,
                sittings=rng.choice((1, 1, 2)), dishes=tuple(rng.sample(dishes, 6)),
                practices=practices,
                site=f"{township}{rng.choice(_VILLAGES)}村村民{family}某家院内"))

    # ------------------------------------------------------------------ indicators

    def indicators(self) -> None:
        """Region-level observations: satisfaction, awareness, 12315, checklist items."""
        def obs(indicator: str, start: dt.date, end: dt.date, **kwargs: Any) -> None:
            """Record one indicator observation."""
            self.add(IndicatorObservation(id=self.next_id("WXZB", 3), region_code=COUNTY,
                                          indicator=indicator, period_start=start,
                                          period_end=end, **kwargs))

        for year, score, aware in ((2021, 76.5, 71.3), (2022, 78.9, 80.2), (2023, 81.2, 87.4)):
            survey = (dt.date(year, 10, 1), dt.date(year, 11, 30))
            obs("satisfaction", *survey, value=score, unit="分",
                evidence_ref=f"{year}年度群众食品安全满意度第三方测评报告")
            obs("awareness", *survey, value=aware, numerator=float(round(aware * 10)),
                denominator=1000.0, unit="%",
                evidence_ref=f"{year}年度示范创建知晓率入户调查")
        year_2023 = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        obs("hotline_answer_rate", *year_2023, value=93.6, numerator=8424.0,
            denominator=9000.0, unit="%", evidence_ref="12315热线接通情况月报汇总")
        obs("leaders_duties", *year_2023, status=ChecklistStatus.DONE,
            evidence_ref="县委巡察办关于党政领导干部履行食品安全职责情况的检查报告")
        drill = dt.date(2023, 6, 16)  # one observation per drill, dated on the drill day
        obs("emergency_drill", drill, drill, status=ChecklistStatus.DONE,
            evidence_ref="县食药安办学校食物中毒事故实战应急演练（2023年6月16日）")
        obs("grain_monitoring_coverage", *year_2023, value=27.5, unit="%",
            evidence_ref="县发改局库存粮食质量监测台账")
        obs("grain_problem_disposal", *year_2023, value=100.0, numerator=6.0, denominator=6.0,
            unit="%", evidence_ref="县发改局超标粮食处置台账")

        def rate(indicator: str, done: int, of: int, evidence: str) -> None:
            """A rate observation from its numerator and denominator."""
            obs(indicator, *year_2023, value=round(100.0 * done / of, 1), numerator=float(done),
                denominator=float(of), unit="%", evidence_ref=evidence)

        evaluative = self.planned[(2023, SamplingKind.EVALUATIVE)]
        supervisory = self.planned[(2023, SamplingKind.SUPERVISORY)]
        producers = len(self.by_key["producer"]) + len(self.by_key["health_food_producer"])
        special = len(self.by_key["health_food_producer"])
        wholesale = sum(1 for op in self.by_key["seller"] if op.is_chain_hq or "批发" in op.name)
        regulators = self.count(87, 10)
        managers = self.count(162, 20)
        rate("supervisory_plan_completion", supervisory, supervisory, "2023年监督抽检计划执行台账")
        rate("evaluative_plan_completion", evaluative, evaluative, "2023年评价性抽检计划执行台账")
        rate("professional_staff_ratio", round(regulators * 0.724), regulators,
             "县市场监管局人员专业结构统计")
        rate("regulator_training_coverage", regulators, regulators, "2023年监管人员培训签到表")
        obs("regulator_training_hours", *year_2023, value=42.0, unit="学时",
            evidence_ref="2023年监管人员培训学时统计（最少者42学时）")
        rate("manager_test_pass_rate", round(managers * 0.963), managers,
             "2023年食品安全管理人员监督抽查考核成绩")
        rate("producer_self_inspection_rate", producers - 1, producers,
             "食品生产企业自查报告系统（1家未报告）")
        rate("special_food_self_inspection_rate", special, special, "特殊食品生产企业自查报告")
        rate("special_food_rectification_rate", 3 * special, 3 * special,
             "特殊食品生产企业自查问题整改台账")
        rate("distribution_self_inspection_rate", max(1, wholesale), max(1, wholesale),
             "连锁总部和批发企业自查报告")
        rate("producer_credit_files", producers, producers, "食品生产企业信用档案目录")
        checklist = (
            ("committee_mechanisms", ChecklistStatus.DONE, "县食药安委2023年度会商纪要"),
            ("risk_monitoring_network", ChecklistStatus.DONE, "食品污染物监测点覆盖16个乡镇"),
            ("local_regulations", ChecklistStatus.PARTLY, "三小管理配套办法征求意见中"),
            ("school_principal_responsibility", ChecklistStatus.DONE,
             "县教育局校长负责制和陪餐制落实情况通报"),
            ("information_officers", ChecklistStatus.DONE, "村（社区）食品安全信息员名册"),
            ("complaint_platform", ChecklistStatus.DONE, "全国12315平台统一受理"),
            ("emergency_plan", ChecklistStatus.DONE, "威县食品安全事故应急预案（2022年修订）"),
            ("two_responsibilities", ChecklistStatus.DONE, "包保责任清单、任务清单、督查清单"),
            ("three_small_registration", ChecklistStatus.PARTLY, "三小登记备案台账（部分逾期未延续）"),
            ("liability_insurance", ChecklistStatus.NOT_DONE, "农村集体聚餐责任保险尚未推开"),
        )
        for code, status, evidence in checklist:
            obs(code, *year_2023, status=status, evidence_ref=evidence)

    # ------------------------------------------------------------------ 2023 rulesets' demo data
    # Sections added so that the demo-city, risk, two-responsibilities, school and
    # three-small rulesets show findings. They run after every other section (and
    # draw from the same random stream only after it), so the earlier records, the
    # sampling story of the veto items included, are unchanged.

    def _swap(self, old: Fact, new: Fact) -> None:
        """Replace the record ``old`` by ``new`` (an amended version of it)."""
        self._replace(old.KIND, self.facts[old.KIND], old, new)
        if isinstance(old, Operator) and isinstance(new, Operator):
            self._replace("operators", self.ops, old, new)
            for key, pool in self.by_key.items():
                self._replace(f"pool:{key}", pool, old, new, required=False)

    def _replace(self, name: str, items: list[Any], old: Any, new: Any, *,
                 required: bool = True) -> None:
        """Put ``new`` where the object ``old`` is in ``items``.

        Positions are cached per list (by object identity), so a long run of
        amendments costs O(1) each instead of a scan of the list: a list that
        only grew since it was indexed is indexed for its new items, a list
        replaced by ``_drop`` is indexed afresh.
        """
        cached = self._positions.get(name)
        if cached is None or cached[0] is not items:
            cached = (items, {}, [0])
            self._positions[name] = cached
        _, positions, indexed = cached
        index = positions.get(id(old))
        if index is None and indexed[0] < len(items):
            positions.update((id(f), i) for i, f in enumerate(items[indexed[0]:], indexed[0]))
            indexed[0] = len(items)
            index = positions.get(id(old))
        if index is not None and items[index] is not old:  # the list changed in place
            positions.clear()
            positions.update((id(f), i) for i, f in enumerate(items))
            indexed[0] = len(items)
            index = positions.get(id(old))
        if index is None:
            if required:
                raise ValueError(f"{old!r} is not in {name}")
            return
        items[index] = new
        del positions[id(old)]
        positions[id(new)] = index

    def _drop(self, kind: str, keep: Any) -> None:
        """Remove the records of ``kind`` for which ``keep(record)`` is false."""
        self.facts[kind] = [f for f in self.facts[kind] if keep(f)]

    def _licences_of(self, op_id: str) -> list[Licence]:
        return [x for x in self.facts[Licence.KIND] if x.operator_id == op_id]

    def _cards_of(self, op_id: str) -> list[VendorRegistration]:
        return [x for x in self.facts[VendorRegistration.KIND] if x.operator_id == op_id]

    def _open_all_2023(self, op: Operator) -> bool:
        meta = self.meta[op.id]
        return meta.start <= dt.date(2022, 1, 1) and meta.end == END and op.closed_on is None

    def demo_city_extras(self) -> None:
        """Demo-city items 8, 19 and 33: a school meal supplier, heads' training, publication."""
        rng = self.rng
        schools = self.by_key["school_canteen"]
        for op in self.by_key.get("meal_delivery", [])[:1]:
            # The meal-delivery company supplies 育才小学 and has no 明厨亮灶 (DEMO-33A, SCHOOL-014).
            self._swap(op, attrs.evolve(op, school_id=schools[0].id, has_bright_kitchen=False))
        # Item 19: heads and managers in post all year get their 40 hours, but for five.
        year_start, year_end = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
        hours: dict[str, float] = {}
        for record in self.facts[TrainingRecord.KIND]:
            if year_start <= record.trained_on <= year_end:
                hours[record.person_id] = hours.get(record.person_id, 0.0) + record.hours
        ops = {op.id: op for op in self.ops}
        short: list[StaffMember] = []
        for person in self.facts[StaffMember.KIND]:
            op = ops[person.operator_id]
            if (person.role in (StaffRole.PRINCIPAL, StaffRole.DIRECTOR, StaffRole.SAFETY_OFFICER)
                    and self.meta[op.id].end == END and op.closed_on is None
                    and (person.joined_on is None or person.joined_on <= year_start)
                    and person.left_on is None and hours.get(person.id, 0.0) < 40):
                short.append(person)
        heads = [p for p in short if p.role is StaffRole.PRINCIPAL]
        managers = [p for p in short if p.role is not StaffRole.PRINCIPAL]
        stay_short = {p.id for p in rng.sample(heads, min(3, len(heads)))}
        stay_short |= {p.id for p in rng.sample(managers, min(2, len(managers)))}
        for person in short:
            if person.id in stay_short:
                continue
            total = hours.get(person.id, 0.0)
            while total < 40:
                extra = float(rng.choice((4, 8, 8, 12)))
                self.add(TrainingRecord(
                    id=self.next_id("WXPX"), person_id=person.id,
                    trained_on=self.day(dt.date(2023, 3, 1), dt.date(2023, 12, 10)),
                    hours=extra, operator_id=person.operator_id,
                    topic=rng.choice(("食品安全法律法规集中培训", "企业主体责任落实专题培训",
                                      "食品安全管理人员集中培训"))))
                total += extra
        # Item 8: most 2023 supervisory results are published within 30 days of the report.
        for sample in list(self.facts[SamplingResult.KIND]):
            if (sample.sampling_kind is not SamplingKind.SUPERVISORY
                    or sample.sampled_on.year != 2023 or sample.result_received_on is None):
                continue
            received = sample.result_received_on
            late = sample.published_on is None or _days(received, sample.published_on) > 30
            if late and rng.random() < 0.75:
                published = received + dt.timedelta(days=rng.randint(3, 30))
                if published <= END:
                    self._swap(sample, attrs.evolve(sample, published_on=published))
        # Plan completion and regulators' training as the office recorded them.
        supervisory = self.planned[(2023, SamplingKind.SUPERVISORY)]
        planned = supervisory + self.count(20, 1)
        for obs in list(self.facts[IndicatorObservation.KIND]):
            if obs.indicator == "supervisory_plan_completion":
                self._swap(obs, attrs.evolve(
                    obs, value=round(100.0 * supervisory / planned, 1),
                    numerator=float(supervisory), denominator=float(planned),
                    evidence_ref=f"2023年监督抽检计划执行台账（计划{planned}批次，完成{supervisory}批次）"))
            elif obs.indicator == "regulator_training_hours":
                self._swap(obs, attrs.evolve(
                    obs, value=36.0, evidence_ref="2023年监管人员培训学时统计（最少者36学时）"))

    def duty_extras(self) -> None:
        """日管控/周排查/月调度 of every enterprise bound by Order 60, rest days, risk factors."""
        rng = self.rng
        bound_types = (BusinessType.PRODUCER, BusinessType.HEALTH_FOOD_PRODUCER,
                       BusinessType.SELLER, BusinessType.CATERER, BusinessType.CENTRAL_KITCHEN,
                       BusinessType.MEAL_DELIVERY)
        recorded = {r.operator_id for r in self.facts[SelfCheck.KIND]}
        bound = [op for op in self.ops if op.business_type in bound_types and op.uscc
                 and not op.uscc.startswith("92") and op.id not in recorded
                 and self.meta[op.id].officer and self.meta[op.id].end >= dt.date(2023, 1, 1)]
        gappy = {op.id for op in rng.sample(bound, min(4, len(bound)))}
        resting = [op for op in bound if op.id not in gappy
                   and op.business_type in (BusinessType.SELLER, BusinessType.CATERER)]
        sundays = {op.id for op in resting[: self.count(4, 1)]}
        for op in bound:
            meta = self.meta[op.id]
            gap = op.id in gappy
            diligence = rng.uniform(0.86, 0.95) if gap else 1.0
            gap_start = self.day(dt.date(2023, 3, 1), dt.date(2023, 10, 1))
            gap_end = gap_start + dt.timedelta(days=rng.choice((10, 17, 24))) if gap else gap_start
            if op.id in sundays:
                self.add(DutyClosure(id=self.next_id("WXXY", 4), operator_id=op.id,
                                     start_on=max(dt.date(2022, 11, 1), meta.start),
                                     weekdays=("sun",), reason="每周日店休"))
            weekly_by = meta.director or meta.officer
            day = max(dt.date(2023, 1, 1), meta.start)
            while day <= meta.end:
                rest = op.id in sundays and day.weekday() == 6
                if not rest and not gap_start <= day < gap_end and rng.random() < diligence:
                    self.add(SelfCheck(id=self.next_id("WXZC", 7), operator_id=op.id,
                                       cycle=SelfCheckCycle.DAILY, checked_on=day,
                                       role=StaffRole.SAFETY_OFFICER, person_id=meta.officer,
                                       risks_found=1 if rng.random() < 0.03 else 0))
                if day.weekday() == 4 and rng.random() < diligence:
                    self.add(SelfCheck(id=self.next_id("WXZC", 7), operator_id=op.id,
                                       cycle=SelfCheckCycle.WEEKLY, checked_on=day,
                                       role=self.staff_roles[weekly_by] if weekly_by else
                                       StaffRole.SAFETY_OFFICER, person_id=weekly_by,
                                       risks_found=rng.choice((0, 0, 0, 1, 2))))
                nxt = day + dt.timedelta(days=1)
                if nxt.month != day.month and (not gap or rng.random() < diligence):
                    self.add(SelfCheck(id=self.next_id("WXZC", 7), operator_id=op.id,
                                       cycle=SelfCheckCycle.MONTHLY,
                                       checked_on=max(meta.start, day - dt.timedelta(
                                           days=rng.randint(0, 3))),
                                       role=StaffRole.PRINCIPAL, person_id=meta.principal,
                                       risks_found=rng.choice((0, 1, 2, 3))))
                day = nxt
        # Static risk factors the bureau recorded (risk scoring, national table 1-2 and sellers).
        for op in self.by_key.get("health_food_producer", [])[:1]:
            on = max(self.meta[op.id].start, dt.date(2023, 3, 10))
            for factor, value in (("raw_material", "extract"), ("formula", "compound"),
                                  ("health_claim", "adulteration_prone"),
                                  ("unsuitable_groups", "children_and_pregnant"),
                                  ("storage", "ambient")):
                self.add(RiskFactor(id=self.next_id("WXYS", 4), operator_id=op.id,
                                    factor=f"health_food.{factor}", value=value, recorded_on=on,
                                    note="2023年度风险分级静态因素核定"))
        big_sellers = [op for op in self.by_key.get("seller", [])
                       if op.scale in (OperatorScale.LARGE, OperatorScale.MEDIUM)
                       and self._open_all_2023(op)][:3]
        for op in big_sellers:
            on = self.day(dt.date(2023, 3, 1), dt.date(2023, 4, 20))
            for factor, value in (("prepackaged_ambient_skus", rng.choice((3200, 5600, 8800))),
                                  ("prepackaged_chilled_skus", rng.choice((420, 680, 1200))),
                                  ("bulk_chilled_skus", rng.choice((60, 120, 180)))):
                self.add(RiskFactor(id=self.next_id("WXYS", 4), operator_id=op.id,
                                    factor=f"seller.{factor}", value=str(value), recorded_on=on,
                                    note="经营品种数核定"))

    def school_extras(self) -> None:
        """Rosters, a 留样 without its keeper, a cold dish, nitrite, a lapsed dairy, campus shops."""
        rng = self.rng
        schools = self.by_key["school_canteen"]
        primary, secondary, kindergarten = schools[0], schools[1], schools[2]
        monday = dt.date(2023, 5, 15)
        # The roster of the sampled school week (SCHOOL-009 reads who worked).
        for op in schools[:3]:
            for person in self.facts[StaffMember.KIND]:
                if person.operator_id != op.id or not person.touches_ready_to_eat:
                    continue
                for d in range(5):
                    day = monday + dt.timedelta(days=d)
                    if (person.joined_on or START) <= day and (
                            person.left_on is None or day < person.left_on):
                        self.add(WorkShift(id=self.next_id("WXPB"), operator_id=op.id,
                                           person_id=person.id, worked_on=day))
        # The kindergarten's 2023-05-16 小花卷 sample has no keeper's name (SCHOOL-005).
        for sample in list(self.facts[SampleRetention.KIND]):
            if (sample.operator_id == kindergarten.id and sample.dish == "小花卷"
                    and sample.served_on == monday + dt.timedelta(days=1)):
                self._swap(sample, attrs.evolve(sample, recorded_by=None))
        # 凉拌鸡丝 (a cold meat dish) on 明德中学's Friday lunch, sampled properly (SCHOOL-006).
        friday = monday + dt.timedelta(days=4)
        for meal in list(self.facts[MealService.KIND]):
            if meal.operator_id == secondary.id and meal.served_on == friday:
                self._swap(meal, attrs.evolve(meal, dishes=(*meal.dishes, "凉拌鸡丝")))
                keeper = self.meta[secondary.id].cooks
                retained = dt.datetime.combine(friday, dt.time(11, 42))
                self.add(SampleRetention(
                    id=self.next_id("WXLY"), operator_id=secondary.id, meal_service_id=meal.id,
                    served_on=friday, dish="凉拌鸡丝", weight_g=150.0, retained_at=retained,
                    discarded_at=retained + dt.timedelta(hours=49, minutes=10),
                    dedicated_fridge=True,
                    recorded_by=self.staff_names[keeper[0]] if keeper else None))
        # 育才小学 bought 亚硝酸钠 at a market stall (SCHOOL-008).
        day = dt.date(2023, 3, 6)
        self.add(PurchaseRecord(id=self.next_id("WXJH"), operator_id=primary.id,
                                purchased_on=day, item="亚硝酸钠", supplier_name="集市调料摊",
                                category="调味品", channel=PurchaseChannel.OTHER,
                                record_kept_until=add_years(day, 2)))
        # The dairy supplying 纯牛奶: its licence ends 2023-09-30, not renewed (SCHOOL-012).
        dairies = [op for op in self.by_key["producer"]
                   if any(p[0] == "纯牛奶" for p in self.meta[op.id].products)
                   and self._open_all_2023(op)]
        if dairies:
            dairy = dairies[0]
            lapse = dt.date(2023, 9, 30)
            licences = sorted(self._licences_of(dairy.id), key=lambda x: x.issued_on)
            current = [x for x in licences if x.issued_on <= lapse and x.valid_on(dt.date(2023, 1, 1))]
            if current:
                kept = current[-1]
                self._drop(Licence.KIND, lambda x: not (x.operator_id == dairy.id
                                                        and x.issued_on > kept.issued_on))
                self._swap(kept, attrs.evolve(kept, valid_until=lapse, revoked_on=None))
                for purchase in list(self.facts[PurchaseRecord.KIND]):
                    if (purchase.item == "纯牛奶" and purchase.operator_id in {s.id for s in schools}
                            and purchase.purchased_on >= dt.date(2023, 6, 1)):
                        self._swap(purchase, attrs.evolve(purchase, supplier_id=dairy.id,
                                                          supplier_name=dairy.name,
                                                          channel=PurchaseChannel.DESIGNATED))
        # Two campus shops: small sellers (individual businesses) moved onto the campuses.
        candidates = [op for op in self.by_key["seller"]
                      if op.scale in (OperatorScale.SMALL, OperatorScale.MICRO)
                      and op.uscc and op.uscc.startswith("92") and self._open_all_2023(op)
                      and (op.opened_on or END) <= dt.date(2018, 6, 30)]
        wholesalers = [op for op in self.by_key["seller"] if op.scale is OperatorScale.LARGE
                       and self._open_all_2023(op)]
        referenced = {p.supplier_id for p in self.facts[PurchaseRecord.KIND]}
        candidates = [op for op in candidates if op.id not in referenced]
        shops = (("威县育才小学校内小卖部", primary), ("威县明德中学校内超市", secondary))
        for (name, school), op in zip(shops, candidates[:2], strict=False):
            self.names[name] = 1
            lat = round((school.latitude or 0) + 0.00018, 6)
            lon = round((school.longitude or 0) + 0.00021, 6)
            shop = attrs.evolve(op, name=name, township=school.township, address=school.address,
                                latitude=lat, longitude=lon, school_id=school.id,
                                scale=OperatorScale.MICRO, business_area_m2=round(
                                    rng.uniform(18, 45), 1))
            self._swap(op, shop)
            self._drop(Licence.KIND, lambda x, op_id=op.id: x.operator_id != op_id)
            if school is primary:
                self.sequence["YB"] += 1
                issued = dt.date(2022, 8, 22)
                self.add(Licence(id=self.next_id("WXXK"), operator_id=op.id,
                                 licence_kind=LicenceKind.FILING,
                                 number=f"YB1{COUNTY}{self.sequence['YB'] % 1000000:06d}"
                                        f"{rng.randint(0, 9)}",
                                 issued_on=issued, scope=("预包装食品销售（不含冷藏冷冻食品）",)))
                supplier = wholesalers[0] if wholesalers else None
                for month in range(2, 13):
                    if month in (7, 8):
                        continue  # summer holidays
                    day = dt.date(2023, month, rng.randint(3, 12))
                    for item in ("辣条", "可乐", "矿泉水", "面包"):
                        self.add(PurchaseRecord(
                            id=self.next_id("WXJH"), operator_id=op.id, purchased_on=day,
                            item=item, supplier_id=supplier.id if supplier else None,
                            supplier_name=supplier.name if supplier else "批发市场",
                            category="预包装食品", channel=PurchaseChannel.DESIGNATED,
                            record_kept_until=add_years(day, 2)))
            else:
                self.sequence["JY"] += 1
                self.add(Licence(id=self.next_id("WXXK"), operator_id=op.id,
                                 licence_kind=LicenceKind.BUSINESS,
                                 number=f"JY1{COUNTY}{self.sequence['JY'] % 1000000:06d}"
                                        f"{rng.randint(0, 9)}",
                                 issued_on=dt.date(2018, 9, 1), valid_until=dt.date(2023, 8, 31),
                                 scope=("预包装食品销售（含冷藏冷冻食品）",)))

    def three_small_extras(self) -> None:
        """Vendor patrols, workshop batches and tests, oversize 三小, a prohibited dish."""
        rng = self.rng
        schools = [op for op in self.by_key["school_canteen"]
                   if op.latitude is not None and op.longitude is not None]
        near_school = schools[0] if schools else None

        def far_from_schools(lat: float, lon: float) -> bool:
            return all(_metres(lat, lon, s.latitude or 0, s.longitude or 0) > 300
                       for s in schools)

        # ---- patrol records of the street vendors (SMALL-401, SMALL-402, SMALL-203)
        vendors = []
        for op in self.by_key.get("food_vendor", []):
            cards = [c for c in self._cards_of(op.id) if c.zone and c.time_slot]
            meta = self.meta[op.id]
            spans = []
            for n, card in enumerate(cards):
                # days on which this card is the vendor's latest valid one
                lo = max(card.issued_on, meta.start, dt.date(2023, 1, 1))
                hi = min(card.valid_until or END, meta.end, dt.date(2023, 12, 20))
                if n + 1 < len(cards):
                    hi = min(hi, cards[n + 1].issued_on - dt.timedelta(days=1))
                if lo <= hi:
                    spans.append((card, lo, hi))
            if spans:
                vendors.append((op, spans))
        plants = ("zone", "zone", "evening", "near", "near_quiet", "bulk_baijiu",
                  "bottled_baijiu")
        order = list(range(len(vendors)))
        rng.shuffle(order)
        plant_of: dict[str, str] = {}
        for plant in plants:
            fits = [vendors[i] for i in order if vendors[i][0].id not in plant_of and (
                plant != "evening" or any(c.time_slot == "06:00-10:00"
                                          for c, _, _ in vendors[i][1]))]
            if plant in ("near", "near_quiet"):  # seen near the school in its own township
                fits = [v for v in fits if v[0].township == _SEAT] or fits
            if fits:
                plant_of[fits[0][0].id] = plant
        for op, spans in vendors:
            food = next((f for f in _VENDOR_FOODS if f in op.name), "小吃")
            base_lat, base_lon = op.latitude or 36.97, op.longitude or 115.27
            plant = plant_of.get(op.id)
            for k in range(2):
                card, lo, hi = spans[min(k, len(spans) - 1)]
                day = self.day(lo, hi)
                first, last = _slot_hours(card.time_slot or "08:00-18:00")
                minute = rng.randint(first * 60 + 10, max(first * 60 + 10, last * 60 - 10))
                when = dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
                zone = card.zone
                lat = round(base_lat + rng.uniform(-0.0006, 0.0006), 6)
                lon = round(base_lon + rng.uniform(-0.0006, 0.0006), 6)
                while not far_from_schools(lat, lon):
                    lat = round(lat + 0.004, 6)
                products: tuple[str, ...] = (food,)
                if k == 1 and plant is not None:
                    if plant == "zone":
                        zone = f"{op.township}汽车站广场"
                    elif plant == "evening":
                        when = dt.datetime.combine(day, dt.time(19, 30))
                    elif plant in ("near", "near_quiet") and near_school is not None:
                        # ~40 m (inside the demo's 100 m) or ~150 m (outside) north of 育才小学
                        step = 0.00036 if plant == "near" else 0.00135
                        lat = round((near_school.latitude or 0) + step, 6)
                        lon = near_school.longitude or 0
                    elif plant == "bulk_baijiu":
                        products = (food, "散装白酒")
                    elif plant == "bottled_baijiu":
                        products = (food, "瓶装白酒", "糖葫芦")
                self.add(VendorObservation(
                    id=self.next_id("WXXC", 4), operator_id=op.id, observed_at=when, zone=zone,
                    latitude=lat, longitude=lon, products=products,
                    observer=rng.choice((f"{op.township}综合行政执法队", "县城市管理综合执法局",
                                         f"{op.township}市场监管所"))))
        # ---- workshop batches (SMALL-201, SMALL-305) and first-batch tests (SMALL-304)
        workshops = [op for op in self.by_key.get("small_workshop", [])
                     if self.meta[op.id].end >= dt.date(2023, 3, 1)]
        dairy_plant = next((op for op in workshops if "糕点坊" in op.name), None)
        bun_plant = next((op for op in workshops if "馒头坊" in op.name), None)
        contract_plant = next((op for op in workshops if "香油坊" in op.name), None)
        tested = {(t.operator_id, t.tested_on.year) for t in self.facts[ProductTest.KIND]}
        firsts = {t.operator_id for t in self.facts[ProductTest.KIND] if t.first_batch}
        for op in workshops:
            meta = self.meta[op.id]
            cards = self._cards_of(op.id)
            lo = max(meta.start, dt.date(2023, 1, 5))
            hi = min(meta.end, dt.date(2023, 12, 20))
            if not cards or lo > hi:
                continue
            names = [p[0] for p in meta.products]
            days = sorted(self.day(lo, hi) for _ in range(rng.randint(2, 4)))
            for n, day in enumerate(days):
                name = names[n % len(names)]
                contract = False
                if n == len(days) - 1:
                    if op is dairy_plant:
                        name = "原味酸奶"
                    elif op is bun_plant:
                        name = "牛奶馒头"
                    elif op is contract_plant:
                        contract = True
                self.add(ProductionRecord(
                    id=self.next_id("WXSC"), operator_id=op.id, produced_on=day,
                    product_name=name, quantity=f"{rng.choice((30, 50, 80, 120, 200))}公斤",
                    contract_manufacturing=contract, record_kept_until=add_years(day, 2)))
            first_card = min(c.issued_on for c in cards)
            if first_card.year == 2023 and op.id not in firsts and (op.id, 2023) not in tested:
                day = min(hi, first_card + dt.timedelta(days=rng.randint(5, 20)))
                self.add(ProductTest(id=self.next_id("WXCP"), operator_id=op.id, tested_on=day,
                                     product_name=names[0], first_batch=True,
                                     verdict=Verdict.PASS))
        # ---- a small eatery and a small grocery larger than a 三小 may be (SMALL-501)
        eateries = [op for op in self.by_key.get("small_eatery", [])[1:]
                    if self._open_all_2023(op)
                    and any((c.valid_until or END) >= END for c in self._cards_of(op.id))]
        if eateries:
            big = eateries[0]
            self._swap(big, attrs.evolve(big, business_area_m2=62.5))
        if len(eateries) > 1:
            # A registration listing 生腌虾 (raw marinated shrimp, SMALL-202).
            card = max(self._cards_of(eateries[1].id), key=lambda c: c.issued_on)
            self._swap(card, attrs.evolve(card, products=(*card.products, "生腌虾")))
        groceries = [op for op in self.by_key.get("small_grocery", [])
                     if self._open_all_2023(op) and (op.business_area_m2 or 0) <= 30]
        if groceries:
            shop = groceries[0]
            self._swap(shop, attrs.evolve(shop, business_area_m2=42.8))
            self._drop(Licence.KIND, lambda x: x.operator_id != shop.id)
            self.sequence["TF"] += 1
            issued = dt.date(2022, 4, 18)
            self.add(VendorRegistration(
                id=self.next_id("WXDJ"), operator_id=shop.id,
                licence_kind=LicenceKind.VENDOR_FILING,
                number=f"冀食摊点备字（威）第{issued.year}{self.sequence['TF'] % 100000:05d}号",
                issued_on=issued, valid_until=add_years(issued, 3) - dt.timedelta(days=1),
                products=tuple(p[0] for p in self.meta[shop.id].products)))


    # ------------------------------------------------------------------ all

    def build(self) -> list[Fact]:
        """Build every kind of record and return them in documentation order."""
        self.region()
        self.operators()
        self.permits()
        self.staff()
        self.product_tests()
        self.risk_assessments()
        self.inspections()
        self.sampling()
        self.incidents()
        self.complaints()
        self.baobao()
        self.self_checks()
        self.canteen_week()
        self.purchases()
        self.banquets()
        self.indicators()
        for kind in EXTRA_KINDS:
            self.facts.setdefault(kind.KIND, [])
        self.demo_city_extras()
        self.duty_extras()
        self.school_extras()
        self.three_small_extras()
        out: list[Fact] = []
        for cls in (*BUILTIN_FACT_KINDS, *EXTRA_KINDS):
            out.extend(self.facts[cls.KIND])
        # The territorial records draw from their own generator, after everything else.
        out.extend(territorial_facts(out, TOWNSHIPS, self.seed))
        return out


def generate(n_operators: int = DEFAULT_OPERATORS, seed: int = DEFAULT_SEED) -> list[Fact]:
    """The facts of a synthetic county with about ``n_operators`` operators.

    Records scale with ``n_operators`` (sampling batches, inspections,
    complaints... are proportionate to the 400-operator demo county, and the
    population is about 1,500 residents per operator). The result is a pure
    function of the arguments: the same call always returns equal facts in
    the same order (kinds in documentation order, records in generation order).
    """
    return _County(n_operators, seed).build()


# --------------------------------------------------------------------------- writing

#: Kinds written in GB18030 (as an old Windows export would be) instead of UTF-8 with BOM.
GB18030_KINDS = ("complaint",)
#: Kinds written as JSON Lines (canonical field names, ISO dates) instead of CSV.
JSONL_KINDS = ("indicator_observation",)
#: Default date style per kind; others use ISO 8601 (2023-01-05).
_DATE_STYLE = {"complaint": "slash", "banquet_report": "chinese"}


def _header(cls: type[Fact], attribute: attrs.Attribute[Any]) -> str:
    """The column header of a field: its first Chinese alias that the loader maps back to it.

    Field names take precedence over aliases and, among aliases, the field
    declared first wins; an alias that another field claims is skipped, and
    the field name is the fallback.
    """
    fields = attrs.fields(cls)
    names = {a.name for a in fields}
    owner: dict[str, str] = {}
    for a in fields:
        for alias in a.metadata.get("zh", ()):
            owner.setdefault(alias, a.name)
    for alias in attribute.metadata.get("zh", ()):
        if alias not in names and owner.get(alias) == attribute.name:
            return str(alias)
    return attribute.name


def _style(kind: str, fact_id: str) -> str:
    """Date style of one row: the kind's default, with a few rows typed another way."""
    base = _DATE_STYLE.get(kind, "iso")
    if base != "iso":
        return base
    roll = zlib.crc32(f"{kind}\0{fact_id}".encode()) % 100
    return "slash" if roll < 4 else "chinese" if roll < 6 else "iso"


def _format_date(value: dt.date, style: str) -> str:
    """A date or date-time in ``style`` (``iso``, ``slash`` or ``chinese``)."""
    if isinstance(value, dt.datetime):
        clock = f"{value.hour:02d}:{value.minute:02d}"
        if style == "chinese":
            return f"{value.year}年{value.month}月{value.day}日 {value.hour}时{value.minute}分"
        day = _format_date(value.date(), style)
        return f"{day} {clock}"
    if style == "slash":
        return f"{value.year}/{value.month}/{value.day}"
    if style == "chinese":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


def _format_cell(value: Any, style: str) -> str:
    """A field value as a CSV cell the way a Chinese export writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, LabelledEnum):
        return value.zh
    if isinstance(value, dt.date):
        return _format_date(value, style)
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def write_bundle(
    facts: Iterable[Fact],
    directory: str | Path,
    *,
    gb18030_kinds: Sequence[str] = GB18030_KINDS,
    jsonl_kinds: Sequence[str] = JSONL_KINDS,
) -> list[Path]:
    """Write ``facts`` as one file per kind into ``directory``; return the paths written.

    CSV files have the Chinese column headers a regulator's export would have
    (each field's first ``zh`` alias), Chinese enum labels, 是/否 booleans,
    list cells joined with 、 and dates mostly as ``2023-01-05`` with some
    ``2023/1/5`` and ``2023年1月5日``. They are UTF-8 with a BOM, except the
    kinds in ``gb18030_kinds``; the kinds in ``jsonl_kinds`` are written as
    JSON Lines in the canonical form (:func:`fsrules.model.dump_fact`).
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    grouped: dict[str, list[Fact]] = {}
    classes: dict[str, type[Fact]] = {}
    for fact in facts:
        grouped.setdefault(fact.KIND, []).append(fact)
        classes[fact.KIND] = type(fact)
    written: list[Path] = []
    for kind, items in grouped.items():
        cls = classes[kind]
        if kind in jsonl_kinds:
            path = out / f"{kind}.jsonl"
            with path.open("w", encoding="utf-8", newline="\n") as handle:
                for fact in items:
                    handle.write(json.dumps(dump_fact(fact), ensure_ascii=False) + "\n")
            written.append(path)
            continue
        path = out / f"{kind}.csv"
        encoding = "gb18030" if kind in gb18030_kinds else "utf-8-sig"
        fields = [a for a in attrs.fields(cls) if a.init]
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([_header(cls, a) for a in fields])
            for fact in items:
                style = _style(kind, fact.id)
                writer.writerow([_format_cell(getattr(fact, a.name), style) for a in fields])
        written.append(path)
    return written


def _readme(facts: Sequence[Fact], files: Sequence[Path]) -> str:
    """The README.md of a bundle, with its record counts."""
    counts: dict[str, int] = {}
    for fact in facts:
        counts[fact.KIND] = counts.get(fact.KIND, 0) + 1
    titles = {cls.KIND: cls.TITLE_ZH
              for cls in (*BUILTIN_FACT_KINDS, *EXTRA_KINDS, *TERRITORIAL_KINDS)}
    lines = [
        "# 威县 demo bundle (synthetic)",
        "",
        "**Every record in this folder is invented.** The businesses, people, licences,",
        "inspections, sampling results, incidents and complaints do not describe real",
        "operators or events, even where a name looks plausible. Only the frame is real:",
        "威县 (Wei County, division `130533`, 河北省邢台市), its 16 towns and townships with",
        "their NBS codes, and the shape of the records county regulators keep.",
        "",
        "It is the demonstration county of `fsrules`: a county of about 600,000 residents",
        f"with {counts.get('operator', 0)} food business operators (producers, shops,",
        "restaurants, unit canteens including a primary school, a secondary school and a",
        "kindergarten, a central kitchen, and the 三小: small workshops, small eateries,",
        "small groceries and street vendors, plus rural banquet cooks) and their records",
        "from 2021-01-01 to 2023-12-31.",
        "",
        "## What the data is built to show",
        "",
        "Evaluated with the `demo` profile as of 2023-12-31:",
        "",
        "* the 2023 **evaluative sampling pass rate is slightly below 98 %**, so veto item 5",
        "  (`VETO-005`) fires with a gap of a handful of batches;",
        "* the largest incident is a 2022 rural wedding-banquet poisoning with 126 ill and no",
        "  death: level III (较大), not level II, so `VETO-002` stays quiet; no incident is",
        "  flagged as having serious social impact (`VETO-003` quiet);",
        "* public satisfaction is 81.2 in 2023 (`VETO-004` passes; 2021 and 2022 were below",
        "  80); the leaders' duties item is recorded as done (`VETO-001` quiet).",
        "",
        "Smaller problems for the other rulesets are planted throughout: operators never",
        "inspected since 2021, licences and 三小 registration cards that expired without",
        "renewal, non-conforming results whose 核查处置 is late, open or missing, 包保",
        "assignments with a cadre of the wrong level or without a signed commitment letter,",
        "gaps in 日管控/周排查/月调度 records, large canteens without a 食品安全总监, expired",
        "health certificates, 总监, 安全员 and business heads with fewer than 40 training",
        "hours, a producer that did not report its self-inspection, a school week",
        "whose menus contain 清炒四季豆 (a genuine problem) next to look-alikes such as",
        "红烧黄花鱼, 生煎包 and 四季豆腐汤 (not problems), missing 陪餐 records, retained",
        "samples under 125 g or kept less than 48 h, meat bought outside the designated",
        "channel, workshops without their yearly product test, and rural banquets of 100",
        "or more diners reported late or not at all.",
        "",
        "For the demo-city, risk, two-responsibilities, school, three-small and territorial",
        "rulesets:",
        "",
        "* demo city: five heads and managers below 40 training hours (`DEMO-19A`), the",
        "  meal-delivery company supplying 育才小学 without 明厨亮灶 (`DEMO-33A`,",
        "  `SCHOOL-014`), 560 of 580 planned supervisory batches done (`DEMO-08A`),",
        "  regulators trained 36 hours (`DEMO-14C`) and a few supervisory results still",
        "  unpublished (`DEMO-08G`);",
        "* two responsibilities: 日管控/周排查/月调度 for every enterprise bound by Order 60,",
        "  with gaps at a few of them (`DUTY-001`–`003`); enterprises that rest on Sundays",
        "  say so in `duty_closure.csv` and are not reported; static risk factors of the",
        "  health-food producer and three large shops in `risk_factor.csv`;",
        "* school: the May 2023 school-week roster in `work_shift.csv` (staff whose health",
        "  certificate lapsed, `SCHOOL-009`), a 留样 without its keeper (`SCHOOL-005`),",
        "  凉拌鸡丝 on a secondary-school menu (`SCHOOL-006`), 亚硝酸钠 bought by a",
        "  primary school (`SCHOOL-008`), 纯牛奶 bought from a dairy whose licence ended",
        "  2023-09-30 (`SCHOOL-012`), and two campus shops: one selling 辣条 and 可乐",
        "  (`SCHOOL-017`), one whose licence ended 2023-08-31 (`SCHOOL-016`);",
        "* three small: street-vendor patrols in `vendor_observation.csv`, a few outside",
        "  the card's zone or time slot (`SMALL-401`), one 40 m from 育才小学 (`SMALL-402`;",
        "  another at 150 m is not), one selling 散装白酒; workshop batches in",
        "  `production_record.csv`, one of 原味酸奶 and one 委托加工; a 62.5 m² small",
        "  eatery and a 42.8 m² small grocery without a licence (`SMALL-501`), and an",
        "  eatery registration listing 生腌虾.",
        "  The prohibited lists, the contract-manufacturing ban and the online rule of",
        "  Hebei come from its 2026 revision, not in force in 2023: as of 2023-12-31",
        "  散装白酒, 原味酸奶, 委托加工 and 生腌虾 are not findings (`SMALL-201`–`203`,",
        "  `SMALL-305` and `SMALL-502` are not in force); evaluate as of a day the",
        "  revision applies to see them (issue 10).",
        *TERRITORIAL_README,
        "",
        "Registration facts may predate 2021 (an operator's opening date, a licence issued",
        "in 2018 that was valid in 2021) and licence expiry dates may lie after 2023; every",
        "event record (inspection, sampling, complaint, visit...) lies within 2021–2023.",
        "",
        "## Files",
        "",
        "One file per kind of record, named after the kind. CSV files use the Chinese column",
        "headers of `docs/input-formats.md`, Chinese labels for closed vocabularies (合格,",
        "日常监督检查...), 是/否 for yes/no and 、 between list items. Dates are mostly",
        "`2023-01-05`, with some rows written `2023/1/5` or `2023年1月5日` (complaints use",
        "`2023/1/5` throughout and banquet reports `2023年1月5日`) to exercise the loaders.",
        "Files are UTF-8 with a byte-order mark, except `complaint.csv`, which is GB18030 as",
        "older Windows exports are, and `indicator_observation.jsonl`, which is JSON Lines",
        "in the canonical form (English field names, ISO dates). `risk_factor.csv`,",
        "`duty_closure.csv` and `vendor_observation.csv` hold kinds the risk and",
        "three-small rulesets register, and the `territorial_*.csv` files those of the",
        "territorial ruleset (written by `examples/weixian_territorial.py`), with the",
        "Chinese headers of their field metadata.",
        "",
        "| File | Kind | Records |",
        "|---|---|---:|",
    ]
    for path in files:
        kind = path.stem
        lines.append(f"| `{path.name}` | {titles.get(kind, kind)} | {counts.get(kind, 0):,} |")
    lines += [
        f"| | **total** | **{sum(counts.values()):,}** |",
        "",
        "`indicator_observation.jsonl` holds what the office records, with the codes of the",
        "demo-city vocabulary (`rulesets/fsrules_rulesets/demo_city/indicators.toml`):",
        "`satisfaction` (points) and `awareness` (%) for 2021–2023, the 2023 rates the",
        "facts cannot give (12315 answer rate, plan completion, self-inspection reports,",
        "regulators' training...), `leaders_duties` (veto item 1), one `emergency_drill`",
        "dated on its day, and a few checklist items (done, partly done, not done).",
        "",
        "## Regenerating",
        "",
        "The bundle is written by `examples/generate_weixian.py` from a fixed seed",
        f"(`{DEFAULT_SEED}`, {DEFAULT_OPERATORS} operators); it never reads the clock, so every",
        "run writes byte-identical files (`tests/test_demo_data.py` checks this):",
        "",
        "```sh",
        "python examples/generate_weixian.py            # rewrites examples/weixian/",
        "python examples/generate_weixian.py --out /tmp/county --operators 4000 --seed 7",
        "```",
        "",
        "Run it from a checkout (it adds `src/` and `rulesets/` to the import path when",
        "`fsrules` is not installed). `generate(n_operators, seed)` in the same script",
        "returns the facts of a county of any size; `benchmarks/bench_county.py` uses it.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the demo bundle (or a county of another size or seed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT_DIR,
                        help="output directory (default: examples/weixian)")
    parser.add_argument("--operators", type=int, default=DEFAULT_OPERATORS,
                        help=f"number of operators (default {DEFAULT_OPERATORS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    facts = generate(args.operators, args.seed)
    files = write_bundle(facts, args.out)
    (args.out / "README.md").write_text(_readme(facts, files), encoding="utf-8", newline="\n")
    total = sum(p.stat().st_size for p in files)
    print(f"wrote {len(facts)} records in {len(files)} files ({total / 1e6:.2f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
