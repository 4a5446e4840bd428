"""The partners package (issue 13): who does what where, one package per province beside its
tambon packages (`80/partners-80`).

- `partners`: the organisations of the partnership: an id (the slug of its page,
  /partners/<id>/), Thai and English names, a type (`codelists.PARTNER_TYPES`), the
  organisation it belongs to and its website. Organisations only: a person's name is refused
  (`checks.partner_checks`).
- `project_partners`: which partner does what in which master-plan project (a tambon's
  `plan_projects` row): funds (with the amount it gives), implements or supports.

The rules between this package and the tambon packages (a link to a project that exists,
funding no larger than the project's budget) are `checks.partner_checks`'; the ones within
it (keys, known partner ids, one role per partner and project once) are the schemas' own.
"""

from __future__ import annotations

from tambon_portal.core import codelists as cl
from tambon_portal.core.schemas import (
    PROJECT_ID,
    TAMBON,
    _field,
    _fk,
    _schema,
    code,
    enum,
    text,
)

# The id is a page address: lowercase ASCII, digits and '-' (`urls.partner_path`).
PARTNER_ID = r"^[a-z0-9][a-z0-9-]{1,39}$"
_PARTNER = code(
    "partner_id", PARTNER_ID, "รหัสภาคี", "Partner id: a-z, 0-9 and '-' (its page address)"
)

SCHEMAS: dict[str, dict] = {
    "partners": _schema(
        [
            _PARTNER,
            text("name_th", "ชื่อองค์กร", "Organisation name in Thai", max_length=200),
            text("name_en", "ชื่อองค์กร (อังกฤษ)", "Organisation name in English", required=False,
                 max_length=200),
            enum("partner_type", cl.codes(cl.PARTNER_TYPES), "ประเภทภาคี", "Kind of partner"),
            code("parent_id", PARTNER_ID, "สังกัด", "The partner it belongs to (its id), if any",
                 required=False),
            _field("website", "string", "เว็บไซต์", "Website (https://...)", required=False,
                   pattern=r"^https?://\S+$", maxLength=300),
        ],
        ["partner_id"],
        [_fk(["parent_id"], "partners", ["partner_id"])],
    ),
    "project_partners": _schema(
        [
            code("tambon_code", TAMBON, "รหัสตำบล", "Tambon of the project (6 digits)"),
            code("project_id", PROJECT_ID, "รหัสโครงการ", "Project id in the tambon's plan_projects"),
            _PARTNER,
            enum("role", cl.codes(cl.PARTNER_ROLES), "บทบาท", "What the partner does in the project"),
            _field("amount_baht", "number", "จำนวนเงิน (บาท)",
                   "Baht the partner gives to the project (role funds only)", required=False,
                   minimum=0),
        ],
        ["tambon_code", "project_id", "partner_id", "role"],
        [_fk(["partner_id"], "partners", ["partner_id"])],
    ),
}  # fmt: skip

RESOURCE_TITLES: dict[str, tuple[str, str]] = {
    "partners": ("ภาคีเครือข่าย", "Partners"),
    "project_partners": ("ภาคีในโครงการตามแผน", "Partners of plan projects"),
}


def package_name(province_code: str) -> str:
    return f"partners-{province_code}"


def field_names(resource: str) -> list[str]:
    return [f["name"] for f in SCHEMAS[resource]["fields"]]


def is_partners_package(resources: object) -> bool:
    """Whether a descriptor's resource names (any iterable of names) make a partners package."""
    return set(SCHEMAS) <= set(resources)  # type: ignore[call-overload]
