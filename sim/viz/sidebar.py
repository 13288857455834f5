"""Sidebar cards next to SolaraViz's own controls: language and view, settings, messages.

The settings write the session's control values (sim/viz/state.py); SolaraViz's Reset
builds a new LiveModel from them. A value that would be rejected is marked on its field at
once; values rejected at Reset are listed under "Not used".
"""

from __future__ import annotations

import math

import solara

from . import controls, inputs, state
from .controls import ControlSpec
from .i18n import LANGUAGES, text

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


@solara.component
def Toggle(value: solara.Reactive, options: list[tuple[str, str, str]], css: str):
    """One of `options` (value, label, css class) as toggle buttons. The browser sends the
    position of the button pressed; anything that is not a position is refused (a notice),
    so `value` only ever holds one of the options' values."""
    values = [o[0] for o in options]
    current = values.index(value.value) if value.value in values else 0

    def pick(position) -> None:
        try:
            value.set(values[inputs.index(position, len(values))])
        except inputs.Refused as exc:
            state.refuse(exc.reason)

    with solara.v.BtnToggle(v_model=current, on_v_model=pick, mandatory=True, class_=css):
        for _, label, button_css in options:
            solara.Button(label, classes=[button_css])


@solara.component
def LanguageSwitch():
    lang = state.language.value
    with solara.Card(text("language", lang)):
        Toggle(state.language, [(code, LANGUAGE_NAMES[code], f"viz-lang-{code}") for code in LANGUAGES], "viz-language")
        ViewSwitch()


def _set(key: str, value) -> None:
    state.values.set({**state.values.value, key: value})


def _choose(s: ControlSpec, value) -> None:
    """A choice from the list drawn, or a notice (the value is not kept)."""
    try:
        _set(s.key, inputs.one_of(value, s.choices))
    except inputs.Refused as exc:
        state.refuse(exc.reason)


def _as_float(value, default) -> float:
    """Where the slider stands: the value if it is a finite number within its range, else the default."""
    try:
        x = controls.parse_number(value)
    except ValueError:
        return float(default)
    return x if math.isfinite(x) else float(default)


@solara.component
def Control(s: ControlSpec, pending: dict[str, str]):
    lang = state.language.value
    value = state.values.value.get(s.key, s.default)
    name, hint = controls.label(s, lang), controls.help_text(s, lang)
    css = "viz-" + s.key.replace(".", "-").replace("_", "-")
    if s.kind in ("group", "choice"):
        items = [{"text": controls.choice_text(s, c, lang), "value": c} for c in s.choices]
        solara.v.Select(label=name, items=items, v_model=value, on_v_model=lambda v: _choose(s, v),
                        hint=hint, persistent_hint=True, class_=css)
    elif s.kind == "slider":
        # v.Slider, not solara.SliderFloat: that one calls float() on what the browser sends
        # before any check; here the value is kept as sent and checked like a typed number
        shown = min(max(_as_float(value, s.default), s.lo), s.hi)
        with solara.Column(classes=[css], gap="0px"):
            solara.v.Slider(label=name, v_model=shown, min=s.lo, max=s.hi, step=(s.hi - s.lo) / 20, thumb_label=True,
                            on_v_model=lambda v: _set(s.key, v))
            if s.key in pending:
                solara.Text(pending[s.key], style={"font-size": "0.8em", "color": "#c62828"}, classes=[f"{css}-problem"])
            solara.Text(hint, style={"font-size": "0.8em", "color": "grey"})
    else:
        solara.InputText(name, value=str(value), on_value=lambda v: _set(s.key, v), continuous_update=False,
                         error=pending.get(s.key, False), message=hint, classes=[css])


@solara.component
def Settings():
    lang = state.language.value
    vals = state.values.value
    found = solara.use_memo(lambda: controls.config_from_controls(vals)[1], [tuple(sorted(vals.items(), key=lambda kv: kv[0]))])
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
    Toggle(state.view, [("live", text("view.live", lang), "viz-view-live"),
                        ("compare", text("view.compare", lang), "viz-view-compare")], "viz-view")
