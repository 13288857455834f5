"""Sidebar cards next to SolaraViz's own controls: language and view, settings, messages.

The settings write the session's control values (sim/viz/state.py); SolaraViz's Reset
builds a new LiveModel from them. A value that would be rejected is marked on its field at
once; values rejected at Reset are listed under "Not used".
"""

from __future__ import annotations

import solara

from . import controls, state
from .controls import ControlSpec
from .i18n import LANGUAGES, text

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


@solara.component
def LanguageSwitch():
    lang = state.language.value
    with solara.Card(text("language", lang)):
        with solara.ToggleButtonsSingle(value=state.language, classes=["viz-language"]):
            for code in LANGUAGES:
                solara.Button(LANGUAGE_NAMES[code], value=code, classes=[f"viz-lang-{code}"])
        ViewSwitch()


def _set(key: str, value) -> None:
    state.values.set({**state.values.value, key: value})


def _as_float(value, default) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float(default)


@solara.component
def Control(s: ControlSpec, pending: dict[str, str]):
    lang = state.language.value
    value = state.values.value.get(s.key, s.default)
    name, hint = controls.label(s, lang), controls.help_text(s, lang)
    css = "viz-" + s.key.replace(".", "-").replace("_", "-")
    if s.kind in ("group", "choice"):
        items = [{"text": controls.choice_text(s, c, lang), "value": c} for c in s.choices]
        solara.v.Select(label=name, items=items, v_model=value, on_v_model=lambda v: _set(s.key, v),
                        hint=hint, persistent_hint=True, class_=css)
    elif s.kind == "slider":
        with solara.Column(classes=[css], gap="0px"):
            solara.SliderFloat(name, value=_as_float(value, s.default), min=s.lo, max=s.hi, step=(s.hi - s.lo) / 20,
                               on_value=lambda v: _set(s.key, v), thumb_label=True)
            solara.Text(hint, style={"font-size": "0.8em", "color": "grey"})
    else:
        solara.InputText(name, value=str(value), on_value=lambda v: _set(s.key, v), continuous_update=False,
                         error=pending.get(s.key, False), message=hint, classes=[css])


@solara.component
def Settings():
    lang = state.language.value
    vals = state.values.value
    found = solara.use_memo(lambda: controls.config_from_controls(vals)[1], [tuple(sorted(vals.items(), key=str))])
    pending = {p.key: controls.problem_message(p, lang) for p in found}
    with solara.Card(text("settings", lang)):
        for s in controls.specs():
            Control(s, pending)
        solara.Text(text("settings.note", lang), style={"font-style": "italic"})


@solara.component
def ModelCard(model):
    """What the running model was built from, and the values it did not use (rejected at its
    last Reset)."""
    lang = state.language.value
    cfg, vil = model.cfg, model.world.villages
    instrument = controls.choice_text(controls.spec("policy.instruments"), cfg.policy.instruments[0], lang)
    with solara.Card(text("model", lang), classes=["viz-model"]):
        solara.Text(text("model.summary", lang, instrument=instrument, budget=f"{cfg.policy.budget:,.0f}",
                         villages=vil.n, residents=f"{model.people.n:,}", seed=cfg.seed),
                    classes=["viz-model-summary"])
        for p in getattr(model, "problems", []):
            solara.Error(f"{text('problem.rejected', lang)}: {controls.problem_message(p, lang)}; "
                         f"{text('problem.default', lang)}.", dense=True, classes=["viz-problem"])


@solara.component
def ViewSwitch():
    """The live model or the compare view (sim/viz/compare_view.py)."""
    lang = state.language.value
    with solara.ToggleButtonsSingle(value=state.view, classes=["viz-view"]):
        solara.Button(text("view.live", lang), value="live", classes=["viz-view-live"])
        solara.Button(text("view.compare", lang), value="compare", classes=["viz-view-compare"])
