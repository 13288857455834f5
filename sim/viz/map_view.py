"""The villages of the question's region on a map, coloured on a fixed scale, and a village's
story on a click.

The map draws one run of the question (its first replicate: the policy and the baseline on
the same random numbers; sim/viz/stories.py) at the horizon: each village at its position,
its circle by adults, its colour by the share taking part with the policy, without it, or
the difference (sim/viz/map_data.py). A click (or the list) picks a village: how many took
part with and without, members and core volunteers, its collectives, the public money that
went there, what the instrument did there, and how many took part through a tie.
"""

from __future__ import annotations

import numpy as np
import solara
from matplotlib.figure import Figure

from . import map_data, numbers, sentences, state, stories
from .answer_figures import BASE_COLOUR, POLICY_COLOUR, percent_axis, png
from .hooks import use_job
from .i18n import text
from .inputs import Refused, index, one_of
from .jobs import DONE
from .live import BASE, POLICY
from .widgets import Card, JobStatus, VillageMapSvg, image, para


def _selected(st) -> int:
    v = st.by_name(state.village.value)
    return v.index if v is not None else -1


def _pick_index(st, value) -> None:
    try:
        state.village.set(st.villages[index(value, len(st.villages))].name)
    except Refused as exc:
        state.refuse(exc.reason)


@solara.component
def VillageStory(st, v):
    lang = state.language.value
    muni = v.municipality or "–"
    with Card(text("story.title", lang, village=sentences.village_name(v.name, lang), municipality=muni),
              css="viz-story"):
        with solara.Div(classes=["viz-two"]):
            with solara.Column(gap="2px"):
                StoryText(st, v)
            fig = solara.use_memo(lambda: png(story_figure(st, v, lang)), [st, v.index, lang])
            image(fig, "viz-story-figure")


@solara.component
def StoryText(st, v):
    lang = state.language.value
    q = st.question
    policy = sentences.policy_name(q, lang)
    if POLICY in st.labels:
        para(text("story.people", lang, adults=numbers.number(v.adults, lang), years=q.years,
                  own=numbers.pct(v.end(POLICY), lang), base=numbers.pct(v.end(BASE), lang), policy=policy))
    else:
        para(text("story.people.baseline", lang, adults=numbers.number(v.adults, lang), years=q.years,
                  own=numbers.pct(v.end(BASE), lang)))
    para(text("story.members", lang, members=numbers.number(v.members, lang), core=numbers.number(v.core, lang)))
    if v.collectives:
        items = [text("story.collective", lang, theme=text(f"theme.{t}", lang), stage=text(f"stage.{s}", lang))
                 for t, s in v.collectives]
        para(text("story.collectives", lang, list=", ".join(items)))
    else:
        para(text("story.collectives.none", lang))
    para(text("story.founded", lang, founded=v.founded, dissolved=v.dissolved))
    if POLICY in st.labels:
        para(text("story.money", lang, money=numbers.money(v.money, lang)) if v.money > 0 else
             text("story.money.none", lang))
        acts = [text(f"story.effect.{ch}", lang, n=n) for ch, n in v.acted.items() if n > 0]
        para(text("story.instrument", lang, policy=policy, what="; ".join(acts)) if acts else
             text("story.instrument.nothing", lang, policy=sentences.capital(policy)))
    if v.joined:
        para(text("story.ties", lang, share=numbers.pct(v.through_tie / v.joined, lang)))


def story_figure(st, v, lang: str) -> Figure:
    fig = Figure(figsize=(5.6, 3.0), dpi=100)
    ax = fig.add_subplot()
    for label in st.labels[::-1]:
        share = v.share[label]
        years = np.arange(len(share)) / 12
        ax.plot(years, 100 * share, color=POLICY_COLOUR if label == POLICY else BASE_COLOUR,
                lw=2.2 if label == POLICY else 1.6,
                label=sentences.policy_name(st.question, lang) if label == POLICY else text("curves.baseline", lang))
    ax.set_ylim(0, max(10.0, float(np.ceil(100 * max(np.nanmax(s) for s in v.share.values()) / 10 + 0.5) * 10)))
    percent_axis(ax, lang)
    ax.set_xlabel(text("years", lang))
    ax.set_ylabel(text("curves.y", lang), fontsize=8)
    ax.set_title(text("story.figure.title", lang, village=sentences.village_name(v.name, lang)), fontsize=10, loc="left")
    ax.grid(alpha=0.25)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


@solara.component
def MapView():
    lang = state.language.value
    q = state.question.value
    job = use_job(stories.job_key(q), "story", lambda job: stories.compute(q, job))
    solara.Text(text("map.title", lang, world=sentences.region_name(q.world, lang)), classes=["viz-heading"])
    if job is None or job.state != DONE:
        with Card(css="viz-map-card"):
            JobStatus(job, "map.computing", "viz-map-job")
        return
    MapCard(job.result)


@solara.component
def MapCard(st):
    lang = state.language.value
    q = st.question
    show = state.map_show.value if state.map_show.value in map_data.SHOW else "policy"
    has_policy = POLICY in st.labels
    selected = _selected(st)
    with Card(css="viz-map-card"):
        if has_policy:
            options = [("policy", text("map.which.policy", lang, policy=sentences.policy_name(q, lang))),
                       ("baseline", text("map.which.baseline", lang)), ("diff", text("map.which.diff", lang))]
            with solara.Row(classes=["viz-row", "viz-noprint"]):
                solara.Text(text("map.show", lang) + ":", classes=["viz-small"])
                with solara.v.BtnToggle(v_model=[o[0] for o in options].index(show),
                                        on_v_model=lambda k: _show(k, options), mandatory=True, dense=True,
                                        class_="viz-map-show"):
                    for key, label in options:
                        solara.Button(label, classes=[f"viz-map-show-{key}"], small=True, text=True)
        which = text(f"map.which.{show if has_policy else 'baseline'}", lang, policy=sentences.policy_name(q, lang))
        props = solara.use_memo(lambda: map_data.data(st, show, selected, lang), [st, show, selected, lang])
        VillageMapSvg(**props, event_pick=lambda i: _pick_index(st, i))
        para(text("map.caption", lang, years=q.years, which=which), "viz-small")
        para(text("map.one_run", lang), "viz-small")
    names = [v.name for v in st.villages]
    items = [{"text": sentences.village_name(n, lang), "value": n} for n in names]
    solara.v.Select(label=text("map.village", lang), items=items, v_model=state.village.value if selected >= 0 else None,
                    on_v_model=lambda n: _pick_name(n, names), class_="viz-map-village-select viz-noprint",
                    style_="max-width: 420px")
    if selected >= 0:
        VillageStory(st, st.villages[selected])
    else:
        para(text("map.village.none", lang), "viz-small")


def _show(k, options) -> None:
    try:
        state.map_show.set(options[index(k, len(options))][0])
    except Refused as exc:
        state.refuse(exc.reason)


def _pick_name(value, names) -> None:
    try:
        state.village.set(one_of(value, names))
    except Refused as exc:
        state.refuse(exc.reason)
