"""The hand-curated tables in data/: places the sources lack, aliases and demonyms.

Every row names its source. Bad rows raise `CuratedDataError` naming file and line, so a
typo in a curated table stops the build with a message rather than a silent gap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from geo.gazetteer.sources import Entry, SphericalMean, read_csv_rows
from geo.records import Place

FEATURES = ("continent", "water", "physical", "region", "country", "admin1", "admin2", "city", "landmark")


class CuratedDataError(ValueError):
    pass


def _require(path: Path, line: int, row: dict[str, str], *columns: str) -> None:
    for column in columns:
        if not row.get(column):
            raise CuratedDataError(f"{path}:{line}: column '{column}' is empty")


def curated_entries(
    path: Path, point_of: Callable[[str], tuple[float, float, int] | None]
) -> Iterator[Entry]:
    """Rows of curated_places.csv as entries.

    A row gives either `lat`,`lon` (with `source` saying how the point was chosen) or
    `members`, a |-separated list of references ("country:KZ", "iso:RU-PRI") whose
    population-weighted mean point and summed population the region takes.
    """
    for line, row in read_csv_rows(path):
        _require(path, line, row, "place_id", "name", "feature", "source")
        if row["feature"] not in FEATURES:
            raise CuratedDataError(
                f"{path}:{line}: feature '{row['feature']}' is not one of {', '.join(FEATURES)}"
            )
        population = int(row.get("population") or 0)
        if row.get("lat") and row.get("lon"):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError:
                raise CuratedDataError(f"{path}:{line}: lat/lon are not numbers") from None
        elif row.get("members"):
            lat, lon, population = _members_point(path, line, row["members"], point_of)
        else:
            raise CuratedDataError(f"{path}:{line}: give lat and lon, or members")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise CuratedDataError(f"{path}:{line}: lat/lon out of range")
        yield Entry(
            Place(
                place_id=f"curated:{row['place_id']}",
                name=row["name"],
                lat=round(lat, 5),
                lon=round(lon, 5),
                country_code=row.get("country_code") or None,
                feature=row["feature"],
                population=population,
                admin1=row.get("admin1") or None,
                source="curated",
            ),
            names=[row["name"]],
            alt_names=[a.strip() for a in row.get("alt_names", "").split("|") if a.strip()],
            admin1_code=row.get("admin1_code") or None,
        )


def check(folder: Path) -> None:
    """Read every curated table once, so a malformed row fails the build at once
    (before the minute of reading the sources), naming its file and line."""
    list(curated_entries(folder / "curated_places.csv", lambda _ref: (0.0, 0.0, 0)))
    list(curated_points(folder / "curated_points.csv"))
    list(curated_aliases(folder / "curated_aliases.csv"))
    list(curated_demonyms(folder / "demonyms.csv"))


def _members_point(
    path: Path, line: int, members: str, point_of: Callable[[str], tuple[float, float, int] | None]
) -> tuple[float, float, int]:
    centre = SphericalMean()
    population = 0
    for ref in (m.strip() for m in members.split("|") if m.strip()):
        found = point_of(ref)
        if found is None:
            raise CuratedDataError(f"{path}:{line}: member '{ref}' is not in the gazetteer")
        lat, lon, pop = found
        centre.add(lat, lon, max(pop, 1))
        population += pop
    point = centre.point()
    if point is None:
        raise CuratedDataError(f"{path}:{line}: members '{members}' give no point")
    return point[0], point[1], population


def curated_aliases(path: Path) -> Iterator[tuple[int, str, str, str]]:
    """(line, alias, target reference, usage) from curated_aliases.csv.

    usage "any": the alias is a name like any other ("U.S.", "DRC");
    usage "qualifier": only after "X, " ("Ga." in "Athens, Ga."), because on its own
    the string is too often an ordinary word or initials.
    """
    for line, row in read_csv_rows(path):
        _require(path, line, row, "alias", "target", "usage", "source")
        if row["usage"] not in ("any", "qualifier"):
            raise CuratedDataError(f"{path}:{line}: usage must be 'any' or 'qualifier'")
        yield line, row["alias"], row["target"], row["usage"]


def curated_points(path: Path) -> Iterator[tuple[int, str, float, float]]:
    """(line, target reference, lat, lon) from curated_points.csv: corrected points of
    places the sources have, where a source's point is a poor stand-in for the place."""
    for line, row in read_csv_rows(path):
        _require(path, line, row, "target", "lat", "lon", "source")
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            raise CuratedDataError(f"{path}:{line}: lat/lon are not numbers") from None
        yield line, row["target"], lat, lon


def curated_demonyms(path: Path) -> Iterator[tuple[str, str]]:
    """(demonym, place name) from demonyms.csv."""
    for line, row in read_csv_rows(path):
        _require(path, line, row, "demonym", "place", "source")
        yield row["demonym"], row["place"]
