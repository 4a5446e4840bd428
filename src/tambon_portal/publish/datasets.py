"""Each published package as one `Dataset`: titles, keywords, licence, place, its downloads
(and one per province bundle), the record every catalog format and page citation is made from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tambon_portal.core import gazetteer, urls
from tambon_portal.core.licences import first_licence
from tambon_portal.packages import discovery
from tambon_portal.packages.discovery import PackageRef
from tambon_portal.publish.download_files import DownloadFile

# How each download format is named to people and harvesters.
FORMAT_LABELS: dict[str, tuple[str, str]] = {
    "csv": ("CSV", "CSV (UTF-8)"),
    "excel-csv": ("CSV", "CSV สำหรับ Excel (UTF-8 with BOM)"),
    "json": ("JSON", "JSON"),
    "xlsx": ("XLSX", "Excel (XLSX)"),
    "zip": ("ZIP", "Frictionless Data Package (zip)"),
}


@dataclass(frozen=True)
class Dataset:
    """What the catalog says about one published package (or a province bundle)."""

    name: str
    kind: str  # tambon | generic | bundle
    title_th: str
    title_en: str | None
    description: str
    keywords: list[str]
    license: dict
    page_url: str
    files: list[DownloadFile]
    slug: str  # its address (`discovery.published_slug`; a bundle's name is one already)
    tambon_code: str | None = None
    place: dict[str, str] = field(default_factory=dict)  # name_th/name_en of the area covered
    created: str | None = None
    sources: list[dict] = field(default_factory=list)


# --- URLs -------------------------------------------------------------------------------------


def default_page_path(ref: PackageRef) -> str:
    """Where the site shows a package, relative to the version root (overridable per call)."""
    if ref.kind == "tambon" and ref.tambon_code:
        return urls.url_of(urls.tambon_path(ref.tambon_code))
    return urls.url_of(urls.dataset_path(discovery.published_slug(ref)))


# --- datasets ---------------------------------------------------------------------------------


def _place_names(tambon_code: str) -> dict[str, str]:
    tambon = gazetteer.tambon(tambon_code)
    district = gazetteer.district(tambon_code[:4])
    province = gazetteer.province(tambon_code[:2])
    if not (tambon and district and province):
        return {"name_th": tambon_code, "name_en": tambon_code}
    return {
        "name_th": f"ตำบล{tambon.name_th} อำเภอ{district.name_th} จังหวัด{province.name_th}",
        "name_en": f"{tambon.name_en}, {district.name_en}, {province.name_en}, Thailand",
    }


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _tambon_keywords(code: str) -> list[str]:
    tambon, district = gazetteer.tambon(code), gazetteer.district(code[:4])
    province = gazetteer.province(code[:2])
    names = [p.name_th for p in (tambon, district, province) if p]
    names += [p.name_en for p in (tambon, district, province) if p]
    return [*names, "ตำบล", "จปฐ.", "แผนแม่บทชุมชน", "tambon", "BMN", code]


def _default_title_en(tambon_code: str) -> str:
    """An English title when a tambon package has none, so every title is bilingual."""
    return f"Community data of Tambon {_place_names(tambon_code)['name_en']}"


def dataset_for(
    ref: PackageRef,
    descriptor: dict,
    files: Sequence[DownloadFile],
    *,
    page_url: str,
    license: dict,
) -> Dataset:
    code = ref.tambon_code if ref.kind == "tambon" else None
    slug = discovery.published_slug(ref)  # once: `files` may be every download of the site
    keywords = [str(k) for k in descriptor.get("keywords") or []]
    if code:
        keywords += _tambon_keywords(code)
    return Dataset(
        name=ref.name,
        kind=ref.kind,
        title_th=str(descriptor.get("title") or ref.name),
        title_en=descriptor.get("title_en") or (_default_title_en(code) if code else None),
        description=str(descriptor.get("description") or descriptor.get("title") or ref.name),
        keywords=_unique(keywords) or [ref.name],
        license=first_licence(descriptor, license),
        page_url=page_url,
        files=sorted((f for f in files if f.package == slug), key=lambda f: f.path),
        slug=slug,
        tambon_code=code,
        place=_place_names(code) if code else {},
        created=str(descriptor["created"]) if descriptor.get("created") else None,
        sources=list(descriptor.get("sources") or []),
    )


SAMPLE_NOTE = (
    " ข้อมูลตัวอย่างสังเคราะห์ ไม่ใช่ข้อมูลจริง"
    " / SYNTHETIC SAMPLE DATA: the figures are made up; codes and names are real."
)


def bundle_datasets(
    files: Sequence[DownloadFile], *, page_url: str, license: dict, sample: bool = False
) -> list[Dataset]:
    """One dataset per province bundle (the files under bundles/, package "tambons-<pp>")."""
    prefix = f"{urls.BUNDLES_DIR}/"
    names = sorted({f.package for f in files if f.package and f.path.startswith(prefix)})
    datasets = []
    for name in names:
        province_code = name.removeprefix(urls.BUNDLE_PREFIX)
        province = gazetteer.province(province_code)
        th = province.name_th if province else province_code
        en = province.name_en if province else province_code
        description = (
            f"ชุดข้อมูลทุกตำบลที่เผยแพร่ของจังหวัด{th} ในไฟล์เดียว และตารางรวมรายหัวข้อ"
            f" / Every published tambon data package of {en} in one zip, and one table per"
            " resource across the province."
        )
        datasets.append(
            Dataset(
                name=name,
                kind="bundle",
                title_th=f"ข้อมูลทุกตำบลที่เผยแพร่ จังหวัด{th} (รวมไฟล์)",
                title_en=f"All published tambon packages of {en} (bundle)",
                description=description + (SAMPLE_NOTE if sample else ""),
                keywords=_unique([th, en, "ตำบล", "tambon", province_code]),
                license=license,
                page_url=page_url,
                files=sorted((f for f in files if f.package == name), key=lambda f: f.path),
                slug=name,
                place={"name_th": f"จังหวัด{th}", "name_en": f"{en}, Thailand"},
            )
        )
    return datasets


def dataset_title(dataset: Dataset) -> str:
    return f"{dataset.title_th} / {dataset.title_en}" if dataset.title_en else dataset.title_th


def file_title(f: DownloadFile) -> str:
    what = f.resource or ("แพ็กเกจข้อมูล (package)" if f.format == "zip" else "ทุกตาราง (all tables)")
    return f"{what} — {FORMAT_LABELS[f.format][1]}"
