"""Maatschappelijk aandeelhouderschap: social shareholding, a long-term coalition on equal
footing (DOMAIN.md section 4).

Run by: the province or each municipality (`policy.shareholding.government`).
Eligibility and selection: by potential: realising (or self-sustaining) collectives with at
least `min_members` members and `min_knowledge` knowledge; the best (members x (1 +
knowledge)) first, as long as the paced budget covers a stake. Fewer, more mature.
Unspent money: the stake grows with the take-up gap g (`stake` x g, at most the
allowance), so a coalition that finds few partners invests more in each.
Volunteer hours: `entry_hours` once, little after. Channels: patient capital, shared risk,
a seat at the table (trust and knowledge each month), pressure for return.

With `mechanisms.equity` (the default) the stake buys shares (rules/equity.py): equity on
the collective's balance, not a grant and not counted as grant dependence. Each month, after
`grace_months` of patience, the collective pays a dividend of `annual_return` / 12 on the
shares outstanding from its surplus (at most `dividend_share` of it) and, once
self-sustaining, buys shares back with `buyback_share` of what the surplus leaves. What comes
back goes into the instrument's fund and is invested again in other collectives (a revolving
fund: the instrument can pay out more than its budget over the horizon, never more than its
budget plus what came back; sim/instruments/base.py). Shared risk: when a project fails, the
shareholder writes off `loss_share` of its own cost from its shares. A collective behind on
its dividend gets `pressure_hours` x (share unpaid) of extra burden a month: the demand for
return. The shareholder leaves when no shares are left (bought back or written off); a
dissolved collective's shares are lost. After the instrument stops the province keeps its
shares passively: no support, no dividends collected, no buy-back.

Without `mechanisms.equity` the stake is a grant (the model before equity): on every failed
project the shareholder pays `loss_share` of its own cost, and once a collective has been
self-sustaining for `exit_months` the shareholder leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.instruments import InstrumentConfig
from ..config.params import param
from ..state import Stage
from .base import Instrument
from .registry import register_instrument


@dataclass
class ShareholdingConfig(InstrumentConfig):
    """Maatschappelijk aandeelhouderschap: long-term equity on equal footing."""

    stake: float = param(50_000.0, unit="EUR", lo=0.0, hi=1e9, source="assumption",
                         plausible=(20000.0, 150000.0), plausible_reason="EVIDENCE.md s3: UK community share offers raise GBP 174,000-210,000 on average; a provincial stake is a part of such a raise (assumption)",
                         help="Patient capital invested in each selected collective.")
    min_members: int = param(30, unit="members", lo=0, hi=1_000_000, source="assumption: selects fewer, more mature",
                             plausible=(15.0, 60.0), plausible_reason="assumption: EVIDENCE.md s3, about 240 members per UK share offer; a threshold well below that",
                             help="Members a collective needs to be selected.")
    min_knowledge: float = param(0.2, unit="index 0-1", lo=0.0, hi=1.0, source="assumption",
                                 plausible=(0.1, 0.4), plausible_reason="assumption: half to twice the default",
                                 help="Knowledge a collective needs to be selected (it must be realising projects).")
    loss_share: float = param(0.5, unit="share of loss", lo=0.0, hi=1.0, source="DOMAIN.md s4: shares losses",
                              plausible=(0.25, 0.75), plausible_reason="assumption: an equal partner carries a quarter to three quarters of a loss",
                              help="Share of a failed project's own cost the shareholder bears (with mechanisms.equity: "
                                   "written off its shares; without: paid as a grant).")
    entry_hours: float = param(40.0, unit="hours", lo=0.0, hi=1e5, source="DOMAIN.md s4: low burden after entry",
                               plausible=(20.0, 80.0), plausible_reason="assumption: half to twice the default",
                               help="Volunteer hours of entering the coalition.")
    trust_gain: float = param(0.02, unit="1/month", lo=0.0, hi=1.0, source="DOMAIN.md s4: equal footing raises trust",
                              plausible=(0.0, 0.05), plausible_reason="assumption: no Dutch pilot (EVIDENCE.md s3); from none to 2.5x the default",
                              help="Monthly share of the gap to full trust closed.")
    knowledge_gain: float = param(0.02, unit="1/month", lo=0.0, hi=1.0, source="DOMAIN.md s4: knowledge transfer",
                                  plausible=(0.0, 0.05), plausible_reason="assumption: no Dutch pilot (EVIDENCE.md s3); from none to 2.5x the default",
                                  help="Monthly share of the gap to full knowledge closed.")
    exit_months: int = param(24, unit="months", lo=1, hi=600, source="DOMAIN.md s4: gradual exit",
                             plausible=(12.0, 48.0), plausible_reason="assumption: half to twice the default",
                             help="Without mechanisms.equity: months a collective stays self-sustaining before the "
                                  "shareholder exits (with equity it exits when its shares are bought back).")
    annual_return: float = param(
        0.048, unit="1/year", lo=0.0, hi=1.0,
        source="Co-operatives UK (2020): community shares return 4.8 % a year on average (EVIDENCE.md s3)",
        plausible=(0.0, 0.08), plausible_reason="0: a patient shareholder that forgoes return; 8 %: a market-like "
                                                "demand (assumption around the UK average of 4.8 %)",
        help="Dividend due on the shares outstanding, a year (paid monthly, from surplus).")
    dividend_share: float = param(
        0.5, unit="share of surplus", lo=0.0, hi=1.0, source="assumption",
        plausible=(0.2, 1.0), plausible_reason="assumption: co-operatives keep part of their surplus as a reserve",
        help="Most of a month's operating surplus (revenue - running cost) that dividends may take.")
    buyback_share: float = param(
        0.5, unit="share of surplus", lo=0.0, hi=1.0, source="assumption: buy-back once self-sustaining (DOMAIN.md s4: "
                                                            "gradual exit)",
        plausible=(0.1, 1.0), plausible_reason="assumption: from a slow exit over decades to all spare surplus",
        help="Share of the surplus left after dividends with which a self-sustaining collective buys shares back.")
    grace_months: int = param(
        24, unit="months", lo=0, hi=600, source="assumption: patient capital asks no return at first",
        plausible=(0, 60), plausible_reason="assumption: from none to five years of patience",
        help="Months after the shares are bought in which no dividend is due.")
    pressure_hours: float = param(
        4.0, unit="hours/month", lo=0.0, hi=1e5, source="assumption: a shareholder behind on its return asks for "
                                                        "plans, reports and meetings",
        plausible=(0.0, 20.0), plausible_reason="assumption: 0, a shareholder that never presses, to half a day a week",
        help="Extra volunteer hours a month when none of the due dividend is paid (in proportion when part is).")


@register_instrument
class Shareholding(Instrument):
    name = "shareholding"
    config = ShareholdingConfig
    labels = {"en": "social shareholding", "nl": "maatschappelijk aandeelhouderschap"}
    order = 40

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.holdings: dict[int, dict] = {}  # collective id -> {"failures": seen, "sustaining": months, "since": month}
        self.exits: list[int] = []
        self.losses_absorbed = 0.0           # EUR of losses borne (paid, or written off the shares)
        self.dividends = 0.0                 # EUR of dividends received
        self.bought_back = 0.0               # EUR of shares the collectives bought back
        self.equity = self.model.cfg.mechanisms.equity

    def apply(self, month: int) -> None:
        self.support(month)
        self.select(month)

    def support(self, month: int) -> None:
        cfg, agents = self.cfg, self.model.collective_agents
        for cid, h in list(self.holdings.items()):
            c = agents[cid]
            if not c.alive:
                del self.holdings[cid]
                continue
            c.raise_trust(cfg.trust_gain)
            c.add_knowledge(cfg.knowledge_gain)
            if c.failures > h["failures"]:
                self.share_loss(c, cfg.loss_share * c.own_share_of_project * (c.failures - h["failures"]), month)
                h["failures"] = c.failures
            if self.equity:
                self.collect(c, month - h["since"] >= cfg.grace_months)
                if c.equity <= 0.0:
                    self.leave(cid)
                continue
            h["sustaining"] = h["sustaining"] + 1 if c.stage == Stage.SELF_SUSTAINING else 0
            if h["sustaining"] >= cfg.exit_months:
                self.leave(cid)

    def share_loss(self, c, loss: float, month: int) -> None:
        """Bear a share of a failed project: written off the shares, or (without equity) paid."""
        self.losses_absorbed += c.write_down_equity(loss) if self.equity else self.pay(c, loss, month)

    def collect(self, c, due: bool) -> None:
        """Dividend (once the grace period is over) and buy-back into the fund; pressure when behind."""
        cfg = self.cfg
        dividend, buyback, behind = c.pay_shareholder(cfg.annual_return if due else 0.0, cfg.dividend_share,
                                                      cfg.buyback_share)
        self.dividends += dividend
        self.bought_back += buyback
        self.take_back(dividend + buyback)
        if behind > 0:
            c.add_burden(cfg.pressure_hours * behind)

    def leave(self, cid: int) -> None:
        del self.holdings[cid]
        self.exits.append(cid)

    def select(self, month: int) -> None:
        cfg = self.cfg
        candidates = [c for c in self.collectives(Stage.REALISING)
                      if c.cid not in self.holdings and c.cid not in self.exits
                      and c.n_members >= cfg.min_members and c.knowledge >= cfg.min_knowledge]
        candidates.sort(key=lambda c: (-c.n_members * (1.0 + c.knowledge), c.cid))
        for c in candidates:
            if self.allowance(month) < cfg.stake:
                break
            amount = min(cfg.stake * self.take_up_gap(month), self.allowance(month))
            if self.equity:
                self.invest(c, amount, month)
            else:
                self.pay(c, amount, month)
            c.add_burden(cfg.entry_hours)
            self.holdings[c.cid] = {"failures": c.failures, "sustaining": 0, "since": month}
