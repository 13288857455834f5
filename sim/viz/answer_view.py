"""The start view: the province's question answered in a sentence and a figure, then why
(which loops did the work) and how sure (the robust analysis), and the answer to save, share
and print.

The answer is computed by the server's job queue (sim/viz/jobs.py): the policy and the
baseline over replicates through the experiment layer (sim/viz/answers.py), then the loops
knocked out one by one (sim/viz/why.py). A question asked before (by anyone, or warmed at
the server's start) is answered from its stored runs at once, and the page says so.
"""

from __future__ import annotations

import math

import solara

from . import answer_figures, answers, brief, numbers, question as qmod, sentences, state, sure, why
from .hooks import use_job
from .i18n import text
from .jobs import DONE
from .widgets import Card, JobStatus, ShareTools, bullets, image, para


def answer_job(q):
    return use_job(answers.job_key(q), "answer", lambda job: answers.compute(q, job))


def why_job(q, answer):
    key = why.job_key(q) if answer is not None and not q.is_baseline else None
    return use_job(key, "why", lambda job: why.compute(q, answer, job))


@solara.component
def AnswerCard(answer, robust_sure):
    lang = state.language.value
    q = answer.question
    worlds = robust_sure.worlds if robust_sure is not None else None
    para(sentences.answer_sentence(answer, lang, worlds), "viz-sentence")
    for s in sentences.detail_sentences(answer, lang):
        para(s)
    png = answer_figures.cached_png((*answer_figures.identity(answer), lang),
                                    lambda: answer_figures.answer_figure(answer, lang))
    image(png, "viz-answer-figure")
    para(sentences.basis(answer, lang) + " " + text("a.baseline_named", lang), "viz-small")
    FactsTable(answer)


ROWS = (("participation_end", "share"), ("vulnerable_participation_end", "share"), ("months_to_16", "months"),
        ("collectives_surviving", "count"), ("self_sustaining_end", "count"), ("public_spend_total", "money"),
        ("cost_per_extra_participant", "money"))


def _fmt(x: float, kind: str, lang: str, diff: bool = False) -> str:
    scale = {"share": "share", "money": "EUR"}.get(kind, "count")
    out = numbers.metric(x, scale, lang, difference=diff)
    return out.replace(" pp", "").replace(" %", " %") if kind == "share" and diff else out


@solara.component
def FactsTable(answer):
    """With and without the policy, and the paired difference with its 95 % interval."""
    from .. import outcomes

    lang = state.language.value
    q = answer.question
    if q.is_baseline:
        return
    head = [text("a.col.what", lang), text("a.col.without", lang),
            text("a.col.with", lang, policy=sentences.policy_name(q, lang)), text("a.col.diff", lang)]
    rows = []
    for metric, kind in ROWS:
        own, base = answer.value(metric), answer.value(metric, "baseline")
        d = answer.difference(metric)
        if not math.isfinite(own[0]):
            continue
        label = outcomes.label(metric, lang)
        if metric == "cost_per_extra_participant":
            rows.append([label, "", _fmt(own[0], kind, lang), f"[{_fmt(own[1], kind, lang)} – {_fmt(own[2], kind, lang)}]"])
            continue
        unit = " pp" if kind == "share" else ""
        rows.append([label, _fmt(base[0], kind, lang), _fmt(own[0], kind, lang),
                     f"{_fmt(d[0], kind, lang, True)}{unit} [{_fmt(d[1], kind, lang, True)}, {_fmt(d[2], kind, lang, True)}]"])
    html = "<table class='viz-table viz-facts'><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"
    html += "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"
    with Card(text("a.table", lang), css="viz-facts-card"):
        solara.HTML(tag="div", unsafe_innerHTML=html)


@solara.component
def WhyCard(q, answer):
    lang = state.language.value
    with Card(text("why.title", lang), css="viz-why"):
        if q.is_baseline:
            para(text("why.baseline", lang))
            return
        job = why_job(q, answer)
        JobStatus(job, "why.computing", "viz-why-job")
        if job is not None and job.state == DONE:
            WhyResult(job.result)


@solara.component
def WhyResult(w):
    lang = state.language.value
    for s in sentences.why_sentences(w, lang):
        para(s)
    png = answer_figures.cached_png((*answer_figures.identity(w), lang), lambda: answer_figures.why_figure(w, lang))
    image(png, "viz-why-figure")
    para(text("why.method", lang, n=w.replicates), "viz-small")


@solara.component
def SureCard(q, answer, assessed):
    lang = state.language.value
    with Card(text("sure.title", lang), css="viz-sure"):
        for s in assessed.lines:
            para(s)
        if assessed.fails:
            para(text("sure.fails", lang))
            bullets(assessed.fails, "viz-sure-fails")
        if assessed.source:
            para(assessed.source + " " + text("sure.more", lang), "viz-small")
        para(text("sure.assumptions", lang), "viz-text")
        bullets(sure.assumptions(q, lang))


@solara.component
def ShareCard(q, answer, why_result, assessed):
    lang = state.language.value
    link = qmod.to_query(qmod.Link(q, lang, "answer", state.village.value, state.explore.value))
    with Card(text("share.title", lang), css="viz-share viz-noprint"):
        solara.Text(text("share.link", lang), classes=["viz-small"])
        ShareTools(query=link, copy_label=text("share.copy", lang), copied_label=text("share.copied", lang),
                   print_label=text("share.print", lang), event_origin=_set_origin)
        with solara.Row(classes=["viz-row"], style={"margin-top": "8px"}):
            with solara.Div(classes=["viz-scenario-download"]):
                solara.FileDownload(lambda: q.scenario_file().encode("utf-8"), filename=f"{q.scenario_name()}.yaml",
                                    label=text("share.scenario", lang), mime_type="text/yaml")
            if answer is not None:
                with solara.Div(classes=["viz-brief-download"]):
                    solara.FileDownload(lambda: brief.make(answer, lang, why_result, assessed, link=_absolute(link)),
                                        filename=brief.filename(answer, lang), label=text("share.brief", lang),
                                        mime_type="application/pdf")
            else:
                solara.Text(text("share.wait", lang), classes=["viz-small"])
        with solara.Row(classes=["viz-row"], gap="4px"):
            solara.Text(text("share.scenario.hint", lang), classes=["viz-small"])
            solara.Text(f"vliegwiel scenario={q.scenario_name()}", classes=["viz-small", "viz-code"],
                        style={"font-family": "monospace"})


def _set_origin(value) -> None:
    """The page's origin as the browser reports it, kept only if it is a plain http(s) origin."""
    from .security import ORIGIN

    if isinstance(value, str) and len(value) < 200 and ORIGIN.fullmatch(value):
        state.origin.set(value)


def _absolute(query: str) -> str:
    origin = state.origin.value
    return f"{origin}/?{query}" if origin else f"?{query}"


@solara.component
def AnswerView():
    lang = state.language.value
    q = state.question.value
    job = answer_job(q)
    answer = job.result if job is not None and job.state == DONE else None
    robust = solara.use_memo(lambda: sure.pick(state.explore.value or None), [state.explore.value])
    assessed = solara.use_memo(lambda: sure.assess(q, robust, lang, answers.replicates(),
                                                   sure.rc.explore_dir()), [q, robust, lang])
    solara.Text(text("a.heading.baseline" if q.is_baseline else "a.heading", lang), classes=["viz-heading"])
    with Card(css="viz-answer"):
        JobStatus(job, "a.computing", "viz-answer-job")
        if answer is not None:
            AnswerCard(answer, assessed)
    if answer is not None:
        WhyCard(q, answer)
    why_result = None if q.is_baseline or answer is None else _cached_why(q)
    SureCard(q, answer, assessed)
    ShareCard(q, answer, why_result, assessed)


def _cached_why(q):
    from . import jobs

    job = jobs.QUEUE.cached(why.job_key(q))
    return job.result if job is not None else None
