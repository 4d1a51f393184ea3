"""Bilingual text: every user-facing message exists in Chinese and English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = ["Lang", "Text"]

Lang = Literal["zh", "en"]


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _fill(template: str, values: _Missing) -> str:
    try:
        return template.format_map(values)
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


@attrs.frozen
class Text:
    """A message in Chinese (``zh``, the default) and English (``en``).

    ``format`` fills ``{placeholders}`` in both; unknown placeholders are
    left as they are rather than raising, so a message template never
    crashes a report.
    """

    zh: str
    en: str

    def get(self, lang: Lang = "zh") -> str:
        """The message in ``lang``."""
        return self.en if lang == "en" else self.zh

    def format(self, values: Mapping[str, Any] | None = None, /, **kwargs: Any) -> Text:
        """Both languages with placeholders filled from ``values`` and ``kwargs``.

        A template that ``str.format`` cannot parse (a rule that put an input
        value holding ``{`` into its template, issue 13) still renders: its
        ``{name}`` placeholders are filled and every other brace is left as is.
        """
        merged = _Missing({**(values or {}), **kwargs})
        return Text(_fill(self.zh, merged), _fill(self.en, merged))

    def __str__(self) -> str:
        return self.zh
