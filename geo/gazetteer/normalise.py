"""One key for every way a place name can be written.

Articles, GeoNames and ISO write the same name with different case, diacritics,
punctuation and abbreviations ("St. Louis", "Saint Louis"; "U.S.", "US"; "Côte d'Ivoire").
Both the index and the look-ups go through `name_key`, so a match never depends on those.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Words that are abbreviated either way in names; the key always uses the short form.
_WORD_FORMS = {
    "saint": "st",
    "sainte": "ste",
    "mount": "mt",
    "fort": "ft",
    "and": "&",
}


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Case-, diacritics- and punctuation-insensitive key: "the U.S." -> "us".

    Apostrophes and dots vanish without a space ("People's" -> "peoples", "U.S." -> "us")
    so abbreviations and possessives match their plain spellings; other punctuation
    separates words. A leading "the" is dropped ("the Baltics" == "Baltics").
    """
    text = unidecode(name).lower()
    text = text.replace("'", "").replace(".", "").replace("`", "")
    words = _NOT_ALNUM.sub(" ", text.replace("&", " & ")).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(_WORD_FORMS.get(word, word) for word in words)
