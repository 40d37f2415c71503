"""The one-way rule holds in templates too (imports are held by `lint-imports`): a template of
an app loads tags, reverses URLs and includes templates of its own layer or below only.

A lower app's page shows a higher app's panel through `mgsite.registry`, which renders the
panel from the higher app's own template.
"""

import re
from pathlib import Path

import pytest

from mgsite import registry

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# The layers of docs/architecture.md: an app may use its own layer and those below.
LAYER = {
    "reference": 1,
    "accounts": 2,
    "foods": 2,
    "content": 3,
    "health": 3,
    "diary": 4,
    "clinic": 5,
    "transfer": 6,  # bringing data in and handing it out: may read the clinic's consent
    "site": 7,  # base.html, home, error pages, includes/, allauth/: the site's shell
}
# Where each template folder, tag library and URL namespace belongs.
TEMPLATE_DIRS = {
    "accounts": "accounts",
    "foods": "foods",
    "content": "content",
    "health": "health",
    "diary": "diary",
    "clinic": "clinic",
    "transfer": "transfer",
}
TAG_LIBRARIES = {
    "foods": "foods",
    "units": "foods",
    "content_tags": "content",
    "diary_tags": "diary",
    "health_tags": "health",
    "clinic": "clinic",
}
URL_NAMESPACES = {
    "accounts": "accounts",
    "foods": "foods",
    "content": "content",
    "health": "health",
    "diary": "diary",
    "clinic": "clinic",
    "transfer": "transfer",
}
# Libraries and URL names of Django and allauth: below every app of ours.
EXTERNAL_LIBRARIES = {"static", "partials", "allauth", "humanize", "i18n", "l10n", "tz", "cache"}

LOAD_RE = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
URL_RE = re.compile(r"""{%\s*url\s+['"]([\w-]+):""")
INCLUDE_RE = re.compile(r"""{%\s*(?:include|extends)\s+['"]([\w-]+)/""")


def owner(template: Path) -> str:
    top = template.relative_to(TEMPLATES).parts[0]
    return TEMPLATE_DIRS.get(top, "site")


def uses(text: str) -> list[tuple[str, str]]:
    """(kind and name, app) for every library, namespace and template folder a template
    uses that belongs to one of our apps."""
    found = []
    for libraries in LOAD_RE.findall(text):
        for library in libraries.split():
            if library == "from":
                break  # `{% load x from lib %}`: a single tag, rare here
            if library in TAG_LIBRARIES:
                found.append((f"load {library}", TAG_LIBRARIES[library]))
            else:
                assert library in EXTERNAL_LIBRARIES, f"unknown tag library {library!r}"
    for namespace in URL_RE.findall(text):
        if namespace in URL_NAMESPACES:
            found.append((f"url {namespace}:", URL_NAMESPACES[namespace]))
    for folder in INCLUDE_RE.findall(text):
        if folder in TEMPLATE_DIRS:
            found.append((f"include {folder}/", TEMPLATE_DIRS[folder]))
    return found


def violations(templates: list[Path]) -> list[str]:
    wrong = []
    for template in templates:
        app = owner(template)
        for what, used in uses(template.read_text()):
            if LAYER[used] > LAYER[app] or (LAYER[used] == LAYER[app] and used != app):
                wrong.append(f"{template.relative_to(TEMPLATES)}: {what} ({app} → {used})")
    return wrong


def test_templates_use_their_own_layer_and_below_only():
    templates = sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))
    assert len(templates) > 30
    assert violations(templates) == []


def test_the_scan_catches_a_template_reaching_up(tmp_path, monkeypatch):
    """The rule can fail: the food page loading the diary's tags, posting to a diary URL or
    including a clinic template is each reported."""
    folder = tmp_path / "foods"
    folder.mkdir()
    bad = folder / "detail.html"
    bad.write_text(
        "{% load static diary_tags %}<form action=\"{% url 'diary:entry-add-today' %}\">"
        '{% include "clinic/_notes_for_client.html" %}'
    )
    monkeypatch.setattr(f"{__name__}.TEMPLATES", tmp_path)
    assert violations([bad]) == [
        "foods/detail.html: load diary_tags (foods → diary)",
        "foods/detail.html: url diary: (foods → diary)",
        "foods/detail.html: include clinic/ (foods → clinic)",
    ]


def test_registry_slots_are_declared_and_filled_by_the_apps_above():
    contributors = {slot: registry.contributors(slot) for slot in registry.SLOTS}
    assert all(contributors.values()), [s for s, c in contributors.items() if not c]
    assert {c.__module__ for c in contributors["accounts.profile_page"]} == {
        "nutrition.clinic.panels",
        "nutrition.transfer.panels",
    }
    assert {c.__module__ for c in contributors["foods.food_page"]} == {"nutrition.diary.panels"}
    with pytest.raises(KeyError, match="Unknown registry slot"):
        registry.register("foods.no_such_slot", print)
