"""The mkdocs-material configuration of the generated site, as a plain dict.

Kept in code rather than a static mkdocs.yml because the navigation depends on the data (which
tambons and datasets exist). Three settings matter beyond looks (docs/architecture.md §5):
`theme.font: false` (mkdocs-material would otherwise load Google Fonts: no request may leave
the site), `navigation.prune` (without it every page embeds the whole navigation), and the
search separator that splits on the zero-width spaces `search.py` puts between Thai words.
The `hooks` entry separates table cells in the HTML mkdocs indexes (search.separate_blocks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tambon_portal.search import SEPARATOR

SITE_NAME = "ข้อมูลตำบล นครศรีธรรมราช"
EXTRA_CSS = ["assets/css/fonts.css", "assets/css/site.css"]
EXTRA_JAVASCRIPT = ["assets/js/sortable.js", "assets/js/thai-search.js"]
# Absolute: mkdocs resolves hook paths against the staging folder its config is written to.
HOOKS = [str(Path(__file__).with_name("mkdocs_hooks.py"))]

NavItem = str | dict[str, Any]


def mkdocs_config(docs_dir: Path, site_dir: Path, nav: list[NavItem]) -> dict[str, Any]:
    return {
        "site_name": SITE_NAME,
        "site_description": "ข้อมูลเปิดระดับตำบลและแผนแม่บทชุมชน จังหวัดนครศรีธรรมราช",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "strict": False,
        "theme": {
            "name": "material",
            "language": "th",
            "font": False,
            "features": [
                "navigation.prune",
                "navigation.indexes",
                "navigation.top",
                "search.highlight",
            ],
            "palette": {"scheme": "default", "primary": "custom", "accent": "custom"},
        },
        "extra_css": EXTRA_CSS,
        "extra_javascript": EXTRA_JAVASCRIPT,
        "plugins": [{"search": {"lang": "en", "separator": SEPARATOR}}],
        "hooks": HOOKS,
        "markdown_extensions": ["attr_list", "md_in_html", "tables", {"toc": {"permalink": False}}],
        "nav": nav,
    }
