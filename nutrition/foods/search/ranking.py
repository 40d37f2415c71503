"""Ranking the candidates: where the words occur in the name and how generic the food is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nutrition.foods.models import Food
from nutrition.foods.search.query import Concept
from nutrition.foods.search.words import (
    CLASS_HEADS,
    COOKED_GROUP_CODES,
    COOKED_HEADS,
    COOKING_WORDS,
    DEPRIORITISED_GROUP_CODES,
    DEPRIORITISED_GROUP_WORDS,
    EVERYDAY_KINDS,
    GENERIC_WORDS,
    PROCESSED_GROUP_CODES,
    STOPWORDS,
    SUBSTITUTE_WORDS,
    stem,
    words,
)

_PAREN_RE = re.compile(r"\(([^()]*)\)")
_BRAND_RE = re.compile(r"\b(?:Mc)?[A-Z][A-Z'&.]{2,}\b")
_NOT_BRANDS = frozenset({"USDA", "NFS", "UPC", "NS", "II"})
# The cooked form of a food people cook earns what the raw form does (3), and a little more:
# asked for "black beans", a person eats the boiled ones.
COOKED_BONUS = 5.0
# The kind a bare name means (EVERYDAY_KINDS) outweighs the nutrient-profile signal.
EVERYDAY_KIND_BONUS = 3.0


@dataclass(frozen=True, eq=False)
class ParsedName:
    """A food name cut into comma segments of stems, parentheses kept as aliases."""

    segments: tuple[frozenset[str], ...]  # stems of each segment (parenthesised words too)
    positions: dict[str, tuple[int, bool]]  # stem → first segment, only in parentheses?
    head_main: tuple[str, ...]  # stems of the head outside parentheses
    head_index: int  # 0, or 1 when the first segment names a class ("Nuts, walnuts")
    specific_segments: tuple[int, ...]  # segments after the head with more than generic words
    substitute: frozenset[str]  # words saying the food stands in for another one
    offal: bool  # "Beef, variety meats and by-products, liver"
    surface: frozenset[str]
    raw: bool
    upper_brand: bool
    # Segments after the head saying how the food was cooked ("cooked", "boiled", "dry
    # heat", "without salt"), when the name says it was cooked at all; else empty.
    cooking_segments: tuple[int, ...] = ()
    # The segment right after the head names the everyday kind of the food (EVERYDAY_KINDS).
    everyday_kind: int | None = None


# Enough for every generic food and the branded ones searches keep meeting (about 2 kB each).
@lru_cache(maxsize=20_000)
def parse_name(name: str) -> ParsedName:
    # Split on commas outside parentheses: "Chickpeas (garbanzo beans, bengal gram), raw".
    segments_text, depth, current = [], 0, []
    for ch in name:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == "," and depth == 0:
            segments_text.append("".join(current))
            current = []
        else:
            current.append(ch)
    segments_text.append("".join(current))
    segments = []
    mains = []
    positions: dict[str, tuple[int, bool]] = {}
    for index, text in enumerate(segments_text):
        main = _PAREN_RE.sub(" ", text)
        mains.append(tuple(stem(w) for w in words(main) if w not in STOPWORDS))
        segments.append(frozenset(stem(w) for w in words(text)))
        for s in mains[-1]:
            positions.setdefault(s, (index, False))
        for s in segments[-1]:
            positions.setdefault(s, (index, True))
    head_index = 1 if len(mains) > 1 and mains[0] in CLASS_HEADS else 0
    specific = tuple(
        i
        for i, m in enumerate(mains)
        if i > head_index and any(w not in GENERIC_WORDS and not w.isdigit() for w in m)
    )
    brands = [b for b in _BRAND_RE.findall(name) if b not in _NOT_BRANDS]
    cooking = tuple(
        i
        for i, text in enumerate(segments_text)
        if i > head_index and _describes_cooking(words(_PAREN_RE.sub(" ", text)))
    )
    cooked = any(COOKING_WORDS.intersection(words(segments_text[i])) for i in cooking)
    return ParsedName(
        segments=tuple(segments),
        positions=positions,
        head_main=mains[head_index],
        head_index=head_index,
        specific_segments=specific,
        substitute=frozenset(w for w in words(name) if w in SUBSTITUTE_WORDS),
        offal="by-products" in name.lower(),
        surface=frozenset(words(name)),
        raw=any(m == ("raw",) for m in mains),
        upper_brand=bool(brands),
        cooking_segments=cooking if cooked else (),
        everyday_kind=(
            head_index + 1
            if len(mains) > head_index + 1
            and EVERYDAY_KINDS.get(mains[head_index]) in mains[head_index + 1]
            else None
        ),
    )


# Words that may stand beside a cooking word in a segment about the cooking.
_COOKING_DETAILS = frozenset({"dry", "moist", "pan", "hard", "fast", "water", "salt", "added"})


def _describes_cooking(segment: list[str]) -> bool:
    """A name segment only about the cooking ("cooked", "boiled", "dry heat", "cooked with
    water", "without salt"), not a food cooked into another ("liquid from stewed beans")."""
    rest = [w for w in segment if w not in STOPWORDS and w not in GENERIC_WORDS - COOKING_WORDS]
    if not rest or not all(w in COOKING_WORDS or w in _COOKING_DETAILS for w in rest):
        return False
    return bool(COOKING_WORDS.intersection(rest)) or (
        segment[:1] in (["without"], ["no"]) and "salt" in segment
    )


@lru_cache(maxsize=20_000)
def _alias_stems(common_names: str, brand: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(f"{common_names} {brand}"))


@lru_cache(maxsize=256)
def _eaten_cooked(code: str | None, head: tuple[str, ...]) -> bool:
    """Whether the food is one people cook before eating (see COOKED_GROUP_CODES)."""
    return code in COOKED_GROUP_CODES or head in COOKED_HEADS


@lru_cache(maxsize=256)
def _deprioritised(code: str | None, group_name: str | None) -> bool:
    if code in DEPRIORITISED_GROUP_CODES:
        return True
    lowered = (group_name or "").lower()
    return any(w in lowered for w in DEPRIORITISED_GROUP_WORDS)


def _match(
    stems: tuple[str, ...], positions: dict, alias: frozenset[str], aliases_at: int
) -> tuple[int, bool] | None:
    """Where a word or phrase occurs: the last segment its stems need (`aliases_at` when
    only in the common names or brand), and whether only inside parentheses."""
    if len(stems) == 1:
        found = positions.get(stems[0])
        if found is not None:
            return found
        return (aliases_at, False) if stems[0] in alias else None
    places = [positions.get(s) for s in stems]
    if all(places):
        index = max(p[0] for p in places)
        return index, any(p[1] for p in places if p[0] == index)
    if all(s in alias for s in stems):
        return aliases_at, False
    return None


def score(reading: list[Concept], row: tuple, query_words: frozenset[str]) -> float:
    """How well a candidate answers one reading of the query; higher is better."""
    _id, name, common, brand, data_type, private, code, group_name, portions, nutrients = row
    parsed = parse_name(name)
    alias = _alias_stems(common, brand)
    head = parsed.head_index
    positions = parsed.positions
    aliases_at = len(parsed.segments)
    total = 0.0
    matched_in_head: set[str] = set()
    matched_segments: set[int] = set()
    head_weight = 1.0  # the head bonus counts as much as the weakest word matched there
    query_rest = False  # whether the query asks for more than the head noun
    for concept in reading:
        best, best_index = None, None
        for alt in concept.alternatives:
            found = _match(alt.stems, positions, alias, aliases_at)
            if found is None:
                continue
            index, in_parentheses = found
            if index <= head:
                place = 0.0
            elif index == aliases_at:
                place = -10.0  # only in the common names or brand
            else:
                # A later segment refines the head ("Rice, brown"; "Chicken, …, breast"):
                # close behind a head match, further behind the deeper it sits.
                place = -4.0 - 1.5 * min(index - head - 1, 4) - 3.0 * in_parentheses
            value = 20.0 * alt.weight + place
            if best is None or value > best:
                best, best_index, best_alt = value, index, alt
                best_in_parentheses = in_parentheses
        if best is None:
            total -= 25.0 * concept.span
            query_rest = True
            continue
        total += best * concept.span
        if not best_in_parentheses:
            matched_segments.add(best_index)
        if best_index <= head:
            matched_in_head.update(best_alt.stems)
            head_weight = min(head_weight, best_alt.weight)
        else:
            query_rest = True
    # The head noun: the food is what was asked for, not something made with it.
    extra = [w for w in parsed.head_main if w not in matched_in_head and w not in GENERIC_WORDS]
    if matched_in_head:
        total += 10.0 * head_weight if not extra else -5.0 * min(len(extra), 3)
    else:
        total -= 6.0
    # How generic the food is: few descriptive segments beyond what was asked for, in its
    # everyday form (raw; cooked for foods people cook, whose cooking is no refinement),
    # commonly eaten (household portions), no brand, no substitute, an everyday food group.
    eaten_cooked = _eaten_cooked(code, parsed.head_main)
    cooking = parsed.cooking_segments if eaten_cooked else ()
    # A bare name means its everyday kind, as if the person had typed it ("rice": white).
    kind = parsed.everyday_kind if parsed.everyday_kind is not None and not query_rest else None
    specific = sum(
        1
        for i in parsed.specific_segments
        if i not in matched_segments and i not in cooking and i != kind
    )
    if kind is not None:
        total += EVERYDAY_KIND_BONUS
    total -= 2.0 * min(specific, 5)
    # USDA analyses everyday foods most thoroughly: a full nutrient profile marks a staple.
    total += 0.1 * min(max(nutrients - 80, 0), 40)
    if cooking:
        total += COOKED_BONUS
    elif parsed.raw:
        total += 3.0
    total += 0.5 * min(portions, 8)
    total += 1.0 * len(query_words & parsed.surface)
    if parsed.substitute and not (parsed.substitute & query_words):
        total -= 10.0
    if parsed.offal and not matched_segments - {head}:
        total -= 6.0  # "beef" means meat; "beef liver" still finds the liver first
    if data_type == Food.DataType.BRANDED or brand:
        total -= 12.0
    elif parsed.upper_brand:
        total -= 8.0
    if _deprioritised(code, group_name):
        total -= 15.0
    elif code in PROCESSED_GROUP_CODES:
        total -= 4.0
    if private:
        total += 2.0  # the person's own food
    return total - 0.02 * len(name)
