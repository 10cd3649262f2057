"""The view in the URL, so a link opens the same filtered map: `?from=2024-06-01&to=2024-06-30`.

Keys: from, to (a day YYYY-MM-DD, a month YYYY-MM or a year YYYY: `from` starts on the
period's first day, `to` ends on its last, see geo.typed_dates), undated=1, outlet and country (repeatable; an empty `outlet=` is the articles with no outlet), kind (repeatable,
written only when it differs from the default), tiles=1 (online tiles), q (keywords, see
geo.fulltext), outlets (at least that many distinct outlets report a place), place (the
selected place: an id, or a name the page resolves), and article + mention for the reader. Parsing never fails: a bad value is dropped
and reported, so a mistyped link still opens the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from geo.filters import DEFAULT_KINDS, Filters
from geo.typed_dates import parse_from, parse_to
from geo.records import MENTION_KINDS

Params = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class View:
    filters: Filters = field(default_factory=Filters)
    online_tiles: bool = False
    place: str | None = None


@dataclass(frozen=True)
class ReaderTarget:
    article_id: str
    mention_start: int | None


def _first(params: Params, key: str) -> str | None:
    values = params.get(key) or []
    return values[0] if values else None


def _flag(params: Params, key: str) -> bool:
    return (_first(params, key) or "").lower() in ("1", "true", "yes", "on")


def parse(params: Params) -> tuple[View, list[str]]:
    """The view a URL asks for, and a message for each value that had to be ignored."""
    problems: list[str] = []
    dates = {}
    for key, parse_date in (("from", parse_from), ("to", parse_to)):
        value = _first(params, key)
        if value:
            try:
                dates[key] = parse_date(value)
            except ValueError as exc:
                problems.append(f"`{key}` ignored: {exc}")
    if "from" in dates and "to" in dates and dates["from"] > dates["to"]:
        problems.append(f"`from` {dates['from']} is after `to` {dates['to']}; the two were swapped")
        dates["from"], dates["to"] = dates["to"], dates["from"]
    kinds = tuple(k for k in MENTION_KINDS if k in set(params.get("kind") or ()))
    unknown = set(params.get("kind") or ()) - set(MENTION_KINDS)
    if unknown:
        problems.append(f"`kind` {sorted(unknown)} ignored; known kinds: {', '.join(MENTION_KINDS)}")
    min_outlets = 1
    value = _first(params, "outlets")
    if value:
        if value.isdigit() and int(value) >= 1:
            min_outlets = int(value)
        else:
            problems.append(f"`outlets` {value!r} ignored: it is the least number of outlets, a whole number from 1")
    view = View(
        filters=Filters(
            date_from=dates.get("from"),
            date_to=dates.get("to"),
            include_undated=_flag(params, "undated"),
            outlets=tuple(params.get("outlet") or ()),
            countries=tuple(c.upper() for c in params.get("country") or ()),
            kinds=kinds or DEFAULT_KINDS,
            keyword=(_first(params, "q") or "").strip(),
            min_outlets=min_outlets,
        ),
        online_tiles=_flag(params, "tiles"),
        place=_first(params, "place"),
    )
    return view, problems


def encode(view: View) -> dict[str, str | list[str]]:
    """The shortest query that `parse` turns back into `view`."""
    f = view.filters
    params: dict[str, str | list[str]] = {}
    if f.date_from:
        params["from"] = f.date_from.isoformat()
    if f.date_to:
        params["to"] = f.date_to.isoformat()
    if f.dated and f.include_undated:
        params["undated"] = "1"
    if f.outlets:
        params["outlet"] = list(f.outlets)
    if f.countries:
        params["country"] = list(f.countries)
    if tuple(f.kinds) != DEFAULT_KINDS:
        params["kind"] = list(f.kinds)
    if f.keyword:
        params["q"] = f.keyword
    if f.min_outlets > 1:
        params["outlets"] = str(f.min_outlets)
    if view.online_tiles:
        params["tiles"] = "1"
    if view.place:
        params["place"] = view.place
    return params


def reader_target(params: Params) -> ReaderTarget | None:
    """The article (and mention offset) the reader should open, if the URL names one."""
    article_id = _first(params, "article")
    if not article_id:
        return None
    mention = _first(params, "mention")
    return ReaderTarget(article_id, int(mention) if mention and mention.isdigit() else None)
