"""Maatschappelijk aandeelhouderschap: social shareholding, a long-term coalition on equal
footing (DOMAIN.md section 4).

Run by: the province or each municipality (`policy.shareholding.government`).
Eligibility and selection: by potential: realising (or self-sustaining) collectives with at
least `min_members` members and `min_knowledge` knowledge; the best (members x (1 +
knowledge)) first, as long as the paced budget covers a stake. Fewer, more mature.
Unspent money: the stake grows with the take-up gap g (`stake` x g, at most the
allowance), so a coalition that finds few partners invests more in each.
Money: a stake of patient capital per collective; on every failed project the shareholder
absorbs `loss_share` of its own cost (shared risk). Volunteer hours: `entry_hours` once,
little after. Horizon: long, with a gradual exit: once a collective has been
self-sustaining for `exit_months` the shareholder leaves. Channels: patient capital,
shared risk, trust (equal footing), knowledge transfer, gradual exit.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..state import Stage
from ..config.instruments import InstrumentConfig
from ..config.params import param
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
                              help="Share of a failed project's own cost the shareholder absorbs.")
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
                             help="Months a collective stays self-sustaining before the shareholder exits.")


@register_instrument
class Shareholding(Instrument):
    name = "shareholding"
    config = ShareholdingConfig
    labels = {"en": "social shareholding", "nl": "maatschappelijk aandeelhouderschap"}
    order = 40

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.holdings: dict[int, dict] = {}  # collective id -> {"failures": seen, "sustaining": months}
        self.exits: list[int] = []
        self.losses_absorbed = 0.0

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
                own = c.project_cost * (1.0 - self.model.theme_table.loan_share[self.model.themes.index(c.theme)])
                self.losses_absorbed += self.pay(c, cfg.loss_share * own * (c.failures - h["failures"]), month)
                h["failures"] = c.failures
            h["sustaining"] = h["sustaining"] + 1 if c.stage == Stage.SELF_SUSTAINING else 0
            if h["sustaining"] >= cfg.exit_months:
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
            self.pay(c, min(cfg.stake * self.take_up_gap(month), self.allowance(month)), month)
            c.add_burden(cfg.entry_hours)
            self.holdings[c.cid] = {"failures": c.failures, "sustaining": 0}
