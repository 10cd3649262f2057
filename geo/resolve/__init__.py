"""Toponym resolution: choose, for each mention, the place the article means.

A pipeline of small stages, each in its own module, over one article at a time:

    mentions ─> candidates ─> local features ─> scorer (context-free)
                                                   │
              coherence with the article (context) ─┴─> scorer ─> softmax ─> Resolutions

- `candidates`: the places a mention may be (gazetteer look-up, a feature word stripped
  or read beside the name, a compass part, a feature named for a town), as `Option`s;
- `features`: the named evidence each option carries (`Features`): its prior, the
  alternate-name penalty, feature words, qualifiers ("Athens, Ga."), national capitals,
  lists of places, and, each round, coherence with the rest of the article;
- `context`: what the article's other mentions currently say (their countries,
  divisions and points), from which the coherence features are read;
- `scoring`: turns features into a score. The hand-set weights of `HandScorer` are the
  default; another scorer is chosen by name (`Resolver(gaz, scorer="hand")`).
Scores become a confidence by a softmax that includes a "none of these" option, so a lone,
obscure match is not reported as certain. Analysts' pins are applied after resolution, by
`geo.pins.apply_pins`.
"""

from geo.resolve.resolver import Resolver
from geo.resolve.scoring import SCORERS, HandScorer, Scorer, Weights, make_scorer

__all__ = ["SCORERS", "HandScorer", "Resolver", "Scorer", "Weights", "make_scorer"]
