"""HTML for popups, tooltips, the side panel and the reader, built from untrusted article text.

Everything that comes from an article (title, outlet, URL, text, mention words) and from a
gazetteer or geocoder (place names) passes through `esc`, which escapes HTML and also the
characters JavaScript template literals treat specially (`$`, backtick, braces): folium and
streamlit-folium move this markup through JS source and Jinja templates, where `${…}` or
`{{…}}` could otherwise be evaluated. Links to originals keep only http(s) URLs, so a
`javascript:` URL in an article's metadata never becomes clickable.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

_EXTRA = str.maketrans({"$": "&#36;", "`": "&#96;", "{": "&#123;", "}": "&#125;"})

KIND_COLOUR = {"place": "#1d4ed8", "metonym": "#c2410c", "demonym": "#7e22ce"}

POPUP_EXCERPTS = 3  # the side panel lists them all; popups stay small at thousands of places

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


def place_label(props: Mapping[str, Any]) -> str:
    """Plain text naming a place, as tooltips and lists show it."""
    country = f", {props['country_code']}" if props.get("country_code") else ""
    return f"{props['name']}{country} · {counted(props['n_articles'], 'article')}"


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
        return _PINNED
    if source.startswith("geocoder:"):
        service = esc(source.split(":", 1)[1])
        return f' <span class="geo-kind online" title="placed by the online geocoder {service}">online: {service}</span>'
    return ""


def pinned_badge(props: Mapping[str, Any]) -> str:
    """For a place heading: the place is where an analyst pinned it."""
    return _PINNED if props.get("pinned") else ""


_PINNED = ' <span class="geo-kind pinned" title="placed by an analyst&#39;s pin (geo pin)">pinned</span>'


def published_label(mention: Mapping[str, Any]) -> str:
    published, precision = mention.get("published"), mention.get("date_precision")
    if not isinstance(published, str) or not published:
        return "undated"
    if precision == "month":
        return published[:7]
    if precision == "year":
        return published[:4]
    return published


def reader_query(base_params: Mapping[str, Any], mention: Mapping[str, Any]) -> str:
    """The query string that opens the reader on this mention, keeping the current view."""
    params = {k: v for k, v in base_params.items() if k not in ("article", "mention", "place")}
    params.update(article=mention["article_id"], mention=str(mention["start"]))
    return "?" + urlencode(params, doseq=True)


def links_html(mention: Mapping[str, Any], app_url: str, base_params: Mapping[str, Any]) -> str:
    """"Read in app" (new tab: the map's frame may not navigate the page) and the original URL."""
    links = [
        f'<a href="{esc(app_url + reader_query(base_params, mention))}" target="_blank" '
        f'rel="noopener" class="geo-read">Read article</a>'
    ]
    url = safe_url(mention.get("url"))
    if url:
        links.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">Original</a>')
    return " · ".join(links)


def popup_html(
    props: Mapping[str, Any], app_url: str, base_params: Mapping[str, Any], limit: int = POPUP_EXCERPTS
) -> str:
    """Place name and country, then up to `limit` excerpts with source and reader link."""
    mentions = props["mentions"]
    n_m, n_a = props["n_mentions"], props["n_articles"]
    country = f" · {esc(props['country_code'])}" if props.get("country_code") else ""
    parts = [
        '<div class="geo-popup">',
        f"<h4>{esc(props['name'])}{country}{pinned_badge(props)}</h4>",
        f'<div class="geo-count">{counted(n_m, "mention")} in {counted(n_a, "article")}</div>',
    ]
    for mention in mentions[:limit]:
        parts.append(
            '<div class="geo-src">'
            f'<p class="geo-ex">{excerpt_html(mention)}</p>'
            f'<div class="geo-meta">{source_line(mention)}</div>'
            f'<div class="geo-meta">{links_html(mention, app_url, base_params)}</div>'
            "</div>"
        )
    if len(mentions) > limit:
        parts.append(f'<div class="geo-meta">and {len(mentions) - limit} more in the side panel</div>')
    parts.append(f'<div class="geo-id">{esc(props["place_id"])}</div></div>')
    return "".join(parts)


def reader_html(text: str, mentions: Iterable[Mapping[str, Any]], focus_start: int | None) -> str:
    """The full cleaned text, every mention marked, the focused one with id="focus".

    Mentions are (start, end, kind, place_name) rows with offsets into `text`; overlapping
    ones after the first are skipped, so the output never nests or tears a mark.
    """
    parts, cursor = [], 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = int(m["start"]), int(m["end"])
        if start < cursor or end > len(text):
            continue
        focused = focus_start is not None and start == focus_start
        focus_attrs = ' id="focus"' if focused else ""
        kind = m.get("kind", "place")
        title = esc(m.get("place_name") or "unresolved") + (f" ({esc(kind)})" if kind != "place" else "")
        parts.append(esc(text[cursor:start]))
        parts.append(
            f'<mark class="geo-m {esc(kind)}{" focus" if focused else ""}"'
            f'{focus_attrs} title="{title}">{esc(text[start:end])}</mark>'
        )
        cursor = end
    parts.append(esc(text[cursor:]))
    return "".join(parts)
