"""Test functions with known answers, run through the same experiment layer as the model
(`Run(function=...)`), so that the whole machinery (designs, executors, records, collect,
and the analyses on top: SALib indices, scenario discovery) can be checked against a known
answer. A run names its function; only the names in FUNCTIONS can be evaluated."""

from __future__ import annotations

import math

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami(x1: float, x2: float, x3: float, a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> float:
    """f = sin x1 + a sin^2 x2 + b x3^4 sin x1 (Ishigami & Homma 1990), x_i ~ U(-pi, pi)."""
    return math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> dict[str, list[float]]:
    """Closed-form first-order (S1) and total (ST) Sobol indices of x1, x2, x3 (Sobol' & Levitan 1999).

    V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50),
    V = V1 + V2 + V13; S1 = (V1, V2, 0) / V; ST = (V1 + V13, V2, V13) / V.
    """
    pi4 = math.pi**4
    v1 = 0.5 * (1.0 + b * pi4 / 5.0) ** 2
    v2 = a**2 / 8.0
    v13 = b**2 * math.pi**8 * (1.0 / 18.0 - 1.0 / 50.0)
    v = v1 + v2 + v13
    return {"S1": [v1 / v, v2 / v, 0.0], "ST": [(v1 + v13) / v, v2 / v, v13 / v]}


def evaluate(function: str, inputs: dict[str, float]) -> dict[str, float]:
    """The metrics of a test-function run."""
    try:
        f = FUNCTIONS[function]
    except KeyError:
        raise ValueError(f"{function}: no such test function (known: {', '.join(FUNCTIONS)})") from None
    return f(inputs)


def _ishigami(inputs: dict[str, float]) -> dict[str, float]:
    return {"ishigami": ishigami(inputs["x1"], inputs["x2"], inputs["x3"])}


def _end_worker(inputs: dict[str, float]) -> dict[str, float]:
    """Ends the process it runs in when inputs['end'] > 0 (as a crash or the kernel's
    out-of-memory killer would): for testing how executors recover from a lost worker.
    Never run it with the serial executor."""
    import os

    if inputs.get("end", 0) > 0:
        os._exit(3)
    return {"end_worker": 0.0}


def _fail(inputs: dict[str, float]) -> dict[str, float]:
    """Raises when inputs['fail'] > 0: a run that fails, for testing containment."""
    if inputs.get("fail", 0) > 0:
        raise RuntimeError(f"this run fails on purpose (fail={inputs['fail']})")
    return {"fail": 0.0}


def bass_counts(p: float, q: float, m: float, years: int) -> list[float]:
    """m F(t) at t = 0, 1, ..., years - 1 (years), F Bass' (1969) closed form: a cumulative count
    with known parameters, for checking that a calibration recovers them."""
    out = []
    for t in range(int(years)):
        e = math.exp(-(p + q) * t)
        out.append(m * (1.0 - e) / (1.0 + (q / p) * e))
    return out


def _bass_counts(inputs: dict[str, float]) -> dict[str, float]:
    counts = bass_counts(inputs["p"], inputs["q"], inputs.get("m", 1000.0), int(inputs.get("years", 11)))
    return {f"count_{k}": c for k, c in enumerate(counts)}


# the toy of exploratory modelling: a known winner inside a known box
TOY_BOX = {"a": (0.6, 1.0), "b": (0.0, 0.3)}     # where policy 1 is the best
TOY_INPUTS = {"a": (0.0, 1.0), "b": (0.0, 1.0), "c": (0.0, 1.0)}


def explore_toy(a: float, b: float, c: float, policy_index: int) -> float:
    """A toy "model" for scenario discovery with a known answer: a participation share that
    depends on the world (a, b, c uniform on [0, 1]) and the policy (its position in the
    explored list; 0 is the baseline):

        level = 0.10 + 0.05 c                      (the baseline, policy 0)
        policy 1: level + 0.10 inside the box a > 0.6 and b < 0.3, level + 0.005 outside it
        policy 2: level + 0.05 everywhere
        policy k >= 3: level + 0.02

    So policy 1 is the best exactly inside the box (TOY_BOX) and policy 2 everywhere else;
    with a margin of 1 percentage point, policy 1 does not beat the baseline outside the box."""
    level = 0.10 + 0.05 * c
    if policy_index == 0:
        return level
    if policy_index == 1:
        inside = TOY_BOX["a"][0] < a <= TOY_BOX["a"][1] and TOY_BOX["b"][0] <= b < TOY_BOX["b"][1]
        return level + (0.10 if inside else 0.005)
    return level + (0.05 if policy_index == 2 else 0.02)


def _explore_toy(inputs: dict[str, float]) -> dict[str, float]:
    return {"participation_end": explore_toy(inputs["a"], inputs["b"], inputs["c"], int(inputs["policy_index"]))}


FUNCTIONS = {"ishigami": _ishigami, "end_worker": _end_worker, "fail": _fail, "bass_counts": _bass_counts,
             "explore_toy": _explore_toy}
