"""The mkdocs-material configuration of the generated site, as a plain dict.

Kept in code rather than a static mkdocs.yml because the navigation depends on the data (which
tambons and datasets exist). Three settings matter beyond looks (docs/architecture.md §5):
`theme.font: false` (mkdocs-material would otherwise load Google Fonts: no request may leave
the site), `navigation.prune` (without it every page embeds the whole navigation), and no
plugins: mkdocs-material's search would fetch its whole index on every page view; the site's
search is Pagefind (search.py), through the box in templates/overrides/partials/header.html.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tambon_portal.core.scope import Scope

FONTS_CSS = "assets/css/fonts.css"
EXTRA_CSS = [FONTS_CSS, "assets/css/site.css"]
SEARCH_SCRIPT = "assets/js/site-search.js"
EXTRA_JAVASCRIPT = ["assets/js/sortable.js", SEARCH_SCRIPT]
# The fonts of assets/css/fonts.css, fetched with the CSS rather than after it: the first paint
# is then in Sarabun, not a fallback whose taller Thai lines jump when Sarabun arrives (a layout
# shift of 0.28 on a district page, benchmarks/pages.py).
PRELOAD_FONTS = ["assets/fonts/Sarabun-Regular.woff2", "assets/fonts/Sarabun-Bold.woff2"]
# The Python-Markdown extension that stashes raw HTML blocks fast (`site.raw_blocks`), by the
# name Python-Markdown imports it by.
RAW_BLOCKS = "tambon_portal.site.raw_blocks"
MARKDOWN_EXTENSIONS = [
    "attr_list", "md_in_html", "tables", {"toc": {"permalink": False}}, RAW_BLOCKS,
]  # fmt: skip

NavItem = str | dict[str, Any]


def mkdocs_config(docs_dir: Path, site_dir: Path, nav: list[NavItem], area: Scope
                  ) -> dict[str, Any]:  # fmt: skip
    """The mkdocs configuration of a site of `area` (its name and description say which)."""
    return {
        "site_name": f"ข้อมูลตำบล {area.short_th}",
        "site_description": f"ข้อมูลเปิดระดับตำบลและแผนแม่บทชุมชน {area.area_th}",
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
            ],
            "palette": {"scheme": "default", "primary": "custom", "accent": "custom"},
        },
        "extra_css": EXTRA_CSS,
        "extra_javascript": EXTRA_JAVASCRIPT,
        # Not mkdocs' default ["search"]: see the module docstring.
        "plugins": [],
        # RAW_BLOCKS: the pages' HTML blocks stashed before Python-Markdown parses them.
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "nav": nav,
        "extra": {"preload_fonts": PRELOAD_FONTS},
    }
