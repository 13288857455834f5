"""Social shareholding as equity (maatschappelijk aandeelhouderschap): pure functions.

A government that buys shares in a collective puts capital on its balance that is neither a
grant nor the collective's own money. The shares earn a return paid from the collective's
surplus, are bought back once the collective stands on its own feet, and share its losses.
What comes back returns to the instrument's fund and is invested again (a revolving fund;
sim/instruments/base.py, sim/instruments/shareholding.py).

Sources: UK community shares (Co-operatives UK 2020, EVIDENCE.md s3): an average annual
return of 4.8 %; 92 % of share-funded community businesses still trading. How much of a
surplus goes to dividends and buy-back, and when, are *assumptions* (docs/ODD.md s7.7).
Works on numpy arrays and on plain numbers alike.
"""

from __future__ import annotations

import numpy as np


def funding_shares(grants, own, equity) -> tuple[np.ndarray, np.ndarray]:
    """Grant share and equity share of all funding a collective received.

        total = G + O + E
        grant share  = G / total    (dependence on grants: `dependence_end`)
        equity share = E / total    (patient capital from governments' shares)

    G: government grants, O: own funding (members, revenue, village fund), E: equity bought
    by governments (at the price paid). Both 0 when nothing was received. With no equity
    (E = 0) the grant share is exactly G / (G + O), as before equity existed.
    """
    g, o, e = np.asarray(grants, float), np.asarray(own, float), np.asarray(equity, float)
    total = g + o + e
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, g / safe, 0.0), np.where(total > 0, e / safe, 0.0)


def shareholder_payments(equity, revenue, running_cost, capital, sustaining, annual_return: float,
                         dividend_share: float, buyback_share: float):
    """What a collective pays its government shareholder this month: (dividend, buy-back, behind).

        S = max(0, R - c)                          operating surplus, EUR/month
        D = r / 12 x E                             dividend due on the shares outstanding
        d = min(D, s_d S, max(K, 0))               dividend paid: from surplus, never from debt
        b = [sustaining] min(E, s_b (S - d), max(K - d, 0))   shares bought back
        behind = 1 - d / D  (0 if D = 0)           share of the due dividend left unpaid

    E: equity outstanding (EUR), R: revenue (EUR/month), c: running cost (EUR/month), K:
    capital (EUR), r = `annual_return` (UK community shares average 4.8 % a year,
    Co-operatives UK 2020), s_d = `dividend_share` and s_b = `buyback_share` (*assumptions*):
    at most a share s_d of the surplus pays dividends, and once the collective is
    self-sustaining a share s_b of what the surplus leaves buys shares back until none are
    left. A collective without surplus pays nothing and falls behind (the shareholder may
    press for return). Neither payment exceeds what the collective has.
    """
    e = np.asarray(equity, float)
    surplus = np.maximum(0.0, np.asarray(revenue, float) - running_cost)
    due = annual_return / 12.0 * e
    cash = np.maximum(np.asarray(capital, float), 0.0)
    dividend = np.minimum(np.minimum(due, dividend_share * surplus), cash)
    buyback = np.where(sustaining, np.minimum(np.minimum(e, buyback_share * (surplus - dividend)), cash - dividend), 0.0)
    behind = np.where(due > 0, 1.0 - dividend / np.where(due > 0, due, 1.0), 0.0)
    return dividend, buyback, behind
