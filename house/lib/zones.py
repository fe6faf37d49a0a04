"""The timezones a house (or a person's alert settings) can be in: canonical IANA names only,
offered region by region with the house's own region first.

The list is `zone.tab` of the `tzdata` package (a dependency, so it is the same on every
machine and every name on it loads: `zoneinfo` falls back to that package for a name the
system's data lacks). zone.tab names at least one place in every country, each by a city
of that country ("Europe/Oslo", "America/Chicago"), and nothing else: no backward-compatible
aliases ("US/Eastern", "GB", "Asia/Calcutta"), no "Etc/..." offsets. zone1970.tab was the
other candidate: it folds countries whose clocks agreed since 1970 into one name (Norway
under "Europe/Berlin"), which a person looking for their own city would not find.

An alias saved before (a house in "US/Eastern") is shown and saved as the zone it links to
in the same data (`tzdata.zi`), "America/New_York". A saved name the list cannot map
("UTC", a name a later release dropped) stays selectable for that record, so a save never
loses it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

MAX_LINK_HOPS = 4


def _data(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@cache
def canonical_names() -> tuple[str, ...]:
    """Every name in zone.tab, sorted (column 3 of each line that is not a comment)."""
    names = {
        line.split("\t")[2]
        for line in _data("zone.tab").splitlines()
        if line and not line.startswith("#")
    }
    return tuple(sorted(names))


@cache
def _links() -> dict[str, str]:
    """{alias: target} from the `L target alias` lines of tzdata.zi."""
    links = {}
    for line in _data("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            links[alias] = target
    return links


def canonical(name: str) -> str | None:
    """`name` if it is on the list, else the listed zone it is an alias of, else None."""
    listed = set(canonical_names())
    for _ in range(MAX_LINK_HOPS):
        if name in listed:
            return name
        target = _links().get(name)
        if target is None:
            return None
        name = target
    return None


def region(name: str) -> str:
    """ "America" of "America/Chicago"; "" for a name without a region ("UTC")."""
    first, slash, _ = name.partition("/")
    return first if slash else ""


def label(name: str) -> str:
    """What a person reads for a zone in its region's group: "New York", "Indiana/Knox"."""
    return name.partition("/")[2].replace("_", " ") or name


def grouped(first: str, keep: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """[(region, [(name, label), ...]), ...]: the group of zone `first`'s region (or of the
    zone it is an alias of) first, the others in alphabetical order. `keep` (a saved name
    the list cannot map) comes before them all, in a group of its own, so that it stays
    selected."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in canonical_names():
        groups.setdefault(region(name), []).append((name, label(name)))
    first_region = region(canonical(first) or first)
    ordered = sorted(groups.items(), key=lambda item: (item[0] != first_region, item[0]))
    if keep and canonical(keep) is None:
        ordered.insert(0, ("As saved before", [(keep, keep)]))
    return ordered


def choosable(keep: str = "") -> tuple[str, ...]:
    """What a form may send: a listed name, or a record's saved name (`keep`) left as is."""
    return (*canonical_names(), keep) if keep and canonical(keep) is None else canonical_names()
