"""Test functions with known sensitivity indices, evaluated by a sweep's runs
(`design.function`) so that the whole machinery (design, Hydra multirun, records, collect,
SALib analysis) can be checked against a known answer."""

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


def evaluate(cfg) -> dict[str, float]:
    """The metrics of a test-function run (`design.function` other than 'model')."""
    d = cfg.design
    if d.function == "ishigami":
        return {"ishigami": ishigami(d.x1, d.x2, d.x3)}
    raise ValueError(f"design.function={d.function}: no such test function")
