"""Removing page furniture from article text, before anything else looks at it.

Text copied from a web page carries more than the story: donation and newsletter
appeals, "ALSO READ" teasers, "Latest from …" and "Related News" link lists,
previous/next-story links, photo credits and publisher footers. Place names in that
furniture ("UK to Lead Gaza Rebuild") are not what the article is about, so they must
never reach the geoparser.

The rules work on lines and blocks of lines and are written for the kinds of furniture,
not for any one site's wording:
- a *tail marker* (a short standalone heading such as "Related News", "Don't Miss",
  "Previous Story", "Sign up for our newsletter", "Leave a Comment", or a publisher's
  contact footer) that comes after the story has started ends the story: it and
  everything after it go (before the story starts, only the line itself goes);
- *teaser* lines ("ALSO READ: …", "Read more: …") go;
- *widget* lines (close buttons, "3 mins read", "Updated on", "Share", "Go to top")
  and *credits* ("kremlin.ru", "Jane Doe/AP") go;
- an *appeal* (donation or subscription plea) goes as a line when it is short, and as a
  whole block when most of the block's lines are appeals;
- a line repeating the line just before it (a headline printed twice) goes.
Paragraph breaks are kept; runs of blank lines shrink to one.
"""

from __future__ import annotations

import re

_TAIL_MARKER = re.compile(
    r"""^(?:
        (?:latest|more|other|top)\s+(?:news\s+|stories\s+)?from\b.*
      | related\s*(?:news|stories|articles|posts|content|coverage|reading|topics)?
      | (?:you\s+(?:may|might)\s+(?:also\s+)?like|recommended(?:\s+for\s+you)?|read\s+next|up\s+next)
      | (?:most\s+(?:read|popular|viewed|shared)|trending(?:\s+now)?|popular\s+(?:now|stories|posts))
      | don[’']?t\s+miss(?:\s+this)?
      | (?:previous|next|prev)\s+(?:story|post|article|news)
      | (?:sign\s+up|subscribe)\b.*\bnewsletter.*
      | a\s+message\s+from\b.*
      | (?:leave\s+a\s+(?:comment|reply)|comments?|\d+\s+comments?|join\s+the\s+conversation)
      | (?:share\s+this(?:\s+(?:article|story))?|share\s+on|follow\s+us(?:\s+on)?)
      | (?:tags?|filed\s+under|topics?)\s*:.*
    )[\s:.!\-–—|]*$""",
    re.IGNORECASE | re.VERBOSE,
)

_TEASER = re.compile(
    r"^(?:also\s+read|read\s+also|read\s+more|see\s+also|must\s+read|related|watch|listen|more)\s*[:|\-–—]\s*\S",
    re.IGNORECASE,
)

_WIDGET = re.compile(
    r"""^(?:
        [×✕✖x]                                           # close buttons
      | \d+\s+mins?\.?\s+read | \d+\s+minutes?\s+read | reading\s+time.*
      | (?:updated|published|posted|last\s+updated)(?:\s+on)?\s*:?
      | (?:share|tweet|print|e-?mail|whatsapp|facebook|twitter|linkedin|telegram|copy\s+link)
      | (?:go\s*to\s*top|back\s+to\s+top|skip\s+to\s+(?:main\s+)?content|advertisement|sponsored)
      | (?:read\s+more|continue(?:\s+reading)?|load\s+more|see\s+more|show\s+more)
      | (?:once|monthly|annual|yearly|one-?time)                # donation-frequency buttons
      | (?:not\s+ready\s+to\s+support.*|remind\s+me\s+later.*|payment\s+methods?|paiment\s+methods?)
      | no\s+stories\s+found
    )[\s.:!?]*$""",
    re.IGNORECASE | re.VERBOSE,
)

_DOMAIN_CREDIT = re.compile(r"^(?:photo|image|picture|credit)?\s*:?\s*[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.IGNORECASE)
_AGENCY_CREDIT = re.compile(
    r"^(?:(?:photo|image|picture|credit)\s*:\s*)?[\w .'’-]{0,60}/\s*"
    r"(?:AP|AFP|Reuters|Getty(?:\s+Images)?|EPA(?:-EFE)?|TASS|Sputnik|Xinhua|Bloomberg|Shutterstock|ANI|PTI|IANS|dpa|Anadolu|Pool)\b.*$",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(r"^(?:photo|image|picture|file\s+photo)\s*(?:credit)?\s*:", re.IGNORECASE)

_PHONE = re.compile(r"(?:\b(?:ph|tel|phone|fax|mob)\b\.?\s*:?\s*\+*[\d(]|\+{1,2}\d[\d\s().-]{6,})", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_FOOTER_WORD = re.compile(r"\b(?:publisher|editor|reg\.?\s*no|copyright|all\s+rights\s+reserved)\b|©", re.IGNORECASE)

# Broad appeal vocabulary: only trusted when most of a block speaks it.
_APPEAL = re.compile(
    r"""\b(?:
        support\s+(?:us|our\s+(?:work|journalism))|your\s+support|donat\w*|contribut\w*|
        subscri\w*|newsletter|sign\s+up|ad-free|disabled\s+all\s+ads|reading\s+experience|
        our\s+journalism|independent\s+journalism|need\s+your\s+help|become\s+a\s+(?:member|patron|supporter)|
        mailbox|privacy\s+policy|fill\s+the\s+gap
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Appeal wording strong enough to condemn a short line on its own ("Support us"),
# unlike "donated" or "contributed", which news stories use.
_APPEAL_LINE = re.compile(
    r"\b(?:support\s+us|your\s+support|subscribe|newsletter|sign\s+up\s+for|ad-free|need\s+your\s+help|"
    r"our\s+journalism|become\s+a\s+(?:member|patron|supporter)|donate\s+(?:now|today|here)?)\b",
    re.IGNORECASE,
)

SHORT_LINE_WORDS = 12  # a standalone heading or button is this short
APPEAL_LINE_WORDS = 40  # an appeal line longer than this is more likely story text
STORY_STARTED_WORDS = 40  # a tail marker only counts once this much story came before it


def strip_furniture(text: str) -> str:
    """The story without its page furniture, paragraph breaks kept."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = _drop_appeal_blocks(lines)
    kept: list[str] = []
    story_words = 0
    previous = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        words = len(stripped.split())
        ends_story = (words <= SHORT_LINE_WORDS and _TAIL_MARKER.match(stripped)) or _is_contact_footer(stripped)
        if ends_story and story_words >= STORY_STARTED_WORDS:
            break
        if ends_story or _is_furniture_line(stripped, words) or stripped == previous:
            continue
        kept.append(line)
        previous = stripped
        story_words += words
    return _squeeze_blank_lines(kept)


def _is_furniture_line(line: str, words: int) -> bool:
    if _TEASER.match(line):
        return True
    if words <= SHORT_LINE_WORDS and (
        _WIDGET.match(line) or _DOMAIN_CREDIT.match(line) or _AGENCY_CREDIT.match(line) or _PHOTO_CREDIT.match(line)
    ):
        return True
    return words <= SHORT_LINE_WORDS and bool(_APPEAL_LINE.search(line))


def _is_contact_footer(line: str) -> bool:
    signals = bool(_PHONE.search(line)) + bool(_EMAIL.search(line)) + bool(_FOOTER_WORD.search(line))
    return signals >= 2 or (signals == 1 and "|" in line and len(line.split()) <= 30)


def _drop_appeal_blocks(lines: list[str]) -> list[str]:
    """Drop each block (lines between blank lines) in which most lines are appeals or widgets."""
    result: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block and not _is_appeal_block(block):
            result.extend(block)
        block.clear()

    for line in lines:
        if line.strip():
            block.append(line)
        else:
            flush()
            result.append(line)
    flush()
    return result


def _is_appeal_block(block: list[str]) -> bool:
    if len(block) < 2:
        return False
    hits = sum(
        1
        for line in block
        if (_APPEAL.search(line) and len(line.split()) <= APPEAL_LINE_WORDS) or _WIDGET.match(line.strip())
    )
    return hits * 2 > len(block)


def _squeeze_blank_lines(lines: list[str]) -> str:
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip() + "\n"
