"""The province's question, as the page asks it: which policy, how much money, how long, where.

Pure code (no Solara). A `Question` holds only values from fixed lists and checked numbers:
instrument names from the registry, a programme from configs/programme/, a world from
configs/world/, a horizon from HORIZONS, a budget within the parameter's range. It becomes
model overrides (`overrides()`), a link (`to_query()` / `from_query()`), and a scenario
file the command line accepts (`scenario_file()`: `vliegwiel scenario=<name>` once the file
is in scenarios/). Nothing the browser sends reaches a config without passing `checked()`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

from ..config.compose import CONFIG_DIR, default_choices, groups, load_config, override_file, package
from ..config.schema import Config
from ..instruments.registry import instrument_names
from . import numbers

BASELINE = "none"
DEFAULT_INSTRUMENTS = ("dialogue",)   # the page's first question (README: the example it answers)
HORIZONS = (2, 5, 10, 15, 20)         # years
MAX_INSTRUMENTS = 4                   # in one mix
LANGS = ("nl", "en")
VIEWS = ("answer", "robust", "map", "live", "compare")
QUERY_KEYS = ("instruments", "programme", "budget", "years", "world", "lang", "view", "village", "explore")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class QuestionError(ValueError):
    """A value the question does not take; `reason` is a text key of i18n.py, `key` the field."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key, self.reason = key, reason


@functools.cache
def _defaults() -> tuple[float, int, float, float]:
    cfg = load_config([])
    from ..config.params import iter_params

    meta = {k: m for k, _, m in iter_params(cfg) if k == "policy.budget"}["policy.budget"]
    return cfg.policy.budget, cfg.months, float(meta["lo"]), float(meta["hi"])


def default_budget() -> float:
    return _defaults()[0]


def default_years() -> int:
    years = _defaults()[1] // 12
    return years if years in HORIZONS else 10


def worlds() -> tuple[str, ...]:
    """The regions the page offers: every option of configs/world/ (province, small, utrecht)."""
    return tuple(groups(CONFIG_DIR).get("world", ()))


def default_world() -> str:
    return default_choices(CONFIG_DIR).get("world", worlds()[0])


def programmes() -> tuple[str, ...]:
    """Policy packages of configs/programme/ that name their instruments (none aside: that is
    no package; reach_out only sets options of instruments a scenario chooses, so on its own
    it would run no instrument)."""
    return tuple(p for p in groups(CONFIG_DIR).get("programme", ())
                 if p != "none" and "policy.instruments" in _option_values("programme", p))


@functools.cache
def programme_budget(name: str) -> float | None:
    """The budget a programme of configs/programme/ sets itself (municipalities_alone, the
    province's roles: EUR 750,000 of the municipalities, so that the roles compare at equal
    cost), or None when it leaves the budget to the question."""
    if not name or name not in programmes():
        return None
    value = _option_values("programme", name).get("policy.budget")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


@functools.cache
def programme_cofunding(name: str) -> float:
    """EUR the province adds to every municipal euro in this programme (governments.cofunding)."""
    if not name or name not in programmes():
        return 0.0
    value = _option_values("programme", name).get("governments.cofunding", 0.0)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def choosable_instruments() -> tuple[str, ...]:
    return tuple(n for n in instrument_names() if n != BASELINE)


@dataclass(frozen=True)
class Question:
    """`Question(("dialogue",), budget=1.5e6, years=10, world="province")`, or a programme."""

    instruments: tuple[str, ...] = DEFAULT_INSTRUMENTS
    programme: str = ""
    budget: float = field(default_factory=default_budget)
    years: int = field(default_factory=default_years)
    world: str = field(default_factory=default_world)

    def __post_init__(self) -> None:
        # a programme that sets its own budget keeps it: the page's budget does not override it
        fixed = programme_budget(self.programme)
        if fixed is not None and self.budget != fixed:
            object.__setattr__(self, "budget", fixed)

    # --- what it is -----------------------------------------------------------------------
    @property
    def months(self) -> int:
        return 12 * self.years

    @property
    def is_baseline(self) -> bool:
        return not self.programme and tuple(self.instruments) == (BASELINE,)

    @property
    def fixed_budget(self) -> bool:
        """Whether the programme sets the budget itself (the page's budget field does not apply)."""
        return programme_budget(self.programme) is not None

    @property
    def cofunded(self) -> float:
        """EUR the province adds, over the horizon, to the municipalities' budget (0 without)."""
        return self.budget * programme_cofunding(self.programme)

    @property
    def label(self) -> str:
        """'dialogue', 'dialogue+shareholding' or 'programme:pilots_2019' (a scenario label)."""
        return f"programme:{self.programme}" if self.programme else "+".join(self.instruments)

    def policy_overrides(self) -> list[str]:
        if self.programme:
            return [f"programme={self.programme}"]
        return [f"policy.instruments=[{','.join(self.instruments)}]"]

    def common_overrides(self) -> list[str]:
        """What the policy and its baseline share: the world, the horizon, the budget."""
        return [f"world={self.world}", f"months={self.months}", f"policy.budget={float(self.budget)!r}"]

    def overrides(self) -> list[str]:
        return self.common_overrides() + self.policy_overrides()

    def baseline_overrides(self) -> list[str]:
        return self.common_overrides() + [f"policy.instruments=[{BASELINE}]"]

    def config(self) -> Config:
        return _config(tuple(self.overrides()))

    def key(self) -> str:
        """A short stable name for this question (cache and folder names)."""
        data = json.dumps(asdict(self), sort_keys=True, default=list)
        return hashlib.sha256(data.encode()).hexdigest()[:12]

    # --- a link ---------------------------------------------------------------------------
    def query(self) -> dict[str, str]:
        out = {"programme": self.programme} if self.programme else {"instruments": ",".join(self.instruments)}
        out.update(budget=str(int(self.budget)) if float(self.budget).is_integer() else repr(float(self.budget)),
                   years=str(self.years), world=self.world)
        return out

    # --- a scenario file ------------------------------------------------------------------
    def scenario_name(self) -> str:
        what = self.programme or "_".join(self.instruments)
        return f"page_{what}_{int(round(self.budget))}eur_{self.years}y_{self.world}"[:100]

    def scenario_values(self) -> dict:
        """Dotted keys -> values that give this question's Config from the defaults, with the
        world's and the programme's option files written out (a `_global_` file cannot pick
        a config group, so their values are set directly)."""
        values: dict = {}
        for group, option in (("world", self.world), ("programme", self.programme)):
            if option and option != default_choices(CONFIG_DIR).get(group):
                values.update(_option_values(group, option))
        if not self.programme:
            values["policy.instruments"] = list(self.instruments)
        values["policy.budget"] = float(self.budget)
        values["months"] = self.months
        return values

    def scenario_file(self, comments: list[str] = ()) -> str:
        head = [f"vliegwiel scenario={self.scenario_name()} (put this file in scenarios/ first)", *comments]
        return override_file(self.scenario_values(), head)


def _option_values(group: str, option: str) -> dict:
    """The dotted keys an option file of `group` sets (at its package)."""
    import yaml

    path = CONFIG_DIR / group / f"{option}.yaml"
    probe: dict = {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    prefix = "" if package(path) == "_global_" else f"{group}."

    def flatten(node, pre):
        for k, v in node.items():
            if isinstance(v, dict):
                flatten(v, f"{pre}{k}.")
            else:
                probe[f"{pre}{k}"] = v
    flatten({k: v for k, v in data.items() if k not in ("hydra", "defaults")}, prefix)
    return probe


# --- from what the browser sends -------------------------------------------------------------

_UNSET = object()


def checked(instruments=_UNSET, programme=_UNSET, budget=_UNSET, years=_UNSET, world=_UNSET,
            lang: str = "nl") -> Question:
    """A Question from browser values (a field not given keeps the default; None is a value,
    and refused); QuestionError(key, reason) for the first one not taken. Choices pass only if
    they are one of their list's items (strings); numbers are read in the page's language
    (sim/viz/numbers.py) and checked against the parameter's range."""
    base = Question()
    prog = base.programme if programme is _UNSET else programme
    if prog not in ("", *programmes()) or not isinstance(prog, str):
        raise QuestionError("programme", "unknown_choice")
    inst = base.instruments if instruments is _UNSET else instruments
    if isinstance(inst, str):
        inst = tuple(p for p in inst.split(",") if p)
    if not isinstance(inst, list | tuple) or not all(isinstance(i, str) for i in inst):
        raise QuestionError("instruments", "unknown_choice")
    inst = tuple(dict.fromkeys(inst))
    if not prog:
        if not inst or any(i not in instrument_names() for i in inst) or len(inst) > MAX_INSTRUMENTS:
            raise QuestionError("instruments", "unknown_choice")
        if BASELINE in inst and len(inst) > 1:
            inst = tuple(i for i in inst if i != BASELINE)
    bud = base.budget if budget is _UNSET else budget
    try:
        bud = float(numbers.parse(bud, lang))
    except ValueError as exc:
        raise QuestionError("budget", str(exc)) from None
    lo, hi = _defaults()[2], _defaults()[3]
    if not lo <= bud <= hi:
        raise QuestionError("budget", "reason.budget_range")
    yrs = base.years if years is _UNSET else years
    try:
        yrs = numbers.parse(yrs, lang, integer=True)
    except ValueError:
        raise QuestionError("years", "unknown_choice") from None
    if yrs not in HORIZONS:
        raise QuestionError("years", "unknown_choice")
    wld = base.world if world is _UNSET else world
    if not isinstance(wld, str) or wld not in worlds():
        raise QuestionError("world", "unknown_choice")
    question = Question(inst if not prog else (), prog, bud, int(yrs), wld)
    runnable(question)
    return question


def runnable(question: Question) -> None:
    """QuestionError unless the model takes this question (e.g. a programme that names pilot
    villages the chosen region does not have)."""
    from ..errors import UserError

    try:
        _config(tuple(question.overrides()))
    except UserError as exc:
        key = getattr(exc, "key", "") or ""
        raise QuestionError("programme" if question.programme else "question",
                            "question.villages_missing" if key.endswith(".villages") else "question.invalid") from None


@functools.lru_cache(maxsize=64)
def _config(overrides: tuple[str, ...] | list[str]) -> Config:
    return load_config(list(overrides))


@dataclass(frozen=True)
class Link:
    """What a link restores: the question and the page's own settings."""

    question: Question
    lang: str = "nl"
    view: str = "answer"
    village: str = ""
    explore: str = ""
    problems: tuple[str, ...] = ()      # keys whose values were not taken (the page says so)


def from_query(search: str | None) -> Link:
    """The settings of a link (`?instruments=dialogue&budget=1500000&years=10&world=province&lang=en`);
    every value is checked, and one not taken leaves its default and is named in `problems`."""
    pairs = dict(parse_qsl((search or "")[:2000], keep_blank_values=True))
    problems = []
    lang = pairs.get("lang", "nl")
    if lang not in LANGS:
        problems.append("lang")
        lang = "nl"
    view = pairs.get("view", "answer")
    if view not in VIEWS:
        problems.append("view")
        view = "answer"
    values = {k: pairs[k] for k in ("instruments", "programme", "budget", "years", "world") if k in pairs}
    question = Question()
    while True:
        try:
            question = checked(**values, lang="en")   # links carry plain numbers (1500000), read the same in any language
            break
        except QuestionError as exc:
            problems.append(exc.key)
            values.pop(exc.key, None)
    village = pairs.get("village", "")
    if len(village) > 100:
        problems.append("village")
        village = ""
    explore = pairs.get("explore", "")
    if explore and not _NAME.fullmatch(explore):
        problems.append("explore")
        explore = ""
    return Link(question, lang, view, village, explore, tuple(problems))


def to_query(link: Link) -> str:
    q = link.question.query()
    q.update(lang=link.lang, view=link.view)
    if link.village:
        q["village"] = link.village
    if link.explore:
        q["explore"] = link.explore
    return urlencode(q, safe=",")


def with_question(link: Link, question: Question) -> Link:
    return replace(link, question=question, problems=())
