"""The command line: `vliegwiel` (one run, or a sweep as an ensemble), `vliegwiel-collect`.

    main.py         the `vliegwiel` command: parse, then one run or a sweep
    settings.py     the command's own settings (output.*), apart from the model's Config
    hydra_config.py Hydra's composition, for --cfg, --info and a sweep's settings
    hydra_sweep.py  a Hydra sweep (-m, or a scenario's) -> a list of runs and an executor
    help.py         --help, from the parameters' metadata
    collect.py      `vliegwiel-collect DIR`

Hydra and OmegaConf are imported here and nowhere below (tests/test_layers.py).
"""

from .main import console, main

__all__ = ["console", "main"]
