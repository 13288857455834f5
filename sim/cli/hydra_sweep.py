"""A Hydra sweep (`vliegwiel -m a=1,2 replicate=range(0,20)`, or a scenario's
`hydra.sweeper.params`) as an ensemble: a list of runs for sim.experiments.run_ensemble,
and the executor that `hydra/launcher=...` names.

Hydra's override grammar reads the sweep (lists a,b,c and range(start,stop,step); every
combination is a run, as Hydra's basic sweeper does). `policy.instruments=each` sweeps
every registered instrument alone ([none], [subsidy], ...; the registry's order), so a
comparison scenario needs no list that a new instrument would have to join. Each distinct combination of the
swept keys other than seed and replicate is composed once, without Hydra
(sim/config/compose.py); seeds and replicates are set on copies. The size of a sweep is
known before anything is built, so a sweep too large is refused at once.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException

from ..config.compose import load_config
from ..config.validate import check_value
from ..errors import UserError
from ..experiments import Run, scenario_label
from ..experiments.collect import sort_key
from ..experiments.ensemble import MAX_RUNS
from ..experiments.executors import KINDS, make_executor
from ..instruments.registry import instrument_names
from ..calibrate.draws import KEY as POSTERIOR
from ..calibrate.draws import draw_overrides, split_posterior

SIMPLE_KEYS = ("seed", "replicate")   # set on a copy: no other parameter depends on them
INSTRUMENTS_KEY, EACH = "policy.instruments", "each"   # policy.instruments=each: every instrument alone
SWEEPS = ("CHOICE_SWEEP", "SIMPLE_CHOICE_SWEEP", "RANGE_SWEEP")


def parse(overrides: list[str]):
    try:
        return OverridesParser.create().parse_overrides(overrides)
    except HydraException as exc:
        line = str(exc).splitlines()[0]
        raise UserError(f"{line.split(': ', 1)[-1] if 'Exception' in line else line}: "
                        "cannot read this override (check quotes, brackets and commas)") from None


def sweep_lists(overrides: list[str], scenario_params: dict[str, str]) -> list[list[tuple[str, str]]]:
    """[(key, value) choices] per overridden key: the command line's overrides, then the
    scenario's sweep for keys the command line does not set."""
    given = {o.split("=", 1)[0].lstrip("+~") for o in overrides}
    items = [*overrides, *(f"{k}={v}" for k, v in scenario_params.items() if k not in given)]
    lists, total = [], 1
    for o in parse(items):
        key = o.key_or_group
        if not o.is_sweep_override():
            value = o.input_line.split("=", 1)[1]
            if key == INSTRUMENTS_KEY and value.strip() == EACH:
                lists.append([(key, f"[{name}]") for name in instrument_names()])
                total *= len(lists[-1])
            else:
                lists.append([(key, value)])
            continue
        kind = o.value_type.name if o.value_type is not None else ""
        if kind not in SWEEPS:
            raise UserError(f"{o.input_line}: a multirun sweeps a list (a,b,c) or range(start,stop,step); "
                            "interval() and glob() are not supported")
        count = _count(o)
        total *= max(count, 1)
        if total > MAX_RUNS:
            raise UserError(f"{o.input_line}: this sweep has at least {total:,} runs; at most {MAX_RUNS:,} "
                            "in one ensemble (split it)")
        values = list(o.sweep_string_iterator())
        if not values:
            raise UserError(f"{o.input_line}: sweeps no value")
        lists.append([(key, v) for v in values])
    return lists


def for_hydra(fixed: list[str]) -> list[str]:
    """The single-valued overrides Hydra may compose (`policy.instruments=each` is a sweep
    that only this module expands; `posterior=...` is applied per run, sim/calibrate/draws.py)."""
    return [o for o in split_posterior(fixed)[0] if o.replace(" ", "") != f"{INSTRUMENTS_KEY}={EACH}"]


def _count(o) -> int:
    v = o.value()
    if o.value_type.name == "RANGE_SWEEP":
        if v.step == 0:
            raise UserError(f"{o.input_line}: range() needs a step other than 0")
        return max(0, math.ceil((v.stop - v.start) / v.step))
    return len(v.list)


def runs_of(lists: list[list[tuple[str, str]]]) -> list[Run]:
    """Every combination as a Run, with its parameters and scenario label. With
    posterior=replicate, replicate r's configuration holds draw r of the calibration's
    posterior (sim/calibrate/draws.py)."""
    posterior = [c for c in lists if c[0][0] == POSTERIOR]
    lists = [c for c in lists if c[0][0] != POSTERIOR]
    mode = split_posterior([f"{k}={v}" for c in posterior for k, v in c])[1] if posterior else "median"
    if any(len(c) > 1 for c in posterior):
        raise UserError(f"{POSTERIOR}: one value (median or replicate), not a sweep")
    swept = [c[0][0] for c in lists if len(c) > 1 and c[0][0] not in SIMPLE_KEYS]
    cache: dict[tuple, object] = {}
    posteriors: dict = {}   # each calibration's posterior, read once for the whole sweep
    runs = []
    for combo in itertools.product(*lists):
        rest = tuple(f"{k}={v}" for k, v in combo if k not in SIMPLE_KEYS)
        simple = {k: v for k, v in combo if k in SIMPLE_KEYS}
        params = {k: v for k, v in combo}
        extra: tuple = ()
        if mode == "replicate":
            replicate = check_value("replicate", simple.get("replicate", "0"), 0)
            draw, labels = draw_overrides(list(rest), replicate, posteriors)
            extra, params = tuple(draw), {**params, **labels}
        if rest + extra not in cache:
            cache[rest + extra] = load_config([*rest, *extra])
        cfg = cache[rest + extra]
        if simple:
            cfg = dataclasses.replace(cfg, **{k: check_value(k, v, getattr(cfg, k)) for k, v in simple.items()})
        runs.append(Run(cfg, scenario_label(params, swept), params))
    # in the order of the ensemble's metrics and dataset (collect.sort_key), so that its rows
    # are written while the runs go on rather than all after the last one
    runs.sort(key=lambda r: sort_key(r.scenario, r.config.seed, r.config.replicate, r.key))
    return runs


def executor_of(launcher: dict):
    """The executor a `hydra/launcher` preset names (its `kind`), with its settings."""
    settings = {k: v for k, v in launcher.items() if not k.startswith("_")}
    kind = settings.pop("kind", None)
    if kind is None:   # Hydra's own basic launcher, or an unknown preset
        target = str(launcher.get("_target_", ""))
        if target.endswith("BasicLauncher"):
            kind = "serial"
        else:
            raise UserError(f"hydra/launcher: not a vliegwiel launcher preset ({target or 'no kind'}); "
                            f"one of {', '.join(KINDS)} (configs/hydra/launcher/)")
    try:
        return make_executor(kind, **settings)
    except TypeError as exc:
        raise UserError(f"hydra.launcher: {exc} (see configs/hydra/launcher/{kind}.yaml)") from None
