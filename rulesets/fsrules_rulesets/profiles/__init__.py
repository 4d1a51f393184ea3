"""Built-in parameter profiles.

``NAME.toml`` defines profile NAME (its ``[profile]`` header and parameters).
``NAME.PART.toml`` files hold more parameters for the same profile — one per
ruleset, so each ruleset's profile values sit next to the others' without
one file growing for every ruleset. Fragments only carry ``[parameters]``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fsrules import Profile, hookimpl
from fsrules.exceptions import ParameterError

HERE = Path(__file__).parent


def _read(path: Path) -> dict[str, Any]:
    import tomllib

    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_profiles(folder: Path = HERE) -> list[Profile]:
    """Every profile in ``folder``, fragments merged in (file name order)."""
    profiles = []
    for head_path in sorted(folder.glob("*.toml")):
        if "." in head_path.stem:
            continue
        data = _read(head_path)
        params: dict[str, dict[str, Any]] = {k: dict(v) for k, v in
                                             data.get("parameters", {}).items()}
        sources: dict[str, str] = {}
        for part in sorted(folder.glob(f"{head_path.stem}.*.toml")):
            extra = _read(part)
            if set(extra) - {"parameters"}:
                raise ParameterError(f"{part}: a profile fragment holds only [parameters]",
                                     source=str(part))
            for rule_id, table in extra.get("parameters", {}).items():
                clash = set(params.get(rule_id, {})) & set(table)
                if clash:
                    raise ParameterError(f"{part}: {rule_id}.{sorted(clash)[0]} is set twice "
                                         f"for profile {head_path.stem!r}", source=str(part))
                params.setdefault(rule_id, {}).update(table)
                sources[rule_id] = str(part)  # errors name the fragment that sets the rule
        profiles.append(Profile.from_mapping(data.get("profile", {}), params,
                                             source=str(head_path), sources=sources))
    return profiles


@hookimpl
def fsrules_register_profiles(register: Callable[[Profile], None]) -> None:
    """Register ``national``, ``hebei``, ``demo`` and any other built-in profile."""
    for profile in load_profiles():
        register(profile)
