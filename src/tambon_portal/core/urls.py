"""Every published address, made here once: page paths and their URLs, download and embed
paths, the machine files, permanent URLs, the slug rule of a package's name, and the reserved
names of what the build publishes itself.

A page path is the markdown file in the mkdocs project (tambon/800106.md); its URL, relative
to the site root, is the directory mkdocs makes of it (`url_of`: tambon/800106/). A permanent
URL is `<site_url>/<version>/<path>` (`permanent_url`): a release's addresses never change.

Pure: no I/O.
"""

from __future__ import annotations

import re

# A slug is one lowercase path segment: lowercase so that two names differing only in case do
# not share a folder on a case-insensitive disk (a copy of the site on Windows or macOS).
_NOT_IN_SLUG = re.compile(r"[^a-z0-9._-]+")
SLUG_FALLBACK = "package"  # a name with nothing left (all Thai, all punctuation)
TAMBON_SLUG_PREFIX = "tambon-"


def slug(text: str) -> str:
    """`text` as one path segment of a URL: the rule of every published address.

    Lowercased; every run of characters other than a-z, 0-9, `.`, `_` and `-` (a `/`, a
    space, Thai letters) becomes one `-`; leading and trailing `.` and `-` are dropped (no
    hidden file, no `..`); nothing left gives "package". So `water/data`, `water data` and
    `Water-Data` are all `water-data`: `tambon validate` refuses such a pair (name-collision).
    """
    cleaned = _NOT_IN_SLUG.sub("-", text.lower()).strip(".-")
    return cleaned or SLUG_FALLBACK


def tambon_slug(code: str) -> str:
    """The published name of the package of tambon `code`: tambon-<code>."""
    return slug(f"{TAMBON_SLUG_PREFIX}{code}")


# --- downloads -------------------------------------------------------------------------------

DOWNLOADS_DIR = "downloads"  # under the site root: every download file
BUNDLES_DIR = "bundles"
BUNDLE_PREFIX = "tambons-"  # a province bundle is the package "tambons-<pp>"
INDEX_FILE = "index.json"
SUMS_FILE = "SHA256SUMS"
# The roll-up package is "<area>-rollups" (`scope.Scope.rollup_package`): the pilot's is
# nakhon-si-thammarat-rollups.
ROLLUP_PACKAGE_SUFFIX = "-rollups"


def download_path(path: str) -> str:
    """A file under downloads/ (`path` relative to that folder), relative to the site root."""
    return f"{DOWNLOADS_DIR}/{path}"


def package_downloads(name: str) -> str:
    """The folder of the downloads of the package published as `name`, from the site root."""
    return download_path(f"{name}/")


def table_files(name: str) -> dict[str, str]:
    """Format -> file name of the downloads of the table `name` (in its package's folder)."""
    stem = slug(name)
    return {"csv": f"{stem}.csv", "excel-csv": f"{stem}.excel.csv", "json": f"{stem}.json"}


# --- pages ------------------------------------------------------------------------------------


def tambon_path(code: str) -> str:
    return f"tambon/{code}.md"


def district_path(code: str) -> str:
    return f"district/{code}/index.md"


def province_path(code: str) -> str:
    return f"province/{code}/index.md"


def dataset_path(name: str) -> str:
    return f"datasets/{name}.md"


def partner_path(partner_id: str) -> str:
    """A partner's page; its id is a slug already (`core.schemas.partners.PARTNER_ID`)."""
    return f"partners/{partner_id}.md"


def article_path(slug: str) -> str:
    """A knowledge article's page; its slug is its file name (`checks.article_checks`)."""
    return f"knowledge/{slug}.md"


def knowledge_group(kind: str, key: str) -> str:
    """The id of a group on the knowledge section's page (kind tambon, topic or partner):
    tambon-800106, topic-income, partner-pmua."""
    return f"{kind}-{key}"


def project_anchor(project_id: str) -> str:
    """The id of a plan project's row on its tambon's profile (project-P01): where a link to
    the project, or a search result inside it, lands."""
    return f"project-{project_id}"


HOME_PATH = "index.md"
PLAN_PATH = "plan/index.md"
DATASETS_PATH = "datasets/index.md"
PARTNERS_PATH = "partners/index.md"
KNOWLEDGE_PATH = "knowledge/index.md"  # lessons and news (บทเรียนและข่าว)
KNOWLEDGE_FEED = "knowledge/feed.xml"  # their Atom feed, beside their list
DOWNLOADS_PATH = f"{DOWNLOADS_DIR}/index.md"  # the Downloads page, beside the files it lists
CHANGES_PATH = "changes.md"  # a release's data changelog
RELEASES_PATH = "releases.md"  # every release up to this one


def url_of(path: str) -> str:
    """The directory URL (relative to the site root) of a markdown page path."""
    stem = path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def root_of(path: str) -> str:
    """Relative path from a page's URL back to the site root ("" at the root)."""
    return "../" * url_of(path).count("/")


# --- embeds -----------------------------------------------------------------------------------

EMBED_DIR = "embed"  # one page per chart and map, for an <iframe> on another site


def embed_url(chart_id: str) -> str:
    """The directory URL (relative to the site root) of a chart's embed page."""
    return f"{EMBED_DIR}/{chart_id}/"


def embed_file(chart_id: str) -> str:
    """The file of a chart's embed page, relative to the site root."""
    return embed_url(chart_id) + "index.html"


def is_embed_url(url: str) -> bool:
    """Whether a directory URL (relative to the site root) is an embed page's."""
    return url.split("/")[0] == EMBED_DIR


# --- machine-readable files (relative to the site root of one version) ------------------------

CATALOG_FILE = "catalog.jsonld"  # DCAT
POD_FILE = "data.json"  # Project Open Data
TAMBONS_API = "api/v1/tambons.json"
CKAN_PACKAGE_LIST = "api/3/action/package_list.json"
SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"


def tambon_api(code: str) -> str:
    return f"api/v1/tambons/{code}.json"


def ckan_package(name: str) -> str:
    return f"api/3/action/package_show/{name}.json"


# --- permanent URLs ---------------------------------------------------------------------------


def version_root(site_url: str, version: str) -> str:
    """The permanent address of one version of the site, ending in '/'."""
    return f"{site_url.rstrip('/')}/{version}/"


def permanent_url(site_url: str, version: str, path: str = "") -> str:
    """`path` (relative to the version root) or an absolute URL, as an absolute URL."""
    if "://" in path:
        return path
    return version_root(site_url, version) + path.lstrip("/")


def download_url(site_url: str, version: str, path: str) -> str:
    """The permanent URL of a file under downloads/ (`path` relative to it) of one version."""
    return permanent_url(site_url, version, download_path(path))
