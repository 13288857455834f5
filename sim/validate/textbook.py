"""The literature's expectations as pure functions: what the validation checks compare with.

- Bass (1969): the closed form F(t) and the mean field of the model's monthly step.
- Watts (2002): the cascade condition on Erdos-Renyi networks, its window of mean degree,
  and the frequency of global cascades from one random seed (generating functions).
- Rogers (2003): the adopter categories' shares from the cut-offs of a normal curve.

No model import here: arrays and numbers in, arrays and numbers out.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.stats import norm, poisson

# --- Bass (1969) ----------------------------------------------------------------------------


def bass_closed_form(t: np.ndarray, p: float, q: float) -> np.ndarray:
    """F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}), t in years (Bass 1969)."""
    e = np.exp(-(p + q) * np.asarray(t, dtype=float))
    return (1.0 - e) / (1.0 + (q / p) * e)


def bass_monthly_recursion(months: int, p: float, q: float) -> np.ndarray:
    """Mean field of the model's monthly scheme (hazard held fixed within a month):
    F_{m+1} = F_m + (1 - F_m)(1 - exp(-(p + q F_m) / 12)), F_0 = 0."""
    f = np.zeros(months + 1)
    for m in range(months):
        f[m + 1] = f[m] + (1.0 - f[m]) * (1.0 - np.exp(-(p + q * f[m]) / 12.0))
    return f


def bass_peak_month(p: float, q: float) -> float:
    """Month of the largest adoption rate, t* = ln(q/p) / (p + q) years, where F = (1 - p/q) / 2."""
    return 12.0 * np.log(q / p) / (p + q)


def crossing_month(f: np.ndarray, level: float) -> float:
    """First month at which the curve f reaches `level`, linearly interpolated (NaN if never)."""
    f = np.asarray(f, dtype=float)
    hit = np.flatnonzero(f >= level)
    if hit.size == 0:
        return float("nan")
    m = int(hit[0])
    return float(m) if m == 0 else m - 1 + (level - f[m - 1]) / (f[m] - f[m - 1])


# --- Watts (2002) ---------------------------------------------------------------------------


def vulnerable_degree(phi: float) -> int:
    """Largest degree at which one participating tie reaches the threshold: k <= 1/phi."""
    return int(np.floor(1.0 / phi))


def watts_condition(z: float, phi: float) -> float:
    """Watts (2002) eq. (6) for Poisson degrees: sum_k k(k-1) rho_k p_k - z, rho_k = [k <= 1/phi].

    Positive inside the cascade window (the vulnerable cluster percolates).
    """
    k = np.arange(vulnerable_degree(phi) + 1)
    return float((k * (k - 1) * poisson.pmf(k, z)).sum() - z)


def watts_window(phi: float) -> tuple[float, float]:
    """Lower and upper edge of the cascade window in mean degree z (roots of the condition)."""
    lower = brentq(watts_condition, 0.5, 2.0, args=(phi,))
    upper = brentq(watts_condition, 2.0, 30.0, args=(phi,))
    return lower, upper


def watts_cascade_frequency(z: float, phi: float) -> float:
    """Probability that one random seed starts a global cascade on an infinite Erdos-Renyi
    network of mean degree z, every threshold phi (Watts 2002, generating functions).

    A tie leads to a resident of degree k with probability k p_k / z; that resident is
    vulnerable (joins on one participating tie) when k <= 1/phi and then passes it on along
    its k - 1 other ties. u, the probability that a tie does not lead into the percolating
    vulnerable cluster, is the smallest root of u = 1 - G1(1) + G1(u) with
    G1(u) = sum_k k rho_k p_k u^(k-1) / z. The seed starts a global cascade when at least one
    of its ties leads into that cluster: 1 - sum_k p_k u^k = 1 - exp(-z (1 - u)).
    """
    if z <= 0:
        return 0.0
    k = np.arange(1, vulnerable_degree(phi) + 1)
    weight = k * poisson.pmf(k, z) / z

    def g1(u: float) -> float:
        return float((weight * u ** (k - 1)).sum())

    g1_one, u = g1(1.0), 0.0
    for _ in range(100_000):  # monotone from 0 to the smallest root; slow only at the edges
        nxt = 1.0 - g1_one + g1(u)
        if abs(nxt - u) < 1e-12:
            break
        u = nxt
    return float(max(0.0, 1.0 - np.exp(-z * (1.0 - u))))


# --- Rogers (2003) --------------------------------------------------------------------------

ROGERS_NAMES = ("innovators", "early adopters", "early majority", "late majority", "laggards")
ROGERS_ROUNDED = (0.025, 0.135, 0.34, 0.34, 0.16)  # Rogers' own rounded percentages


def rogers_expected_shares(cuts: tuple[float, ...] = (2.0, 1.0, 0.0, -1.0)) -> np.ndarray:
    """Shares of the five categories when innovativeness z ~ N(0, 1) is cut at the mean and
    at 1 and 2 standard deviations (Rogers 2003): 2.28, 13.59, 34.13, 34.13, 15.87 %."""
    upper = norm.sf(np.asarray(cuts, dtype=float))  # P(z > cut), innovators first
    edges = np.concatenate([[0.0], upper, [1.0]])
    return np.diff(edges)
