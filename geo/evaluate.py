"""Scoring a geoparser against gold toponyms: recognition, resolution and end to end.

The definitions are the ones geoparsing papers use (Gritta et al. 2018), so figures can
be compared with published ones:

- recognition: a prediction matches a gold toponym when their character spans overlap;
  each is matched at most once, pairs taken greedily by largest overlap (ties: smaller
  total boundary distance, then earlier gold, then earlier prediction).
  P = matched / predictions, R = matched / gold, F1 = 2·matched / (predictions + gold).
- resolution, over matched pairs with gold coordinates: great-circle error (haversine,
  R = 6371.009 km); a match without predicted coordinates counts as MAX_ERROR_KM.
  A@161 is the share within 161 km; mean and median km; AUC is the trapezoid area under
  the sorted ln(1 + error) / ln(MAX_ERROR_KM) curve over x in [0, 1] (lower is better).
- E2E@161: matched pairs placed within 161 km over all gold toponyms with coordinates.
- gross errors per 1,000 matched mentions: the errors an analyst notices on the map, a
  wrong namesake or a body taken for a town, rather than a convention of where a big area's
  point lies. A town, county or landmark placed more than GROSS_TOWN_KM off, or a big area
  (country, first-level division, region, continent, sea, physical feature) more than
  GROSS_AREA_KM off: conventions for a big area's point differ by up to ~1,000 km (Canada at
  60N 95W or 60N 114W), a wrong namesake does not. The class is the predicted place's
  (`feature` in the predictions, as `geo parse` writes it); a prediction without one is
  judged as a town. Unplaced matches are misses for A@161 but never gross errors.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geo.distance import great_circle_km


MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the worst possible error
ACCURACY_KM = 161.0  # 100 miles
GROSS_TOWN_KM = 1000.0
GROSS_AREA_KM = 2000.0
# Feature classes judged as big areas for gross errors; every other class as a town.
BIG_AREA_FEATURES = frozenset({"country", "admin1", "region", "continent", "water", "physical"})

Span = tuple[int, int]
Coords = tuple[float, float] | None


class EvaluationInputError(ValueError):
    """A gold or prediction file that cannot be scored; the message names file and line."""


@dataclass(frozen=True)
class Toponym:
    span: Span
    coords: Coords
    feature: str | None = None  # the predicted place's class (gold toponyms have none)


@dataclass
class Scores:
    gold: int = 0
    gold_with_coords: int = 0
    predicted: int = 0
    matched: int = 0
    unresolved: int = 0  # matched predictions without coordinates
    hits: int = 0  # matched pairs within ACCURACY_KM
    gross: int = 0  # matched pairs placed grossly wrong (see gross_error)
    errors_km: list[float] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        total = self.predicted + self.gold
        return 2 * self.matched / total if total else None

    @property
    def acc161(self) -> float | None:
        return self.hits / len(self.errors_km) if self.errors_km else None

    @property
    def mean_km(self) -> float | None:
        return statistics.fmean(self.errors_km) if self.errors_km else None

    @property
    def median_km(self) -> float | None:
        return statistics.median(self.errors_km) if self.errors_km else None

    @property
    def auc(self) -> float | None:
        return error_auc(self.errors_km)

    @property
    def e2e161(self) -> float | None:
        return self.hits / self.gold_with_coords if self.gold_with_coords else None

    @property
    def gross_per_1000(self) -> float | None:
        return 1000 * self.gross / len(self.errors_km) if self.errors_km else None

    def as_dict(self) -> dict[str, float | int | None]:
        names = ("precision", "recall", "f1", "acc161", "mean_km", "median_km", "auc", "e2e161",
                 "gross_per_1000", "gold", "predicted", "matched", "unresolved", "gross")
        return {name: getattr(self, name) for name in names}


def gross_error(error_km: float, feature: str | None) -> bool:
    """Is a placed mention this far off a wrong place rather than a point convention?"""
    return error_km > (GROSS_AREA_KM if feature in BIG_AREA_FEATURES else GROSS_TOWN_KM)


def error_auc(errors_km: Iterable[float]) -> float | None:
    """Area under the sorted, log-scaled error curve, both axes normalised to [0, 1]."""
    scaled = sorted(math.log1p(e) / math.log(MAX_ERROR_KM) for e in errors_km)
    if not scaled:
        return None
    if len(scaled) == 1:
        return scaled[0]
    inner = sum(scaled[1:-1])
    return (inner + (scaled[0] + scaled[-1]) / 2) / (len(scaled) - 1)


def match(gold: list[Span], predicted: list[Span]) -> dict[int, int]:
    """Gold index -> prediction index, one-to-one, greedily by largest overlap."""
    options = []
    for g, (gs, ge) in enumerate(gold):
        for p, (ps, pe) in enumerate(predicted):
            shared = min(ge, pe) - max(gs, ps)
            if shared > 0:
                options.append((-shared, abs(gs - ps) + abs(ge - pe), g, p))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for *_, g, p in sorted(options):
        if g not in pairs and p not in taken:
            pairs[g] = p
            taken.add(p)
    return pairs


def score_document(scores: Scores, gold: list[Toponym], predicted: list[Toponym]) -> None:
    """Add one document's counts to `scores`."""
    scores.gold += len(gold)
    scores.gold_with_coords += sum(t.coords is not None for t in gold)
    scores.predicted += len(predicted)
    pairs = match([t.span for t in gold], [t.span for t in predicted])
    scores.matched += len(pairs)
    for g, p in pairs.items():
        truth, guess = gold[g].coords, predicted[p].coords
        if truth is None:
            continue
        if guess is None:
            scores.unresolved += 1
            error = MAX_ERROR_KM
        else:
            error = great_circle_km(truth, guess)
            scores.gross += gross_error(error, predicted[p].feature)
        scores.errors_km.append(error)
        scores.hits += error <= ACCURACY_KM


def score_corpus(gold: dict[str, list[Toponym]], predicted: dict[str, list[Toponym]]) -> Scores:
    """Micro-averaged scores; a gold document missing from `predicted` has no predictions."""
    unknown = sorted(set(predicted) - set(gold))
    if unknown:
        raise EvaluationInputError(f"{len(unknown)} predicted document id(s) not in gold: {unknown[:5]}")
    scores = Scores()
    for doc_id, toponyms in gold.items():
        score_document(scores, toponyms, predicted.get(doc_id, []))
    return scores


# --- reading files ------------------------------------------------------------------

def _jsonl(path: Path) -> Iterator[tuple[str, dict]]:
    try:
        # JSON Lines end at "\n" only: str.splitlines() would also break inside a text at
        # U+0085, U+2028 and other separators that JSON strings may carry unescaped.
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except OSError as exc:
        raise EvaluationInputError(f"{path}: cannot read: {exc.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationInputError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise EvaluationInputError(f"{where}: needs an object with a string \"id\"")
        yield where, row


def _toponym(item: object, text_length: int, where: str) -> Toponym:
    if not isinstance(item, dict):
        raise EvaluationInputError(f"{where}: a toponym or mention must be an object")
    start, end = item.get("start"), item.get("end")
    if not (type(start) is int and type(end) is int and 0 <= start < end <= text_length):
        raise EvaluationInputError(f"{where}: bad span {start!r}-{end!r} for a text of {text_length} characters")
    lat, lon = item.get("lat"), item.get("lon")
    feature = item.get("feature")
    if feature is not None and not isinstance(feature, str):
        raise EvaluationInputError(f"{where}: feature must be a string or null, got {feature!r}")
    if lat is None and lon is None:
        return Toponym((start, end), None, feature)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon)):
        raise EvaluationInputError(f"{where}: lat/lon must both be numbers or both null, got {lat!r}, {lon!r}")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise EvaluationInputError(f"{where}: lat/lon out of range: {lat}, {lon}")
    return Toponym((start, end), (float(lat), float(lon)), feature)


def read_gold(path: Path) -> tuple[dict[str, str], dict[str, list[Toponym]]]:
    """Texts and toponyms by document id."""
    texts: dict[str, str] = {}
    toponyms: dict[str, list[Toponym]] = {}
    for where, row in _jsonl(path):
        doc_id, text = row["id"], row.get("text")
        if doc_id in texts:
            raise EvaluationInputError(f"{where}: duplicate id {doc_id!r}")
        if not isinstance(text, str) or not isinstance(row.get("toponyms", []), list):
            raise EvaluationInputError(f"{where}: needs a string \"text\" and a list \"toponyms\"")
        texts[doc_id] = text
        toponyms[doc_id] = [_toponym(t, len(text), where) for t in row.get("toponyms", [])]
    return texts, toponyms


def read_predictions(path: Path, texts: dict[str, str]) -> dict[str, list[Toponym]]:
    predicted: dict[str, list[Toponym]] = {}
    for where, row in _jsonl(path):
        doc_id = row["id"]
        if doc_id in predicted:
            raise EvaluationInputError(f"{where}: duplicate id {doc_id!r}")
        if doc_id not in texts:
            raise EvaluationInputError(f"{where}: id {doc_id!r} is not in the gold file")
        mentions = row.get("mentions")
        if not isinstance(mentions, list):
            raise EvaluationInputError(f"{where}: needs a list \"mentions\"")
        predicted[doc_id] = [_toponym(m, len(texts[doc_id]), where) for m in mentions]
    return predicted


def format_scores(scores: Scores) -> str:
    def ratio(v: float | None) -> str:
        return "-" if v is None else f"{v:.4f}"

    def km(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f}"

    rows = [
        ("precision", ratio(scores.precision)),
        ("recall", ratio(scores.recall)),
        ("F1", ratio(scores.f1)),
        ("A@161", ratio(scores.acc161)),
        ("mean error km", km(scores.mean_km)),
        ("median error km", km(scores.median_km)),
        ("AUC (lower=better)", ratio(scores.auc)),
        ("E2E@161", ratio(scores.e2e161)),
        ("gross errors /1000", km(scores.gross_per_1000)),
        ("gold toponyms", str(scores.gold)),
        ("predictions", str(scores.predicted)),
        ("matched", str(scores.matched)),
        ("matched, no coords", str(scores.unresolved)),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value:>10}" for name, value in rows)
