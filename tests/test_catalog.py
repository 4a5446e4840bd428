from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import rdflib
from test_downloads_fixtures import OTHER_CODE, SITE_URL, VERSION, all_refs

from tambon_portal.packages import discovery, table_reader
from tambon_portal.publish import catalog, citation, downloads
from tambon_portal.publish import datasets as dataset_records
from tambon_portal.stats import aggregate

CODE = "800106"
TAMBON = f"tambon-{CODE}"
ROOT = f"{SITE_URL}/{VERSION}/"
RELEASE = "2026-11-26"
CENTROIDS = {CODE: (8.4312, 99.9634)}
POD_SCHEMA = Path(__file__).parent / "vendor" / "pod-v1.1-schema.json"
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")  # rdflib's closed DCAT namespace warns
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")  # when pytest inspects the module
RDF = rdflib.RDF


def _page_paths(refs: list[discovery.PackageRef]) -> list[str]:
    return ["", *(dataset_records.default_page_path(r) for r in refs)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, list[discovery.PackageRef], list]:
    """A tiny built site: one page per package (an index.html), downloads and the catalog."""
    root = tmp_path_factory.mktemp("catalog")
    refs = all_refs(root)
    out = root / "site"
    for page in _page_paths(refs):
        (out / page).mkdir(parents=True, exist_ok=True)
        (out / page / "index.html").write_text("<!doctype html>", encoding="utf-8")
    files = downloads.write_downloads(refs, out / "downloads", version=VERSION, site_url=SITE_URL)
    tambons = {r.tambon_code: table_reader.load_tables(r) for r in refs if r.kind == "tambon"}
    catalog.write_catalog(
        refs, files, out, version=VERSION, site_url=SITE_URL, release_date=RELEASE,
        figures=aggregate.key_figures(tambons), centroids=CENTROIDS, page_urls=_page_paths(refs),
    )  # fmt: skip
    return out, refs, files


def _json(out: Path, rel: str):
    return json.loads((out / rel).read_text("utf-8"))


def _dataset(datasets: list[dict], identifier: str) -> dict:
    return next(d for d in datasets if d["identifier"] == identifier)


# --- data.json (Project Open Data v1.1) ------------------------------------------------------


def test_data_json_validates_against_the_pod_v11_schema(site):
    out, _, _ = site
    validator = jsonschema.Draft7Validator(json.loads(POD_SCHEMA.read_text("utf-8")))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(_json(out, "data.json"))
    ]
    assert errors == []


def test_pod_schema_rejects_a_dataset_without_required_fields():
    validator = jsonschema.Draft7Validator(json.loads(POD_SCHEMA.read_text("utf-8")))
    document = {"conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
                "dataset": [{"title": "t", "accessLevel": "open"}]}  # fmt: skip
    messages = sorted(e.message for e in validator.iter_errors(document))
    assert len(messages) == 7  # six missing required fields and a bad accessLevel
    assert "'open' is not one of ['public', 'restricted public', 'non-public']" in messages


def test_data_json_describes_a_tambon_dataset_with_its_distributions(site):
    out, _, files = site
    data = _json(out, "data.json")
    assert data["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    dataset = _dataset(data["dataset"], TAMBON)
    assert dataset["accessLevel"] == "public"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["modified"] == RELEASE
    assert dataset["spatial"] == "ตำบลท่าไร่ อำเภอเมืองนครศรีธรรมราช จังหวัดนครศรีธรรมราช"
    assert dataset["landingPage"] == f"{ROOT}tambon/{CODE}/"
    assert "ท่าไร่" in dataset["keyword"] and "Tha Rai" in dataset["keyword"]
    # 11 tables x (CSV, Excel CSV, JSON) + XLSX + zip
    assert len(dataset["distribution"]) == len([f for f in files if f.package == TAMBON]) == 35
    xlsx = next(d for d in dataset["distribution"] if d["downloadURL"].endswith(".xlsx"))
    assert xlsx == {
        "@type": "dcat:Distribution",
        "downloadURL": f"{ROOT}downloads/{TAMBON}/{TAMBON}.xlsx",
        "format": "Excel (XLSX)",
        "mediaType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "title": "ทุกตาราง (all tables) — Excel (XLSX)",
    }


def test_generic_package_keeps_its_own_licence(site):
    out, _, _ = site
    dataset = _dataset(_json(out, "data.json")["dataset"], "gold-prices")
    assert dataset["license"] == "https://opendatacommons.org/licenses/pddl/1-0/"
    assert dataset["title"] == "Gold Prices"
    assert dataset["spatial"] is None


# --- catalog.jsonld (DCAT) -------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_catalog_jsonld_context_is_inline(site):
    out, _, _ = site
    document = _json(out, "catalog.jsonld")
    assert isinstance(document["@context"], dict)
    assert document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"


def test_catalog_jsonld_parses_as_rdf_with_the_expected_triples(site, no_network):
    out, _, files = site
    graph = rdflib.Graph().parse(out / "catalog.jsonld", format="json-ld")
    catalog_node = rdflib.URIRef(f"{ROOT}catalog.jsonld")
    dataset = rdflib.URIRef(f"{ROOT}tambon/{CODE}/#dataset")
    assert (catalog_node, RDF.type, DCAT.Catalog) in graph
    assert (catalog_node, DCAT.dataset, dataset) in graph
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert (dataset, DCTERMS.identifier, rdflib.Literal(TAMBON)) in graph
    titles = set(graph.objects(dataset, DCTERMS.title))
    assert {t.language for t in titles} == {"th", "en"}
    assert (
        dataset,
        DCTERMS.license,
        rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/"),
    ) in graph
    assert (dataset, DCAT.keyword, rdflib.Literal("ท่าไร่")) in graph
    assert any(graph.objects(dataset, DCTERMS.spatial))

    zip_file = next(f for f in files if f.path == f"{TAMBON}/{TAMBON}.zip")
    url = rdflib.URIRef(f"{ROOT}downloads/{zip_file.path}")
    assert (dataset, DCAT.distribution, url) in graph
    assert (url, DCAT.downloadURL, url) in graph
    assert (
        url,
        DCAT.mediaType,
        rdflib.URIRef("https://www.iana.org/assignments/media-types/application/zip"),
    ) in graph
    assert int(graph.value(url, DCAT.byteSize)) == zip_file.size
    checksum = graph.value(url, SPDX.checksum)
    assert str(graph.value(checksum, SPDX.checksumValue)) == zip_file.sha256
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 7  # two tambons, tiny, three conformance packages, province bundle


def test_catalog_distributions_carry_the_checksums_of_sha256sums(site):
    out, _, _ = site
    sums = dict(
        reversed(line.split("  ", 1))
        for line in (out / "downloads" / "SHA256SUMS").read_text().splitlines()
    )
    document = _json(out, "catalog.jsonld")
    checked = 0
    for dataset in document["dcat:dataset"]:
        for dist in dataset["dcat:distribution"]:
            path = dist["@id"].removeprefix(f"{ROOT}downloads/")
            assert dist["spdx:checksum"]["spdx:checksumValue"]["@value"] == sums[path]
            checked += 1
    assert checked == len(sums) - 1  # every download but index.json


# --- CKAN-shaped API -------------------------------------------------------------------------


def test_package_list_has_ckan_envelope_and_every_dataset_name(site):
    out, _, _ = site
    listing = _json(out, "api/3/action/package_list.json")
    assert listing["success"] is True and listing["help"].startswith("https://")
    assert listing["result"] == ["country-codes", "gold-prices", "population",
                                 f"tambon-{OTHER_CODE}", TAMBON, "tambons-80", "tiny"]  # fmt: skip


def test_package_show_has_ckan_fields(site):
    out, _, _ = site
    shown = _json(out, f"api/3/action/package_show/{TAMBON}.json")
    assert set(shown) == {"help", "success", "result"} and shown["success"] is True
    package = shown["result"]
    ckan_fields = ["name", "title", "notes", "license_id", "license_title", "license_url",
                   "version", "metadata_created", "metadata_modified", "organization", "tags",
                   "resources", "extras"]  # fmt: skip
    assert [k for k in ckan_fields if k not in package] == []
    assert (package["name"], package["version"], package["license_id"]) == (
        TAMBON,
        VERSION,
        "CC-BY-4.0",
    )
    assert package["metadata_modified"] == f"{RELEASE}T00:00:00"
    assert {"name": "ท่าไร่"} in package["tags"]
    assert {"key": "tambon_code", "value": CODE} in package["extras"]
    resource = next(r for r in package["resources"] if r["url"].endswith("/villages.csv"))
    assert set(resource) >= {
        "id",
        "name",
        "description",
        "format",
        "url",
        "mimetype",
        "size",
        "hash",
    }
    assert (resource["name"], resource["format"], resource["mimetype"]) == (
        "villages.csv",
        "CSV",
        "text/csv",
    )
    assert resource["size"] == (out / "downloads" / TAMBON / "villages.csv").stat().st_size


# --- JSON API by tambon ----------------------------------------------------------------------


def test_api_tambons_lists_every_tambon_with_names_figures_and_links(site):
    out, _, _ = site
    api = _json(out, "api/v1/tambons.json")
    assert (api["count"], api["version"]) == (2, VERSION)
    assert [t["code"] for t in api["tambons"]] == [OTHER_CODE, CODE]
    entry = api["tambons"][1]
    names = {"name_th": "ท่าไร่", "name_en": "Tha Rai", "district_code": "8001",
             "district_name_th": "เมืองนครศรีธรรมราช",
             "district_name_en": "Mueang Nakhon Si Thammarat"}  # fmt: skip
    assert {k: entry[k] for k in names} == names
    figures = {"population": 900, "households": 300, "villages": 2, "below_line_pct": 16.7,
               "median_income": 65000}  # fmt: skip
    assert {k: entry["figures"][k] for k in figures} == figures
    assert entry["figures"]["bmn_pass_pct_health"] is None
    assert entry["page_url"] == f"{ROOT}tambon/{CODE}/"
    assert entry["links"]["zip"] == f"{ROOT}downloads/{TAMBON}/{TAMBON}.zip"
    assert (
        entry["links"]["resources"]["villages"]["excel-csv"]
        == f"{ROOT}downloads/{TAMBON}/villages.excel.csv"
    )
    assert entry["centroid"] == {"lat": 8.4312, "lon": 99.9634}
    assert api["tambons"][0]["centroid"] is None


def test_api_tambon_profile_compares_with_district_and_province(site):
    out, _, _ = site
    profile = _json(out, f"api/v1/tambons/{CODE}.json")
    figures = profile["figures"]
    assert figures["tambon"]["population"] == 900
    assert figures["district"]["population"] == 1800  # both fixture tambons are in district 8001
    assert (figures["province"]["tambons_with_data"], figures["province"]["tambons_in_area"]) == (
        2,
        170,
    )
    assert profile["citation"]["en"].endswith(f"version {VERSION}. {ROOT}tambon/{CODE}/")
    assert profile["citation"]["th"].startswith(
        "ภาคีความร่วมมือแก้ไขปัญหาความยากจน จังหวัดนครศรีธรรมราช. (2569) ตำบลท่าไร่"
    )


# --- every URL resolves ----------------------------------------------------------------------


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _site_urls(out: Path) -> list[str]:
    texts = [(out / "sitemap.xml").read_text("utf-8"), (out / "robots.txt").read_text("utf-8")]
    urls = [u for t in texts for u in re.findall(r"https?://[^\s<]+", t)]
    for path in [out / "catalog.jsonld", out / "data.json", *sorted((out / "api").rglob("*.json"))]:
        urls += [s for s in _strings(json.loads(path.read_text("utf-8"))) if s.startswith("http")]
    return [u for u in urls if u.startswith(SITE_URL)]


def test_every_site_url_in_catalog_and_api_maps_to_a_file_in_the_site(site):
    out, _, _ = site
    urls = _site_urls(out)
    assert len(urls) > 500
    missing = []
    for url in set(urls):
        assert url.startswith(ROOT), url  # permanent, versioned addresses only
        path = url.removeprefix(ROOT).split("#")[0]
        target = out / path / "index.html" if path == "" or path.endswith("/") else out / path
        if not target.is_file():
            missing.append(url)
    assert missing == []


# --- schema.org, citation, sitemap -----------------------------------------------------------


def _ref(refs, name):
    return next(r for r in refs if r.name == name)


def test_schema_org_dataset_describes_the_tambon_for_search_engines(site):
    _, refs, files = site
    node = citation.schema_org_dataset(
        _ref(refs, TAMBON), files, version=VERSION, site_url=SITE_URL,
        page_url=f"tambon/{CODE}/", centroid=CENTROIDS[CODE], date_modified=RELEASE,
    )  # fmt: skip
    assert (node["@context"], node["@type"], node["identifier"]) == (
        "https://schema.org",
        "Dataset",
        TAMBON,
    )
    assert (node["version"], node["dateModified"], node["url"]) == (
        VERSION,
        RELEASE,
        f"{ROOT}tambon/{CODE}/",
    )
    assert node["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert node["spatialCoverage"] == {
        "@type": "Place",
        "name": "ตำบลท่าไร่ อำเภอเมืองนครศรีธรรมราช จังหวัดนครศรีธรรมราช",
        "geo": {"@type": "GeoCoordinates", "latitude": 8.4312, "longitude": 99.9634},
    }
    zip_download = next(d for d in node["distribution"] if d["contentUrl"].endswith(".zip"))
    size = (next(f for f in files if f.path == f"{TAMBON}/{TAMBON}.zip")).size
    assert zip_download == {
        "@type": "DataDownload",
        "contentSize": f"{size} B",
        "contentUrl": f"{ROOT}downloads/{TAMBON}/{TAMBON}.zip",
        "encodingFormat": "application/zip",
        "isAccessibleForFree": True,
        "name": "แพ็กเกจข้อมูล (package) — Frictionless Data Package (zip)",
    }
    assert node["creator"]["@type"] == "Organization" and node["publisher"] == node["creator"]
    json.dumps(node)  # embeddable as is


def test_citation_names_the_year_version_and_permanent_url_in_thai_then_english(site):
    _, refs, _ = site
    text = citation.citation(
        _ref(refs, TAMBON), version=VERSION, page_url=f"tambon/{CODE}/", site_url=SITE_URL,
        release_date=RELEASE,
    )  # fmt: skip
    assert text.splitlines() == [
        "ภาคีความร่วมมือแก้ไขปัญหาความยากจน จังหวัดนครศรีธรรมราช. (2569) ตำบลท่าไร่ (Tha Rai)"
        f" [ชุดข้อมูล] รุ่น {VERSION}. สืบค้นจาก {ROOT}tambon/{CODE}/",
        "Nakhon Si Thammarat poverty-alleviation partnership. (2026) Community data of Tambon"
        " Tha Rai, Mueang Nakhon Si Thammarat, Nakhon Si Thammarat, Thailand [Data set], version"
        f" {VERSION}. {ROOT}tambon/{CODE}/",
    ]


def test_citation_without_a_date_leaves_the_year_out(site):
    _, refs, _ = site
    url = f"{ROOT}tambon/{CODE}/"
    text = citation.citation(_ref(refs, TAMBON), version=VERSION, page_url=url)
    assert text.splitlines()[0] == (
        "ภาคีความร่วมมือแก้ไขปัญหาความยากจน จังหวัดนครศรีธรรมราช. ตำบลท่าไร่ (Tha Rai)"
        f" [ชุดข้อมูล] รุ่น {VERSION}. สืบค้นจาก {url}"
    )


def test_sitemap_lists_the_given_pages_and_robots_points_to_it(site):
    out, refs, _ = site
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs == sorted(ROOT + p for p in _page_paths(refs))
    assert sitemap.count(f"<lastmod>{RELEASE}</lastmod>") == len(locs)
    assert (out / "robots.txt").read_text(
        "utf-8"
    ) == f"User-agent: *\nAllow: /\n\nSitemap: {ROOT}sitemap.xml\n"


def test_without_page_urls_the_sitemap_is_left_to_mkdocs(site, tmp_path):
    _, refs, files = site
    (tmp_path / "sitemap.xml").write_text("mkdocs", encoding="utf-8")
    written = catalog.write_catalog(
        refs, files, tmp_path, version=VERSION, site_url=SITE_URL, release_date=RELEASE
    )
    assert "sitemap.xml" not in written and "robots.txt" in written
    assert (tmp_path / "sitemap.xml").read_text("utf-8") == "mkdocs"


def test_two_runs_write_identical_catalog_bytes(site, tmp_path):
    out, refs, files = site
    tambons = {r.tambon_code: table_reader.load_tables(r) for r in refs if r.kind == "tambon"}
    written = catalog.write_catalog(
        refs, files, tmp_path, version=VERSION, site_url=SITE_URL, release_date=RELEASE,
        figures=aggregate.key_figures(tambons), centroids=CENTROIDS, page_urls=_page_paths(refs),
    )  # fmt: skip
    assert len(written) == 15
    for rel in written:
        assert (tmp_path / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_a_package_with_an_unsafe_name_keeps_its_downloads_in_the_catalog(tmp_path):
    folder = tmp_path / "data" / "odd"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "t.csv").write_text("a\n1\n", encoding="utf-8")
    descriptor = {"name": "odd name", "resources": [{"name": "t", "path": "data/t.csv"}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    refs = discovery.discover(tmp_path / "data")
    files = downloads.write_downloads(refs, tmp_path / "site" / "downloads", version=VERSION,
                                      site_url=SITE_URL)  # fmt: skip
    catalog.write_catalog(refs, files, tmp_path / "site", version=VERSION, site_url=SITE_URL,
                          release_date=RELEASE)  # fmt: skip
    shown = _json(tmp_path / "site", "api/3/action/package_show/odd-name.json")["result"]
    assert shown["num_resources"] == 5
    assert shown["url"] == f"{ROOT}datasets/odd-name/"


def test_province_bundle_is_a_dataset_of_its_own(site):
    out, _, files = site
    bundle = _dataset(_json(out, "data.json")["dataset"], "tambons-80")
    assert bundle["title"] == (
        "ข้อมูลทุกตำบลที่เผยแพร่ จังหวัดนครศรีธรรมราช (รวมไฟล์)"
        " / All published tambon packages of Nakhon Si Thammarat (bundle)"
    )
    assert "SYNTHETIC" not in bundle["description"]
    urls = [d["downloadURL"] for d in bundle["distribution"]]
    assert urls == [f"{ROOT}downloads/{f.path}" for f in files if f.package == "tambons-80"]
    assert f"{ROOT}downloads/bundles/tambons-80.zip" in urls


def test_a_bundle_of_sample_packages_says_it_is_synthetic(tmp_path):
    from fixtures.tambon_package import write_tambon_package

    def mark_sample(_tables, descriptor):
        descriptor["sample"] = True

    write_tambon_package(tmp_path / "data", edit=mark_sample)
    refs = discovery.discover(tmp_path / "data")
    files = downloads.write_downloads(refs, tmp_path / "site" / "downloads", version=VERSION,
                                      site_url=SITE_URL)  # fmt: skip
    catalog.write_catalog(refs, files, tmp_path / "site", version=VERSION, site_url=SITE_URL,
                          release_date=RELEASE)  # fmt: skip
    bundle = _dataset(_json(tmp_path / "site", "data.json")["dataset"], "tambons-80")
    assert bundle["description"].endswith(dataset_records.SAMPLE_NOTE)
