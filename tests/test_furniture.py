"""Page furniture is removed; the story, its paragraphs and its place names stay."""

from pathlib import Path

import pytest

from geo.furniture import strip_furniture

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

STORY = (
    "Floods cut off three villages near Lyon on Monday, officials said, after a week of rain.\n\n"
    "Rescue teams from Grenoble reached the area by boat. Residents described water rising "
    "through the night, and the regional prefect asked drivers to stay off the roads until the "
    "river falls. Forecasters expect more rain over the Alps on Wednesday and Thursday.\n"
)


def test_story_without_furniture_is_kept_whole() -> None:
    assert strip_furniture(STORY) == STORY


@pytest.mark.parametrize(
    "tail",
    [
        "Related Stories\n\nStrike closes port of Marseille\nElection called in Ghana\n",
        "More from World News\n\nKenya drought deepens\n",
        "You may also like\nNepal quake toll rises\n",
        "Previous Article\nBudget talks stall in Rome\nNext Article\nFire in Athens\n",
        "Don’t Miss\n\nStorm warning for Dublin\n",
        "Subscribe to our daily newsletter\nGet the top stories from Paris in your inbox.\n",
        "2 Comments\nJohn: what about Berlin?\n",
        "Tel: +44 20 7946 0000 | desk@example-news.co.uk | Publisher: Example Media Ltd\nExample News Lagos\n",
    ],
)
def test_trailing_link_lists_and_footers_end_the_story(tail: str) -> None:
    cleaned = strip_furniture(STORY + "\n" + tail)
    assert cleaned == STORY


@pytest.mark.parametrize(
    "line",
    [
        "ALSO READ: Ten dead as storm hits Manila",
        "Read more: How Cairo is preparing for the summit",
        "See also - Madrid mayor resigns",
        "4 min read",
        "Updated on",
        "×",
        "Share",
        "Back to top",
        "reuters.com",
        "Jane Doe/AFP via Getty Images",
        "Photo: Ministry of Defence",
    ],
)
def test_furniture_lines_inside_the_story_go(line: str) -> None:
    first, second = STORY.split("\n\n")
    cleaned = strip_furniture(f"{first}\n\n{line}\n\n{second}")
    assert line not in cleaned
    assert cleaned == STORY


def test_donation_block_at_the_top_goes_but_not_news_about_donations() -> None:
    appeal = (
        "Enjoying our reporting?\n"
        "Your support keeps it free for everyone.\n"
        "Donate now\n"
        "Become a member and help independent journalism.\n\n"
    )
    news = "The Red Cross said donors contributed $3 million for victims in Haiti.\n"
    cleaned = strip_furniture(appeal + STORY + "\n" + news)
    assert "support" not in cleaned.lower() and "member" not in cleaned
    assert news.strip() in cleaned


def test_headline_printed_twice_is_kept_once() -> None:
    headline = "Floods hit Lyon"
    cleaned = strip_furniture(f"{headline}\n\n{headline}\n{STORY}")
    assert cleaned.count(headline) == 1


def test_a_heading_like_related_at_the_very_top_does_not_swallow_the_story() -> None:
    cleaned = strip_furniture("Related\n" + STORY)
    assert cleaned == STORY


# What each seed's page furniture looks like (its distinctive words), and story text that must survive.
SEED_FURNITURE = {
    "001_d1e684ea8a98dfbd.txt": ["ad-free", "Support us", "newsletter", "Dear readers", "Remind me later", "kremlin.ru", "Read more"],
    "002_2f9a8d31c71cbac8.txt": ["ALSO READ", "Previous Story", "Teesta", "Latest from", "Madagascar", "Gaza", "Don't Miss", "Moon", "mins read", "Go toTop"],
    "003_f568edc58e7a7934.txt": ["Related News", "No stories found", "Ph:", "@gmail.com", "Publisher", "Smirnov/AP"],
    "004_881c2444b0f3fb8b.txt": ["Updated on", "Leave a Comment"],
}
SEED_STORY = {
    "000_620401722db17032.txt": "On Wednesday, Putin’s trip will take him to Vladivostok",
    "001_d1e684ea8a98dfbd.txt": "at the Sergeyevsky military range",
    "002_2f9a8d31c71cbac8.txt": "the self-styled Donetsk People’s Republic and the Luhansk People’s Republic.",
    "003_f568edc58e7a7934.txt": "Ushakov said of Putin's schedule in Pyongyang",
    "004_881c2444b0f3fb8b.txt": "arms trade across Latin America and Far East.",
}


@pytest.mark.parametrize("name", sorted(SEED_STORY))
def test_seed_articles_lose_their_furniture_and_keep_their_story(name: str) -> None:
    cleaned = strip_furniture((SEEDS / name).read_text(encoding="utf-8"))
    for word in SEED_FURNITURE.get(name, []):
        assert word not in cleaned, word
    assert SEED_STORY[name] in cleaned
    assert "\n\n" in cleaned or name.startswith("000")  # paragraph breaks survive
