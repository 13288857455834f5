"""vliegwiel: an agent-based model of community-power flywheels in small villages.

    from sim import load_config, VillageModel, run
    cfg = load_config(["world=small", "seed=3"])
    model = VillageModel(cfg); model.step()     # step and inspect agents
    results = run(cfg); results.region          # or run to the horizon, tidy tables
"""

__version__ = "0.1.0"

from .config import Config, load_config  # noqa: E402
from .model import VillageModel  # noqa: E402
from .runner import Results, run  # noqa: E402

__all__ = ["Config", "Results", "VillageModel", "__version__", "load_config", "run"]
