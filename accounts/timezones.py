"""Time zones a person can choose: every IANA name is accepted, the picker lists the
canonical ones by region.

"Canonical" means the zones of the tz database's `zone.tab` (one or more per country, such as
Europe/Amsterdam or America/Chicago) in a region (Africa, America, …), plus UTC itself: no
Etc/GMT+1, Factory, US/Central, GMT0 or old spellings such as Asia/Calcutta. An old spelling a
browser may still report (Chrome says Asia/Calcutta, Europe/Kiev) is mapped to the listed zone
it links to (Asia/Kolkata, Europe/Kyiv) through the database's link lines.
"""

import functools
import importlib.resources
import zoneinfo
from pathlib import Path

UTC = "UTC"
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
# Names of UTC itself (and of GMT, the same offset) that mean "no zone chosen".
_UTC_TARGETS = frozenset({"Etc/UTC", "Etc/GMT", "UTC"})


@functools.cache
def known_timezones() -> frozenset[str]:
    """The IANA zone names; read once, since listing them walks the tz database (~70 ms)."""
    return frozenset(zoneinfo.available_timezones())


def _data_file(name: str) -> str | None:
    """A file of the tz database zoneinfo reads: the system's first, then the tzdata package."""
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return (importlib.resources.files("tzdata") / "zoneinfo" / name).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


def _in_region(name: str) -> bool:
    return name.split("/", 1)[0] in REGIONS and "/" in name


@functools.cache
def canonical_timezones() -> tuple[str, ...]:
    """The zones the picker lists, sorted: UTC, then the zones of zone.tab by region."""
    known = known_timezones()
    table = _data_file("zone.tab")
    if table is not None:
        names = {
            line.split("\t")[2].strip()
            for line in table.splitlines()
            if line and not line.startswith("#") and line.count("\t") >= 2
        }
    else:  # no zone.tab: every zone in a region, aliases included
        names = set(known)
    listed = sorted(name for name in names & known if _in_region(name))
    return (UTC, *listed)


@functools.cache
def _links() -> dict[str, str]:
    """alias -> target, from the link lines ("L target alias") of tzdata.zi."""
    text = _data_file("tzdata.zi") or ""
    links = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    return links


def canonical_timezone(name: str | None) -> str | None:
    """The listed zone for a zone name (itself, or the listed zone an old name links to), an
    unlisted but valid name as it is, or None when the name is no zone at all."""
    if not name or name not in known_timezones():
        return None
    listed = set(canonical_timezones())
    current = name
    for _ in range(4):  # links point at zones, rarely at other links
        if current in listed:
            return current
        if current in _UTC_TARGETS:
            return UTC
        target = _links().get(current)
        if target is None:
            break
        current = target
    return name


def timezone_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(region, [(zone, label)])] for the picker: "America" → ("America/Chicago", "Chicago")."""
    groups: dict[str, list[tuple[str, str]]] = {UTC: [(UTC, UTC)]}
    for name in canonical_timezones()[1:]:
        region, place = name.split("/", 1)
        groups.setdefault(region, []).append((name, place.replace("_", " ").replace("/", ", ")))
    return list(groups.items())
