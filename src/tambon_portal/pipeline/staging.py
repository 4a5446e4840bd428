"""The staging mkdocs project of a build: every page rendered to markdown from the stages'
outputs, the navigation, the hand-written pages and assets, and mkdocs.yml (written in the
build's work folder, never the repository's docs/)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tambon_portal.checks import article_checks
from tambon_portal.core import gazetteer, photos, settings, urls
from tambon_portal.core.formatting import thai_date
from tambon_portal.core.progress import Progress
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages.articles import Article
from tambon_portal.packages.file_store import FileStore
from tambon_portal.pipeline import cache
from tambon_portal.pipeline.stages import (
    Charts,
    Rollups,
    SiteData,
    home_maps,
    make_charts,
    rollups,
    site_meta,
)
from tambon_portal.publish import changelog_text, releases
from tambon_portal.publish import knowledge as knowledge_machine
from tambon_portal.publish import publication as publish
from tambon_portal.publish.rollup_package import PARTNERS_3W
from tambon_portal.site import (
    embeds,
    knowledge_pages,
    mkdocs_plugin,
    page_parts,
    pages,
    partner_pages,
    profile,
    search,
)
from tambon_portal.site import mkdocs_config as site_config
from tambon_portal.stats import comparisons

REPO_DOCS = Path(__file__).resolve().parents[3] / "docs"
HAND_WRITTEN = (
    ("about.md", "เกี่ยวกับ"),
    ("methodology.md", "วิธีการ"),
    ("publishing.md", "วิธีเผยแพร่ข้อมูล"),
)
COPYRIGHT = (
    f"ข้อมูลตัวอย่างสังเคราะห์ · พิกัดตำบล: {settings.COORDINATES_ATTRIBUTION} · "
    "แบบอักษร Sarabun (SIL OFL 1.1)"
)

log = logging.getLogger(__name__)


# --- the staging mkdocs project --------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _nav_title(code: str, prefix: str) -> str:
    place = gazetteer.place(code)
    return f"{prefix}{place.name_th}" if place else code


def navigation(
    tambon_codes: Iterable[str],
    provinces: Sequence[str],
    datasets: list[dict],
    docs: list[tuple[str, str]],
    downloads_page: str | None = None,
    partners: bool = False,
    knowledge: bool = False,
) -> list:
    """Province → district → tambon (titles from the gazetteer, not the data), then the rest.
    With several provinces, each province lists its districts only: a district's page lists
    its tambons, so the navigation every page holds grows with the districts, not with the
    tambons (with one province, the pilot's, its tambons are listed too)."""
    codes = sorted(tambon_codes)
    areas = []
    for province in provinces:
        districts = []
        for d in gazetteer.districts_of(province):
            children = [urls.district_path(d.code)]
            if len(provinces) == 1:
                children += [{_nav_title(c, "ตำบล"): urls.tambon_path(c)}
                             for c in codes if c.startswith(d.code)]  # fmt: skip
            districts.append({f"อำเภอ{d.name_th}": children})
        areas.append({_nav_title(province, "จังหวัด"): [urls.province_path(province), *districts]})
    nav: list = [
        {"หน้าแรก": urls.HOME_PATH},
        *areas,
        {"แผนแม่บทชุมชนรวม": urls.PLAN_PATH},
        *([{"ภาคีเครือข่าย": urls.PARTNERS_PATH}] if partners else []),
        *([{"บทเรียนและข่าว": urls.KNOWLEDGE_PATH}] if knowledge else []),
        {
            "ชุดข้อมูลอื่น": [urls.DATASETS_PATH]
            # The slug is the title: it is plain [a-z0-9._-] text (mkdocs-material prints nav
            # titles unescaped).
            + [{d["name"]: urls.dataset_path(d["name"])} for d in datasets]
        },
    ]
    if downloads_page:
        nav.append({"ดาวน์โหลดข้อมูล": downloads_page})
    if docs:
        nav.append({"เกี่ยวกับ": [{title: name} for name, title in docs]})
    return nav


def _home_page(provinces: Sequence[str], figures: Any, datasets: list[dict],
               meta: dict[str, Any], svgs: dict[str, str]) -> str:  # fmt: skip
    """The home page: a province's own (its maps, pilots and tambons) when the data is of
    one province; else the list of its provinces (`pages.country_context`). Adds the maps
    it shows to `svgs`."""
    if len(provinces) > 1:
        country = pages.country_context(provinces, figures, datasets, meta)
        return page_parts.render("country.md.j2", **country)
    province = provinces[0]
    maps = {f"home/{column}": svg for column, svg in home_maps(figures, province).items()}
    svgs.update(maps)
    holders = {k.split("/", 1)[1]: embeds.chart_placeholder(k) for k in maps}
    home = pages.home_context(province, figures, holders, datasets, meta)
    return page_parts.render("home.md.j2", **home)


def write_staging(
    data: SiteData,
    staging: Path,
    site_tmp: Path,
    cache_root: Path,
    release: Any = None,
    publication: Any = None,
    computed: Rollups | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Renders every page into staging/docs and writes staging/mkdocs.yml; returns stats."""

    progress = progress or Progress()
    if staging.exists():
        shutil.rmtree(staging)
    docs = staging / "docs"
    docs.mkdir(parents=True)
    computed = computed or rollups(data)
    figures = computed.figures
    meta = site_meta(data.descriptors, figures)
    if release is not None:  # a release names the version and date every page shows
        meta.update(version=release.version, created=release.date)

    with progress.stage("charts"):
        saved_charts = cache.StageCache(cache_root, "tambon-charts")
        charts = make_charts(data, computed, saved_charts)
        saved_charts.prune()
        progress.note(f"{len(charts.svgs)} charts · specs " + saved_charts.outcome().describe())
    with progress.stage("pages"):
        saved_pages = cache.StageCache(cache_root, "pages")
        stats = _write_pages(data, docs, staging, site_tmp, release, publication, computed,
                             charts, meta, saved_pages)  # fmt: skip
        saved_pages.prune(others=0)  # one entry per page: the pages of this build are kept
        progress.note("pages " + saved_pages.outcome().describe())
        return stats


def _write_pages(
    data: SiteData,
    docs: Path,
    staging: Path,
    site_tmp: Path,
    release: Any,
    publication: Any,
    computed: Rollups,
    charts: Charts,
    meta: dict[str, Any],
    saved: cache.StageCache | None = None,
) -> dict[str, Any]:

    figures, rollup = computed.figures, computed.plan
    svgs, texts, plan_texts = dict(charts.svgs), charts.texts, charts.plan_texts
    details, without_data = charts.details, charts.without_data
    holders = {key: embeds.chart_placeholder(key) for key in svgs}
    memo = saved.memo if saved is not None else lambda parts, compute: compute()
    # What every profile and district page reads beyond its own package: the province's
    # figures (comparisons, coverage) and every tambon's figures by year (changes, ranks).
    # Digested once, not again in the key of each page (230 at Bangkok).
    shared = (cache.digest(figures.to_json(orient="split"),
                           computed.by_year.to_json(orient="split"), meta),)  # fmt: skip
    digests = dict(data.tambon_digests())

    for code, tables in data.tambons.items():
        own = {k.split("/", 1)[1]: v for k, v in holders.items() if k.startswith(code + "/")}
        own_texts = {k.split("/", 1)[1]: v for k, v in texts.items() if k.startswith(code + "/")}
        path = urls.tambon_path(code)
        ref = publication.tambon_ref(code) if publication is not None else None
        extras = (
            _publication_extras(publication, ref, {"path": path, "root": urls.root_of(path)})
            if ref is not None
            else {}
        )

        extras["partners"] = partner_pages.of_tambon(computed.partners, code, urls.root_of(path))
        extras["articles"] = knowledge_pages.of_tambon(data.articles, code, urls.root_of(path))

        def profile_page(code=code, tables=tables, own=own, own_texts=own_texts, extras=extras):
            context = profile.tambon_context(
                code, tables, comparisons.compare(figures, code), details[code], own, own_texts,
                {**meta, "version": data.descriptors[code].get("version", meta["version"])},
                coverages=comparisons.coverages_above(figures, code), by_year=computed.by_year,
            )  # fmt: skip
            return profile.render_tambon({**context, **extras})

        # The page is made of exactly these (its details are made from its package's files).
        parts = ("tambon", code, digests.get(code, ""), sorted(own), own_texts, extras, *shared)
        _write(docs / path, memo(parts, profile_page))

    provinces = data.provinces()
    for d in (d for province in provinces for d in gazetteer.districts_of(province)):
        key = f"{d.code}/compare"
        charts = {"compare": holders[key]} if key in holders else {}

        def district_page(code: str = d.code, charts: dict[str, str] = charts) -> str:
            context = pages.district_context(code, figures, charts, meta, without_data)
            return page_parts.render("district.md.j2", **context)

        parts = ("district", d.code, sorted(charts), sorted(without_data), *shared)
        _write(docs / urls.district_path(d.code), memo(parts, district_page))
    for province in provinces:
        _write(docs / urls.province_path(province), _province_page(province, data, computed, meta))
    if partner_pages.has_partners(computed.partners):
        _write_partner_pages(docs, computed.partners, meta, svgs, data.articles, memo)
    if data.articles:
        write_knowledge_pages(docs, data, meta, publication)
    _write(
        docs / urls.PLAN_PATH,
        page_parts.render(
            "plan.md.j2",
            **pages.plan_context(
                rollup,
                meta,
                {k.split("/", 1)[1]: v for k, v in holders.items() if k.startswith("plan/")},
                {k.split("/", 1)[1]: v for k, v in plan_texts.items()},
                data.area().rollup_package if publication and publication.rollup else None,
            ),
        ),
    )
    rollup_ref = [publication.rollup] if publication is not None and publication.rollup else []
    datasets = write_dataset_pages([*data.generic, *rollup_ref], docs, publication, data.store)
    downloads_page = write_downloads_page(docs, publication, datasets)
    _write(
        docs / urls.DATASETS_PATH,
        page_parts.render("datasets.md.j2", **pages.datasets_index_context(datasets)),
    )
    _write(docs / urls.HOME_PATH, _home_page(provinces, figures, datasets, meta, svgs))

    hand_written = copy_hand_written(docs)
    if release is not None and release.changelog is not None:
        hand_written.append(write_changelog_page(docs, release))
    if release is not None:
        hand_written.append(write_releases_page(docs, release))
    copy_package_dir("site/assets", docs / "assets")
    copy_package_dir("site/templates/overrides", staging / "overrides")
    config = site_config.mkdocs_config(
        docs,
        site_tmp,
        navigation(
            data.tambons,
            provinces,
            datasets,
            hand_written,
            downloads_page,
            partner_pages.has_partners(computed.partners),
            bool(data.articles),
        ),
        data.area(),
    )
    config["theme"]["custom_dir"] = str(staging / "overrides")
    config["extra"].update({"sample_data": meta["sample"], "generator": False})
    if release is not None:
        config["extra"].update(release_extra(release))
    config["copyright"] = COPYRIGHT
    _write(staging / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return {
        "tambons": len(data.tambons),
        "datasets": len(datasets),
        "svgs": svgs,
        "figures": figures,
        "package_pages": _package_pages(data, datasets),
    }


def _province_page(province: str, data: SiteData, computed: Rollups, meta: dict[str, Any]
                   ) -> str:  # fmt: skip
    """A province's page, with its partners' 3W table where the data has partners."""
    context = pages.province_context(province, computed.figures, meta)
    download = (
        urls.package_downloads(data.area().rollup_package) + (urls.table_files(PARTNERS_3W)["csv"])
    )
    context["three_w"] = partner_pages.three_w_context(
        computed.partners, province, context["root"], context["root"] + download
    )
    return page_parts.render("province.md.j2", **context)


def _write_partner_pages(docs: Path, rollup: dict[str, Any], meta: dict[str, Any],
                         svgs: dict[str, str], articles: Sequence[Article],
                         memo: search.Memo) -> None:  # fmt: skip
    """The list of partners and one page per partner; adds the maps they show to `svgs`
    (put into the pages once mkdocs made them, like every chart: `embeds`). A partner's page
    and maps are kept by `memo` (the pages stage's) under what they are made of: the
    partners' roll-up, the site's meta and the articles it lists (80 ms a page to make)."""
    _write(
        docs / urls.PARTNERS_PATH,
        page_parts.render("partners.md.j2", **partner_pages.index_context(rollup, meta)),
    )
    # Digested once, not again in each partner page's key (135 in the pilot).
    shown_rollup = cache.digest([(name, frame.to_json(orient="split"))
                                 for name, frame in rollup.items()])  # fmt: skip
    for partner_id in map(str, rollup["summary"]["partner_id"]):
        root = urls.root_of(urls.partner_path(partner_id))
        listed = knowledge_pages.of_partner(articles, partner_id, root)

        def partner_page(partner_id: str = partner_id, listed: list = listed
                         ) -> tuple[str, dict[str, str]]:  # fmt: skip
            context = partner_pages.partner_context(partner_id, rollup, meta)
            context["articles"] = listed
            maps = {}
            for shown in context["maps"]:
                maps[shown["key"]] = shown.pop("svg")
                shown["holder"] = page_parts.trusted(embeds.chart_placeholder(shown["key"]))
            return page_parts.render("partner.md.j2", **context), maps

        parts = ("partner", partner_id, shown_rollup, meta, listed)
        page, maps = memo(parts, partner_page)
        svgs.update(maps)
        _write(docs / urls.partner_path(partner_id), page)


def write_knowledge_pages(docs: Path, data: SiteData, meta: dict[str, Any], publication: Any
                          ) -> None:  # fmt: skip
    """The knowledge section: its list, one page per article, and the photographs the
    articles show, copied beside them (mkdocs resolves an article's relative image paths)
    without their metadata (`core.photos`: a phone's photo says where it was taken)."""
    profiles, names = set(data.tambons), data.partner_names()
    index = knowledge_pages.index_context(data.articles, meta, profiles, names)
    _write(docs / urls.KNOWLEDGE_PATH, page_parts.render("knowledge.md.j2", **index))
    for article in data.articles:
        path = urls.article_path(article.slug)
        addressed = publication is not None and publication.addressed
        url = publication.permanent(urls.url_of(path)) if addressed else None
        node = knowledge_machine.schema_org_article(article, url, names)
        context = knowledge_pages.article_context(article, meta, profiles, names, url,
                                                  publish.json_ld_script(node))  # fmt: skip
        _write(docs / path, page_parts.render("article.md.j2", **context))
        for target in article_checks.image_targets(article):
            source = article_checks.image_file(article, target)
            if source is not None:  # validation refused any other (the build validates first)
                relative = source.relative_to(article.path.parent.resolve())
                copied = docs / Path(path).parent / relative
                copied.parent.mkdir(parents=True, exist_ok=True)
                # never the camera's GPS, time or owner: validation proved it readable
                copied.write_bytes(photos.without_metadata(data.store.read(source)))


def write_dataset_pages(
    refs: list[Any], docs: Path, publication: Any = None, store: FileStore | None = None
) -> list[dict]:
    datasets = []
    for ref in sorted(refs, key=lambda r: r.name):
        descriptor = discovery.descriptor_of(ref)
        try:
            tables, problems = table_reader.load_tables(ref, store), []
        except descriptor_reader.PackageError as error:
            tables, problems = {}, [str(error)]
        name = discovery.published_slug(ref)
        context = pages.dataset_context(name, descriptor, tables, problems)
        if publication is not None and ref in publication.refs:
            context.update(_publication_extras(publication, ref, context))
        _write(docs / urls.dataset_path(name), page_parts.render("dataset.md.j2", **context))
        datasets.append({"name": name, "title": context["title"], "ref": ref})
    return datasets


def _publication_extras(publication: Any, ref: Any, context: dict) -> dict[str, Any]:
    return publish.page_extras(publication, ref, urls.url_of(context["path"]), context["root"])


def write_downloads_page(docs: Path, publication: Any, datasets: list[dict]) -> str | None:
    """The one page listing every download (ดาวน์โหลดข้อมูล); its path, None without downloads."""

    if publication is None:
        return None
    titles = {d["name"]: (d["title"], urls.url_of(urls.dataset_path(d["name"]))) for d in datasets}
    context = publish.downloads_page_context(publication, titles)
    _write(docs / urls.DOWNLOADS_PATH, page_parts.render("downloads.md.j2", **context))
    return urls.DOWNLOADS_PATH


def _package_pages(data: SiteData, datasets: list[dict]) -> dict[str, str]:
    """Package (`discovery.published_slug`) -> its page URL (relative to the site root), for
    the catalog."""

    page_urls = {
        urls.tambon_slug(code): urls.url_of(urls.tambon_path(code)) for code in data.folders
    }
    page_urls.update({d["name"]: urls.url_of(urls.dataset_path(d["name"])) for d in datasets})
    return page_urls


def write_changelog_page(docs: Path, release: Any) -> tuple[str, str]:
    """The data changelog of a release (release.ReleaseContext) as a page of the site."""

    previous = release.previous.version if release.previous else None
    text = changelog_text.to_markdown(release.changelog, release.version, previous)
    _write(docs / urls.CHANGES_PATH, text)
    return (urls.CHANGES_PATH, "ข้อมูลที่เปลี่ยนแปลง")


def write_releases_page(docs: Path, release: Any) -> tuple[str, str]:
    """Every version up to this release, with dates and links to their changelogs."""

    _write(docs / urls.RELEASES_PATH, releases.releases_markdown(release))
    return (urls.RELEASES_PATH, "รุ่นของข้อมูล (releases)")


def release_extra(release: Any) -> dict[str, Any]:
    """mkdocs `extra` of a release: mike's version menu, the outdated banner (shown on every
    version `latest` does not point to) and the version every page names."""

    return {
        "version": {"provider": "mike", "default": "latest"},
        "data_version": {"version": release.version, "date": thai_date(release.date)},
    }


def write_release_files(site: Path, release: Any) -> None:
    """changes.json, releases.json and feed.xml at the root of the release's site."""

    for name, data in releases.release_files(release).items():
        (site / name).write_bytes(data)


def copy_hand_written(docs: Path) -> list[tuple[str, str]]:
    found = []
    for name, title in HAND_WRITTEN:
        source = REPO_DOCS / name
        if source.is_file():
            shutil.copyfile(source, docs / name)
            found.append((name, title))
    return found


def copy_package_dir(relative: str, target: Path) -> None:
    source = resources.files("tambon_portal").joinpath(relative)
    with resources.as_file(source) as folder:
        shutil.copytree(folder, target, dirs_exist_ok=True)


class _NotTheDirtyWarning(logging.Filter):
    """mkdocs warns on every dirty build that the navigation may be stale. It is not here: a
    page is reused only when the navigation and configuration it was made with are unchanged
    (`page_reuse`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


_QUIET_DIRTY = _NotTheDirtyWarning()


def run_mkdocs(config_file: Path, plugin: mkdocs_plugin.PortalPlugin | None = None,
               dirty: bool = False) -> None:  # fmt: skip
    """mkdocs over the staging project, with the site's plugin (`mkdocs_plugin`) when given.

    The plugin is added to the loaded configuration, not named in mkdocs.yml: it carries this
    build's charts and publication. `dirty`: pages whose output is newer than their source
    are not rendered again (`page_reuse`).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("mkdocs.commands.build").addFilter(_QUIET_DIRTY)
    config = load_config(config_file=str(config_file))
    if plugin is not None:
        config.plugins[mkdocs_plugin.PLUGIN_NAME] = plugin
    build(config, dirty=dirty)
