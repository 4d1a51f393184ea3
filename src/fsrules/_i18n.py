"""Bilingual text: every user-facing message exists in Chinese and English."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs

from fsrules.exceptions import TemplateError

__all__ = ["LANGS", "Lang", "Text", "fill_lenient", "placeholders", "render"]

Lang = Literal["zh", "en"]
#: Both languages, Chinese first.
LANGS: tuple[Lang, Lang] = ("zh", "en")


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class _Strict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        raise TemplateError(f"template placeholder {{{key}}} has no value "
                            f"(known: {', '.join(sorted(self)) or 'none'})", placeholder=key)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ROOT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*")


def placeholders(template: str) -> Iterator[str]:
    """The root name of each ``{placeholder}`` in ``template`` (``{a.value}`` gives ``a``).

    A template ``str.format`` cannot parse yields its plain ``{name}`` placeholders.
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        yield from _PLACEHOLDER.findall(template)
        return
    for _, field, _, _ in parsed:
        if field is None:
            continue
        match = _ROOT.match(field)
        yield match.group(0) if match else field


def _fill(template: str, values: dict[str, Any]) -> str:
    try:
        return template.format_map(values)
    except TemplateError:
        raise
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def render(template: str, values: Mapping[str, Any]) -> str:
    """``template`` filled from ``values``; an unknown placeholder raises TemplateError."""
    return _fill(template, _Strict(values))


def fill_lenient(text: Text, values: Mapping[str, Any]) -> Text:
    """``text`` with known placeholders filled and unknown ones kept (legacy dict evidence).

    Only for messages a rule built itself (which may hold input text with
    braces); declared templates go through the strict :meth:`Text.format`.
    """
    merged = _Missing(values)
    return Text(_fill(text.zh, merged), _fill(text.en, merged))


@attrs.frozen
class Text:
    """A message in Chinese (``zh``, the default) and English (``en``).

    ``format`` fills ``{placeholders}`` in both and raises
    :class:`~fsrules.exceptions.TemplateError` for a placeholder no value
    fills, so a wrong template fails where it is written instead of showing
    ``{name}`` to the reader.
    """

    zh: str
    en: str

    def get(self, lang: Lang = "zh") -> str:
        """The message in ``lang``."""
        return self.en if lang == "en" else self.zh

    def format(self, values: Mapping[str, Any] | None = None, /, **kwargs: Any) -> Text:
        """Both languages with placeholders filled from ``values`` and ``kwargs``.

        Raises :class:`~fsrules.exceptions.TemplateError` naming a placeholder
        that has no value. A template that ``str.format`` cannot parse (input
        text holding ``{``, issue 13) still renders: its ``{name}``
        placeholders are filled and every other brace is left as is.
        """
        merged = _Strict({**(values or {}), **kwargs})
        return Text(_fill(self.zh, merged), _fill(self.en, merged))

    def __str__(self) -> str:
        return self.zh
