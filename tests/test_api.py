"""The Python API researchers use: VillageModel, its Mesa agents and their public methods."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from sim import VillageModel, load_config
from sim.agents import Collective, Government, Municipality, Province, Resident
from sim.dynamics.collectives import refresh_counts
from sim.state import ResidentState, Rogers, Stage


@pytest.fixture(scope="module")
def cfg():
    return load_config(["world=small", "calibration=none"])   # the assumption defaults: a world with collectives at month 0


@pytest.fixture
def model(cfg):
    return VillageModel(cfg)


@pytest.fixture(scope="module")
def grown(cfg):
    """A model some years on, with several collectives founded by then (stepped until at
    least three exist, so the test does not hang on one seed's luck)."""
    m = VillageModel(cfg)
    m.run_months(24)
    while len(m.collective_agents) < 3 and m.month < 240:
        m.step()
    return m


# --- residents ------------------------------------------------------------------------------

def test_residents_are_mesa_agents_with_rogers_categories(model):
    agents = model.resident_agents
    assert model.people.n > 0
    assert len(agents) == model.people.n
    assert all(isinstance(a, Resident) and isinstance(a, mesa.Agent) for a in agents)
    assert [a.index for a in agents] == list(range(model.people.n))
    categories = [a.category for a in agents]
    assert all(isinstance(c, Rogers) for c in categories)
    assert np.array_equal(np.array([int(c) for c in categories]), model.people.category)
    assert set(categories) == set(Rogers)  # ~1,900 residents: every category occurs


def test_agents_by_type_holds_every_resident(model):
    by_type = model.agents_by_type
    assert Resident in by_type
    assert len(by_type[Resident]) == model.people.n
    assert set(by_type[Resident]) == set(model.resident_agents)
    assert Province in by_type and len(by_type[Province]) == 1
    assert len(by_type[Municipality]) == model.world.villages.n_municipalities


def test_resident_views_read_the_arrays(model):
    p = model.people
    for i in range(0, p.n, 97):
        r = model.resident_agents[i]
        assert r.village == p.village[i]
        assert r.state == ResidentState(p.state[i])
        assert r.hours == pytest.approx(p.hours[i])
        assert r.vulnerable == bool(p.vulnerable[i])
        assert model.world.offsets[r.village] <= i < model.world.offsets[r.village + 1]
    village = 2
    assert [r.village for r in model.residents_of(village)] == [village] * int(np.diff(model.world.offsets)[village])


# --- stepping -------------------------------------------------------------------------------

def test_step_advances_month_and_recorder(model):
    assert model.month == 0
    assert len(model.results().region) == 1
    for month in (1, 2, 3):
        model.step()
        assert model.month == month
        region = model.results().region
        assert len(region) == model.month + 1
        assert region["month"].tolist() == list(range(month + 1))
        assert region["participation_share"].iloc[-1] == pytest.approx(model.people.participating().mean())


def test_run_months_equals_stepping(cfg):
    a, b = VillageModel(cfg), VillageModel(cfg)
    a.run_months(5)
    for _ in range(5):
        b.step()
    assert a.month == b.month == 5
    assert a.results().region.equals(b.results().region)


# --- collectives ----------------------------------------------------------------------------

def test_collective_agents_mirror_the_arrays(grown):
    c = grown.collectives
    agents = grown.collective_agents
    assert len(agents) > 1, "expected collectives after two years in world=small"
    assert len(agents) == c.n
    assert set(grown.agents_by_type[Collective]) == set(agents)
    for cid, agent in enumerate(agents):
        assert isinstance(agent, mesa.Agent)
        assert agent.cid == cid
        assert agent.theme == grown.themes[int(c.theme[cid])]
        assert agent.theme in grown.themes
        assert isinstance(agent.stage, Stage)
        assert agent.stage == Stage(int(c.stage[cid]))
        assert agent.village == c.village[cid]
        assert agent.alive == (c.stage[cid] != Stage.DISSOLVED)


def test_members_match_the_member_count_after_refresh(grown):
    refresh_counts(grown)
    checked = 0
    for agent in grown.collective_agents:
        members = agent.members()
        assert len(members) == agent.n_members, agent
        assert sum(m.state == ResidentState.CORE for m in members) == agent.n_core, agent
        for m in members:
            assert isinstance(m, Resident)
            assert m.participating
            assert m.collective is agent
        checked += len(members)
    assert checked > 0
    assert checked <= int(grown.people.participating().sum())


# --- network --------------------------------------------------------------------------------

def test_neighbours_match_the_adjacency(model):
    adj = model.world.adjacency.tocsr()
    total = 0
    for r in model.resident_agents:
        got = sorted(n.index for n in r.neighbours())
        want = sorted(adj[r.index].nonzero()[1].tolist())
        assert got == want, r
        assert r.index not in got
        total += len(got)
    assert total == adj.nnz > 0
    # ties are mutual
    someone = max(model.resident_agents, key=lambda r: len(r.neighbours()))
    for n in someone.neighbours():
        assert someone in n.neighbours()


# --- governments ----------------------------------------------------------------------------

def test_grant_pays_at_most_the_budget_left_and_books_it(model):
    province, c = model.province, model.collective_agents[0]
    arrays = model.collectives
    assert isinstance(province, Government)
    assert province.budget_left == 0.0  # the baseline allocates no money
    budget = 5000.0
    province.fund(budget)
    assert province.budget_left == budget
    gov0, own0, cap0 = arrays.gov_funding[c.cid], arrays.own_funding[c.cid], arrays.capital[c.cid]
    spend0 = model.villages.spend[c.village]

    assert province.grant(c, 1000.0) == 1000.0
    assert province.budget_left == pytest.approx(budget - 1000.0)
    assert arrays.gov_funding[c.cid] == pytest.approx(gov0 + 1000.0)
    assert arrays.capital[c.cid] == pytest.approx(cap0 + 1000.0)

    paid = province.grant(c, 10 * budget)  # far more than is left
    assert paid == pytest.approx(budget - 1000.0)
    assert province.budget_left == pytest.approx(0.0)
    assert arrays.gov_funding[c.cid] == pytest.approx(gov0 + budget)
    assert arrays.own_funding[c.cid] == own0  # public money is not booked as own funding
    assert arrays.capital[c.cid] == pytest.approx(cap0 + budget)
    assert model.villages.spend[c.village] == pytest.approx(spend0 + budget)
    assert province.spent_total == pytest.approx(budget)
    assert c.government_share > 0

    assert province.grant(c, 5.0) == 0.0  # empty budget pays nothing
    assert province.grant(c, -5.0) == 0.0
    assert arrays.gov_funding[c.cid] == pytest.approx(gov0 + budget)


def test_grants_never_exceed_the_budget(model):
    rng = np.random.default_rng(0)
    muni = model.municipalities[model.world.villages.municipality[model.collective_agents[0].village]]
    muni.fund(20_000.0)
    budget = muni.budget_left
    assert budget == 20_000.0
    total = 0.0
    for _ in range(200):
        c = model.collective_agents[int(rng.integers(len(model.collective_agents)))]
        left = muni.budget_left
        paid = muni.grant(c, float(rng.exponential(budget / 20)))
        assert 0.0 <= paid <= left + 1e-9
        total += paid
    assert total <= budget + 1e-6
    assert total == pytest.approx(budget - muni.budget_left)
    assert muni.budget_left >= 0.0
