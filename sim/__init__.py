"""vliegwiel: an agent-based model of community-power flywheels in small villages.

    from sim import load_config, VillageModel, run
    cfg = load_config(["world=small", "seed=3"])
    model = VillageModel(cfg); model.step()     # step and inspect agents
    results = run(cfg); results.region          # or run to the horizon, tidy tables

Every name is imported on first use: the model and the runner bring Mesa, networkx and
pandas (about a second), so that tools that only compose configurations start fast; the
configuration brings numpy and every instrument, so that a sweep's command line starts its
workers' server before those (sim/cli/main.py).
"""

__version__ = "0.1.0"

__all__ = ["Config", "Results", "VillageModel", "__version__", "load_config", "run"]


def __getattr__(name: str):
    if name in ("Config", "load_config"):
        from . import config

        return getattr(config, name)
    if name == "VillageModel":
        from .model import VillageModel

        return VillageModel
    if name in ("Results", "run"):
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
