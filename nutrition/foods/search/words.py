"""Words: the same normalisation for food names and for what people type (lower case,
accents and punctuation dropped, plurals reduced, synonyms, edit distance)."""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"[a-z0-9]+")
# Words that say nothing about which food is meant.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "and", "or", "of", "the", "in", "on", "for", "from", "to", "w", "with",
    "without", "by", "at", "as", "is", "per",
})
# fmt: on
# Descriptors of the plain, everyday form of a food: a name segment made only of these does
# not make the food less generic ("Egg, whole, raw, fresh"; "Tomatoes, red, ripe, raw, year
# round average"; "Beans, kidney, all types, mature seeds, raw").
# fmt: off
GENERIC_WORDS = frozenset({
    "raw", "fresh", "whole", "plain", "regular", "all", "type", "types", "variety",
    "varieties", "commercial", "commercially", "prepared", "average", "year", "round", "ripe",
    "unprepared", "mature", "seed", "seeds", "unenriched", "unfortified", "usda", "food",
    "distribution", "program", "includes", "added", "vitamin", "fortified", "enriched",
    "fluid", "kernel", "broiler", "fryer", "meat", "only",
})
# fmt: on
# First name segments that name a class rather than the food: in "Nuts, walnuts, english"
# and "Fish, salmon, Atlantic, wild, raw" the second segment is the food's head noun.
CLASS_HEADS = frozenset(
    {
        ("nut",),
        ("seed",),
        ("fish",),
        ("beverage",),
        ("alcoholic", "beverage"),
        ("spice",),
        ("mollusk",),
        ("crustacean",),
        ("game", "meat"),
        ("cereal",),
        ("vegetable",),
        ("fruit",),
    }
)
# Food groups people rarely mean when they type a plain food name; matched on the group's
# code (USDA SR28 / FoodData Central) or on words of its name.
DEPRIORITISED_GROUP_CODES = frozenset({"0300", "2100", "3500", "3600"})
# Processed products: still found, a little behind the plain foods they are made from.
PROCESSED_GROUP_CODES = frozenset({"0700", "2200", "2500"})
# Foods eaten cooked: legumes, grains and pasta, hot breakfast cereals, meat, poultry, fish
# and eggs. USDA lists them raw or dry (the ingredient as bought) and cooked (as eaten); in
# these groups "raw" does not mark the everyday form, and a name that says how the food was
# cooked ("cooked, boiled, without salt"; "cooked, dry heat") describes the plate, not a
# different food. Eggs share a group with dairy, so they are picked out by their head noun.
COOKED_GROUP_CODES = frozenset({"0500", "0800", "1000", "1300", "1500", "1600", "1700", "2000"})
COOKED_HEADS = frozenset({("egg",)})
COOKING_WORDS = frozenset({
    "cooked", "boiled", "baked", "roasted", "broiled", "braised", "grilled", "stewed",
    "steamed", "simmered", "poached", "microwaved", "scrambled", "heat", "prepared",
})  # fmt: skip
# The kind a bare name means when USDA lists every kind alike: asked for "rice", people mean
# white rice ("Rice, white, …" and "Rice, brown, …" otherwise tie, and brown rice's fuller
# nutrient profile would put it first). Head noun → the word of the kind.
EVERYDAY_KINDS = {("rice",): "white"}
# Foods that stand in for another ("Bacon, meatless"; "Cheese substitute, mozzarella").
SUBSTITUTE_WORDS = frozenset({"meatless", "imitation", "substitute", "analog", "replacer"})
DEPRIORITISED_GROUP_WORDS = ("baby", "infant", "fast food", "restaurant", "american indian")
# Irregular plurals the suffix rules below get wrong.
IRREGULAR_PLURALS = {
    "leaves": "leaf",
    "loaves": "loaf",
    "halves": "half",
    "calves": "calf",
    "knives": "knife",
    "geese": "goose",
    "mice": "mouse",
    "teeth": "tooth",
    "feet": "foot",
    "children": "child",
    "oxen": "ox",
    # French fries, not the verb: "-fry" in "Tortillas, ready-to-bake or -fry" is no answer.
    "fries": "fries",
}
# Words that name the same food, in both directions. Each group is reduced to its first
# word's forms; a query for any word of a group also finds the others.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("chickpea", "garbanzo"),
    ("yogurt", "yoghurt", "yoghourt"),
    ("soy", "soya"),
    ("soymilk", "soyamilk"),
    ("eggplant", "aubergine", "brinjal"),
    ("zucchini", "courgette"),
    ("cilantro", "coriander"),
    ("shrimp", "prawn"),
    ("arugula", "rocket"),
    ("beet", "beetroot"),
    ("corn", "maize"),
    ("catsup", "ketchup"),
    ("chili", "chilli", "chile"),
    ("oat", "oatmeal", "porridge"),
    ("macaroni", "mac"),
    ("whole wheat", "wholemeal", "wholewheat"),
    ("scallion", "spring onion"),
    ("hazelnut", "filbert"),
    ("potato chip", "crisps"),
    ("rutabaga", "swede"),
    ("cornstarch", "cornflour"),
    ("powdered sugar", "icing sugar"),
    ("molasses", "treacle"),
    ("squid", "calamari"),
    ("flounder", "plaice"),
    ("lima bean", "butter bean"),
    ("navy bean", "haricot"),
    ("snow pea", "mangetout"),
    ("bell pepper", "sweet pepper", "capsicum"),
    ("romaine", "cos"),
    ("tuna", "tunafish"),
    ("edamame", "green soybean"),
    ("tofu", "bean curd"),
    ("hummus", "houmous", "hommus"),
    ("cookie", "biscuit"),
    ("fries", "french fried"),
    ("ground", "minced", "mince"),
    ("frankfurter", "hot dog", "hotdog", "wiener"),
    ("soda", "carbonated"),
    ("quinoa", "kinoa"),
)


def stem(word: str) -> str:
    """A light English plural stemmer: names and queries meet on the singular."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    n = len(word)
    if n <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and n > 4:
        return word[:-3] + "y"
    if word.endswith("oes") and n > 4:
        return word[:-2]
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def inflections(word: str) -> set[str]:
    """Surface forms of a (singular) word that the index may hold."""
    forms = {word, word + "s"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    if word.endswith(("o", "ch", "sh", "x", "z", "s")):
        forms.add(word + "es")
    forms.update(plural for plural, single in IRREGULAR_PLURALS.items() if single == word)
    return forms


def words(text: str) -> list[str]:
    """Lower-case ASCII words, split as the full-text tokenizers split them."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return _WORD_RE.findall(text.lower().replace("'s ", " ").replace("'s,", ","))


def _synonym_table() -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for group in SYNONYM_GROUPS:
        phrases = [tuple(stem(w) for w in words(p)) for p in group]
        for phrase in phrases:
            key = " ".join(phrase)
            table.setdefault(key, []).extend(p for p in phrases if p != phrase)
    return table


SYNONYMS = _synonym_table()


def damerau_levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Edit distance counting a swap of neighbours as one edit; stops early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]
