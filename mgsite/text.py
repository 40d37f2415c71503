"""Free text typed into a search box, made safe to query with. Imports nothing of the apps.

PostgreSQL refuses a NUL character in text (a 500 if it reaches a query), and no other
control character means anything in a search either, so they go before the text is used.
"""

import unicodedata

MAX_QUERY_LENGTH = 200


def clean_query(text: str | None, max_length: int = MAX_QUERY_LENGTH) -> str:
    """At most `max_length` characters of `text`, control characters dropped (tabs and line
    breaks become spaces). Other spaces are kept as typed: a trailing one tells the food
    search that the last word is complete."""
    if not text:
        return ""
    return "".join(
        " " if ch.isspace() else ch
        for ch in text[:max_length]
        if ch.isspace() or unicodedata.category(ch) != "Cc"
    )
