"""The build's stages before the pages: read the data once (load), roll it up, make the charts,
write the downloads; each a function whose output `pipeline.cache` keeps under the digest of
its inputs (docs/architecture.md, "Stages and what each keeps").

Just over 400 lines: each stage's key (what exactly it reads) is written beside the stage it
keys, so a stage and the inputs it is skipped on are read together."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tambon_portal.checks import (
    article_checks,
    partner_checks,
    validate,
    verdict_cache,
    workers,
)
from tambon_portal.core import gazetteer, scope, settings, siteurl, urls
from tambon_portal.packages import articles, discovery, table_reader
from tambon_portal.packages.file_store import FileStore
from tambon_portal.pipeline import cache, workspace
from tambon_portal.publish import live_downloads
from tambon_portal.publish import publication as publish
from tambon_portal.site import (
    bmn_charts,
    centroid_map,
    charts,
    page_parts,
    search,
    svg,
    trend_chart,
)
from tambon_portal.site import charts as c
from tambon_portal.site.page_parts import Tables
from tambon_portal.stats import aggregate, area_rollups, plan_progress, plans, trends, true_totals
from tambon_portal.stats import partners as partner_stats

log = logging.getLogger(__name__)


@dataclass
class SiteData:
    """Everything loaded from the data folder (the only stage that reads it)."""

    tambons: dict[str, Tables] = field(default_factory=dict)
    descriptors: dict[str, dict] = field(default_factory=dict)  # tambon code -> descriptor
    folders: dict[str, Path] = field(default_factory=dict)  # tambon code -> package folder
    generic: list[Any] = field(default_factory=list)  # PackageRef of non-tambon packages
    # province code -> its area totals (`core.schemas.areas`), from its area package
    totals: dict[str, Tables] = field(default_factory=dict)
    total_folders: dict[str, Path] = field(default_factory=dict)
    # province code -> its partners package's tables (`core.schemas.partners`)
    partners: dict[str, Tables] = field(default_factory=dict)
    root: Path | None = None  # the data folder (its git remote names the site's address)
    # Every data file, read once for the whole build (`file_store`).
    store: FileStore = field(default_factory=FileStore)
    # package folder (relative to root) -> digest of its files (`cache.folder_digest`); the
    # knowledge folder's too, under its name
    digests: dict[str, str] = field(default_factory=dict)
    # the knowledge articles this portal shows (`article_checks.scoped`)
    articles: list[articles.Article] = field(default_factory=list)

    def partner_names(self) -> dict[str, str]:
        """Partner id -> its Thai name, of every partners package."""
        return {
            str(i): str(n)
            for tables in self.partners.values()
            if "partners" in tables
            for i, n in zip(tables["partners"]["partner_id"], tables["partners"]["name_th"],
                            strict=True)
        }  # fmt: skip

    def area(self) -> scope.Scope:
        """What the portal covers: the provinces of its tambon packages (`core.scope`)."""
        return scope.of_tambons(self.tambons)

    def provinces(self) -> list[str]:
        return list(self.area().provinces)

    def rollup_inputs(self) -> list[tuple[str, str]]:
        """(code, digest) of every tambon package and every province's area totals."""
        root = self.root or Path(".")
        totals = [
            (f"totals-{code}", self.digests.get(folder.relative_to(root).as_posix(), ""))
            for code, folder in sorted(self.total_folders.items())
        ]
        return self.tambon_digests() + totals

    def tambon_digests(self) -> list[tuple[str, str]]:
        """(code, digest) of every tambon package: the input of the roll-ups and charts."""
        root = self.root or Path(".")
        return [
            (code, self.digests.get(folder.relative_to(root).as_posix(), ""))
            for code, folder in sorted(self.folders.items())
        ]


# --- stages ----------------------------------------------------------------------------------


def validation_problems(
    refs: Sequence[discovery.PackageRef], data_dir: Path, out_dir: Path, store: FileStore
) -> tuple[list[Any], verdict_cache.VerdictCache | None]:
    """The data's problems, and the verdicts for the caller to save once the build has its
    work folder (a refused build writes nothing). The verdicts a previous build into `out_dir`
    kept spare the packages that did not change."""
    folder = workspace.planned_cache_folder(out_dir, verdict_cache.FOLDER)
    verdicts = verdict_cache.VerdictCache(folder, store) if folder is not None else None
    return validate.check_packages(refs, data_dir, cache=verdicts, store=store), verdicts


def load(
    data_dir: Path,
    saved: cache.StageCache | None = None,
    store: FileStore | None = None,
    refs: Sequence[discovery.PackageRef] | None = None,
) -> SiteData:
    """Every package found under `data_dir`, tambon packages read into typed frames.

    With `saved`, a tambon package whose files did not change since it was last read is taken
    from the cache (its files are only hashed, not parsed again). `refs`: the packages, when
    the build discovered them already.
    """
    data = SiteData(root=Path(data_dir), store=store or FileStore())
    refs = refs if refs is not None else discovery.discover(data_dir, data.store)
    for ref in refs:
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
            if validate.is_area_package(ref):
                province = str(discovery.descriptor_of(ref).get("province_code") or "")
                data.totals[province] = table_reader.load_tables(ref, data.store)
                data.total_folders[province] = ref.folder
            elif partner_checks.is_partners_ref(ref):
                province = str(discovery.descriptor_of(ref).get("province_code") or "")
                data.partners[province] = table_reader.load_tables(ref, data.store)
    knowledge = articles.knowledge_folder(data.root)
    if knowledge.is_dir():
        data.digests[knowledge.name] = cache.folder_digest(knowledge, data.store)
        found, _ = articles.read_articles(data.root, data.store)  # validation said what is wrong
        data.articles = article_checks.scoped(found, refs)
    return data


class NoSuchProvince(Exception):
    """A portal of provinces was asked for that the data has no tambon of; says which it has."""


def of_provinces(
    refs: Sequence[discovery.PackageRef], provinces: Sequence[str]
) -> list[discovery.PackageRef]:
    """The packages of a portal of `provinces` (2-digit codes): their tambons, area totals
    and partners, and every dataset that belongs to no area. A package whose descriptor could not
    be read is kept, so that validation still reports it.

    Raises NoSuchProvince for a code the gazetteer does not know or no tambon here is in.
    """
    present = sorted({r.tambon_code[:2] for r in refs if r.kind == "tambon" and r.tambon_code})
    for code in provinces:
        if gazetteer.province(code) is None or code not in present:
            what = ("ไม่ใช่รหัสจังหวัด (not a province code" if gazetteer.province(code) is None
                    else "ไม่มีแฟ้มข้อมูลตำบลของจังหวัดนี้ (no tambon package of it")  # fmt: skip
            raise NoSuchProvince(
                f"จังหวัด {code}: {what}; the data has provinces {', '.join(present) or 'none'})"
            )
    wanted = set(provinces)

    def kept(ref: discovery.PackageRef) -> bool:
        if ref.kind == "tambon":
            return ref.tambon_code is None or ref.tambon_code[:2] in wanted
        if ref.descriptor_pickle is not None and (
            validate.is_area_package(ref) or partner_checks.is_partners_ref(ref)
        ):
            return str(discovery.descriptor_of(ref).get("province_code") or "") in wanted
        return True

    return [ref for ref in refs if kept(ref)]


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
    """The drawn charts and text alternatives of a profile, keyed "<code>/<chart>".

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
        if isinstance(args[0], pd.DataFrame) and args[0].empty:
            continue  # nothing published to draw: the section says so in words
        try:
            specs[f"{code}/{name}"] = builder(*args)
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
                specs[f"{district_code}/compare"] = charts.compare_tambons(group, "below_line_pct")
            except Exception as error:
                log.warning("comparison chart of %s left out: %r", district_code, error)
    return specs


# The provincial plan roll-up's charts: name -> (builder, the roll-up table it draws).
PLAN_CHARTS = {
    "funding": (c.plan_by_funding_source, "by_funding_source"),
    "status": (c.plan_by_status, "by_status"),
}


def plan_chart_specs(
    rollup: Mapping[str, pd.DataFrame],
) -> tuple[dict[str, dict], dict[str, str]]:
    """The provincial plan roll-up's charts: budget by funding source, projects by status."""

    specs = {}
    for name, (builder, table) in PLAN_CHARTS.items():
        try:
            specs[f"plan/{name}"] = builder(rollup[table])
        except Exception as error:  # the tables carry the figures
            log.warning("plan chart %s left out: %r", name, error)
    return specs, text_alternatives(specs)


def render_charts(specs: dict[str, dict]) -> dict[str, str]:
    return svg.render_many(specs)


def home_maps(figures: pd.DataFrame, province_code: str) -> dict[str, str]:
    """The maps of a province's tambons, one per indicator (none for a province without
    coordinates)."""
    tambon = figures["level"] == "tambon"
    rows = figures[tambon & figures["area_code"].astype(str).str.startswith(province_code)]
    tambons = page_parts.records(rows)
    names = {r["area_code"]: r["name_th"] for r in tambons}
    hrefs = {r["area_code"]: urls.url_of(urls.tambon_path(r["area_code"])) for r in tambons}
    maps = {}
    for column, label, higher_is_better in page_parts.MAP_INDICATORS:
        values = {r["area_code"]: r[column] for r in tambons}
        value_format = "{:,.0f}" if column == "median_income" else "{:,.1f}"
        svg = centroid_map.map_svg(
            values, names, hrefs, label, higher_is_better, province_code, value_format
        )
        if svg:
            maps[column] = svg
    return maps


def place_names(data: SiteData) -> set[str]:
    """Thai place names for the search tokenizer's dictionary (ท่าวัง stays one word)."""
    names = []
    for province in data.provinces():
        names += [d.name_th for d in gazetteer.districts_of(province)]
        names += [t.name_th for t in gazetteer.tambons_of_province(province)]
    for tables in data.tambons.values():
        for resource in ("tambon", "villages"):
            frame = tables.get(resource)
            if frame is not None and "name_th" in frame:
                names += [str(n) for n in frame["name_th"].dropna()]
    return search.place_words(names)


@dataclass(frozen=True)
class Rollups:
    """The province's roll-ups, computed once: pages show them, the roll-up package holds them."""

    figures: pd.DataFrame  # aggregate.key_figures
    plan: dict[str, pd.DataFrame]  # plans.plan_rollup
    by_year: pd.DataFrame  # aggregate.tambon_figures_by_year: change and rank on profiles
    bmn_rates: pd.DataFrame  # area_rollups.bmn_indicator_rates_by_area: the roll-up package
    partners: dict[str, pd.DataFrame]  # partner_stats.partner_rollup: pages and 3W download


# One tambon's part of the figures, its `plans.tambon_projects` and its
# `plan_progress.tambon_history`: each made from its own tables alone, so kept per tambon.
TambonParts = tuple[aggregate.TambonPart, pd.DataFrame, pd.DataFrame]


def tambon_parts(code: str, tables: Tables) -> TambonParts:
    """What one tambon gives the roll-ups, from its own tables alone (pure)."""
    return (
        aggregate.tambon_part(code, tables),
        plans.tambon_projects(code, tables),
        plan_progress.tambon_history(code, tables),
    )


def rollups(data: SiteData, saved: cache.StageCache | None = None) -> Rollups:
    """The province's roll-ups. With `saved`, each tambon's part is kept under its package's
    digest, so after one tambon changed only its part is made again before the areas are
    summed from the parts."""
    digests = dict(data.tambon_digests())
    parts = {
        code: saved.memo(
            ("tambon", code, digests.get(code, "")), lambda c=code, t=tables: tambon_parts(c, t)
        )
        if saved
        else tambon_parts(code, tables)
        for code, tables in data.tambons.items()
    }
    figure_parts = {code: part for code, (part, _, _) in parts.items()}
    totals = {code: true_totals.indexed(tables) for code, tables in data.totals.items()}
    bmn_rates = area_rollups.bmn_indicator_rates_by_area(data.tambons, totals)
    plan = plans.plan_rollup(
        data.tambons,
        {code: projects for code, (_, projects, _) in parts.items()},
        bmn_rates,
        {code: history for code, (_, _, history) in parts.items()},
    )
    return Rollups(
        aggregate.key_figures_of(figure_parts, totals),
        plan,
        aggregate.figures_by_year_of(figure_parts),
        bmn_rates,
        partner_stats.partner_rollup(data.partners, plan["projects_all"]),
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


def make_charts(data: SiteData, computed: Rollups, saved: cache.StageCache | None = None) -> Charts:
    """Every chart of the site. With `saved`, a tambon's details and chart specs are kept
    under a key of exactly what they are made of: its package's files, the rows of its BMN
    group chart (it, its district, its province) and its trend frame; so one changed cell
    rebuilds the specs of that tambon (and of those whose district or province rows moved)."""
    figures, by_year = computed.figures, computed.by_year
    digests = dict(data.tambon_digests())
    details, specs, texts = {}, {}, {}
    without_data = {c for c, t in data.tambons.items() if not aggregate.has_published_data(t)}
    parents: dict[str, Any] = {}  # area -> its parent, as bmn_groups_frame reads it (first row)
    for area, parent in zip(figures["area_code"], figures["parent_code"], strict=True):
        parents.setdefault(area, parent)
    inputs_of = _chart_inputs(figures, by_year, parents)
    jobs = {}  # key -> (code, with charts): no empty charts on a profile with no data yet
    for code in data.tambons:
        with_charts = code not in without_data
        parts = (code, digests.get(code, ""), with_charts, *inputs_of(code))
        jobs[saved.key(*parts) if saved else code] = (code, with_charts)
    shared = {"tambons": data.tambons, "figures": figures, "by_year": by_year}

    def compute(items: list[tuple[str, bool]]) -> list[ChartParts]:
        # the tambon's details (pandas) and its drawn charts: one process per core (forked)
        return workers.map_sharing(_tambon_charts, items, shared)

    made = saved.run_many(jobs, compute) if saved else dict(
        zip(jobs, compute(list(jobs.values())), strict=True))  # fmt: skip
    for key, (code, _) in jobs.items():
        details[code], own_specs, own_texts = made[key]
        specs.update(own_specs)
        texts.update(own_texts)
    districts = ("districts", figures.to_json(orient="split"))  # they read only the figures
    specs.update(
        saved.memo(districts, lambda: district_chart_specs(figures))
        if saved
        else district_chart_specs(figures)
    )
    plan_inputs = ("plan", *(_as_key(computed.plan.get(t)) for _, t in PLAN_CHARTS.values()))
    plan_specs, plan_texts = (
        saved.memo(plan_inputs, lambda: plan_chart_specs(computed.plan))
        if saved
        else plan_chart_specs(computed.plan)
    )
    specs.update(plan_specs)
    return Charts(render_charts(specs), texts, plan_texts, details, without_data)


ChartParts = tuple[dict[str, pd.DataFrame], dict[str, dict], dict[str, str]]


def _tambon_charts(shared: Mapping[str, Any], item: tuple[str, bool]) -> ChartParts:
    """Details, chart specs and texts of one (tambon, with charts)."""
    code, with_charts = item
    own = tambon_details(shared["tambons"][code])
    if not with_charts:
        return own, {}, {}
    return (own, *tambon_chart_specs(code, own, shared["figures"], shared["by_year"]))


def _as_key(frame: pd.DataFrame | None) -> str:
    return "" if frame is None else frame.to_json(orient="split")


def _chart_inputs(
    figures: pd.DataFrame, by_year: pd.DataFrame | None, parents: Mapping[str, Any]
) -> Callable[[str], list[str]]:
    """What a tambon's charts read beyond its own tables, as text to key them by: the figure
    rows of it and the areas above it (all the BMN group chart reads) and its rows by year
    (all its trend chart reads). Each area's rows are cut and written once for all tambons."""
    rows = {str(a): g.to_json(orient="split") for a, g in figures.groupby("area_code", sort=False)}
    yearly = (
        {str(a): g.to_json(orient="split") for a, g in by_year.groupby("area_code", sort=False)}
        if by_year is not None
        else {}
    )

    def inputs(code: str) -> list[str]:
        chain = [code]
        while (parent := parents.get(chain[-1])) is not None and not pd.isna(parent):
            if str(parent) in chain:  # a loop in the parents: the chart cannot be made either
                break
            chain.append(str(parent))
        return [*(rows.get(area, "") for area in chain), yearly.get(code, "")]

    return inputs


def prepare_publication(
    data: SiteData,
    work_dir: Path,
    saved: cache.StageCache | None,
    release: Any,
    site_url: str | None,
    license: dict | None,
    computed: Rollups | None = None,
    live_site: Path | None = None,
) -> Any:
    """The roll-up package and every download, written before the pages that list them;
    those `live_site` has are linked from it (`live_downloads.PreviousDownloads`)."""

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
            c.code: (c.lat, c.lon)
            for province in data.provinces()
            for c in centroid_map.province_centroids(province)
        },
        memo=saved.memo_many if saved is not None else None,
        figures=computed.figures if computed else None,
        plan=computed.plan if computed else None,
        bmn_rates=computed.bmn_rates if computed else None,
        three_w=computed.partners["three_w"] if computed else None,
        store=data.store,
        previous=live_downloads.PreviousDownloads(
            live_site / urls.DOWNLOADS_DIR if live_site is not None else None
        ),
    )


def publish_catalog(
    site: Path, publication: Any, figures: pd.DataFrame, package_pages: dict[str, str],
    data: SiteData | None = None,
) -> int:  # fmt: skip
    """Downloads moved into the site, then catalog (with the articles), API, sitemap,
    robots.txt and the articles' feed; file count."""
    shown = data.articles if data is not None else []
    names = data.partner_names() if data is not None else {}
    return len(publish.finish(site, publication, figures, package_pages, shown, names))
