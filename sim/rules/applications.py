"""Applying voluntarily (mechanisms.voluntary_applications): whether a collective applies for a
grant, enters a prize round or bids for a tender. Pure functions.

A collective applies when what it expects to gain is worth more than the volunteer hours
it costs:

    apply  <=>  p (V - lambda H_won) > lambda H_apply

with p its estimate of the chance of success (learned, `success_estimate`), V the money it
would get, H_apply the hours an application takes, H_won the hours winning asks later
(accountability, delivering a contract) and lambda the shadow price of a volunteer hour to
this collective (`hour_price`: higher when its core is overloaded). A scheme nobody wins,
or that costs too many hours for what it pays, is left alone; the burden an instrument
causes is then chosen rather than built in.

Sources: about two thirds of grant applications fail, and applying costs small charities
about 38 % of the grant income (UK; EVIDENCE.md s3, DOMAIN.md s6) - the hour price is
derived from it; Nesta's Big Green Challenge: 355 entrants, 3 winners (EVIDENCE.md s3) - a
prior for prizes. How collectives learn and how overload raises the price of an hour are
*assumptions* (docs/ODD.md s7.8). Works on numpy arrays and on plain numbers alike.
"""

from __future__ import annotations

import numpy as np


def success_estimate(won, applied, won_near, applied_near, prior_mean, prior_strength: float,
                     peer_weight: float):
    """The chance of success a collective expects: the mean of a Beta posterior.

        p = (m k + s + w s_n) / (k + n + w n_n)

    m = `prior_mean` (the stated prior, per instrument), k = `prior_strength` (how many
    applications the prior is worth), s of n its own past applications won, s_n of n_n
    those of the living collectives in its own and linked villages (the regional network,
    sim/world/build.py), each worth w = `peer_weight` of an own one. With no experience and
    k = 0 the prior mean itself.
    """
    num = np.asarray(prior_mean, float) * prior_strength + np.asarray(won, float) + peer_weight * np.asarray(won_near, float)
    den = prior_strength + np.asarray(applied, float) + peer_weight * np.asarray(applied_near, float)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), prior_mean)


def hour_price(base_price: float, overload, steepness: float):
    """Shadow price of a volunteer hour, EUR: lambda = lambda_0 (1 + kappa O).

    lambda_0 = `applications.hour_price`, what an hour is worth to a collective whose core
    has time to spare; O its core's relative overload last month (0 when the workload fits
    the core's free time, sim/rules/collectives.py `overload`); kappa = `overload_price`:
    an overloaded core values an hour more (*assumption*)."""
    return base_price * (1.0 + steepness * np.asarray(overload, float))


def expected_gain(p, value, hours: float, hours_if_won: float, price):
    """G = p (V - lambda H_won) - lambda H_apply, EUR: what applying is worth."""
    return p * (np.asarray(value, float) - price * hours_if_won) - price * hours


def applies(p, value, hours: float, hours_if_won: float, price):
    """Apply when the expected gain is positive: G > 0 (see `expected_gain`)."""
    return expected_gain(p, value, hours, hours_if_won, price) > 0.0
