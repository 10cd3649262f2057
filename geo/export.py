"""Places and mentions as files an analyst takes elsewhere: GeoJSON and CSV.

One GeoJSON Feature per place, carrying every mention that supports it with its excerpt,
so a GIS tool shows the same evidence the dashboard's popups do. The rows come from
geo.views (`Views.selected_tables`), whose filter SQL the map's queries share, which keeps
the map and the download in step.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import pandas as pd

from geo.excerpts import excerpt

MENTION_COLUMNS = [
    "article_id", "title", "outlet", "published", "date_precision", "url",
    "start", "end", "text", "name", "kind", "excerpt",
    "place_id", "place_name", "lat", "lon", "country_code", "feature",
    "confidence", "source",
]  # fmt: skip

# Spreadsheet programs run a cell that starts with one of these as a formula; article text
# is untrusted, so such cells get a leading apostrophe (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_COLUMNS = ("title", "outlet", "url", "text", "name", "excerpt", "place_name")


def _clean(value: Any) -> Any:
    """JSON-safe scalar: pandas' NaN/NA/NaT become None, numpy numbers become Python ones."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def mention_records(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Mentions joined with their article's metadata and an excerpt (text, mention span)."""
    meta = articles.set_index("article_id")
    texts = dict(zip(articles["article_id"].tolist(), articles["text"].tolist(), strict=True))
    rows = mentions.join(
        meta[["title", "outlet", "url", "published", "date_precision"]], on="article_id"
    )
    columns = ("article_id", "start", "end", "sent_start", "sent_end")
    excerpts = [
        excerpt(texts[a], s, e, ss, se)
        for a, s, e, ss, se in zip(*(rows[c].tolist() for c in columns), strict=True)
    ]
    rows = rows.assign(
        excerpt=[x.text for x in excerpts],
        excerpt_start=[x.span[0] for x in excerpts],
        excerpt_end=[x.span[1] for x in excerpts],
    )
    # newest first, so a popup leads with the latest reporting; undated last
    return rows.sort_values(
        ["published", "article_id", "start"], ascending=[False, True, True], na_position="last"
    )


def place_features(mentions: pd.DataFrame, articles: pd.DataFrame) -> list[dict[str, Any]]:
    """One GeoJSON Feature per place, its mentions (newest first) in `properties.mentions`.

    `mentions` should be resolved (lat/lon present): see geo.views.Views.selected_tables.
    Features come largest first (most articles), so the biggest markers are drawn first.
    Grouping runs over plain dicts: per-group DataFrame access costs seconds at 10,000 mentions.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in mention_records(mentions, articles).to_dict("records"):
        groups.setdefault(row["place_id"], []).append(row)
    features = []
    for place_id, rows in groups.items():
        first = rows[0]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_clean(first["lon"]), _clean(first["lat"])]},
                "properties": {
                    "place_id": place_id,
                    "name": _clean(first["place_name"]),
                    "country_code": _clean(first["country_code"]),
                    "feature": _clean(first["feature"]),
                    "n_mentions": len(rows),
                    "n_articles": len({r["article_id"] for r in rows}),
                    "kinds": sorted({r["kind"] for r in rows}),
                    # an analyst pinned this place (`geo pin`); the pin's note says why
                    "pinned": any(r["source"] == "pinned" for r in rows),
                    "mentions": [_mention_properties(r) for r in rows],
                },
            }
        )
    features.sort(key=lambda f: (-f["properties"]["n_articles"], str(f["properties"]["name"])))
    return features


def _mention_properties(row: dict[str, Any]) -> dict[str, Any]:
    props = {key: _clean(row[key]) for key in _MENTION_KEYS}
    props["excerpt_span"] = [row["excerpt_start"], row["excerpt_end"]]
    return props


_MENTION_KEYS = (
    "article_id", "text", "name", "kind", "start", "end", "excerpt", "published", "date_precision",
    "title", "outlet", "url", "confidence", "source",
)  # fmt: skip


def places_geojson(mentions: pd.DataFrame, articles: pd.DataFrame) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": place_features(mentions, articles)}


def geojson_text(mentions: pd.DataFrame, articles: pd.DataFrame) -> str:
    return json.dumps(places_geojson(mentions, articles), ensure_ascii=False, indent=1)


def mentions_csv(mentions: pd.DataFrame, articles: pd.DataFrame) -> str:
    """One row per mention with its article's metadata and excerpt; formula-looking text defused."""
    rows = mention_records(mentions, articles)[MENTION_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MENTION_COLUMNS)
    text_at = {MENTION_COLUMNS.index(c) for c in _TEXT_COLUMNS}
    for row in rows.itertuples(index=False):
        writer.writerow(_defuse(v) if i in text_at else _cell(v) for i, v in enumerate(row))
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell: missing values empty."""
    value = _clean(value)
    return "" if value is None else value


def _defuse(value: Any) -> str:
    text = str(_cell(value))
    return "'" + text if text.startswith(_FORMULA_START) else text
