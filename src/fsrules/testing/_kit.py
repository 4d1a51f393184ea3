"""What the testing kit knows about a fact kind beyond its attrs fields: :class:`KindKit`.

The kit derives a Hypothesis strategy and builder defaults for every fact
kind from its fields (types, ``typing.Annotated`` value kinds such as
:data:`fsrules.model.DivisionCode`, validators, the kind's ``DATE_FIELD``
and ``REGION_FIELD``). A :class:`KindKit` adds what cannot be derived: a
field's own strategy (drawn in order, seeing the fields drawn before it),
a ``constraints`` hook for invariants between fields, and defaults for
:class:`~fsrules.testing.FactBuilder`. Plugins register theirs through the
``fsrules_register_fact_strategies`` hook; :class:`FactKit` collects kinds
and kits from plugins.

Nothing here imports Hypothesis: field rules are only called when a
strategy is drawn, so a plugin can register kits without Hypothesis
installed.
"""

from __future__ import annotations

import importlib.metadata as md
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import attrs
import pluggy

from fsrules import hookspecs
from fsrules.exceptions import RuleDefinitionError, UnknownFactKindError
from fsrules.model import BUILTIN_FACT_KINDS, Fact

if TYPE_CHECKING:
    import datetime as dt

    from hypothesis.strategies import SearchStrategy

    from fsrules.testing._builders import FactBuilder
    from fsrules.testing.strategies import Draft

__all__ = ["FactKit", "FieldRule", "KindKit"]

#: The strategy of one field, given the values drawn before it (a ``Draft``).
FieldRule = Callable[["Draft"], "SearchStrategy[Any]"]


def _frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class KindKit:
    """How the testing kit makes facts of ``kind``, beyond what it derives from the fields.

    Attributes:
        kind: the fact class.
        fields: field name → rule (a callable taking the :class:`Draft` of
            the values drawn so far and returning a strategy), or ``None``
            to derive the field at that point. Listed fields are drawn first,
            in this order; the others are derived after them (``id``, then
            the kind's ``DATE_FIELD``, then the rest in declaration order).
        constraints: called with the drawn values (a dict) before the fact
            is built; returns the values to use, e.g. with two dates put in
            order. Fields given explicitly to a strategy keep their value.
        defaults: builder defaults for this kind: a mapping, or a callable
            taking the :class:`~fsrules.testing.FactBuilder` (for
            ``builder.day(6, 1)``, ``builder.last_id("operator")`` ...).
    """

    kind: type[Fact]
    fields: Mapping[str, FieldRule | None] = attrs.field(factory=dict, converter=_frozen_map)
    constraints: Callable[[dict[str, Any]], Mapping[str, Any]] | None = None
    defaults: Mapping[str, Any] | Callable[[FactBuilder], Mapping[str, Any]] = attrs.field(
        factory=dict)

    def __attrs_post_init__(self) -> None:
        kind = self.kind
        if not (isinstance(kind, type) and issubclass(kind, Fact)
                and attrs.has(cast(type, kind)) and kind.KIND):
            raise RuleDefinitionError(
                f"KindKit.kind must be an attrs subclass of fsrules.Fact with a KIND, got "
                f"{kind!r}")
        names = [a.name for a in attrs.fields(kind) if a.init]
        unknown = sorted(set(self.fields) - set(names))
        if unknown:
            raise RuleDefinitionError(
                f"KindKit for {kind.KIND!r} has rules for unknown field(s) "
                f"{', '.join(unknown)}; its fields: {', '.join(names)}")

    def builder_defaults(self, builder: FactBuilder) -> Mapping[str, Any]:
        """The builder defaults for one fact (the mapping, or the callable's answer)."""
        return self.defaults(builder) if callable(self.defaults) else self.defaults


class FactKit:
    """Fact kinds and their kits: strategies and builders for built-in and plugin kinds.

    ``FactKit()`` knows the built-in kinds; :meth:`for_plugins` adds the kinds
    and kits plugins register (``fsrules_register_fact_kinds`` and
    ``fsrules_register_fact_strategies``), so a plugin's fact kind gets a
    Hypothesis strategy and a builder without writing either::

        kit = FactKit.for_plugins("fsrules_sichuan_banquet")
        kit.strategy("banquet_report", diners=st.just(120))
        build = kit.builder(region_code="510116")
        build.fact("banquet_report", diners=120)

    Args:
        kinds: the fact classes (default: the built-in ones).
        kits: kits for some of them; a later kit for the same kind replaces
            an earlier one.
    """

    def __init__(self, kinds: Iterable[type[Fact]] = BUILTIN_FACT_KINDS,
                 kits: Iterable[KindKit] = ()) -> None:
        found: dict[str, type[Fact]] = {}
        for cls in kinds:
            found[cls.KIND] = cls
        by_kind: dict[str, KindKit] = {}
        for kit in kits:
            if not isinstance(kit, KindKit):
                raise RuleDefinitionError(
                    f"fsrules_register_fact_strategies takes fsrules.testing.KindKit, got "
                    f"{kit!r}")
            found.setdefault(kit.kind.KIND, kit.kind)
            by_kind[kit.kind.KIND] = kit
        self._kinds: Mapping[str, type[Fact]] = MappingProxyType(dict(sorted(found.items())))
        self._kits: Mapping[str, KindKit] = MappingProxyType(by_kind)

    def __repr__(self) -> str:
        return f"FactKit(kinds={len(self._kinds)}, kits={sorted(self._kits)})"

    @classmethod
    def for_plugins(cls, *plugins: object | str, builtins: bool = True) -> FactKit:
        """The kinds and kits of the built-ins (unless ``builtins=False``) and ``plugins``.

        Each plugin is an object with ``@fsrules.hookimpl`` functions (a
        module, an instance), an entry-point name of the ``fsrules`` group
        or an importable module path, as for
        :func:`~fsrules.testing.isolated_engine`. Only the two registration
        hooks above are called; no engine is built.
        """
        from fsrules._plugins import builtin_modules
        from fsrules.testing._builders import isolated_engine, resolve_plugin

        # The kinds, as an engine registers them (hooks and rulesets' own kinds, validated).
        engine = isolated_engine(*plugins, builtins=builtins)
        kinds = list(engine.catalogue.fact_kinds.values())
        pm = pluggy.PluginManager("fsrules")
        pm.add_hookspecs(hookspecs)
        objects: list[object] = list(builtin_modules()) if builtins else []
        for plugin in plugins:
            if isinstance(plugin, str):
                how, obj = resolve_plugin(plugin)
                if how == "entry_point":
                    (ep,) = [e for e in md.entry_points(group="fsrules") if e.name == plugin]
                    obj = ep.load()
                objects.append(obj)
            else:
                objects.append(plugin)
        for obj in objects:
            if not pm.is_registered(obj):
                pm.register(obj, name=getattr(obj, "__name__", None)
                            or f"{type(obj).__name__}-{id(obj):x}")
        kits: list[KindKit] = []
        # get_hookimpls() lists implementations in registration order (plugin order).
        for impl in pm.hook.fsrules_register_fact_strategies.get_hookimpls():
            impl.function(register=kits.append)
        return cls(kinds, kits)

    @property
    def kinds(self) -> Mapping[str, type[Fact]]:
        """Every kind the kit knows, by ``KIND``."""
        return self._kinds

    def kind(self, kind: str | type[Fact]) -> type[Fact]:
        """The fact class named ``kind`` (a class is returned as it is, if known)."""
        name = kind if isinstance(kind, str) else kind.KIND
        cls = self._kinds.get(name)
        if cls is None:
            raise UnknownFactKindError(name, sorted(self._kinds))
        return cls

    def kit(self, kind: str | type[Fact]) -> KindKit | None:
        """The registered :class:`KindKit` of ``kind``, if any."""
        return self._kits.get(kind if isinstance(kind, str) else kind.KIND)

    def strategy(self, kind: str | type[Fact], *, min_date: dt.date | None = None,
                 max_date: dt.date | None = None, **fields: SearchStrategy[Any]
                 ) -> SearchStrategy[Fact]:
        """A Hypothesis strategy of valid ``kind`` facts (see :func:`fact_strategy`)."""
        from fsrules.testing.strategies import fact_strategy

        return fact_strategy(self.kind(kind), kit=self.kit(kind), min_date=min_date,
                             max_date=max_date, **fields)

    def builder(self, *, region_code: str = "130533", year: int = 2023) -> FactBuilder:
        """A :class:`~fsrules.testing.FactBuilder` that also builds this kit's kinds."""
        from fsrules.testing._builders import FactBuilder

        return FactBuilder(region_code=region_code, year=year, kit=self)
