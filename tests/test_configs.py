"""Every config file composes into a valid Config, the same as Hydra composes it, and every
parameter carries its metadata."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from omegaconf import OmegaConf

from sim.cli.hydra_config import compose_all
from sim.config import CONFIG_DIR, Config, iter_params, load_config, validate
from sim.config.people import MechanismsConfig


def _group_dirs() -> list[Path]:
    # is_dir() follows symlinks: configs/scenario -> ../scenarios is included
    return sorted(p for p in CONFIG_DIR.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


OPTIONS = [(g.name, f.stem) for g in _group_dirs() for f in sorted(g.glob("*.yaml"))]


def test_all_groups_are_found():
    names = {g.name for g in _group_dirs()}
    assert {"world", "network", "adoption", "mechanisms", "scenario"} <= names
    assert (CONFIG_DIR / "scenario").resolve() == (CONFIG_DIR.parent / "scenarios").resolve()
    assert ("scenario", "default") in OPTIONS


def _leaves(node, prefix=""):
    """(dotted key, value) for every leaf of a plain nested dict."""
    for k, v in node.items():
        if isinstance(v, dict):
            yield from _leaves(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v


def _get(cfg, dotted: str):
    obj = cfg
    for part in dotted.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


@pytest.mark.parametrize(("group", "option"), OPTIONS, ids=[f"{g}={o}" for g, o in OPTIONS])
def test_every_option_composes_and_validates(group, option, tmp_path):
    overrides = [f"{group}={option}"]
    if (group, option) == ("network", "edge_list"):  # needs its file; say so with a real one
        edges = tmp_path / "edges.txt"
        edges.write_text("0 1\n1 2\n", encoding="utf-8")
        overrides.append(f"network.edge_list_file={edges}")
    cfg = load_config(overrides)
    assert isinstance(cfg, Config)
    assert validate(cfg) is cfg
    # what the file sets is what the Config holds
    path = CONFIG_DIR / group / f"{option}.yaml"
    text = path.read_text(encoding="utf-8")
    content = yaml.safe_load(text) or {}
    is_global = "@package _global_" in text.split("\n\n")[0]
    own_hydra = content.pop("hydra", {}) if is_global else {}
    for key, value in _leaves(content):
        dotted = key if is_global else f"{group}.{key}"
        assert _get(cfg, dotted) == value, f"{path.name}: {dotted}"
    # a scenario's sweep settings land in Hydra's own node (sweeper params: keys with dots)
    hydra = OmegaConf.to_container(compose_all(overrides).hydra, enum_to_str=True)
    params = own_hydra.get("sweeper", {}).pop("params", None)
    if params is not None:
        assert hydra["sweeper"]["params"] == params, path.name
    for key, value in _leaves(own_hydra):
        assert _get(hydra, key) == value, f"{path.name}: hydra.{key}"


def _hydra(overrides: list[str]) -> Config:
    """What Hydra composes (the command line's schema: the model's Config and output.*),
    as the model's Config."""
    node = compose_all(overrides, with_hydra=False)
    cmd = OmegaConf.to_object(node)
    return Config(**{f.name: getattr(cmd, f.name) for f in dataclasses.fields(Config)})


@pytest.mark.parametrize(("group", "option"), OPTIONS, ids=[f"{g}={o}" for g, o in OPTIONS])
def test_composing_without_hydra_equals_hydra(group, option, tmp_path):
    """sim.config.compose reads configs/ as Hydra does: the same Config for every option."""
    overrides = [f"{group}={option}"]
    if (group, option) == ("network", "edge_list"):
        edges = tmp_path / "edges.txt"
        edges.write_text("0 1\n", encoding="utf-8")
        overrides.append(f"network.edge_list_file={edges}")
    assert load_config(overrides) == _hydra(overrides)


MIXED = [
    ["world=small", "seed=7", "months=60", "collectives.themes.energy.appeal=1.9"],
    ["scenario=energy_calibrated", "world=small", "collectives.initial_share=0.1"],
    ["programme=pilots_2019", "policy.dialogue.villages=[1,2]", "policy.budget=1e6"],
    ["policy.instruments=[dialogue,shareholding]", "policy.shareholding.stake=75000", "mechanisms=none",
     "adoption=bass", "adoption.bass_p=0.02"],
    ["residents.share_senior=0.35", "scenario=ageing_villages", "mechanisms.demography=false"],
    ["collectives.themes.care={appeal: 2.5, revenue: 100}", "governments.attitude_mean=0.8"],
]


@pytest.mark.parametrize("overrides", MIXED, ids=[" ".join(m) for m in MIXED])
def test_overrides_compose_as_in_hydra(overrides):
    assert load_config(overrides) == _hydra(overrides)


def test_primary_config_composes_to_the_schema_defaults():
    cfg = load_config(["calibration=none"])
    assert isinstance(cfg, Config)
    assert validate(cfg) is cfg
    assert cfg == Config()  # config.yaml only picks groups; it never changes a default
    # ... except the calibration group it picks (calibration=energy: tests/test_calibrate_default.py)
    assert validate(load_config([])) != Config()


def test_group_options_select_what_they_name():
    assert load_config(["world=small"]).world.n_villages == 6
    for kind in ("watts_strogatz", "erdos_renyi", "barabasi_albert"):
        assert load_config([f"network={kind}"]).network.kind == kind
    for rule in ("flywheel", "threshold", "bass"):
        assert load_config([f"adoption={rule}"]).adoption.rule == rule


def test_mechanisms_none_switches_every_mechanism_off():
    cfg = load_config(["mechanisms=none"])
    switches = [f.name for f in dataclasses.fields(MechanismsConfig)]
    assert switches
    still_on = [name for name in switches if getattr(cfg.mechanisms, name) is not False]
    assert not still_on, f"configs/mechanisms/none.yaml leaves on: {still_on}"


def test_mechanisms_all_switches_every_flywheel_mechanism_on():
    """Every mechanism of the flywheel is on; demography (a changing population) stays off
    unless asked for (scenarios/ageing_villages.yaml)."""
    cfg = load_config(["mechanisms=all"])
    for f in dataclasses.fields(MechanismsConfig):
        assert getattr(cfg.mechanisms, f.name) is (f.name != "demography"), f.name


PARAMS = list(iter_params(Config()))


def test_there_are_parameters():
    keys = [k for k, _, _ in PARAMS]
    assert len(keys) > 50
    assert len(keys) == len(set(keys))
    assert {"seed", "months", "world.n_villages", "collectives.themes.energy.project_cost"} <= set(keys)


@pytest.mark.parametrize(("key", "value", "meta"), PARAMS, ids=[k for k, _, _ in PARAMS])
def test_every_parameter_has_unit_source_help_and_a_range(key, value, meta):
    for field in ("unit", "source", "help"):
        assert isinstance(meta.get(field), str) and meta[field].strip(), f"{key} has no {field}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        assert meta.get("lo") is not None or meta.get("hi") is not None, f"{key} is numeric without lo/hi"
        lo, hi = meta.get("lo"), meta.get("hi")
        assert (lo is None or lo <= value) and (hi is None or value <= hi), f"default of {key} outside its range"
