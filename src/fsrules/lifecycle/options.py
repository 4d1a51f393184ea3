"""The lifecycle options of ``fsrules check``: --baseline, --waivers, --waive-veto, --store.

:func:`lifecycle_options` adds them to a click command and hands the command
one ``lifecycle`` argument (:class:`LifecycleOptions`); its :meth:`post`
turns the evaluated report into the annotated one (and records the run in
the store). This module is CLI-side: it may print warnings on stderr.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import click

from fsrules._i18n import Lang
from fsrules._report import Report
from fsrules.model import Fact

__all__ = ["LifecycleOptions", "lifecycle_options"]


@attrs.frozen(kw_only=True)
class LifecycleOptions:
    """What the user asked for: a baseline report, a waiver file, a history store."""

    baseline: str | None = None
    waivers: str | None = None
    waive_veto: bool = False
    store: str | None = None

    @property
    def active(self) -> bool:
        """True when any lifecycle option was given."""
        return bool(self.baseline or self.waivers or self.store)

    def post(self, lang: Lang) -> Callable[[Report, Sequence[Fact]], Report]:
        """The step that annotates a freshly evaluated report (given the run's facts).

        Without any option it only attaches the townships (invisible in JSON).
        """
        # read the inputs before any evaluation, so a bad file fails fast (exit 2)
        from fsrules.lifecycle.annotate import annotate
        from fsrules.lifecycle.waivers import load_waivers

        baseline = None
        if self.baseline:
            baseline = Report.from_json(Path(self.baseline).read_bytes())
        waivers = load_waivers(self.waivers) if self.waivers else ()

        def run(report: Report, facts: Sequence[Fact]) -> Report:
            annotated = annotate(report, baseline=baseline, waivers=waivers,
                                 waive_veto=self.waive_veto, facts=facts)
            if self.store:
                from fsrules.lifecycle.store import HistoryStore

                with HistoryStore(self.store) as store:
                    store.record(annotated)
                    history, trend = store.marks(annotated), store.trend()
                annotated = annotate(report, baseline=baseline, waivers=waivers,
                                     waive_veto=self.waive_veto, history=history, trend=trend,
                                     facts=facts)
            assert annotated.lifecycle is not None
            for warning in annotated.lifecycle.warnings:
                click.echo(("警告：" if lang == "zh" else "warning: ") + warning.get(lang),
                           err=True)
            waived = len(annotated.findings) - len(annotated.counted())
            if waived:
                click.echo(f"已豁免 {waived} 条问题（仍列出，不计入退出码）" if lang == "zh"
                           else f"{waived} finding(s) waived (still listed, not counted toward "
                           "the exit code)", err=True)
            summary = annotated.lifecycle.baseline
            if summary is not None:
                click.echo(
                    f"与基线（{summary.as_of}）相比：新增 {summary.new} 条，仍存在 "
                    f"{summary.persisting} 条，已消除 {len(summary.resolved)} 条" if lang == "zh"
                    else f"against the baseline ({summary.as_of}): {summary.new} new, "
                    f"{summary.persisting} persisting, {len(summary.resolved)} resolved",
                    err=True)
            return annotated

        return run


def lifecycle_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the lifecycle options to a click command as one ``lifecycle`` argument."""

    @functools.wraps(func)
    def wrapper(*args: Any, baseline: str | None, waivers: str | None, waive_veto: bool,
                store: str | None, **kwargs: Any) -> Any:
        options = LifecycleOptions(baseline=baseline, waivers=waivers, waive_veto=waive_veto,
                                   store=store)
        return func(*args, lifecycle=options, **kwargs)

    path = click.Path(dir_okay=False)
    decorated: Callable[..., Any] = wrapper
    for decorator in reversed((
        click.option("--baseline", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
                     help="与之前的 JSON 报告比较：标出新增/仍存在的问题，列出已消除的问题。 "
                          "Compare with an earlier JSON report: mark findings new or "
                          "persisting and list the resolved ones."),
        click.option("--waivers", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
                     help="豁免清单（TOML）：被豁免的问题仍列出并标注，但不计入退出码。 Waiver "
                          "file (TOML): waived findings are listed, marked, and do not count "
                          "toward the exit code."),
        click.option("--waive-veto", is_flag=True,
                     help="允许豁免否决项（critical）问题。 Allow waivers of critical (veto) "
                          "findings."),
        click.option("--store", metavar="FILE", type=path,
                     help="历史库（SQLite）：记录本次运行和每个问题的状态。 History store "
                          "(SQLite): record this run and each finding's status."),
    )):
        decorated = decorator(decorated)
    return decorated
