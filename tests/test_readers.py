"""Every kind of input is read, and every kind of bad input gets one clear message."""

import json
import os
from pathlib import Path

import pytest

from geo.readers import InputProblem, RawArticle, read_inputs

STORY = "Heavy rain flooded streets in Dhaka on Sunday, officials in Bangladesh said.\n"


def read(*paths: Path, **kwargs) -> tuple[list[RawArticle], list[str]]:
    items = list(read_inputs(paths, **kwargs))
    return [i for i in items if isinstance(i, RawArticle)], [str(i) for i in items if isinstance(i, InputProblem)]


def test_text_file_is_read_with_its_name_as_id(tmp_path: Path) -> None:
    path = tmp_path / "000_abc.txt"
    path.write_text(STORY, encoding="utf-8")
    (article,), problems = read(path)
    assert (article.article_id, article.text, problems) == ("000_abc", STORY, [])


def test_html_page_gives_main_text_and_metadata(tmp_path: Path) -> None:
    body = "<p>" + "Firefighters in Valparaiso, Chile, fought a blaze that spread across the hills. " * 4 + "</p>"
    html = (
        "<html><head><title>Fire in Valparaiso</title>"
        '<meta property="og:site_name" content="Coast Herald">'
        '<meta property="article:published_time" content="2024-02-03T08:00:00Z"></head>'
        f"<body><nav>Home | Sport | Weather in Lima</nav><article><h1>Fire in Valparaiso</h1>{body}</article>"
        "<footer>© Coast Herald, Santiago</footer></body></html>"
    )
    path = tmp_path / "fire.html"
    path.write_text(html, encoding="utf-8")
    (article,), problems = read(path)
    assert problems == []
    assert "Firefighters in Valparaiso" in article.text and "Weather in Lima" not in article.text
    assert article.fields["title"] == "Fire in Valparaiso"
    assert article.fields["published"] == "2024-02-03"
    assert article.fields_source == "html"


def test_jsonl_lines_become_articles_and_bad_lines_are_named(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": STORY, "title": "Dhaka floods", "published": "2024-07-01", "outlet": "Wire"}),
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps({"id": "a1", "text": "again"}),
        json.dumps(["a list"]),
        "",
        json.dumps({"id": 7, "text": "Quake near Kathmandu."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, problems = read(path)
    assert [a.article_id for a in articles] == ["a1", "7"]
    assert articles[0].fields == {"title": "Dhaka floods", "published": "2024-07-01", "outlet": "Wire"}
    assert problems == [
        f"{path}:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{path}:3: missing required field 'text'",
        f"{path}:4: duplicate id 'a1' in this file",
        f"{path}:5: expected a JSON object with 'id' and 'text'",
    ]


def test_jsonl_text_may_hold_unescaped_line_separators(tmp_path: Path) -> None:
    """JSON allows U+0085 and U+2028 raw inside strings; they do not end a JSONL line."""
    path = tmp_path / "feed.jsonl"
    text = "Storm hits Manila.\u0085Ferries halted in Cebu.\u2028Schools shut in Davao."
    path.write_text(json.dumps({"id": "ph", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,), problems = read(path)
    assert problems == [] and article.text == text


def test_folder_means_every_article_file_in_it(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text(STORY, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("id\n", encoding="utf-8")
    articles, problems = read(tmp_path)
    assert [a.article_id for a in articles] == ["a", "b"] and problems == []


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    assert read(path) == ([], [f"{path}: file is empty"])


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert read(path) == ([], [f"{path}: binary file, not text"])


def test_non_utf8_file_is_decoded_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    text = "Les habitants de Besançon et de Château-Thierry ont manifesté dimanche à Orléans. " * 3
    path.write_bytes(text.encode("cp1252"))
    (article,), problems = read(path)
    assert problems == [] and article.text == text
    assert article.notice is not None and article.notice.startswith("not UTF-8; decoded as")


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    assert read(path) == ([], [f"{path}: no such file or folder"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(STORY, encoding="utf-8")
    path.chmod(0)
    assert read(path) == ([], [f"{path}: cannot read file: permission denied"])


def test_unreadable_path_as_root_too(tmp_path: Path) -> None:
    """A path that is there but cannot be read as a file (a dangling link)."""
    path = tmp_path / "dangling.txt"
    path.symlink_to(tmp_path / "gone.txt")
    articles, problems = read(path)
    assert articles == [] and problems == [f"{path}: cannot read file: No such file or directory"]


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(STORY * 100, encoding="utf-8")
    size = path.stat().st_size
    assert read(path, max_bytes=1000) == ([], [f"{path}: file is {size:,} bytes, over the 1,000-byte limit"])


def test_unsupported_file_type_named_directly(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert read(path) == ([], [f"{path}: unsupported file type .pdf; expected one of .txt, .html, .htm, .jsonl"])
