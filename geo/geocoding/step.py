"""The ingest step that sends what the gazetteer could not place to an online geocoder.

Cache first: a name in the `geocoder_cache` table never goes to the network again, and
a name that failed earlier in this run is not asked twice. Answers, including "no such
place", are cached with service, query and time; failures are not (the next run tries
again). Each failure reason is reported once, in the run's summary, never as an error
that stops the ingest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import partial

from geo.gazetteer.normalise import name_key
from geo.geocoding.client import GeocoderClient, LookupFailed
from geo.records import Article, Candidate, Resolution, ResolvedMention
from geo.store import CachedAnswer, Store

# A geocoder answers a bare name without the article around it, so its first answer is
# worth less than a gazetteer choice made in context; runners-up get rank-based shares.
GEOCODER_CONFIDENCE = 0.5
NAMES_SHOWN = 5


class OnlineLookup:
    def __init__(self, store: Store, client: GeocoderClient) -> None:
        self.store = store
        self.client = client
        self.source = f"geocoder:{client.name}"
        self.tally: Counter[str] = Counter()
        self.failed: dict[str, str] = {}  # name key -> reason, for this run
        self.failures: dict[str, list[str]] = {}  # reason -> names

    def wants(self, rm: ResolvedMention) -> bool:
        """Unplaced literal places and metonyms; a demonym's place is the gazetteer's business."""
        return rm.resolution.place is None and rm.mention.kind != "demonym"

    def __call__(self, article: Article, mentions: list[ResolvedMention]) -> list[ResolvedMention]:
        return self.resolve(mentions)

    def resolve(self, mentions: list[ResolvedMention], count: bool = True) -> list[ResolvedMention]:
        return [self._resolve(rm, count) if self.wants(rm) else rm for rm in mentions]

    def _resolve(self, rm: ResolvedMention, count: bool) -> ResolvedMention:
        query = rm.mention.name
        answer = self._answer(query, count)
        if isinstance(answer, str):
            return self._unresolved(rm, answer)
        if not answer.places:
            return self._unresolved(rm, f"{self.client.name} knows no place called '{query}'")
        best, *rest = answer.places
        runners = tuple(Candidate(p, round(GEOCODER_CONFIDENCE / (i + 2), 4)) for i, p in enumerate(rest))
        resolution = Resolution(best, GEOCODER_CONFIDENCE, runners, self.source, f"answered by {self.client.name}")
        return ResolvedMention(rm.mention, resolution, answer.queried_at)

    def _answer(self, query: str, count: bool = True) -> CachedAnswer | str:
        """The cached or fresh answer, or the reason there is none."""
        cached = self.store.cached_answer(self.client.name, query)
        if cached is not None:
            self.tally["from cache"] += count
            return cached
        key = name_key(query)
        if key in self.failed:
            return self.failed[key]
        try:
            places = self.client.search(query)
        except LookupFailed as failure:
            reason = str(failure)
            self.failed[key] = reason
            self.failures.setdefault(reason, []).append(query)
            return reason
        self.tally["asked"] += 1
        self.tally["found" if places else "no match"] += 1
        return self.store.cache_answer(self.client.name, query, places, self.client.url)

    def _unresolved(self, rm: ResolvedMention, reason: str) -> ResolvedMention:
        earlier = rm.resolution.reason or ""
        earlier = "" if earlier.startswith(f"{self.source}: ") else earlier.split(f"; {self.source}: ")[0]
        why = f"{earlier}; {self.source}: {reason}" if earlier else f"{self.source}: {reason}"
        return replace(rm, resolution=replace(rm.resolution, reason=why))

    def revisit_stored(self) -> int:
        """Give stored articles' unplaced mentions their turn too (articles skipped as unchanged,
        or ingested while the service was off or down). Returns how many articles changed.
        The network is asked first, outside any transaction, so no write lock is held while waiting."""
        rows = self.store.conn.execute(
            "SELECT DISTINCT article_id, name FROM mentions WHERE place_id IS NULL AND kind != 'demonym'"
        ).fetchall()
        pending = [(aid, name) for aid, name in rows if self._worth_trying(name)]
        for _, name in pending:
            self._answer(name)
        from_cache = partial(self.resolve, count=False)
        return sum(self.store.update_mentions(aid, from_cache) for aid in sorted({aid for aid, _ in pending}))

    def _worth_trying(self, name: str) -> bool:
        """False when the answer is known to be "no place": cached as such, or failed this run."""
        cached = self.store.cached_answer(self.client.name, name)
        return bool(cached.places) if cached else name_key(name) not in self.failed

    def finish(self) -> list[str]:
        """Revisit stored articles, then the run's summary: counts, and each failure reason once."""
        revisited = self.revisit_stored()
        t = self.tally
        lines = [
            f"online geocoder {self.client.name} at {self.client.url}: {t['asked']} name(s) asked "
            f"({t['found']} found, {t['no match']} without a match), {t['from cache']} answered from the cache"
            + (f"; {revisited} stored article(s) updated" if revisited else "")
        ]
        for reason, names in self.failures.items():
            shown = ", ".join(f"'{n}'" for n in names[:NAMES_SHOWN])
            more = f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
            lines.append(f"online geocoder {self.client.name}: {reason}; left unresolved: {shown}{more}")
        return lines
