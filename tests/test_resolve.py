"""Resolution rules, each on a small text: prior, qualifiers, feature words, coherence,
demonyms, abbreviations, pins, confidence and runners-up, unknown names."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from geo.distance import great_circle_km
from geo.gazetteer import Gazetteer
from geo.records import Mention, Place
from geo.pins import Pin, apply_pins
from geo.resolve import HandScorer, Resolver
from geo.resolve.features import Features


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(Gazetteer.load())


def mentions_of(text: str, *names: str, demonyms: dict[str, str] | None = None) -> list[Mention]:
    """A mention for every occurrence of each name, in text order (as a recogniser would)."""
    demonyms = demonyms or {}
    found = []
    for name in names:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if name in demonyms:
                found.append(Mention(match.start(), match.end(), name, demonyms[name], "demonym"))
            else:
                found.append(Mention(match.start(), match.end(), name, name))
    return sorted(found, key=lambda m: m.start)


def placed(resolver: Resolver, text: str, *names: str, **kw) -> dict[str, Place | None]:
    resolved = resolver.resolve(text, mentions_of(text, *names, **kw))
    return {r.mention.text: r.resolution.place for r in resolved}


def test_prominence_decides_without_context(resolver):
    assert placed(resolver, "Tourists love Paris.", "Paris")["Paris"].country_code == "FR"


@pytest.mark.parametrize(
    ("text", "admin1"),
    [("She grew up in Springfield, Illinois.", "Illinois"),
     ("She grew up in Springfield, Massachusetts.", "Massachusetts"),
     ("She grew up in Springfield, Ill., and left.", "Illinois"),
     ("A new mall opened in Springfield in Ohio.", "Ohio")],
)
def test_x_comma_y_and_x_in_y(resolver, text, admin1):
    assert placed(resolver, text, "Springfield")["Springfield"].admin1 == admin1


def test_a_town_said_to_be_in_a_division_where_no_namesake_is_stays_unplaced(resolver):
    text = "He was released on a promise to appear in a Bradford, Ontario court."
    resolved = resolver.resolve(text, mentions_of(text, "Bradford", "Ontario"))
    bradford, ontario = (r.resolution for r in resolved)
    assert bradford.place is None and "Ontario" in bradford.reason
    assert ontario.place.feature == "admin1" and ontario.place.country_code == "CA"


def test_a_town_division_country_address_is_not_a_list(resolver):
    text = "The truck was stopped in Stroud, Ontario, Canada, on Monday."
    resolved = resolver.resolve(text, mentions_of(text, "Stroud", "Ontario", "Canada"))
    stroud = resolved[0].resolution
    assert stroud.place is None or stroud.place.country_code == "CA"  # not Stroud in England


def test_a_list_of_towns_is_not_read_as_town_comma_state(resolver):
    # Kano is a state too, but here the next town of the list, not Ibadan's state
    got = placed(resolver, "Flights from Ibadan, Kano and Abuja resumed.", "Ibadan", "Kano", "Abuja")
    assert got["Ibadan"] is not None and got["Ibadan"].country_code == "NG"


def test_qualifier_also_settles_the_qualifying_name(resolver):
    got = placed(resolver, "Fans gathered in Athens, Georgia, on Sunday.", "Athens", "Georgia")
    assert (got["Athens"].admin1, got["Georgia"].country_code) == ("Georgia", "US")


def test_coherence_with_other_places_picks_the_local_namesake(resolver):
    text = "Police in Paris arrested a man from Lamar County. Paris is 100 miles from Dallas, Texas."
    got = placed(resolver, text, "Paris", "Lamar County", "Dallas", "Texas")
    assert (got["Paris"].country_code, got["Paris"].admin1) == ("US", "Texas")


def test_georgia_next_to_abkhazia_is_the_country(resolver):
    text = "Russia recognised Abkhazia, and Georgia protested in Tbilisi."
    got = placed(resolver, text, "Russia", "Abkhazia", "Georgia", "Tbilisi")
    assert (got["Georgia"].feature, got["Georgia"].country_code) == ("country", "GE")


def test_georgia_in_an_article_about_atlanta_is_the_state(resolver):
    text = "Traffic in Atlanta slowed as storms crossed Georgia on Monday."
    got = placed(resolver, text, "Atlanta", "Georgia")
    assert (got["Georgia"].feature, got["Georgia"].country_code) == ("admin1", "US")


def test_donetsk_in_donetsk_peoples_republic_is_the_ukrainian_one(resolver):
    got = placed(resolver, "Shelling hit the Donetsk People's Republic again.", "Donetsk")
    assert got["Donetsk"].country_code == "UA"
    assert got["Donetsk"].name == "Donetsk People's Republic"


@pytest.mark.parametrize(
    "text",
    ["The EU joined sanctions from Washington and Brussels.",
     "Kyiv appealed to Washington for more help against Russia."],
)
def test_bare_washington_in_world_news_is_the_capital(resolver, text):
    names = [n for n in ("Washington", "Brussels", "Kyiv", "Russia") if n in text]
    got = placed(resolver, text, *names)["Washington"]
    assert (got.admin1, got.feature) == ("District of Columbia", "city")


@pytest.mark.parametrize(
    "text",
    ["A cow from a farm in Washington state tested positive, officials in Seattle said.",
     "Laws in Oregon and Washington allow doctors to help.",
     "Cases were found in Ohio, Washington, Pennsylvania and California."],
)
def test_washington_with_state_context_is_the_state(resolver, text):
    names = [n for n in ("Washington", "Seattle", "Oregon", "Ohio", "Pennsylvania", "California") if n in text]
    got = placed(resolver, text, *names)
    assert (got["Washington"].feature, got["Washington"].name) == ("admin1", "Washington")
    assert all(p.feature == "admin1" for n, p in got.items() if n != "Seattle")


def test_the_capital_rule_does_not_touch_other_homonyms(resolver):
    # New York is not a national capital: the state keeps its greater prominence (both
    # LGL and GeoVirus place a bare "New York" at the state); namesake towns of a capital
    # do not share its standing ("Washington", Utah is no capital).
    assert placed(resolver, "He flew to New York.", "New York")["New York"].feature == "admin1"
    washingtons = Gazetteer.load().hits("Washington")
    assert [h.place.admin1 for h in washingtons if h.capital] == ["District of Columbia"]


@pytest.mark.parametrize(
    ("text", "name", "feature"),
    [("The convoy left Kherson at dawn.", "Kherson", "city"),  # the region is "Khersonska oblast"
     ("Fighting went on in the Kherson region.", "Kherson", "admin1"),  # the text names the region
     ("Voters in Quebec went to the polls.", "Quebec", "admin1")],  # the province's own name
)
def test_a_town_bearing_the_name_beats_its_division_known_so_only_as_an_alternate(resolver, text, name, feature):
    assert placed(resolver, text, name)[name].feature == feature


@pytest.mark.parametrize(
    ("text", "feature", "country"),
    [("Talks between Georgia and Armenia resumed.", "country", "GE"),
     ("Storms hit Georgia and Alabama.", "admin1", "US")],
)
def test_a_name_in_a_list_takes_its_neighbours_class(resolver, text, feature, country):
    names = [n for n in ("Georgia", "Armenia", "Alabama") if n in text]
    got = placed(resolver, text, *names)["Georgia"]
    assert (got.feature, got.country_code) == (feature, country)


def test_a_list_is_not_read_as_town_comma_state_but_a_town_still_is(resolver):
    got = placed(resolver, "Fans in Atlanta and Athens, Ga., cheered.", "Atlanta", "Athens", "Ga.")
    assert got["Athens"].admin1 == "Georgia"
    got = placed(resolver, "She grew up in Washington, Pennsylvania.", "Washington", "Pennsylvania")
    assert got["Washington"].admin1 == "Pennsylvania"


@pytest.mark.parametrize(
    ("text", "name", "feature"),
    [("Deputies in Laurel County made arrests.", "Laurel", "admin2"),
     ("Shelling hit the Donetsk region.", "Donetsk", "admin1"),
     ("Voters in the state of Washington decided.", "Washington", "admin1"),
     ("Putin watched drills at the Sergeyevsky range.", "Sergeyevsky", "landmark")],
)
def test_feature_words_choose_the_class(resolver, text, name, feature):
    assert placed(resolver, text, name)[name].feature == feature


@pytest.mark.parametrize(
    ("text", "name", "feature", "country"),
    [("Flights across the Atlantic were cancelled.", "Atlantic", "water", None),
     ("Cases were reported across the Americas.", "Americas", "region", None),
     ("Outbreaks may spread to Central Africa.", "Central Africa", "region", None),
     ("Fighting broke out in Katanga.", "Katanga", "region", "CD"),
     ("Clashes in Nyanza left ten dead.", "Nyanza", "region", "KE"),
     ("Farms in northern Luzon were quarantined.", "Luzon", "region", "PH"),
     ("Rain fell along the Indian Ocean coast.", "Indian Ocean coast", "water", None),
     ("Climbers crossed the Andes.", "Andes", "physical", None),
     ("Ice covered Lake Erie.", "Lake Erie", "water", None)],
)
def test_seas_macro_regions_and_former_divisions_beat_namesake_towns(resolver, text, name, feature, country):
    """Not Colombia's Atlántico, the United States, the Central African Republic, a
    Russian village, a Rwandan town, a barangay of Davao, a Colombian town or Erie County."""
    place = placed(resolver, text, name)[name]
    assert (place.feature, place.country_code) == (feature, country)


def test_a_former_division_lies_among_the_divisions_that_replaced_it(resolver):
    rift = placed(resolver, "Violence spread in the Rift Valley.", "Rift Valley")["Rift Valley"]
    nakuru = placed(resolver, "Nakuru County", "Nakuru")["Nakuru"]
    assert rift.country_code == "KE" and great_circle_km((rift.lat, rift.lon), (nakuru.lat, nakuru.lon)) < 150


def test_demonym_resolves_to_its_country(resolver):
    got = placed(resolver, "Russian troops crossed.", "Russian", demonyms={"Russian": "Russia"})
    assert (got["Russian"].feature, got["Russian"].country_code) == ("country", "RU")


@pytest.mark.parametrize(("demonym", "country"), [("French", "FR"), ("Indian", "IN"), ("Norwegian", "NO")])
def test_a_demonym_names_its_country_never_a_dependency_sharing_it(resolver, demonym, country):
    # not Mayotte, the British Indian Ocean Territory or Svalbard, whose demonyms these are too
    place = Gazetteer.load().demonym(demonym)
    text = f"{demonym} officials met on Monday."
    got = placed(resolver, text, demonym, demonyms={demonym: place})[demonym]
    assert (got.feature, got.country_code) == ("country", country)


@pytest.mark.parametrize(("text", "province"), [
    ("LONDON, Ont. -- The city council met on Monday.", "Ontario"),
    ("Crews worked near Truro, N.S., all night.", "Nova Scotia"),
])
def test_a_canadian_province_abbreviation_qualifies_its_town(resolver, text, province):
    name = text.split(",")[0].split()[-1]
    got = placed(resolver, text, name)[name]
    assert (got.country_code, got.admin1) == ("CA", province)


@pytest.mark.parametrize(("name", "label"), [("Tehran", "Tehran"), ("Istanbul", "Istanbul"), ("Rio de Janeiro", "Rio de Janeiro")])
def test_a_big_city_beats_the_division_named_for_it(resolver, name, label):
    # not the provinces GeoNames writes "Tehrān" and "İstanbul"; the province has its word
    got = placed(resolver, f"Protests spread across {name} on Friday.", name)[name]
    assert (got.feature, got.name) == ("city", label)
    province = placed(resolver, f"Floods hit {name} province.", name)[name]
    assert province.feature == "admin1"


@pytest.mark.parametrize(("name", "label"), [("Afrin", "Afrin"), ("Douma", "Duma")])
def test_labels_are_the_names_an_english_reader_knows(resolver, name, label):
    # GeoNames writes "‘Afrīn" and "Dūmā"
    assert placed(resolver, f"Shelling hit {name} again.", name)[name].name == label


def test_abbreviations_resolve(resolver):
    got = placed(resolver, "The U.S. and UK backed the DRC.", "U.S.", "UK", "DRC")
    assert [got[n].country_code for n in ("U.S.", "UK", "DRC")] == ["US", "GB", "CD"]


def test_confidence_and_runners_up(resolver):
    text = "Storms crossed Georgia."
    [result] = resolver.resolve(text, mentions_of(text, "Georgia"))
    res = result.resolution
    assert 0.0 < res.confidence <= 1.0
    assert res.candidates and res.place.place_id not in {c.place.place_id for c in res.candidates}
    assert all(c.score <= res.confidence for c in res.candidates)
    scores = [c.score for c in res.candidates]
    assert scores == sorted(scores, reverse=True)
    assert res.reason


def test_lone_obscure_match_is_not_certain(resolver):
    [obscure] = resolver.resolve("Hopkinton voted.", mentions_of("Hopkinton voted.", "Hopkinton"))
    [clear] = resolver.resolve("Vladivostok voted.", mentions_of("Vladivostok voted.", "Vladivostok"))
    assert obscure.resolution.confidence < clear.resolution.confidence


def test_pins_win_over_the_automatic_choice(resolver):
    # pins are applied after resolution, on its output (the one pin path, geo.pins)
    text = "Traffic in Atlanta slowed as storms crossed Georgia."
    resolved = resolver.resolve(text, mentions_of(text, "Atlanta", "Georgia"))
    country = Pin("Georgia", 42.0, 43.5, feature="country")
    res = apply_pins(resolved, [country])[1].resolution
    assert (res.place.lat, res.source, res.confidence) == (42.0, "pinned", 1.0)
    assert res.candidates[0].place.country_code == "US"  # the automatic choice is the first runner-up
    # a pin limited to another country focus does not apply to this US article
    other = apply_pins(resolved, [Pin("Georgia", 42.0, 43.5, context="GE")])[1].resolution
    assert other.place.country_code == "US" and other.source == "gazetteer"
    assert apply_pins(resolved, [Pin("Georgia", 42.0, 43.5, context="US")])[1].resolution.source == "pinned"


def test_the_scorer_is_chosen_by_name(resolver):
    assert isinstance(Resolver(resolver.gaz, scorer="hand").scorer, HandScorer)
    with pytest.raises(ValueError, match="unknown scorer 'ranker'; known: hand"):
        Resolver(resolver.gaz, scorer="ranker")


def test_each_candidate_carries_named_features(resolver):
    text = "She grew up in Springfield, Illinois."
    work = resolver.candidates(text, mentions_of(text, "Springfield")[0])
    names = {f.name for f in fields(Features)}
    assert {"prior", "alt", "feature_word", "qualifier", "capital", "admin1_best", "nearest_km", "listed"} <= names
    assert all(o.features.prior == o.hit.prior for o in work.options)


def test_unknown_name_is_unresolved_with_a_reason(resolver):
    text = "He lives in Qwxzyville."
    [result] = resolver.resolve(text, mentions_of(text, "Qwxzyville"))
    assert result.resolution.place is None
    assert result.resolution.confidence == 0.0
    assert "Qwxzyville" in result.resolution.reason


def test_one_result_per_mention_in_order(resolver):
    text = "From Moscow to Kyiv and back to Moscow."
    mentions = mentions_of(text, "Moscow", "Kyiv")
    results = resolver.resolve(text, mentions)
    assert [r.mention for r in results] == mentions
    assert resolver.resolve(text, []) == []


def test_compass_part_of_a_division_is_placed_in_that_part(resolver):
    text = "Storms hit North Texas and Dallas."
    got = placed(resolver, text, "North Texas", "Dallas")
    texas = Gazetteer.load().hits("Texas")[0].place
    north = got["North Texas"]
    assert north.lat > texas.lat + 0.5  # north of the state's own point
    assert great_circle_km((north.lat, north.lon), (got["Dallas"].lat, got["Dallas"].lon)) < 161


def test_compass_part_of_a_town_is_the_town(resolver):
    got = placed(resolver, "Cases rose in North-Western Sydney.", "North-Western Sydney")
    assert got["North-Western Sydney"].name == "Sydney"


def test_compass_part_without_support_stays_unplaced(resolver):
    # the only "Midlands" in the gazetteer is Zimbabwe's: a wrong place is worse than none
    assert placed(resolver, "Rain fell across the West Midlands.", "West Midlands")["West Midlands"] is None


@pytest.mark.parametrize("name", ["Lake Houston", "Boston Mountains", "Gallatin Valley"])
def test_a_feature_word_name_the_gazetteer_lacks_is_not_placed_by_its_parts(resolver, name):
    assert placed(resolver, f"Reports came from {name} today.", name)[name] is None


def test_a_feature_named_for_a_town_is_placed_by_it_only_with_support(resolver):
    text = "The Catawba River rose near Hickory, North Carolina."
    got = placed(resolver, text, "Catawba River", "Hickory", "North Carolina")
    assert got["Catawba River"].admin1 == "North Carolina"
    assert placed(resolver, "The Catawba River rose.", "Catawba River")["Catawba River"] is None


@pytest.mark.parametrize(
    "text",
    ["A Lebanon woman was charged after Lebanon police stopped her car on Route 9.",
     "Mark Ellis, 52, Lebanon, was arrested on Friday.",
     "The Jordan boys basketball team beat its rivals."],
)
def test_a_name_used_as_a_towns_is_not_the_country(resolver, text):
    name = "Lebanon" if "Lebanon" in text else "Jordan"
    for resolved in resolver.resolve(text, mentions_of(text, name)):
        res = resolved.resolution  # a town, or unplaced among namesake towns; never the country
        assert res.place is None or res.place.feature == "city", res.reason
        assert all(c.place.feature != "country" for c in res.candidates)


def test_a_demonym_before_a_towns_noun_stays_the_country(resolver):
    text = "Palestinian women marched on Friday."
    got = placed(resolver, text, "Palestinian", demonyms={"Palestinian": "Palestine"})
    assert got["Palestinian"].feature == "country"


def test_a_city_council_is_the_towns_not_a_longer_name(resolver):
    text = "The London city council rejected the plan on Monday."
    assert placed(resolver, text, "London")["London"].name == "London"


def test_a_towns_alternate_name_yields_to_towns_that_bear_it_as_their_own(resolver):
    # Beeville, Texas, was once called Maryville: a Texas pastor does not make it the town meant
    text = "The congregation in Maryville heard a pastor from Dallas."
    maryville = placed(resolver, text, "Dallas", "Maryville")["Maryville"]
    assert maryville.name == "Maryville"


def test_a_countrys_abbreviation_before_a_towns_noun_stays_the_country(resolver):
    text = "Many U.S. residents were vaccinated last year."
    assert placed(resolver, text, "U.S.")["U.S."].feature == "country"


def test_a_guess_among_many_namesakes_is_left_unplaced_with_its_readings(resolver):
    text = "The Springfield council met on Tuesday."
    res = resolver.resolve(text, mentions_of(text, "Springfield"))[0].resolution
    assert res.place is None and "likely enough" in res.reason
    assert len(res.candidates) == 3 and all(c.place.name.startswith("Springfield") for c in res.candidates)


def test_a_county_in_a_list_is_not_qualified_by_the_next_county(resolver):
    # "Becker, Clay, Norman" is a list of Minnesota counties, not the town of Becker in Clay County
    text = "Sandbags were sent to Becker, Clay, Norman and Wilkin counties on Tuesday."
    resolved = resolver.resolve(text, mentions_of(text, "Becker", "Clay", "Norman", "Wilkin"))
    becker = resolved[0].resolution
    assert "qualified by" not in becker.reason
    assert becker.place is not None and becker.place.feature == "admin2"


def test_a_state_after_a_town_is_still_its_address_when_a_list_goes_on(resolver):
    text = "The tour stops in Athens, Ga., and Atlanta before heading north."
    resolved = resolver.resolve(text, mentions_of(text, "Athens", "Ga.", "Atlanta"))
    assert "qualified by 'Ga.'" in resolved[0].resolution.reason


def test_a_river_found_only_as_a_county_far_from_the_articles_places_stays_unplaced(resolver):
    # Red River County is in Texas; this Red River runs past Grand Forks, North Dakota
    text = "Volunteers filled sandbags in Grand Forks as the Red River rose again overnight."
    got = placed(resolver, text, "Grand Forks", "Red River")
    assert got["Grand Forks"].admin1 == "North Dakota"
    assert got["Red River"] is None


def test_a_river_is_placed_by_its_county_when_the_articles_places_are_beside_it(resolver):
    text = "The Red River crept toward Clarksville and Bogata, and Texas crews closed the bridge."
    got = placed(resolver, text, "Red River", "Clarksville", "Bogata", "Texas")
    assert got["Red River"] is not None and got["Red River"].admin1 == "Texas"


@pytest.mark.parametrize(
    ("text", "part", "town"),
    [("A bakery opened on a corner of Harbor City in Los Angeles this week.", "Harbor City", "Los Angeles"),
     ("Joggers filled Hampton Park in Charleston after the storm passed.", "Hampton Park", "Charleston")],
)
def test_a_part_of_a_town_the_gazetteer_lacks_is_not_a_namesake_far_away(resolver, text, part, town):
    # Harbor City is also Kaohsiung's English name; Hampton Park a suburb of Melbourne
    resolved = resolver.resolve(text, mentions_of(text, part, town))
    assert resolved[0].resolution.place is None
    assert town in resolved[0].resolution.reason


def test_a_part_of_a_town_the_gazetteer_knows_is_placed_there(resolver):
    got = placed(resolver, "Students from Hyde Park in Chicago joined the march.", "Hyde Park", "Chicago")
    assert got["Hyde Park"].admin1 == "Illinois"


def test_a_name_the_words_place_at_one_mention_is_that_place_at_the_others(resolver):
    # one sense per discourse: "Jordan police" is a town's police, so the bare Jordan is that town
    text = "Jordan police said the fire began downtown. Jordan has about 6,000 people."
    first, second = (r.resolution for r in resolver.resolve(text, mentions_of(text, "Jordan")))
    assert first.place.feature == "city"
    assert second.place == first.place and "read nearby" in second.reason


@pytest.mark.parametrize("noun", ["league", "juniors", "taxpayers", "library"])
def test_a_name_before_a_towns_institution_is_the_town(resolver, noun):
    text = f"The Jordan {noun} will meet on Monday."
    assert placed(resolver, text, "Jordan")["Jordan"].feature == "city"


def test_a_mention_with_words_of_its_own_keeps_its_reading(resolver):
    text = "Paris, Texas, hosted the fair. Visitors from Paris, France, came too, and Paris was busy."
    got = [r.resolution.place for r in resolver.resolve(text, mentions_of(text, "Paris", "Texas", "France"))]
    paris = [p for p in got if p is not None and p.name == "Paris"]
    assert [p.country_code for p in paris[:2]] == ["US", "FR"]


@pytest.mark.parametrize(
    ("text", "name", "others"),
    [("Passengers at Heathrow waited for hours as fog covered London.", "Heathrow", ["London"]),
     ("Ferry service on the Central Coast resumes, British Columbia officials told Bella Coola.",
      "Central Coast", ["British Columbia", "Bella Coola"]),
     ("A heat wave spread along the West Coast from Portland, Oregon, to Los Angeles.",
      "West Coast", ["Portland", "Oregon", "Los Angeles"]),
     ("Growers in the Delta blame the dry winter, water managers in Sacramento and Stockton said.",
      "Delta", ["Sacramento", "Stockton"])],
)
def test_a_weak_reading_abroad_that_nothing_in_the_article_supports_stays_unplaced(resolver, text, name, others):
    # a small Florida town, an Australian city, Western Australia's alternate name, Nigeria's Delta State
    got = placed(resolver, text, name, *others)
    assert got[name] is None


def test_a_prominent_town_abroad_stands_on_its_own(resolver):
    got = placed(resolver, "A soldier from Dayton, Ohio, was wounded near Kandahar.", "Dayton", "Ohio", "Kandahar")
    assert got["Kandahar"].country_code == "AF"
