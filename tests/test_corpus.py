"""The corpus as evidence: a source's other articles settle a bare namesake, but never
against the article's own geography, a country's name or a demonym."""

from __future__ import annotations

import pytest

from geo.gazetteer import Gazetteer
from geo.records import Mention, Place, Resolution, ResolvedMention
from geo.resolve import Resolver
from geo.resolve.corpus import NO_HOME, CorpusTally, Home, settle

OHIO_HOME = Home(countries={"US": 0.8}, admin1={"US:Ohio": 0.8})


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(Gazetteer.load())


def resolve(resolver: Resolver, text: str, names: list[str], home: Home = NO_HOME, kind: str = "place"):
    mentions = []
    for name in names:
        start = text.index(name)
        mentions.append(Mention(start, start + len(name), name, name, kind))
    return {rm.mention.text: rm.resolution.place for rm in resolver.resolve(text, mentions, home)}


def test_the_sources_home_settles_a_bare_namesake(resolver):
    text = "The council in Dublin approved a new budget on Monday."
    assert resolve(resolver, text, ["Dublin"])["Dublin"].country_code == "IE"
    dublin = resolve(resolver, text, ["Dublin"], OHIO_HOME)["Dublin"]
    assert (dublin.country_code, dublin.admin1) == ("US", "Ohio")


def test_the_articles_own_places_abroad_win_over_the_home(resolver):
    text = "The council in Dublin and the port of Cork agreed on Monday."
    home = Home(OHIO_HOME.countries, OHIO_HOME.admin1, elsewhere=frozenset({"cork", "dublin"}))
    assert resolve(resolver, text, ["Dublin", "Cork"], home)["Dublin"].country_code == "IE"


def test_a_countrys_name_stays_the_country_whatever_the_home(resolver):
    text = "Flights to Egypt were cancelled."
    assert resolve(resolver, text, ["Egypt"], Home(countries={"US": 1.0}))["Egypt"].feature == "country"


def _placed(name: str, country: str, admin1: str, confidence: float = 0.9) -> ResolvedMention:
    place = Place(f"test:{name}", name, 40.0, -83.0, country, "city", 1000, admin1)
    return ResolvedMention(Mention(0, len(name), name, name), Resolution(place, confidence))


def test_a_home_needs_a_majority_of_enough_other_articles():
    tally = CorpusTally()
    for i, town in enumerate(["Columbus", "Akron", "Toledo", "Dayton", "Lima"]):
        tally.add(i, "the-dispatch", [_placed(town, "US", "Ohio")])
    assert tally.home(0) is NO_HOME  # four other articles are too few
    tally.add("new", "the-dispatch", [])
    tally.add("abroad", "world-news", [_placed("Lyon", "FR", "Rhône")])
    home = tally.home("new")
    assert home.country("US") == pytest.approx(1.0) and home.division("US:Ohio") == pytest.approx(1.0)
    assert tally.home("abroad") is NO_HOME
    # an unsure choice casts no vote
    tally.add("unsure", "the-dispatch", [_placed("Paris", "FR", "Île-de-France", confidence=0.3)])
    assert tally.home("new").country("FR") == 0.0


def test_settle_resolves_again_only_where_a_home_is_known(resolver):
    text = "The council in Dublin approved a new budget on Monday."
    [first] = resolver.resolve(text, [Mention(15, 21, "Dublin", "Dublin")])
    ohio = [(None, f"News from {t}.", [_placed(t, "US", "Ohio")]) for t in ("Columbus", "Akron", "Toledo", "Dayton", "Lima")]
    settled = settle(resolver, [*ohio, (None, text, [first])])
    assert settled[-1][0].resolution.place.admin1 == "Ohio"
    assert settle(resolver, [(None, text, [first])])[0][0].resolution.place.country_code == "IE"


def test_a_home_weighs_by_the_share_of_the_articles_towns_at_home(resolver):
    text = "The council in Dublin approved a new budget on Monday."
    # the story also names one village abroad and one town at home: the home still counts, by half
    home = Home(OHIO_HOME.countries, OHIO_HOME.admin1, elsewhere=frozenset({"antigua"}), at_home=frozenset({"akron"}))
    assert home.weight_for("dublin") == pytest.approx(0.5)
    dublin = resolve(resolver, text, ["Dublin"], home)["Dublin"]
    assert (dublin.country_code, dublin.admin1) == ("US", "Ohio")


def test_a_country_the_article_names_does_not_silence_the_home():
    tally = CorpusTally()
    for i, town in enumerate(["Columbus", "Akron", "Toledo", "Dayton", "Lima"]):
        tally.add(i, "the-dispatch", [_placed(town, "US", "Ohio")])
    country = Place("test:gt", "Guatemala", 15.5, -90.3, "GT", "country", 17_000_000, None)
    tally.add("trip", "the-dispatch", [ResolvedMention(Mention(0, 9, "Guatemala", "Guatemala"), Resolution(country, 0.9))])
    assert tally.home("trip").weight_for("dublin") == 1.0


def test_a_homes_many_namesakes_together_outweigh_one_famous_place_abroad(resolver):
    # no single US Paris outranks Paris, France, but at a US source's home they do together:
    # the article is not read as French; which Paris is left a guess, unplaced if too weak
    text = "The fair returns to Paris this weekend, organisers said."
    home = Home(countries={"US": 0.6})
    assert resolve(resolver, text, ["Paris"])["Paris"].country_code == "FR"
    resolved = resolver.resolve(text, [Mention(text.index("Paris"), text.index("Paris") + 5, "Paris", "Paris")], home)
    res = resolved[0].resolution
    assert res.place is None or res.place.country_code == "US"
    assert all(c.place.country_code == "US" for c in res.candidates[:1])
