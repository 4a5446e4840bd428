"""Licences: the portal's default, the well-known ones by SPDX id, and a descriptor's own.

The Data Package spec lets a licence give only a `name` (an SPDX id such as "CC-BY-4.0") or
only a `path`; every page, download README and catalog entry needs a title and, where one is
known, a link. `complete` fills both in once, so no output has to guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tambon_portal.core import formatting, settings

# SPDX id -> (title, canonical URL), for the licences open data in Thailand is published under.
KNOWN: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-PDDL-1.0": ("Open Data Commons Public Domain Dedication and License v1.0", "https://opendatacommons.org/licenses/pddl/1-0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution License v1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "ODBL-1.0": ("Open Data Commons Open Database License v1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "OGL-UK-3.0": ("Open Government Licence v3.0", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
}  # fmt: skip

# The portal's licence (`settings.LICENCE_ID`) with its title and link: what every tambon
# package states, and what a package that names no licence is published under.
DEFAULT: dict[str, str] = {
    "name": settings.LICENCE_ID,
    "path": KNOWN[settings.LICENCE_ID][1],
    "title": KNOWN[settings.LICENCE_ID][0],
}


def complete(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The licence with `name`, `title` and `path` always present (text, maybe empty).

    A known SPDX name gives the missing title and link; the title falls back to the name,
    then the path. A path that is not http(s), mailto or relative (say `javascript:...` in a
    third-party descriptor) is dropped, so nothing links to it.
    """
    name = str(entry.get("name") or "").strip()
    known_title, known_path = KNOWN.get(name.upper(), ("", ""))
    path = formatting.safe_href(str(entry.get("path") or "").strip() or known_path)
    title = str(entry.get("title") or "").strip() or known_title or name or path
    return {**entry, "name": name, "path": path, "title": title}


def first_licence(descriptor: Mapping[str, Any], default: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptor's first licence when it states one, else `default`; completed."""
    stated = [x for x in descriptor.get("licenses") or [] if isinstance(x, dict)]
    return complete(stated[0] if stated else default)
