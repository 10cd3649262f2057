"""HTML for popups, tooltips, the side panel and the lists, built from untrusted article text
(the reader's own is in dashboard.reader).

Everything that comes from an article (title, outlet, URL, text, mention words) and from a
gazetteer or geocoder (place names) passes through `esc`, which escapes HTML and also the
characters JavaScript template literals treat specially (`$`, backtick, braces): folium and
streamlit-folium move this markup through JS source and Jinja templates, where `${…}` or
`{{…}}` could otherwise be evaluated. Links to originals keep only http(s) URLs, so a
`javascript:` URL in an article's metadata never becomes clickable.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from geo.views import ArticleRow, Card, PlaceSummary

_EXTRA = str.maketrans({"$": "&#36;", "`": "&#96;", "{": "&#123;", "}": "&#125;"})

KIND_COLOUR = {"place": "#1d4ed8", "metonym": "#c2410c", "demonym": "#7e22ce"}

POPUP_EXCERPTS = 3  # each from a different article; the side panel lists them all

STYLE = """
.geo-popup{font:13px/1.4 system-ui,sans-serif;max-width:340px}
.geo-popup h4{margin:0 0 4px;font-size:15px}
.geo-popup .geo-count{color:#555;font-size:12px;margin-bottom:6px}
.geo-src{border-top:1px solid #ddd;padding:6px 0}
.geo-ex{margin:0 0 3px;font-style:normal}
.geo-ex mark,.geo-reader mark{background:#fde68a;padding:0 1px}
.geo-meta{color:#444;font-size:12px}
.geo-kind{display:inline-block;background:#ffedd5;color:#9a3412;border-radius:3px;padding:0 4px;font-size:11px}
.geo-kind.demonym{background:#f3e8ff;color:#6b21a8}
.geo-kind.pinned{background:#dcfce7;color:#166534}
.geo-kind.online{background:#e0f2fe;color:#075985}
.geo-id{color:#777;font-size:11px;border-top:1px solid #ddd;padding-top:4px}
.geo-tile-notice{background:#fff;padding:4px 8px;border-radius:4px;font:12px system-ui,sans-serif}
"""


def esc(value: Any) -> str:
    """Text made inert for HTML bodies, attributes and JS template literals; None becomes ''."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_EXTRA)


# What Markdown (and Streamlit's :colour[…] and $math$) would turn into a link, an image,
# markup or emphasis; other punctuation reads as typed.
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>!|~$:"})


def plain_md(value: Any) -> str:
    """Text for a Streamlit label or message (which render Markdown) shown as typed: no link,
    image or emphasis can come of a name or a query."""
    return str(value).translate(_MARKDOWN)


def safe_url(url: Any) -> str | None:
    """`url` when it is a plain http(s) link, else None (no javascript:, data:, relative)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def excerpt_html(mention: Mapping[str, Any]) -> str:
    """The excerpt with the mention's own words marked."""
    text, (i, j) = mention["excerpt"], mention["excerpt_span"]
    return f"{esc(text[:i])}<mark>{esc(text[i:j])}</mark>{esc(text[j:])}"


def source_line(mention: Mapping[str, Any]) -> str:
    """Title — outlet, date, and the kind badge for metonyms and demonyms."""
    title = esc(mention.get("title") or mention["article_id"])
    where = [esc(mention["outlet"])] if mention.get("outlet") else []
    where.append(esc(published_label(mention)))
    line = f"<b>{title}</b> — {', '.join(where)}"
    kind = mention.get("kind", "place")
    if kind != "place":
        line += f' <span class="geo-kind {esc(kind)}">{esc(kind)}</span>'
    return line + resolution_badge(mention)


def resolution_badge(mention: Mapping[str, Any]) -> str:
    """Say when a place was not chosen by the offline gazetteer: pinned by an analyst, or online."""
    source = mention.get("source") or ""
    if source == "pinned":
        return PINNED_BADGE
    if source.startswith("geocoder:"):
        service = esc(source.split(":", 1)[1])
        return f' <span class="geo-kind online" title="placed by the online geocoder {service}">online: {service}</span>'
    return ""


def pinned_badge(place: PlaceSummary) -> str:
    """For a place heading: the place is where an analyst pinned it."""
    return PINNED_BADGE if place.pinned else ""


PINNED_BADGE = ' <span class="geo-kind pinned" title="placed by an analyst&#39;s pin (geo pin)">pinned</span>'


def published_label(mention: Mapping[str, Any]) -> str:
    published, precision = mention.get("published"), mention.get("date_precision")
    if not isinstance(published, str) or not published:
        return "undated"
    if precision == "month":
        return published[:7]
    if precision == "year":
        return published[:4]
    return published


def reader_query(base_params: Mapping[str, Any], card: Card, place_id: str | None) -> str:
    """The query string that opens the reader on this card's mention, keeping the view and place."""
    params = {k: v for k, v in base_params.items() if k not in ("article", "mention", "place")}
    if place_id:
        params["place"] = place_id
    params.update(article=card.article_id, mention=str(card.start))
    return "?" + urlencode(params, doseq=True)


def links_html(card: Card, place_id: str, app_url: str, base_params: Mapping[str, Any]) -> str:
    """"Read article" (the map opens the in-app reader on a plain click; the link serves a new
    tab) and the original URL."""
    links = [
        f'<a href="{esc(app_url + reader_query(base_params, card, place_id))}" target="_blank" rel="noopener" '
        f'class="geo-read" data-article="{esc(card.article_id)}" data-mention="{card.start}">Read article</a>'
    ]
    url = safe_url(card.url)
    if url:
        links.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">Original</a>')
    return " · ".join(links)


def article_row_html(row: ArticleRow) -> str:
    """A line of the articles list: title (or first line), outlet, date, places shown; escaped."""
    title = row.title or row.first_line or row.article_id
    meta = (f"{esc(row.outlet or 'outlet unknown')} · {esc(published_label(vars(row)))} · "
            f"{counted(row.n_places, 'place')}")  # fmt: skip
    return f"<div class='geo-list-row'><b>{esc(title)}</b><div class='geo-meta'>{meta}</div></div>"


def card_html(card: Card) -> str:
    """One article's evidence: the excerpt, then title — outlet, date, and how often it names the place."""
    fields = vars(card)
    times = f" · mentions it {card.n_mentions} times" if card.n_mentions > 1 else ""
    return (
        f'<p class="geo-ex">{excerpt_html(fields)}</p>'
        f'<div class="geo-meta">{source_line(fields)}{times}</div>'
    )


def popup_sources(
    cards: Sequence[Card], n_articles: int, place_id: str, app_url: str, base_params: Mapping[str, Any]
) -> str:
    """A popup's excerpts: one per card (so each from a different article), each with its links."""
    parts = [
        f'<div class="geo-src">{card_html(card)}<div class="geo-meta">'
        f"{links_html(card, place_id, app_url, base_params)}</div></div>"
        for card in cards[:POPUP_EXCERPTS]
    ]
    more = n_articles - len(parts)
    if more > 0:
        parts.append(f'<div class="geo-meta">and {counted(more, "more article")} in the side panel</div>')
    return "".join(parts)
