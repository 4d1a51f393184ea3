"""fsrules-sichuan-banquet: Sichuan's rural collective banquet rules as an fsrules plugin.

Registers, through the ``fsrules`` entry point ``sichuan_banquet``:

* the ruleset ``sichuan-banquet`` (SCBQ-001 … SCBQ-006) for
  《四川省农村集体聚餐食品安全管理办法》 (in force 2020-10-01, valid 5 years);
* the profile ``sichuan`` (extends ``national``, jurisdiction ``51``),
  which sets the values the measures leave open.

The rules judge only banquets held in Sichuan (division codes 51xxxx), so
the ruleset can stay enabled by default when other provinces' data is
checked. See README.md for the rules and the choices made.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fsrules import Profile, Ruleset, Text, hookimpl

from .rules import ALL_RULES

__all__ = ["PROFILE_FILE", "RULESET", "__version__"]

__version__ = "0.1.0"

HERE = Path(__file__).parent
#: The ``sichuan`` profile file shipped with the plugin.
PROFILE_FILE = HERE / "sichuan.toml"

RULESET = Ruleset(
    id="sichuan-banquet",
    version=__version__,
    title=Text("四川省农村集体聚餐", "Sichuan rural collective banquets"),
    rules=ALL_RULES,
    data_dir=HERE,
    # Facts located outside Sichuan (division codes 51xxxx) never reach these rules.
    jurisdiction="51",
    description=Text(
        "《四川省农村集体聚餐食品安全管理办法》：聚餐报告（≥100人提前2天）、报告内容、承办者登记、"
        "厨师健康证明和培训、禁止行为。只判断在四川（51开头区划）举办的聚餐。",
        "Sichuan's measures on rural collective banquets: reporting (100+ diners, 2 days "
        "ahead), report contents, undertaker registration, chefs' health certificates and "
        "training, banned practices. Judges only banquets held in Sichuan (codes 51xxxx).",
    ),
)


@hookimpl
def fsrules_register_rulesets(register: Callable[[Ruleset], None]) -> None:
    """Register the ``sichuan-banquet`` ruleset."""
    register(RULESET)


@hookimpl
def fsrules_register_profiles(register: Callable[[Profile], None]) -> None:
    """Register the ``sichuan`` profile."""
    register(Profile.from_toml(PROFILE_FILE))
