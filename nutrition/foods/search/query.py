"""Reading a query: each word with its alternatives (synonyms, joined or split words,
completions of a half-typed last word, typo corrections from the vocabulary)."""

# SQL here interpolates only module constants and fixed fragments; whatever the person typed
# is always passed as a query parameter.
# ruff: noqa: S608
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from nutrition.foods.search.structures import VOCAB_TABLE, VOCAB_TRIGRAMS
from nutrition.foods.search.words import (
    STOPWORDS,
    SYNONYMS,
    damerau_levenshtein,
    inflections,
    stem,
    words,
)


@dataclass(frozen=True)
class Alternative:
    """One way to satisfy a query word: a word or phrase (stems) and how much it counts."""

    stems: tuple[str, ...]
    weight: float = 1.0


@dataclass
class Concept:
    """One thing the person asked for; matched when any of its alternatives is."""

    alternatives: list[Alternative]
    span: int = 1  # how many query words it stands for

    def add(self, stems: tuple[str, ...], weight: float) -> None:
        for i, alt in enumerate(self.alternatives):
            if alt.stems == stems:
                if weight > alt.weight:
                    self.alternatives[i] = Alternative(stems, weight)
                return
        self.alternatives.append(Alternative(stems, weight))


@dataclass
class Query:
    text: str
    readings: list[list[Concept]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.readings)


COMPLETIONS = 6  # words offered for the word being typed


class _Vocabulary:
    """Document counts of index words, looked up a query at a time."""

    def __init__(self, cursor) -> None:
        self.cursor = cursor
        self.docs: dict[str, int] = {}
        self.completions: list[str] = []  # of the word being typed, commonest first

    def load(self, terms: Iterable[str], *, prefix: str = "") -> None:
        """Fetch the counts of `terms` and, in the same statement, the commonest words
        starting with `prefix` (the word being typed)."""
        wanted = sorted(set(terms) - self.docs.keys())
        if not wanted and not prefix:
            return
        marks = ", ".join(["%s"] * len(wanted)) or "NULL"
        sql = f"SELECT term, docs, 0 FROM {VOCAB_TABLE} WHERE term IN ({marks})"
        params: list = list(wanted)
        if prefix:
            sql = (
                f"SELECT * FROM ({sql}) w UNION ALL SELECT * FROM (SELECT term, docs, 1 "
                f"FROM {VOCAB_TABLE} WHERE term > %s AND term < %s "
                f"ORDER BY docs DESC, term LIMIT {COMPLETIONS}) c"
            )
            params += [prefix, prefix + "\x7f"]
        self.cursor.execute(sql, params)
        found = {}
        for term, docs, completion in self.cursor.fetchall():
            if completion:
                self.completions.append(term)
            else:
                found[term] = docs
        self.docs.update({t: found.get(t, 0) for t in wanted})

    def known(self, stem_: str) -> bool:
        return any(self.docs.get(f, 0) for f in inflections(stem_))

    def corrections(self, word: str) -> list[tuple[int, str]]:
        """Index words within a small edit distance of a word the index does not hold."""
        if len(word) < 4:
            return []
        grams = {word[i : i + 3] for i in range(len(word) - 2)}
        if connection.vendor == "sqlite":
            match = " OR ".join(f'"{g}"' for g in sorted(grams))
            self.cursor.execute(
                f"SELECT v.term, v.docs FROM {VOCAB_TRIGRAMS} t "
                f"JOIN {VOCAB_TABLE} v ON v.id = t.rowid "
                f"WHERE {VOCAB_TRIGRAMS} MATCH %s ORDER BY t.rank LIMIT 60",
                [match],
            )
        else:
            self.cursor.execute(
                f"SELECT term, docs FROM {VOCAB_TABLE} ORDER BY term <-> %s LIMIT 40", [word]
            )
        limit = 1 if len(word) < 7 else 2
        found = []
        for term, docs in self.cursor.fetchall():
            distance = damerau_levenshtein(word, term, limit)
            if distance <= limit and stem(term) != stem(word):
                found.append((distance, -docs, term))
        found.sort()
        return [(d, t) for d, _, t in found[:3]]


def parse_query(text: str, cursor) -> Query:
    """Turn what the person typed into concepts with alternatives (see the module doc)."""
    # Single letters carry no meaning (a half-typed word, the "s" of "Kellogg's").
    raw = [w for w in words(text) if len(w) > 1 or w.isdigit()][:8]
    query = Query(text)
    tokens = [w for w in raw if w not in STOPWORDS] or raw
    if not tokens:
        return query
    typing = bool(text) and text[-1].isalnum() and words(text)[-1] == tokens[-1]
    stems = [stem(w) for w in tokens]
    vocab = _Vocabulary(cursor)
    pairs = [a + b for a, b in itertools.pairwise(tokens)]
    # Neighbouring words written as one ("soy milk", "soya milk" → "soymilk").
    joined = [
        {left + stems[i + 1] for left in {tokens[i], *_single_synonyms(stems[i])}}
        for i in range(len(pairs))
    ]
    vocab.load(
        [f for s in stems for f in inflections(s)]
        + tokens
        + [f for words_ in joined for word in words_ for f in inflections(word)],
        prefix=tokens[-1] if typing and len(tokens[-1]) >= 2 else "",
    )

    concepts = []
    for i, (token, s) in enumerate(zip(tokens, stems, strict=True)):
        concept = Concept([Alternative((s,))])
        for synonym in SYNONYMS.get(s, []):
            concept.add(synonym, 0.95)
        if not vocab.known(s):
            if typing and i == len(tokens) - 1:
                for word in vocab.completions:
                    concept.add((stem(word),), 0.75)
            split = _split(token, vocab)
            if split:
                concept.add(split, 0.95)
            # The start of a word being typed is not a misspelling.
            being_typed = typing and i == len(tokens) - 1 and vocab.completions
            for distance, word in [] if being_typed else vocab.corrections(token):
                concept.add((stem(word),), 0.85 if distance == 1 else 0.7)
                for synonym in SYNONYMS.get(stem(word), []):
                    concept.add(synonym, 0.8)
        elif typing and i == len(tokens) - 1 and len(token) >= 3:
            # A known word may still be the start of a longer one ("pea" → "peanut").
            for word in vocab.completions[:3]:
                concept.add((stem(word),), 0.3)
        concepts.append(concept)
    query.readings.append(concepts)

    # Two neighbouring words that are also one word ("soy milk" / "soymilk") or a synonym
    # phrase ("spring onion" / "scallion") give a second reading with one concept for both.
    for i in range(len(pairs)):
        phrase = (stems[i], stems[i + 1])
        merged = Concept([Alternative(phrase)], span=2)
        for word in sorted(joined[i]):
            if vocab.known(word):
                merged.add((word,), 1.0 if word == stem(pairs[i]) else 0.95)
        for synonym in SYNONYMS.get(" ".join(phrase), []):
            merged.add(synonym, 0.95)
        if len(merged.alternatives) > 1 and len(query.readings) < 4:
            query.readings.append([*concepts[:i], merged, *concepts[i + 2 :]])
    return query


def _single_synonyms(stem_: str) -> list[str]:
    return [p[0] for p in SYNONYMS.get(stem_, []) if len(p) == 1]


def _split(token: str, vocab: _Vocabulary) -> tuple[str, ...] | None:
    """ "soymilk" → ("soy", "milk") when both halves are index words."""
    if len(token) < 6:
        return None
    halves = [(token[:i], token[i:]) for i in range(3, len(token) - 2)]
    vocab.load(h for pair in halves for h in pair)
    for left, right in halves:
        if vocab.docs.get(left) and vocab.known(stem(right)):
            return (stem(left), stem(right))
    return None
