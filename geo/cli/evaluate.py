"""`geo evaluate --gold GOLD.jsonl [--pred PRED.jsonl]`: score predictions against gold toponyms.

Prints precision, recall, F1 (recognition), A@161, mean and median error in km, AUC
(resolution), E2E@161 and gross errors per 1,000 matched mentions (a town more than
1,000 km off, a big area more than 2,000 km), as defined in geo.evaluate. Without --pred
the gold texts are geoparsed first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.cli.parse import add_processes, mention_record, parse_documents


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "evaluate",
        help="score geoparser predictions (or a fresh parse) against a gold JSONL corpus",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument("--gold", type=Path, required=True, metavar="GOLD.jsonl",
                        help='{"id", "text", "toponyms": [{"start", "end", "lat", "lon"}]} a line')
    parser.add_argument("--pred", type=Path, metavar="PRED.jsonl", help="output of geo parse (parse now if absent)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    add_processes(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    # here, not at the top: every `geo` command builds this parser, and geo.evaluate brings geopy
    from geo.evaluate import EvaluationInputError, Toponym, format_scores, read_gold, read_predictions, score_corpus

    try:
        texts, gold = read_gold(args.gold)
        if args.pred is not None:
            predicted = read_predictions(args.pred, texts)
        else:
            predicted = {
                doc_id: [Toponym((m["start"], m["end"]), None if m["lat"] is None else (m["lat"], m["lon"]),
                                 m["feature"])
                         for m in map(mention_record, resolved)]
                for doc_id, resolved in parse_documents(list(texts.items()), args.processes)
            }
        scores = score_corpus(gold, predicted)
    except EvaluationInputError as exc:
        print(f"geo evaluate: {exc}", file=sys.stderr)
        return 2
    print(f"gold: {args.gold}\npred: {args.pred if args.pred else '(parsed now)'}")
    print(format_scores(scores))
    if args.json:
        print(json.dumps(scores.as_dict(), sort_keys=True))
    return 0
