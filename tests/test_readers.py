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
    (tmp_path / "notes.md").write_text("id\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("id,published\na,2024-01-01\n", encoding="utf-8")  # a sidecar, not articles
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
    assert read(path) == ([], [f"{path}: unsupported file type .pdf; expected one of .txt, .html, .htm, .jsonl, .jsonl.gz, .csv, .csv.gz, .parquet"])


def test_csv_rows_become_articles_and_bad_rows_are_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "id,text,title,published,extra\n"
        'c1,"Floods in Dhaka.\nRain went on in Sylhet.",Dhaka floods,2024-07-01,x\n'  # a cell over two lines
        "c2,,No text,,\n"
        "c3,Quake near Kathmandu.,,,\n"
        "c4,too,few\n"
        "c3,Again Kathmandu.,,,\n",
        encoding="utf-8",
    )
    articles, problems = read(path)
    assert [a.article_id for a in articles] == ["c1", "c3"]
    assert articles[0].text == "Floods in Dhaka.\nRain went on in Sylhet."
    assert articles[0].fields == {"title": "Dhaka floods", "published": "2024-07-01"}
    assert articles[0].fields_source == "csv" and articles[1].source_path == f"{path}:5"
    assert problems == [
        f"{path}:4: field 'text' must be a non-empty string",
        f"{path}:6: 3 field(s) where the header has 5",
        f"{path}:7: duplicate id 'c3' in this file",
    ]


def test_other_column_names_are_mapped_by_option(tmp_path: Path) -> None:
    path = tmp_path / "cms.csv"
    path.write_text("story_id,body,headline\ns1,Storm near Manila.,Storm\n", encoding="utf-8")
    assert read(path)[1] == [f"{path}:1: no column(s) 'id', 'text' in the header (--columns maps other names)"]
    (article,), problems = read(path, columns={"id": "story_id", "text": "body", "title": "headline"})
    assert (article.article_id, article.text, article.fields, problems) == ("s1", "Storm near Manila.", {"title": "Storm"}, [])


def test_gzipped_jsonl_and_csv_are_read_as_a_stream_with_bad_lines_named(tmp_path: Path) -> None:
    import gzip

    feed = tmp_path / "feed.jsonl.gz"
    with gzip.open(feed, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"id": "g1", "text": STORY}) + "\n{bad\n" + json.dumps({"id": "g2", "text": STORY}) + "\n")
    table = tmp_path / "rows.csv.gz"
    with gzip.open(table, "wt", encoding="utf-8", newline="") as out:
        out.write("id,text\nr1,Quake near Kathmandu.\nr2,\n")
    broken = tmp_path / "cut.jsonl.gz"
    broken.write_bytes(gzip.compress((json.dumps({"id": "k1", "text": STORY}) + "\n").encode() * 50)[:-30])
    articles, problems = read(feed, table, broken)
    assert [a.article_id for a in articles][:3] == ["g1", "g2", "r1"]
    assert problems[:2] == [
        f"{feed}:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{table}:3: field 'text' must be a non-empty string",
    ]
    assert len(problems) == 3 and problems[2].startswith(f"{broken}: ")


def test_parquet_rows_become_articles_and_bad_rows_are_named_by_row(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "export.parquet"
    pd.DataFrame({
        "id": ["p1", "p2", "p3"],
        "text": [STORY, None, "Quake near Kathmandu."],
        "outlet": ["Wire", None, None],
        "published": pd.to_datetime(["2024-07-01", None, "2024-07-02"]),
    }).to_parquet(path)
    articles, problems = read(path)
    assert [a.article_id for a in articles] == ["p1", "p3"]
    assert articles[0].fields == {"outlet": "Wire", "published": "2024-07-01T00:00:00"}
    assert problems == [f"{path}: row 2: field 'text' must be a non-empty string"]
    not_parquet = tmp_path / "fake.parquet"
    not_parquet.write_bytes(b"PAR1 this is not parquet")
    assert read(not_parquet)[1][0].startswith(f"{not_parquet}: not a readable Parquet file")


def test_a_record_file_is_not_bound_by_the_file_size_limit_but_each_record_is(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": STORY}) + "\n" for i in range(50))
                    + json.dumps({"id": "huge", "text": "Lagos. " * 400}) + "\n", encoding="utf-8")
    articles, problems = read(path, max_bytes=2000)
    assert len(articles) == 50 and problems == [f"{path}:51: text is over the 2,000-byte limit"]


def test_a_folder_is_read_with_its_folders_and_ids_are_paths_under_it(tmp_path: Path) -> None:
    for name in ("a/x.txt", "b/x.txt", "x.txt", ".hidden/y.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(STORY, encoding="utf-8")
    articles, problems = read(tmp_path)
    assert [a.article_id for a in articles] == ["a/x", "b/x", "x"] and problems == []
