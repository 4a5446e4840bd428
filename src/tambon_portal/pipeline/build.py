"""`tambon build` and `tambon serve`: data packages in, a static mkdocs-material site out.

Stages, each a function: validate (refuse on any problem) → load → aggregate → charts →
pages (jinja2 → markdown in a staging mkdocs project, never the repo's docs/) → mkdocs build
into a new folder, which puts in the charts, embed snippets and search copies as it renders
each page (`mkdocs_plugin`) → embed pages → Pagefind index → downloads copied → swap into place.
Everything but the finished site is written in the output's own work folder (`workspace`),
and the swap is one atomic step: whatever fails before it leaves the previous site byte for
byte as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from tambon_portal.checks import validate, verdict_cache
from tambon_portal.core import gazetteer, settings, siteurl, urls
from tambon_portal.core.formatting import thai_date
from tambon_portal.core.progress import Progress
from tambon_portal.packages import descriptor_reader, discovery, table_reader
from tambon_portal.packages.file_store import FileStore
from tambon_portal.pipeline import cache, serving, workspace
from tambon_portal.publish import changelog, releases
from tambon_portal.publish import publication as publish
from tambon_portal.site import (
    bmn_charts,
    centroid_map,
    charts,
    embeds,
    mkdocs_plugin,
    page_parts,
    pages,
    profile,
    search,
    svg,
    trend_chart,
)
from tambon_portal.site import charts as c
from tambon_portal.site import mkdocs_config as site_config
from tambon_portal.site.page_parts import Tables
from tambon_portal.stats import aggregate, area_rollups, comparisons, plans, trends

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
CHART_WORKERS = max(1, min(2, os.cpu_count() or 1))

log = logging.getLogger(__name__)


class BuildRefused(Exception):
    """The data has problems; nothing was built and the previous site is untouched."""

    def __init__(self, problems: list[Any]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


@dataclass
class SiteData:
    """Everything loaded from the data folder (the only stage that reads it)."""

    tambons: dict[str, Tables] = field(default_factory=dict)
    descriptors: dict[str, dict] = field(default_factory=dict)  # tambon code -> descriptor
    folders: dict[str, Path] = field(default_factory=dict)  # tambon code -> package folder
    generic: list[Any] = field(default_factory=list)  # PackageRef of non-tambon packages
    root: Path | None = None  # the data folder (its git remote names the site's address)
    # Every data file, read once for the whole build (`file_store`).
    store: FileStore = field(default_factory=FileStore)
    # package folder (relative to root) -> digest of its files (`cache.folder_digest`)
    digests: dict[str, str] = field(default_factory=dict)

    def tambon_digests(self) -> list[tuple[str, str]]:
        """(code, digest) of every tambon package: the input of the roll-ups and charts."""
        root = self.root or Path(".")
        return [
            (code, self.digests.get(folder.relative_to(root).as_posix(), ""))
            for code, folder in sorted(self.folders.items())
        ]


# --- stages ----------------------------------------------------------------------------------


def validation_problems(data_dir: Path, out_dir: Path | None = None) -> list[Any]:
    """The data's problems. When `out_dir` was built before, the verdicts kept in its work
    folder spare the packages that did not change; a first build creates nothing here (a
    refused build writes nothing)."""
    cache_dir = workspace.existing_cache_folder(out_dir, verdict_cache.FOLDER) if out_dir else None
    return list(validate.validate_tree(data_dir, cache_dir=cache_dir))


def load(
    data_dir: Path, saved: cache.StageCache | None = None, store: FileStore | None = None
) -> SiteData:
    """Every package found under `data_dir`, tambon packages read into typed frames.

    With `saved`, a tambon package whose files did not change since it was last read is taken
    from the cache (its files are only hashed, not parsed again).
    """
    data = SiteData(root=Path(data_dir), store=store or FileStore())
    for ref in discovery.discover(data_dir, data.store):
        folder_key = ref.folder.relative_to(data.root).as_posix()
        data.digests[folder_key] = cache.folder_digest(ref.folder, data.store)
        if ref.kind == "tambon" and ref.tambon_code:
            key = saved.key(folder_key, data.digests[folder_key]) if saved else ""
            tables, descriptor = (
                saved.run(key, lambda ref=ref: _read_tambon(ref, data.store))
                if saved
                else _read_tambon(ref, data.store)
            )
            data.tambons[ref.tambon_code] = tables
            data.descriptors[ref.tambon_code] = descriptor
            data.folders[ref.tambon_code] = ref.folder
        else:
            data.generic.append(ref)
    return data


def _read_tambon(ref: discovery.PackageRef, store: FileStore) -> tuple[Tables, dict]:
    return table_reader.load_tables(ref, store), discovery.descriptor_of(ref)


def version_order(version: str) -> list[Any]:
    """Sort key that compares the numbers in a version as numbers: 2568.9 < 2568.10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", version)]


def site_meta(descriptors: Mapping[str, dict], figures: pd.DataFrame) -> dict[str, Any]:
    """Version, date and the sample flag shown on every page."""
    versions = sorted(
        {str(d.get("version")) for d in descriptors.values() if d.get("version")},
        key=version_order,
    )
    created = sorted(
        {str(d.get("created", ""))[:10] for d in descriptors.values() if d.get("created")}
    )
    years = figures["year_be"].dropna()
    return {
        "version": versions[-1] if versions else "ร่าง (ยังไม่ออกรุ่น)",
        "created": created[-1] if created else "–",
        "year_be": int(years.max()) if len(years) else None,
        "sample": settings.any_sample(descriptors.values()),
    }


def tambon_details(tables: Tables) -> dict[str, pd.DataFrame]:
    """The roll-ups a profile shows, over this one tambon (pure)."""

    one = {str(tables["tambon"].iloc[0]["tambon_code"]): tables}
    return {
        "pyramid": area_rollups.population_pyramid(one),
        "bmn": area_rollups.bmn_indicator_rates(one),
        "bmn_by_year": area_rollups.bmn_rates_by_year(tables),
        "income": area_rollups.income_distribution(one),
        "occupations": area_rollups.occupation_totals(one),
    }


def tambon_chart_specs(
    code: str,
    details: Mapping[str, pd.DataFrame],
    figures: pd.DataFrame,
    by_year: pd.DataFrame | None = None,
) -> tuple[dict[str, dict], dict[str, str]]:
    """Vega-Lite specs and text alternatives of a profile's charts, keyed "<code>/<chart>".

    A chart whose builder fails is left out (the section keeps its table) and logged: charts
    illustrate the tables, they do not replace them. The trend chart (`trend_chart`) is made
    only where a figure is published in two or more survey years (`by_year`).
    """

    trend = trends.trend_frame(by_year, code) if by_year is not None else pd.DataFrame()
    plan = {
        "pyramid": (c.population_pyramid, (details["pyramid"],)),
        "bmn_groups": (bmn_charts.bmn_groups, (figures, code)),
        "bmn_weakest": (bmn_charts.bmn_weakest, (details["bmn"],)),
        "income": (c.income_distribution, (details["income"],)),
        "occupations": (c.occupations, (details["occupations"],)),
        **({"trend": (trend_chart.trend, (trend,))} if not trend.empty else {}),
    }
    specs = {}
    for name, (builder, args) in plan.items():
        try:
            specs[f"{code}/{name}"] = c.spec(builder(*args))
        except Exception as error:
            log.warning("chart %s of %s left out: %r", name, code, error)
    return specs, text_alternatives(specs)


def text_alternatives(specs: Mapping[str, dict]) -> dict[str, str]:
    """Each chart's text alternative: the `description` its builder wrote with describe_<name>
    (read from the spec, so no description is computed twice)."""
    return {key: spec["description"] for key, spec in specs.items()}


def district_chart_specs(figures: pd.DataFrame) -> dict[str, dict]:
    specs = {}
    tambons = figures[figures["level"] == "tambon"]
    for district_code, group in tambons.groupby("parent_code"):
        if len(group) > 1:
            try:
                specs[f"{district_code}/compare"] = charts.spec(
                    charts.compare_tambons(group, "below_line_pct")
                )
            except Exception as error:
                log.warning("comparison chart of %s left out: %r", district_code, error)
    return specs


def plan_chart_specs(
    rollup: Mapping[str, pd.DataFrame],
) -> tuple[dict[str, dict], dict[str, str]]:
    """The provincial plan roll-up's charts: budget by funding source, projects by status."""

    plan = {
        "funding": (c.plan_by_funding_source, "by_funding_source"),
        "status": (c.plan_by_status, "by_status"),
    }
    specs = {}
    for name, (builder, table) in plan.items():
        try:
            specs[f"plan/{name}"] = c.spec(builder(rollup[table]))
        except Exception as error:  # the tables carry the figures
            log.warning("plan chart %s left out: %r", name, error)
    return specs, text_alternatives(specs)


def render_charts(specs: dict[str, dict], cache_dir: Path) -> dict[str, str]:
    return svg.render_many(specs, cache_dir, workers=CHART_WORKERS) if specs else {}


def home_maps(figures: pd.DataFrame) -> dict[str, str]:
    tambons = page_parts.records(figures[figures["level"] == "tambon"])
    names = {r["area_code"]: r["name_th"] for r in tambons}
    hrefs = {r["area_code"]: urls.url_of(urls.tambon_path(r["area_code"])) for r in tambons}
    maps = {}
    for column, label, higher_is_better in page_parts.MAP_INDICATORS:
        values = {r["area_code"]: r[column] for r in tambons}
        value_format = "{:,.0f}" if column == "median_income" else "{:,.1f}"
        maps[column] = centroid_map.map_svg(
            values, names, hrefs, label, higher_is_better, value_format
        )
    return maps


def place_names(data: SiteData) -> set[str]:
    """Thai place names for the search tokenizer's dictionary (ท่าวัง stays one word)."""
    names = [d.name_th for d in gazetteer.districts_of(settings.PROVINCE_CODE)]
    names += [t.name_th for t in gazetteer.tambons_of_province(settings.PROVINCE_CODE)]
    for tables in data.tambons.values():
        for resource in ("tambon", "villages"):
            frame = tables.get(resource)
            if frame is not None and "name_th" in frame:
                names += [str(n) for n in frame["name_th"].dropna()]
    return search.place_words(names)


# --- the staging mkdocs project --------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _nav_title(code: str, prefix: str) -> str:
    place = gazetteer.place(code)
    return f"{prefix}{place.name_th}" if place else code


def navigation(
    tambon_codes: Iterable[str],
    datasets: list[dict],
    docs: list[tuple[str, str]],
    downloads_page: str | None = None,
) -> list:
    """Province → district → tambon (titles from the gazetteer, not the data), then the rest."""
    codes, province = sorted(tambon_codes), settings.PROVINCE_CODE
    districts = []
    for d in gazetteer.districts_of(province):
        children = [urls.district_path(d.code)]
        children += [
            {_nav_title(c, "ตำบล"): urls.tambon_path(c)} for c in codes if c.startswith(d.code)
        ]
        districts.append({f"อำเภอ{d.name_th}": children})
    nav: list = [
        {"หน้าแรก": urls.HOME_PATH},
        {_nav_title(province, "จังหวัด"): [urls.province_path(province), *districts]},
        {"แผนแม่บทชุมชนรวม": urls.PLAN_PATH},
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


@dataclass(frozen=True)
class Rollups:
    """The province's roll-ups, computed once: pages show them, the roll-up package holds them."""

    figures: pd.DataFrame  # aggregate.key_figures
    plan: dict[str, pd.DataFrame]  # plans.plan_rollup
    by_year: pd.DataFrame  # aggregate.tambon_figures_by_year: change and rank on profiles


def rollups(data: SiteData) -> Rollups:
    return Rollups(
        aggregate.key_figures(data.tambons),
        plans.plan_rollup(data.tambons),
        aggregate.tambon_figures_by_year(data.tambons),
    )


@dataclass(frozen=True)
class Charts:
    """Every chart of the site, rendered (keys "<code>/<chart>", "<district>/compare",
    "plan/<chart>") with the profiles' details and text alternatives they were made from."""

    svgs: dict[str, str]
    texts: dict[str, str]
    plan_texts: dict[str, str]
    details: dict[str, dict[str, pd.DataFrame]]
    without_data: set[str]  # tambons whose package has no data yet: no charts


def make_charts(
    data: SiteData, computed: Rollups, cache_dir: Path, saved: cache.StageCache | None = None
) -> Charts:
    """Every chart of the site. With `saved`, a tambon's details and chart specs are kept
    under a key of exactly what they are made of: its package's files, the rows of its BMN
    group chart (it, its district, its province) and its trend frame; so one changed cell
    rebuilds the specs of that tambon (and of those whose district or province rows moved)."""
    figures, by_year = computed.figures, computed.by_year
    digests = dict(data.tambon_digests())
    details, specs, texts = {}, {}, {}
    without_data = {c for c, t in data.tambons.items() if not aggregate.has_published_data(t)}
    for code, tables in data.tambons.items():
        with_charts = code not in without_data  # no empty charts on a profile with no data yet

        def compute(code: str = code, tables: Tables = tables, with_charts: bool = with_charts):
            own = tambon_details(tables)
            if not with_charts:
                return own, {}, {}
            return (own, *tambon_chart_specs(code, own, figures, by_year))

        parts = (code, digests.get(code, ""), with_charts, *_chart_inputs(code, figures, by_year))
        details[code], own_specs, own_texts = saved.memo(parts, compute) if saved else compute()
        specs.update(own_specs)
        texts.update(own_texts)
    districts = ("districts", figures.to_json(orient="split"))  # they read only the figures
    specs.update(
        saved.memo(districts, lambda: district_chart_specs(figures))
        if saved
        else district_chart_specs(figures)
    )
    plan_specs, plan_texts = plan_chart_specs(computed.plan)
    specs.update(plan_specs)
    return Charts(render_charts(specs, cache_dir), texts, plan_texts, details, without_data)


def _chart_inputs(code: str, figures: pd.DataFrame, by_year: pd.DataFrame | None) -> list[str]:
    """What a tambon's charts read beyond its own tables, as text to key them by."""
    try:
        groups = bmn_charts.bmn_groups_frame(figures, code).to_json(orient="split")
    except (KeyError, IndexError):  # no row of figures: the chart is left out either way
        groups = ""
    trend = trends.trend_frame(by_year, code) if by_year is not None else pd.DataFrame()
    return [groups, trend.to_json(orient="split")]


def write_staging(
    data: SiteData,
    staging: Path,
    site_tmp: Path,
    cache_dir: Path,
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
        saved_charts = cache.StageCache(cache_dir.parent, "tambon-charts")
        charts = make_charts(data, computed, cache_dir, saved_charts)
        saved_charts.prune()
        progress.note(f"{len(charts.svgs)} charts · tambons " + saved_charts.outcome().describe())
    with progress.stage("pages"):
        return _write_pages(data, docs, staging, site_tmp, release, publication, computed,
                            charts, meta)  # fmt: skip


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
) -> dict[str, Any]:

    figures, rollup = computed.figures, computed.plan
    svgs, texts, plan_texts = dict(charts.svgs), charts.texts, charts.plan_texts
    details, without_data = charts.details, charts.without_data
    holders = {key: embeds.chart_placeholder(key) for key in svgs}

    for code, tables in data.tambons.items():
        own = {k.split("/", 1)[1]: v for k, v in holders.items() if k.startswith(code + "/")}
        own_texts = {k.split("/", 1)[1]: v for k, v in texts.items() if k.startswith(code + "/")}
        context = profile.tambon_context(
            code, tables, comparisons.compare(figures, code), details[code], own, own_texts,
            {**meta, "version": data.descriptors[code].get("version", meta["version"])},
            coverages=comparisons.coverages_above(figures, code), by_year=computed.by_year,
        )  # fmt: skip
        if publication is not None and (ref := publication.tambon_ref(code)) is not None:
            context.update(_publication_extras(publication, ref, context))
        _write(docs / urls.tambon_path(code), profile.render_tambon(context))

    for d in gazetteer.districts_of(settings.PROVINCE_CODE):
        key = f"{d.code}/compare"
        charts = {"compare": holders[key]} if key in holders else {}
        context = pages.district_context(d.code, figures, charts, meta, without_data)
        _write(docs / urls.district_path(d.code), page_parts.render("district.md.j2", **context))
    _write(
        docs / urls.province_path(settings.PROVINCE_CODE),
        page_parts.render(
            "province.md.j2", **pages.province_context(settings.PROVINCE_CODE, figures, meta)
        ),
    )
    _write(
        docs / urls.PLAN_PATH,
        page_parts.render(
            "plan.md.j2",
            **pages.plan_context(
                rollup,
                meta,
                {k.split("/", 1)[1]: v for k, v in holders.items() if k.startswith("plan/")},
                {k.split("/", 1)[1]: v for k, v in plan_texts.items()},
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
    maps = {f"home/{column}": svg for column, svg in home_maps(figures).items()}
    svgs.update(maps)
    home_holders = {k.split("/", 1)[1]: embeds.chart_placeholder(k) for k in maps}
    home = pages.home_context(settings.PROVINCE_CODE, figures, home_holders, datasets, meta)
    _write(docs / urls.HOME_PATH, page_parts.render("home.md.j2", **home))

    hand_written = copy_hand_written(docs)
    if release is not None and release.changelog is not None:
        hand_written.append(write_changelog_page(docs, release))
    if release is not None:
        hand_written.append(write_releases_page(docs, release))
    copy_package_dir("site/assets", docs / "assets")
    copy_package_dir("site/templates/overrides", staging / "overrides")
    config = site_config.mkdocs_config(
        docs, site_tmp, navigation(data.tambons, datasets, hand_written, downloads_page)
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
    text = changelog.to_markdown(release.changelog, release.version, previous)
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


def run_mkdocs(config_file: Path, plugin: mkdocs_plugin.PortalPlugin | None = None) -> None:
    """mkdocs over the staging project, with the site's plugin (`mkdocs_plugin`) when given.

    The plugin is added to the loaded configuration, not named in mkdocs.yml: it carries this
    build's charts and publication.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config = load_config(config_file=str(config_file))
    if plugin is not None:
        config.plugins[mkdocs_plugin.PLUGIN_NAME] = plugin
    build(config)


# --- skipping a build whose inputs did not change ----------------------------------------------


def built_key_file(ws: workspace.Workspace) -> Path:
    """Where the key of the site now in the output is kept (beside it, never inside)."""
    return ws.root / "built.key"


def site_key(data: SiteData, release: Any, site_url: str | None, license: dict | None) -> str:
    """Digest of every input of a site: the code, every package's files, the hand-written
    pages, the release, the address, the default licence and SOURCE_DATE_EPOCH."""
    hand_written = [
        (name, (REPO_DOCS / name).read_bytes() if (REPO_DOCS / name).is_file() else b"")
        for name, _ in HAND_WRITTEN
    ]
    return cache.digest(
        cache.code_version(),
        sorted(data.digests.items()),
        hand_written,
        repr(release),
        siteurl.resolve(site_url, data.root) or "",
        license or {},
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )


def _unchanged(ws: workspace.Workspace, key: str) -> bool:
    built = built_key_file(ws)
    return (
        built.is_file()
        and built.read_text(encoding="utf-8") == key
        and (ws.out / "index.html").is_file()
        and (ws.out / workspace.SITE_MARKER).is_file()
    )


def _skipped_stats(data: SiteData, progress: Progress, started: float) -> dict[str, Any]:
    return {
        "tambons": len(data.tambons),
        "datasets": len(data.generic),
        "charts": 0,
        "skipped": True,
        "seconds": round(time.perf_counter() - started, 1),
        "stages": list(progress.stages),
    }


# --- entry points ----------------------------------------------------------------------------


def build_site(
    data_dir: Path,
    out_dir: Path,
    *,
    validate: bool = True,
    release: Any = None,
    site_url: str | None = None,
    license: dict | None = None,
    on_wait: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Builds the site from `data_dir` into `out_dir`, atomically; returns timings and counts.

    Writes only `out_dir` and its work folder (`workspace`); waits for another build into the
    same output (calling `on_wait` with why) and repairs what a killed build left.

    `site_url` (else $TAMBON_SITE_URL, else a placeholder) is used only in permanent URLs:
    citations, JSON-LD and the catalog; pages link relatively. `license` is stated for
    packages whose descriptor names none (default CC BY 4.0).

    Raises BuildRefused when validation finds problems (nothing is written then).
    """
    # Absolute from here on: mkdocs resolves paths in its config against the config's folder.
    # (The output is resolved by `workspace`, which must see whether it is a link.)
    data_dir = Path(data_dir).resolve()
    progress = progress or Progress()
    started = time.perf_counter()
    # What a killed build left is repaired even when this one is refused; a refused build
    # writes nothing else (not even a work folder).
    workspace.repair(out_dir, on_wait)
    if validate:
        with progress.stage("validate"):
            problems = validation_problems(data_dir, out_dir)
            progress.note(f"{len(problems)} problem(s)")
        if problems:
            raise BuildRefused(problems)
    with workspace.workspace(out_dir, on_wait) as ws:
        return _build_in(ws, data_dir, release, site_url, license, progress, started)


def _build_in(
    ws: workspace.Workspace,
    data_dir: Path,
    release: Any,
    site_url: str | None,
    license: dict | None,
    progress: Progress,
    started: float,
) -> dict[str, Any]:
    with progress.stage("load"):
        saved_tables = cache.StageCache(ws.cache, "load")
        data = load(data_dir, saved_tables)
        saved_tables.prune()
        key = site_key(data, release, site_url, license)
        unchanged = _unchanged(ws, key)
        progress.note(
            f"{len(data.tambons)} tambons, {len(data.generic)} other packages · "
            + saved_tables.outcome().describe()
            + (" · nothing changed since the last build: every later stage skipped" * unchanged)
        )
    if unchanged:
        return _skipped_stats(data, progress, started)
    built_key_file(ws).unlink(missing_ok=True)  # the output is about to change
    site_tmp = ws.new_site_folder()
    try:
        with progress.stage("roll-ups"):
            saved_rollups = cache.StageCache(ws.cache, "roll-ups")
            rollup_key = saved_rollups.key(data.tambon_digests())
            computed = saved_rollups.run(rollup_key, lambda: rollups(data))
            saved_rollups.prune()
            progress.note(saved_rollups.outcome().describe())
        with progress.stage("downloads"):
            saved_downloads = cache.StageCache(ws.cache, "downloads")
            publication = prepare_publication(
                data, ws.publish, saved_downloads, release, site_url, license, computed
            )
            saved_downloads.prune()
            progress.note(
                f"{len(publication.files)} files · packages " + saved_downloads.outcome().describe()
            )
        stats = write_staging(
            data, ws.staging, site_tmp, ws.cache / "charts", release, publication, computed,
            progress,
        )  # fmt: skip
        svgs = stats.pop("svgs")
        with progress.stage("mkdocs"):
            saved_tokens = cache.StageCache(ws.cache, "search-tokens")
            dictionary = sorted(place_names(data))
            tokens_key = saved_tokens.key(dictionary)
            _, known = saved_tokens.get(tokens_key)
            copies = search.SearchCopies(site_tmp, data.tambons, dictionary, known)
            plugin = mkdocs_plugin.PortalPlugin(svgs, publication, copies)
            run_mkdocs(ws.staging / "mkdocs.yml", plugin)
            if (used := copies.tokens_used()) != known:
                saved_tokens.put(tokens_key, used)
            saved_tokens.used.add(tokens_key)
            saved_tokens.prune()
            stats["charts"] = plugin.charts_placed
        with progress.stage("embeds"):
            stats["embeds"] = embeds.write_embed_pages(site_tmp, plugin.embeds, svgs, publication)
            progress.note(f"{stats['embeds']} embed pages, {stats['charts']} charts placed")
        with progress.stage("search index"):
            stats["search"] = search.write_index(site_tmp, copies, data.tambons)
        with progress.stage("catalog"):
            stats["catalog"] = publish_catalog(
                site_tmp, publication, stats.pop("figures"), stats.pop("package_pages")
            )
            stats["downloads"] = len(publication.files)
            if release is not None:
                write_release_files(site_tmp, release)
        with progress.stage("swap"):
            workspace.swap_in(ws, site_tmp)
        built_key_file(ws).write_text(key, encoding="utf-8")
    except BaseException:
        shutil.rmtree(site_tmp, ignore_errors=True)
        raise
    stats["seconds"] = round(time.perf_counter() - started, 1)
    stats["stages"] = list(progress.stages)
    return stats


def prepare_publication(
    data: SiteData,
    work_dir: Path,
    saved: cache.StageCache | None,
    release: Any,
    site_url: str | None,
    license: dict | None,
    computed: Rollups | None = None,
) -> Any:
    """The roll-up package and every download, written before the pages that list them."""

    return publish.prepare(
        data.tambons,
        data.folders,
        data.generic,
        work_dir,
        version=release.version if release is not None else publish.DEV_VERSION,
        site_url=siteurl.or_placeholder(siteurl.resolve(site_url, data.root)),
        release_date=publish.release_date_of(data.descriptors, release),
        sample=settings.any_sample(data.descriptors.values()),
        license=license,
        centroids={
            c.code: (c.lat, c.lon) for c in centroid_map.province_centroids(settings.PROVINCE_CODE)
        },
        memo=saved.memo if saved is not None else None,
        figures=computed.figures if computed else None,
        plan=computed.plan if computed else None,
        store=data.store,
    )


def publish_catalog(
    site: Path, publication: Any, figures: pd.DataFrame, package_pages: dict[str, str]
) -> int:
    """Downloads moved into the site, then catalog, API, sitemap and robots.txt; file count."""

    return len(publish.finish(site, publication, figures, package_pages))


class NoSite(Exception):
    """`tambon serve` was given a folder without a built site; the message says what to run."""


def serve(
    site_dir: Path,
    port: int = 8000,
    host: str = "127.0.0.1",
    on_ready: Callable[[str], None] = lambda url: None,
) -> None:
    """`tambon serve`: the built site over http on `host:port` until Ctrl-C, compressed as a
    real host would serve it (`serving`); `on_ready` gets the address once it listens. Raises
    NoSite for a folder without index.html."""
    if not (Path(site_dir) / "index.html").is_file():
        raise NoSite(f"{site_dir} has no index.html; run `tambon build` first")
    with serving.server(Path(site_dir), port, host) as httpd:
        on_ready(f"http://{host}:{port}/")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
