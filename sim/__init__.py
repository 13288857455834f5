"""vliegwiel: an agent-based model of community-power flywheels in small villages.

    from sim import load_config, VillageModel, run
    cfg = load_config(["world=small", "seed=3"])
    model = VillageModel(cfg); model.step()     # step and inspect agents
    results = run(cfg); results.region          # or run to the horizon, tidy tables

The model and the runner are imported on first use (they bring Mesa, networkx and pandas,
about a second), so that tools that only compose configurations start fast.
"""

__version__ = "0.1.0"

from .config import Config, load_config  # noqa: E402

__all__ = ["Config", "Results", "VillageModel", "__version__", "load_config", "run"]


def __getattr__(name: str):
    if name == "VillageModel":
        from .model import VillageModel

        return VillageModel
    if name in ("Results", "run"):
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
