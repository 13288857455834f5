"""The province of Utrecht's villages as a world (world=utrecht; sim/world/utrecht.py)."""

from __future__ import annotations

import csv
import itertools
import math

from sim.config.compose import load_config
from sim.world import utrecht
from sim.world.villages import village_table


def test_the_packaged_villages_file_is_the_conversion_of_the_source():
    assert utrecht.CONVERTED.read_text(encoding="utf-8") == utrecht.converted_text()
    source = utrecht.source_rows()
    shared = utrecht.DATA / "villages_utrecht.csv"
    assert shared == utrecht.SOURCE and len(source) == 72
    assert {"name", "municipality", "population", "lat", "lon", "source", "pop_year", "notes"} <= set(source[0])


def test_adults_are_four_fifths_of_inhabitants_and_positions_are_km_from_the_reference():
    source, rows = utrecht.source_rows(), utrecht.converted_rows()
    for s, r in zip(source, rows, strict=True):
        assert r["name"] == s["name"] and r["municipality"] == s["municipality"]
        assert r["population"] == round(0.8 * int(s["population"]))
        assert 0 < float(r["x_km"]) < 60 and 0 < float(r["y_km"]) < 50
    maarn = next(r for r in rows if r["name"] == "Maarn")
    doorn = next(r for r in rows if r["name"] == "Doorn")
    assert float(maarn["x_km"]) > float(doorn["x_km"])   # Maarn lies east of Doorn


def test_projected_distances_are_within_half_a_percent_of_great_circle_distances():
    src = utrecht.source_rows()
    worst = worst_km = 0.0
    for a, b in itertools.combinations(src, 2):
        pa, pb = (float(a["lat"]), float(a["lon"])), (float(b["lat"]), float(b["lon"]))
        true = utrecht.great_circle_km(pa, pb)
        (xa, ya), (xb, yb) = utrecht.project(*pa), utrecht.project(*pb)
        error = abs(math.hypot(xa - xb, ya - yb) - true)
        worst_km = max(worst_km, error)
        if true > 1:
            worst = max(worst, error / true)
    assert worst < 0.005 and worst_km < 0.14   # as sim/world/utrecht.py says


def test_world_utrecht_composes_and_reads_72_villages_in_22_municipalities():
    cfg = load_config(["world=utrecht"])
    names, munis, pop, x, y = village_table(cfg.world.villages_file)
    assert len(names) == 72 and len(set(munis)) == 22 and "Maartensdijk" in names
    with utrecht.CONVERTED.open(encoding="utf-8") as fh:
        assert int(pop.sum()) == sum(int(r["population"]) for r in csv.DictReader(fh))
    assert 160_000 < int(pop.sum()) < 175_000
