"""The assembled geoparser on the sample corpus and on small texts: the places a reader
expects are placed right, nothing is placed from people, outlets or the Moon, and
parse_many gives what parse gives, in order, on one or two processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.furniture import strip_furniture
from geo.geoparser import Geoparser
from geo.distance import great_circle_km

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# Where a reader expects the sample corpus's places (approximate points; 161 km tolerance).
EXPECTED = {
    "Vladivostok": (43.12, 131.89),
    "Pyongyang": (39.03, 125.75),
    "Sergeyevsky military range": (43.35, 133.36),  # Primorsky Krai, east of Ussuriysk
    "Abkhazia": (43.0, 41.0),
    "Donetsk People\u2019s Republic": (48.0, 37.8),
}


@pytest.fixture(scope="module")
def seed_mentions(geoparser: Geoparser):
    texts = [strip_furniture(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    return [rm for mentions in geoparser.parse_many(texts) for rm in mentions]


@pytest.mark.parametrize("surface", sorted(EXPECTED))
def test_sample_corpus_places_are_resolved_right(seed_mentions, surface):
    placed = [rm.resolution.place for rm in seed_mentions if rm.mention.text == surface]
    assert placed, f"{surface} not found"
    for place in placed:
        assert place is not None and great_circle_km((place.lat, place.lon), EXPECTED[surface]) <= 161


def test_sample_corpus_places_nothing_from_people_outlets_or_the_moon(seed_mentions):
    words = {rm.mention.text for rm in seed_mentions}
    for wrong in ["Austin", "Lloyd Austin", "Mason", "Clark", "New York", "Nepal", "Moon", "War"]:
        assert wrong not in words


def test_georgia_next_to_abkhazia_is_the_country(seed_mentions):
    codes = {rm.resolution.place.country_code for rm in seed_mentions if rm.mention.text == "Georgia"}
    assert codes == {"GE"}


def test_demonyms_and_metonyms_keep_their_kind_and_get_coordinates(geoparser):
    text = "Moscow said Russian troops left. Fighting went on in Donetsk."
    got = {rm.mention.text: rm for rm in geoparser.parse(text)}
    assert got["Moscow"].mention.kind == "metonym"
    assert got["Russian"].mention.kind == "demonym"
    assert got["Russian"].resolution.place.country_code == "RU"
    assert got["Donetsk"].mention.kind == "place"
    assert got["Donetsk"].resolution.place.country_code == "UA"


def test_parse_many_matches_parse_in_order_on_two_processes(geoparser):
    texts = ["Talks in Pyongyang.", "Nothing here.", "Floods hit Queensland and Kenya.", "Rain in Ohio."] * 5
    one = [[(rm.mention, rm.resolution.place) for rm in geoparser.parse(t)] for t in texts]
    two = [[(rm.mention, rm.resolution.place) for rm in ms] for ms in geoparser.parse_many(texts, n_process=2)]
    assert two == one
    assert one[1] == [] and one[0][0][1].country_code == "KP"


def test_excerpt_sentence_stays_within_its_line(geoparser):
    """A headline run into the paragraph below it must not make one long excerpt."""
    text = (
        "Floods cut off villages in Bangladesh\n\n"
        "Heavy rain fell in Sylhet for a week and rivers rose across the region. Officials in Dhaka said help was coming."
    )
    by_text = {rm.mention.text: rm.mention for rm in geoparser.parse(text)}
    headline = by_text["Bangladesh"]
    assert text[headline.sent_start:headline.sent_end] == "Floods cut off villages in Bangladesh"
    sylhet = by_text["Sylhet"]
    assert text[sylhet.sent_start:sylhet.sent_end] == "Heavy rain fell in Sylhet for a week and rivers rose across the region."


def test_a_long_article_is_parsed_in_pieces_with_offsets_into_the_whole_text(geoparser) -> None:
    from geo.geoparser import PIECE_CHARS, pieces

    towns = ["Nairobi", "Accra", "Lima", "Quito", "Hanoi", "Oslo"]
    paragraphs = [f"Report {i}. Officials in {towns[i % len(towns)]} spoke on Monday about the weather and "
                  "the harvest, which was late this year." for i in range(900)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 4 * PIECE_CHARS
    parts = pieces(text)
    assert "".join(p for _, p in parts) == text and max(len(p) for _, p in parts) <= PIECE_CHARS
    assert all(p.endswith("\n\n") for _, p in parts[:-1])  # cut between paragraphs
    mentions = geoparser.parse(text)
    assert len(mentions) == len(paragraphs)
    for rm in mentions:
        m = rm.mention
        assert text[m.start:m.end] == m.text and m.sent_start <= m.start < m.end <= m.sent_end
        assert text[m.sent_start:m.sent_end].startswith("Officials in") or "Report" in text[m.sent_start:m.sent_end]
    assert mentions[-1].mention.start > len(text) - 200  # the last paragraph's town, found in the last piece


def test_a_text_without_breaks_is_still_cut_within_the_limit() -> None:
    from geo.geoparser import pieces

    text = "x" * 45_000 + " tail"
    parts = pieces(text, limit=20_000)
    assert [len(p) for _, p in parts][:2] == [20_000, 20_000] and "".join(p for _, p in parts) == text
