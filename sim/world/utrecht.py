"""The province of Utrecht's own small villages as a world: `world=utrecht`.

Source: sim/data/villages_utrecht.csv, a copy of the project's shared data file
(`/work/shared/data/villages_utrecht.csv`): the small residential cores (kleine kernen,
under about 10,000 inhabitants) of the province of Utrecht, 72 rows in 22 of its 26
municipalities (2019 boundaries; Nieuwegein, IJsselstein, Veenendaal and Woudenberg have
no core that small). Columns: name, municipality, population, lat, lon (WGS84), source,
pop_year, notes.

Caveats (from the data's README), which every result on this world inherits:
- About 71 of the province's roughly 77 woonplaatsen under 10,000 are here; missing are
  Nieuwersluis, Oud Zuilen, Snelrewaard, Stoutenburg, Ossenwaard and Hoef en Haag.
  Achterberg (Rhenen) is a village that is not a separate woonplaats.
- Population figures come from different years (mostly 2019 and 2021; some 2004-2011; some
  without a year, see `pop_year`) and definitions (the woonplaats, the built-up core, or a
  CBS statistical area with its countryside), which can differ by 10-30 %. Doorn (9,997
  around 2019, 10,260 in 2021) is borderline; the Lopik row combines Lopik, Cabauw and
  Willige Langerak.
- Coordinates: 50 from Wikipedia infoboxes (often to the arc-minute, so up to 1-2 km off),
  22 from the centre of the village's 4-digit postcode area (2014 table).
- Population counts all inhabitants, not adults.

What this module does to it, to give the model's villages file
(name,municipality,population,x_km,y_km; sim/world/villages.py), written to
sim/data/villages_utrecht_km.csv by `python -m sim.world.utrecht` (a test checks that the
file is what this code makes of the source):

- **Adults.** The model's residents are adults (sim/config/world.py). Each village's
  inhabitants are multiplied by ADULT_SHARE = 0.80 and rounded. Source of the share: CBS
  StatLine (Bevolking; geslacht, leeftijd en burgerlijke staat, 1 januari): in 2020 about
  one in five inhabitants of the Netherlands (3.4 of 17.4 million) was under 18; the
  province of Utrecht has slightly more children. Using the national share for every
  village is an *assumption*: ageing villages have more adults, villages with new family
  estates fewer.
- **Positions.** Latitude and longitude are projected to km with an equirectangular
  projection about the reference point REFERENCE (51.85 N, 4.80 E, south-west of every
  village): x east, y north, x = R cos(lat_ref) (lon - lon0), y = R (lat - lat0), with the
  Earth's mean radius R = 6,371 km and lat_ref = 52.07 N, the middle of the villages'
  latitudes. Over the 46 by 45 km the villages span, distances between villages differ
  from great-circle distances by at most 0.5 % and 0.13 km (tests/test_viz_utrecht.py
  measures it), far less than the coordinates' own uncertainty of 1-2 km.
- Municipalities are kept as named (the model numbers them); names as in the source.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCE = DATA / "villages_utrecht.csv"
CONVERTED = DATA / "villages_utrecht_km.csv"
ADULT_SHARE = 0.80          # assumption, see the docstring (CBS: ~1 in 5 inhabitants under 18, 2020)
EARTH_RADIUS_KM = 6371.0    # mean radius
REFERENCE = (51.85, 4.80)   # (lat, lon) of the origin, south-west of every village
LAT_SCALE = 52.07           # latitude (degrees) whose parallel keeps its length
COLUMNS = ("name", "municipality", "population", "x_km", "y_km")


def project(lat: float, lon: float) -> tuple[float, float]:
    """(x_km east, y_km north) of a WGS84 point from REFERENCE (equirectangular)."""
    k = math.pi / 180.0
    x = EARTH_RADIUS_KM * math.cos(LAT_SCALE * k) * (lon - REFERENCE[1]) * k
    y = EARTH_RADIUS_KM * (lat - REFERENCE[0]) * k
    return x, y


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance between two (lat, lon) points, in km."""
    k = math.pi / 180.0
    (la1, lo1), (la2, lo2) = a, b
    h = math.sin((la2 - la1) * k / 2) ** 2 + math.cos(la1 * k) * math.cos(la2 * k) * math.sin((lo2 - lo1) * k / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def adults(inhabitants: int) -> int:
    return int(round(inhabitants * ADULT_SHARE))


def source_rows(path: Path = SOURCE) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def converted_rows(path: Path = SOURCE) -> list[dict[str, object]]:
    """The villages file's rows: name, municipality, adults, x_km, y_km (0.01 km)."""
    out = []
    for r in source_rows(path):
        x, y = project(float(r["lat"]), float(r["lon"]))
        out.append({"name": r["name"].strip(), "municipality": r["municipality"].strip(),
                    "population": adults(int(r["population"])), "x_km": f"{x:.2f}", "y_km": f"{y:.2f}"})
    return out


def converted_text(path: Path = SOURCE) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(converted_rows(path))
    return buf.getvalue()


def main() -> int:
    CONVERTED.write_text(converted_text(), encoding="utf-8")
    print(f"{CONVERTED}: {len(converted_rows())} villages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
