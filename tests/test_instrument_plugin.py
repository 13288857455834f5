"""Adding an instrument is one module: a toy instrument, registered here, becomes a parameter
group, an option of policy.instruments, a line of --help and of the ODD table, a choice on
the page and a scenario of `policy.instruments=each`, and it runs (docs/EXTENDING.md,
"Adding an instrument", shows this toy as its example)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sim import load_config, run
from sim.config.instruments import InstrumentConfig
from sim.config.params import param
from sim.errors import ConfigError
from sim.instruments.base import Instrument
from sim.instruments.registry import instrument_names, register_instrument, unregister_instrument


@dataclass
class LeafletConfig(InstrumentConfig):
    """Huis-aan-huisfolder: a leaflet about the village's collectives in every letterbox."""

    cost: float = param(1_500.0, unit="EUR per village and round", lo=0.0, hi=1e9,
                        source="assumption: printing and delivery in a village of ~1,000 households",
                        help="Cost of one round of leaflets in one village.")
    awareness: float = param(0.05, unit="1/month", lo=0.0, hi=100.0, source="assumption",
                             help="Extra hazard of becoming aware in the month of a round.")
    every_months: int = param(6, unit="months", lo=1, hi=600, source="assumption",
                              help="Months between two rounds.")


class Leaflet(Instrument):
    """Leaflets in every village it serves, every `every_months` months, while the paced
    budget allows. Channel: awareness in the month of a round."""

    name = "leaflet"
    config = LeafletConfig
    labels = {"en": "leaflet", "nl": "huis-aan-huisfolder"}
    order = 80

    def apply(self, month: int) -> None:
        if (month - self.start_month) % self.cfg.every_months:
            return
        for v in self.villages:
            if self.allowance(month) < self.cfg.cost:
                break
            self.pay_service([v], self.cfg.cost, month)
            self.government.signal([v], "awareness", self.cfg.awareness)


@pytest.fixture
def leaflet():
    register_instrument(Leaflet)
    yield Leaflet
    unregister_instrument("leaflet")


def test_it_is_an_option_with_its_parameters(leaflet):
    assert instrument_names()[-1] == "leaflet" and instrument_names()[0] == "none"
    cfg = load_config(["world=small", "policy.instruments=[leaflet]", "policy.leaflet.cost=900"])
    assert cfg.policy.leaflet.cost == 900.0 and cfg.policy.leaflet.every_months == 6
    with pytest.raises(ConfigError, match="policy.leaflet.cost=-1.0: must be between 0 and 1000000000"):
        load_config(["policy.leaflet.cost=-1"])
    with pytest.raises(ConfigError, match="did you mean policy.leaflet.cost"):
        load_config(["policy.leaflet.cots=1"])


def test_it_is_gone_when_unregistered():
    assert "leaflet" not in instrument_names()
    with pytest.raises(ConfigError, match="policy.instruments"):
        load_config(["policy.instruments=[leaflet]"])


def test_help_odd_table_page_and_sweeps_list_it(leaflet):
    from sim.cli.help import help_text
    from sim.cli.hydra_sweep import sweep_lists
    from sim.paramdoc import param_table
    from sim.viz import controls
    from sim.viz.i18n import text

    assert "policy.leaflet.cost = 1500.0   [EUR per village and round]" in help_text([])
    assert "| `policy.leaflet.awareness` | 0.05 | 1/month |" in param_table()
    assert "leaflet" in controls.spec("policy.instruments").choices
    assert text("instrument.leaflet", "nl") == "huis-aan-huisfolder"
    (each,) = sweep_lists(["policy.instruments=each"], {})
    assert each[-1] == ("policy.instruments", "[leaflet]") and len(each) == len(instrument_names())


def test_it_runs_spends_its_budget_and_makes_residents_aware(leaflet):
    common = ["world=small", "months=24", "policy.budget=60000"]
    base = run(load_config([*common, "policy.instruments=[none]"]))
    toy = run(load_config([*common, "policy.instruments=[leaflet]"]))
    spent = toy.region["public_spend_cumulative"].iloc[-1]
    assert 0 < spent <= 60_000
    assert spent % 1_500 == 0                                   # whole rounds of leaflets
    assert toy.region["aware_share"].iloc[-1] > base.region["aware_share"].iloc[-1]
