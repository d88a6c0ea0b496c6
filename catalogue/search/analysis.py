"""French text analysis shared by the index and the queries: fold, drop stop words, stem.

Both sides go through the same Python code, on SQLite and on PostgreSQL alike: the database only
ever sees folded ASCII stems separated by spaces, so no database-side dictionary can disagree.
Folding comes before stemming because the Snowball stemmer treats accents as letters ("données"
→ "don" but "donnees" → "donne"): folding first makes « Données », "donnees" and "DONNÉE" one term.
"""

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from territories.text import fold

# Longer words are cut, on both sides alike (a 500-letter word still finds itself); 40 letters
# keep "anticonstitutionnellement" whole and bound what the databases store per term.
MAX_TERM_LENGTH = 40
# A query keeps its first meaningful words only: every word must match, so a pasted paragraph
# would find nothing anyway, and each word costs the database a posting list.
MAX_QUERY_TERMS = 10

# Folded French function words: they match almost every title and mean nothing on their own.
# Content-bearing short words ("plus", "sans", "ville") are deliberately not in the list.
_STOP_WORDS = """
    a ai aie as au aux avec avons avez c ce ceci cela celle celles celui ces cet cette ceux d
    dans de des du elle elles en es est et etaient etait ete etre eu eux il ils j je l la le les
    leur leurs lui m ma mais me mes moi mon n ne nos notre nous on ont ou par pas pour qu que qui
    s sa se ses si soit sommes son sont sur t ta te tes toi ton tu un une vos votre vous y
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class QueryTerms:
    """What a typed query becomes: the stems every result must contain, and what was set aside."""

    text: str  # the query as typed, stripped
    terms: tuple[str, ...]  # distinct stems, in typed order
    words: tuple[str, ...]  # the word typed for each term, to name it in messages
    stop_words: tuple[str, ...]  # folded words ignored as too common
    truncated: bool  # words beyond MAX_QUERY_TERMS were ignored

    @property
    def is_empty(self) -> bool:
        return not self.terms


_local = threading.local()
_TYPED_WORD = re.compile(r"[^\W_]+")


def _stemmer():
    # Snowball stemmers keep their working state on the instance: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The stem of a folded word, cut to MAX_TERM_LENGTH (words repeat a lot: cached)."""
    return _stemmer().stemWord(word[:MAX_TERM_LENGTH])[:MAX_TERM_LENGTH]


@lru_cache(maxsize=100_000)
def _folded_words(token: str) -> tuple[str, ...]:
    return tuple(fold(token).split())


def folded_words(text: str) -> list[str]:
    """fold(text).split(), token by token: the same words, and tokens repeat, so it is cached.

    Splitting at white space first changes nothing: fold turns white space into separators.
    """
    return [word for token in text.split() for word in _folded_words(token)]


def index_terms(*texts: str) -> str:
    """The stems of some texts, space-separated, as the index stores them."""
    return " ".join(
        stem(word) for text in texts for word in folded_words(text) if word not in STOP_WORDS
    )


def query_terms(text: str) -> QueryTerms:
    """Analyse a typed query exactly as index_terms analyses documents."""
    text = text.strip()
    folded = folded_words(text)
    # The words as typed (« données »), when they line up with the folded ones.
    typed = [(raw, word) for raw in _TYPED_WORD.findall(text) for word in fold(raw).split()]
    shown = [raw for raw, _word in typed] if [w for _r, w in typed] == folded else folded
    terms: list[str] = []
    words: list[str] = []
    stop_words: list[str] = []
    truncated = False
    for word, display in zip(folded, shown, strict=True):
        if word in STOP_WORDS:
            if word not in stop_words:
                stop_words.append(word)
            continue
        term = stem(word)
        if term in terms:
            continue
        if len(terms) == MAX_QUERY_TERMS:
            truncated = True
            break
        terms.append(term)
        words.append(display)
    return QueryTerms(
        text=text,
        terms=tuple(terms),
        words=tuple(words),
        stop_words=tuple(stop_words),
        truncated=truncated,
    )
