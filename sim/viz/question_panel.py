"""The question, in the page's side column: instruments or a programme, budget, horizon, region.

A change that passes `question.checked` is applied at once (the answer, the map and the live
model follow it, and say whether they are computing); one that does not is shown under its
field ("not applied", in the page's language) and the question stays as it was. The browser
only ever picks names from the lists drawn here; numbers are read in the page's language.
"""

from __future__ import annotations

import solara

from . import numbers, question as qmod, sentences, state
from .i18n import text
from .question import MAX_INSTRUMENTS, QuestionError


def _apply(problem: solara.Reactive, **changes) -> None:
    q = state.question.value
    values = dict(instruments=q.instruments, programme=q.programme, budget=q.budget, years=q.years, world=q.world)
    if q.fixed_budget and "budget" not in changes:
        values["budget"] = qmod.default_budget()    # leaving a programme with its own budget: the page's again
    values.update(changes)
    try:
        new = qmod.checked(**values, lang=state.language.value)
    except QuestionError as exc:
        problem.set((exc.key, exc.reason))
        return
    problem.set(("", ""))
    if new != q:
        state.question.set(new)


@solara.component
def QuestionPanel():
    lang = state.language.value
    q = state.question.value
    problem = solara.use_reactive(("", ""))
    kind = "programme" if q.programme else "instruments"
    budget_text = solara.use_reactive(numbers.number(q.budget, lang))
    solara.use_effect(lambda: budget_text.set(numbers.number(q.budget, lang)), [q.budget, lang])

    def message(key: str) -> str | None:
        k, reason = problem.value
        return text("q.not_applied", lang, why=text(reason, lang)) if k == key else None

    def set_kind(position) -> None:
        if position == 1 and not q.programme:
            _apply(problem, programme=qmod.programmes()[0], instruments=())
        elif position == 0 and q.programme:
            _apply(problem, programme="", instruments=qmod.DEFAULT_INSTRUMENTS)
        elif position not in (0, 1):
            state.refuse()

    def set_instruments(values) -> None:
        if not isinstance(values, list) or not values:
            problem.set(("instruments", "unknown_choice"))
            return
        _apply(problem, instruments=tuple(values), programme="")

    with solara.Column(classes=["viz-card", "viz-question"], gap="10px"):
        solara.Text(text("q.title", lang), classes=["viz-card-title"])
        solara.Text(text("q.kind", lang), classes=["viz-small"])
        with solara.v.BtnToggle(v_model=0 if kind == "instruments" else 1, on_v_model=set_kind, mandatory=True,
                                dense=True, class_="viz-kind"):
            solara.Button(text("q.kind.instruments", lang), classes=["viz-kind-instruments"], small=True)
            solara.Button(text("q.kind.programme", lang), classes=["viz-kind-programme"], small=True)
        if kind == "instruments":
            items = [{"text": sentences.instrument_name(n, lang), "value": n} for n in qmod.choosable_instruments()]
            solara.v.Select(label=text("q.instruments", lang), items=items, v_model=list(q.instruments), multiple=True,
                            chips=True, small_chips=True, deletable_chips=True, on_v_model=set_instruments,
                            hint=text("q.instruments.hint", lang, n=MAX_INSTRUMENTS), persistent_hint=True,
                            error_messages=message("instruments") or [], class_="viz-q-instruments")
        else:
            items = [{"text": sentences.programme_name(p, lang), "value": p} for p in qmod.programmes()]
            solara.v.Select(label=text("q.programme", lang), items=items, v_model=q.programme,
                            on_v_model=lambda p: _apply(problem, programme=p), hint=text("q.programme.hint", lang),
                            persistent_hint=True, error_messages=message("programme") or [], class_="viz-q-programme")

        def set_budget(value) -> None:
            budget_text.set(value if isinstance(value, str) else str(value)[:40])
            _apply(problem, budget=value)

        solara.InputText(text("q.budget", lang), value=budget_text.value, on_value=set_budget, continuous_update=False,
                         error=message("budget") or False, message=text("q.budget.hint", lang),
                         prefix="€" if lang == "nl" else "EUR", classes=["viz-q-budget"], disabled=q.fixed_budget)
        solara.Text(text("q.budget.fixed" if q.fixed_budget else "q.budget.reads", lang, money=sentences.money(q, lang)),
                    classes=["viz-small", "viz-q-budget-reads"])
        years = [{"text": text("q.years.item", lang, n=n), "value": n} for n in qmod.HORIZONS]
        solara.v.Select(label=text("q.years", lang), items=years, v_model=q.years,
                        on_v_model=lambda y: _apply(problem, years=y), error_messages=message("years") or [],
                        class_="viz-q-years")
        worlds = [{"text": sentences.world_name(w, lang), "value": w} for w in qmod.worlds()]
        solara.v.Select(label=text("q.world", lang), items=worlds, v_model=q.world,
                        on_v_model=lambda w: _apply(problem, world=w), hint=text("q.world.hint", lang),
                        persistent_hint=True, error_messages=message("world") or message("question") or message("programme") or [],
                        class_="viz-q-world")
