"""Readers of other trackers' exports: pure functions over text, no Django.

`parse(text, format=None)` detects the format from the header (or takes the one given) and
returns a `ParsedFile` (see `base`); a malformed file raises `ImportFileError` naming the line.
"""
