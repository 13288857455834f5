"""Ship a calibration: the posterior into the package, the config group that makes it the
default, and the scenario that replays the fitted years.

- sim/data/calibration/<name>_posterior.csv: the last population (keys + weight);
  <name>_fit.json: what it was fitted on and how well. <name> is `energy`, or
  `energy_until_<year>` for a hindcast (read by the validation's hindcast check).
- configs/calibration/energy.yaml (full fits only): the posterior medians, whatever
  parameters were calibrated, and the state at the forecast origin that the mapping gives
  (collectives.initial_share for the last fitted year's count): the default world starts
  there. `calibration=none` leaves the schema's assumption defaults.
- scenarios/energy_calibrated.yaml (full fits only): the calibration world from the first
  observed year (its count's share of villages) to the end of the forecast.
"""

from __future__ import annotations

import json
import shutil
from datetime import date

from ..atomic import write_text_atomic
from ..config.compose import CONFIG_DIR, ROOT, load_config, override_file
from .mapping import Mapping, world_overrides
from .patterns import energy_patterns
from .posterior import CALIBRATION_DIR, round_sig


def fixed_overrides(overrides) -> dict[str, float]:
    """The command's fixed KEY=VALUE model overrides as numbers: the fit was made with them,
    so the shipped default must set them too (e.g. adoption.decide_innovativeness=0.6)."""
    fixed = {}
    for o in overrides or ():
        key, _, value = o.partition("=")
        fixed[key.strip()] = float(value)
    return fixed


def ship(folder, fit: dict, post, priors, args) -> None:
    name = "energy" if fit.get("hindcast") is None else f"energy_until_{fit['fit_until']}"
    CALIBRATION_DIR.mkdir(parents=True, exist_ok=True)
    write_text_atomic(CALIBRATION_DIR / f"{name}_posterior.csv",
                      post.frame[[*post.keys, "weight"]].to_csv(index=False, float_format="%.6g"))
    write_text_atomic(CALIBRATION_DIR / f"{name}_fit.json", json.dumps(fit, indent=2, default=float) + "\n")
    prefix = "calibration" if name == "energy" else "hindcast"
    for fig in ("patterns.png", "posterior.png", "generations.png"):
        if (folder / fig).exists():
            shutil.copyfile(folder / fig, ROOT / "docs" / "img" / f"{prefix}_{fig}")
    if name != "energy":
        return
    cfg = load_config(["calibration=none"])
    mapping = Mapping.of(cfg.world)
    last = float(energy_patterns(fit["fit_until"]).by_name("count").observed[-1])
    origin = round_sig(mapping.initial_share(last), 3)
    fixed = fixed_overrides(args.overrides)
    values = {**fixed, **post.median(), "collectives.initial_share": origin}
    comments = [f"calibration=energy (the default): the posterior medians of `make calibrate` ({date.today().isoformat()}),",
                f"fitted {fit['first_year']}-{fit['fit_until']} to {', '.join(fit['patterns'])} (docs/ODD.md s9).",
                f"collectives.initial_share is not fitted: {last:.0f} co-operatives in {fit['fit_until']} through the "
                f"mapping ({mapping.nl_adults:,.0f} adults,", f"villages of {mapping.village_adults:.0f} adults on "
                "average): the default world starts at the end of that year.",
                *([f"Fixed for the fit, not fitted: {', '.join(f'{k}={v:g}' for k, v in fixed.items())} "
                   "(the command's overrides)."] if fixed else []),
                "Written by vliegwiel-calibrate --ship; calibration=none gives the schema's assumption defaults."]
    group = CONFIG_DIR / "calibration"
    group.mkdir(exist_ok=True)
    write_text_atomic(group / "energy.yaml", override_file(values, comments))
    start = float(energy_patterns(fit["fit_until"]).by_name("count").observed[0])
    villages = fit["villages"]
    sized = world_overrides(villages)
    world = load_config(["calibration=none", *sized]).world
    scen = {"world.n_villages": villages, "world.width_km": world.width_km, "world.height_km": world.height_km,
            "collectives.initial_share": round_sig(Mapping.of(world).initial_share(start), 3),
            "months": 12 * (fit["fit_until"] - fit["first_year"] + fit["forecast_years"])}
    write_text_atomic(ROOT / "scenarios" / "energy_calibrated.yaml", override_file(scen, [
        f"vliegwiel scenario=energy_calibrated: the calibrated model (calibration=energy) on the calibration world "
        f"({villages} villages)", f"from the end of {fit['first_year']} ({start:.0f} co-operatives through the mapping) "
        f"to {fit['fit_until'] + fit['forecast_years']} (make calibrate; README \"Calibration and forecast\").",
        "One run is one region of that size; the forecast scales many such regions to the country (docs/ODD.md s9)."]))
