"""Verbinder: the province as broker between collectives of different villages and themes.

The province's own role as middenbestuur (docs/ODD.md section 7.7): instead of funding, it
connects. A broker (netwerkmakelaar) pairs a collective that knows little with one that
knows more in another village, of any theme ("inspire locally, reproduce regionally";
learning and sharing across themes and villages, DOMAIN.md s1), and keeps the pair going.

Run by: the province by default (`policy.broker.government`).
Eligibility: living collectives from stage starting on with fewer than `max_links` brokered
links. Selection: the least knowledgeable first, each paired with the most knowledgeable
collective of another village that knows at least as much and is not yet linked to it by the
broker; among equals one it does not already learn from through the regional network (same
theme in a linked village, sim/dynamics/collectives.py) first, then the most successful.
Money: `link_cost` a month per link for `link_months` (the broker's time, meetings, visits),
as a service to the two villages; a new link is made whenever one more fits the monthly
rate and the budget left covers its term, so links run side by side (the tender's rule for
money that demand leaves over). Volunteer hours: `hours` a month per link, for each partner.
Horizon: continuous. Channels: learning along the link (each partner closes `learning_rate`
of its gap to the other's knowledge each month, on top of the built-in regional learning)
and inspiration (a founding boost of `inspiration` in the learner's village per link whose
partner has a success to show).
Sources: Hargreaves et al. (2013) and Seyfang et al. (2014): intermediaries spread codified
lessons between community initiatives, no effect size; every value is an *assumption*.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.instruments import InstrumentConfig
from ..config.params import param
from ..state import Stage
from .base import Commitment, Instrument
from .registry import register_instrument


@dataclass
class BrokerConfig(InstrumentConfig):
    """Verbinder: the province connects collectives across villages and themes."""

    link_cost: float = param(500.0, unit="EUR/month per link", lo=0.0, hi=1e9,
                             source="assumption: about five hours a month of a regional broker, with meetings and travel",
                             plausible=(250.0, 1000.0), plausible_reason="assumption: half to twice the default",
                             help="What keeping one brokered link going costs a month; the budget sets how many run.")
    link_months: int = param(24, unit="months", lo=1, hi=600, source="assumption",
                             plausible=(12, 36), plausible_reason="assumption: one to three years",
                             help="How long a brokered link lasts (its partners may be linked again afterwards).")
    max_links: int = param(2, unit="links", lo=1, hi=100, source="assumption",
                           plausible=(1, 4), plausible_reason="assumption: from one partner to four at once",
                           help="Brokered links a collective can have at once.")
    learning_rate: float = param(0.1, unit="1/month", lo=0.0, hi=1.0,
                                 source="assumption; Hargreaves et al. (2013): intermediaries spread codified lessons",
                                 plausible=(0.02, 0.2), plausible_reason="assumption: from the regional rate (0.05) halved to four times it",
                                 help="Share of its gap to its partner's knowledge a collective closes each month along a brokered link.")
    inspiration: float = param(0.1, unit="founding boost per link", lo=0.0, hi=100.0,
                               source="assumption: seeing what works elsewhere (DOMAIN.md s1: inspire locally, reproduce regionally)",
                               plausible=(0.0, 0.5), plausible_reason="assumption",
                               help="Relative boost of founding in the learner's village per link to a partner with a success.")
    hours: float = param(2.0, unit="hours/month per link", lo=0.0, hi=1e5, source="assumption: a meeting a month",
                         plausible=(1.0, 8.0), plausible_reason="assumption: from half a meeting to a day a month",
                         help="Volunteer hours each partner spends on a brokered link each month.")


@register_instrument
class Broker(Instrument):
    name = "broker"
    config = BrokerConfig
    labels = {"en": "province as broker", "nl": "provincie als verbinder"}
    order = 75

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.links: dict[tuple[int, int], Commitment] = {}   # (learner id, partner id) -> its term
        self.made = 0

    def apply(self, month: int) -> None:
        self.drop_ended()
        self.match(month)
        self.run_links(month)

    def drop_ended(self) -> None:
        """Links whose term is over or one of whose partners dissolved end."""
        agents = self.model.collective_agents
        for pair, term in list(self.links.items()):
            if term.months_left <= 0 or not (agents[pair[0]].alive and agents[pair[1]].alive):
                del self.links[pair]

    def degree(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for a, b in self.links:
            out[a], out[b] = out.get(a, 0) + 1, out.get(b, 0) + 1
        return out

    def match(self, month: int) -> None:
        """New links while one more fits: the least knowledgeable open collective first, with
        the best open partner in another village (`partner_rank`)."""
        cfg = self.cfg
        degree = self.degree()
        open_ = [c for c in self.collectives(Stage.STARTING) if degree.get(c.cid, 0) < cfg.max_links]
        for learner in sorted(open_, key=lambda c: (c.knowledge, c.cid)):
            if degree.get(learner.cid, 0) >= cfg.max_links:
                continue
            if not self.fits(self.links, cfg.link_cost, cfg.link_months, month):
                break
            partners = [p for p in open_ if p.village != learner.village and p.knowledge >= learner.knowledge
                        and degree.get(p.cid, 0) < cfg.max_links
                        and (learner.cid, p.cid) not in self.links and (p.cid, learner.cid) not in self.links]
            if not partners:
                continue
            partner = min(partners, key=lambda p: self.partner_rank(learner, p))
            self.links[(learner.cid, partner.cid)] = Commitment(cfg.link_months, cfg.link_cost)
            degree[learner.cid] = degree.get(learner.cid, 0) + 1
            degree[partner.cid] = degree.get(partner.cid, 0) + 1
            self.made += 1

    def partner_rank(self, learner, partner) -> tuple:
        """Most knowledge first; among equals a new connection (not the same theme in a
        regionally linked village) first, then most successes, then the lowest id."""
        known = partner.theme == learner.theme and bool(self.model.world.village_links[learner.village, partner.village])
        return (-partner.knowledge, known, -partner.successes, partner.cid)

    def run_links(self, month: int) -> None:
        """One month of every link: pay it, both partners learn toward each other (from
        this month's levels), spend their hours, and the learner's village is inspired."""
        cfg, agents = self.cfg, self.model.collective_agents
        level = {cid: agents[cid].knowledge for pair in self.links for cid in pair}
        for (a, b), term in list(self.links.items()):
            learner, partner = agents[a], agents[b]
            self.pay_service([learner.village, partner.village], term.monthly, month)
            learner.learn_towards(level[b], cfg.learning_rate)
            partner.learn_towards(level[a], cfg.learning_rate)
            learner.add_burden(cfg.hours)
            partner.add_burden(cfg.hours)
            if partner.successes > 0:
                self.government.signal([learner.village], "founding", cfg.inspiration)
            self.links[(a, b)] = Commitment(term.months_left - 1, term.monthly)
