"""The robust view: every instrument across the plausible worlds of vliegwiel-explore.

For the chosen outcome: per instrument the share of worlds where it beats the baseline and
where it is the best (with 95 % intervals), its regret (mean, 90th percentile, highest), the
share of worlds where it meets the target, its median level and range; then the
scenario-discovery sentences (when it works, when not) with their parameters in plain words.
Figures download as PNG and SVG, the table as CSV, and the analysis's own report and
figures as they are. The analysis is read through sim/viz/robust_contract.py only; a
missing or unreadable one is a message.
"""

from __future__ import annotations

import solara

from . import numbers, robust_contract as rc, robust_figures as rf, sentences, state, sure
from .compare_figures import csv_bytes
from .i18n import text
from .inputs import Refused, one_of
from .widgets import Card, bullets, image, para


def _pick(reactive, value, allowed) -> None:
    try:
        reactive.set(one_of(value, list(allowed)))
    except Refused as exc:
        state.refuse(exc.reason)


@solara.component
def PolicyCard(robust, policy: str, outcome: str):
    lang = state.language.value
    row = robust.row(policy, outcome)
    if row is None:
        return
    css = ["viz-robust-policy", "viz-baseline"] if policy == robust.baseline else ["viz-robust-policy"]
    with solara.Column(classes=css + [f"viz-robust-{policy}"], gap="2px"):
        solara.Text(rf.policy_label(robust, policy, lang), style={"font-weight": "700"})
        lines = [("robust.card.beats", row.beats, "viz-bar")] if policy != robust.baseline else []
        for key, iv, bar in lines + [("robust.card.best", row.best, "viz-bar viz-bar-best")]:
            value = iv.value
            solara.Text(f"{text(key, lang)}: " + (text("robust.card.worlds", lang, share=numbers.pct(value, lang),
                                                        lo=numbers.pct(iv.lo, lang), hi=numbers.pct(iv.hi, lang))
                                                  if value is not None else "–"), classes=["viz-small"])
            width = 0 if value is None else max(0.0, min(100.0, 100 * value))
            solara.HTML(tag="div", unsafe_innerHTML=f"<span style='width:{width:.1f}%'></span>", classes=bar.split())
        regret = " / ".join(rf.fmt_level(robust, outcome, x, lang, diff=True) for x in row.regret)
        solara.Text(f"{text('robust.card.regret', lang)}: {regret}", classes=["viz-small"])
        if row.satisficing.value is not None:
            solara.Text(f"{text('robust.card.satisficing', lang)}: {numbers.pct(row.satisficing.value, lang)}",
                        classes=["viz-small"])
        lv = row.level
        solara.Text(f"{text('robust.card.level', lang)}: {rf.fmt_level(robust, outcome, lv.value, lang)} "
                    f"[{rf.fmt_level(robust, outcome, lv.lo, lang)} – {rf.fmt_level(robust, outcome, lv.hi, lang)}]",
                    classes=["viz-small"])


@solara.component
def Figures(robust, outcome: str):
    lang = state.language.value
    shares = solara.use_memo(lambda: rf.shares_figure(robust, outcome, lang), [robust, outcome, lang])
    levels = solara.use_memo(lambda: rf.levels_figure(robust, outcome, lang), [robust, outcome, lang])
    with Card(text("robust.fig.shares", lang), css="viz-robust-shares"):
        image(rf.bytes_of(shares, "png"))
        Downloads(f"{robust.name}_{outcome}_shares", lambda: rf.shares_figure(robust, outcome, lang))
    with Card(text("robust.fig.levels", lang, outcome=rf.outcome_label(robust, outcome, lang)),
              css="viz-robust-levels"):
        image(rf.bytes_of(levels, "png"))
        Downloads(f"{robust.name}_{outcome}_levels", lambda: rf.levels_figure(robust, outcome, lang))


@solara.component
def Downloads(stem: str, make):
    lang = state.language.value
    with solara.Row(classes=["viz-row", "viz-noprint", "viz-robust-downloads"]):
        solara.Text(text("robust.downloads", lang) + ":", classes=["viz-small"])
        for fmt, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
            solara.FileDownload(lambda fmt=fmt: rf.bytes_of(make(), fmt), filename=f"{stem}.{fmt}",
                                label=fmt.upper(), mime_type=mime)


@solara.component
def Discovery(robust, outcome: str):
    lang = state.language.value
    with Card(text("robust.discovery", lang), css="viz-robust-discovery"):
        found = False
        for policy in rf.others(robust):
            boxes = robust.boxes_for(policy, outcome)
            if not boxes:
                continue
            found = True
            solara.Text(rf.policy_label(robust, policy, lang), style={"font-weight": "700"})
            lines = []
            for b in boxes:
                line = sentences.plain(b.sentence.get(lang) or b.sentence.get("en", ""), lang)
                lines.append(line)
            bullets(lines, f"viz-robust-boxes-{policy}")
        if not found:
            para(text("robust.discovery.none", lang))


@solara.component
def Analysis(name: str):
    lang = state.language.value
    try:
        robust = rc.open_named(name)
    except rc.RobustError as exc:
        solara.Error(text(exc.reason, lang) + (f": {exc.detail}" if exc.detail else ""), classes=["viz-robust-error"])
        return
    if robust.newer:
        solara.Warning(text("robust.newer", lang), dense=True)
    if robust.function != rc.MODEL_FUNCTION:
        solara.Warning(text("robust.test_function", lang, function=robust.function), dense=True,
                       classes=["viz-robust-test-function"])
    elif sure.other_model(robust):
        solara.Warning(text("robust.other_model", lang), dense=True, classes=["viz-robust-other-model"])
    outcomes = [o.name for o in robust.outcomes if any(o.name in per for per in robust.rows.values())]
    outcome = state.robust_outcome.value if state.robust_outcome.value in outcomes else outcomes[0]
    para(text("robust.intro", lang, worlds=robust.worlds or "?", sampler=robust.sampler or "?",
              replicates=robust.replicates or "?", baseline=rf.policy_label(robust, robust.baseline, lang)),
         "viz-robust-intro")
    items = [{"text": rf.outcome_label(robust, o, lang), "value": o} for o in outcomes]
    solara.v.Select(label=text("robust.outcome", lang), items=items, v_model=outcome,
                    on_v_model=lambda v: _pick(state.robust_outcome, v, outcomes), class_="viz-robust-outcome",
                    style_="max-width: 520px")
    o = robust.outcome(outcome)
    if o is not None and o.margin is not None:
        para(text("robust.margin", lang, margin=sentences.margin_text(o, o.margin, lang),
                  target=_target(o, lang)), "viz-small")
    with solara.Div(classes=["viz-robust-grid"]):
        for policy in robust.policies:
            PolicyCard(robust, policy, outcome)
    para(text("robust.regret.explain", lang), "viz-small")
    Discovery(robust, outcome)
    Figures(robust, outcome)
    with Card(text("robust.downloads", lang), css="viz-noprint viz-robust-files"):
        with solara.Row(classes=["viz-row"]):
            with solara.Div(classes=["viz-robust-csv"]):
                solara.FileDownload(lambda: csv_bytes(rf.table(robust, outcome)), filename=f"{robust.name}_{outcome}.csv",
                                    label=text("robust.table_csv", lang), mime_type="text/csv")
            if robust.has_report:
                solara.FileDownload(lambda: rc.file_bytes(robust, rc.REPORT), filename=f"{robust.name}_report.md",
                                    label=text("robust.report", lang), mime_type="text/markdown")
            for fig in robust.figures:   # labelled by its file name, shown as a name (not a sentence)
                with solara.Div(classes=["viz-code"]):
                    solara.FileDownload(lambda fig=fig: rc.file_bytes(robust, fig), filename=f"{robust.name}_{fig}",
                                        label=fig, mime_type="image/png")
    if robust.notes and lang == "en":
        with Card(text("robust.notes", lang), css="viz-robust-notes"):
            bullets(robust.notes)


def _target(o, lang: str) -> str:
    if o.target is None:
        return "–"
    unit = o.unit or ""
    if "share" in unit:
        return numbers.pct(o.target, lang)
    if "month" in unit:
        return f"{numbers.plain(o.target, lang, 1)} {text('months', lang)}"
    return numbers.plain(o.target, lang, 2)


@solara.component
def RobustView():
    lang = state.language.value
    names = rc.list_names()
    solara.Text(text("robust.title", lang), classes=["viz-heading"])
    if not names:
        solara.Info(text("robust.none", lang, folder=rc.explore_dir()), classes=["viz-robust-empty"])
        return
    name = state.explore.value if state.explore.value in names else names[0]
    if len(names) > 1:
        solara.v.Select(label=text("robust.pick", lang), items=names, v_model=name,
                        on_v_model=lambda v: _pick(state.explore, v, names), class_="viz-robust-pick",
                        style_="max-width: 420px")
    Analysis(name)
