"""Personal data in a descriptor's text, and its publicReviewed declarations checked (privacy).

Descriptor text is scanned too: the package's and each resource's title, description,
keywords, sources, contributors and maintainers, and each field's title and description. A
contributor's or maintainer's own name (its title) is credit the contributor gave for
publication and is not refused; their e-mail or phone is, unless reviewed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from tambon_portal.checks.privacy_detectors import CREDIT_CODES, text_findings
from tambon_portal.checks.privacy_review import (
    REVIEW_PROPERTY,
    Reporter,
    is_within,
    review_problem,
    schema_fields,
)
from tambon_portal.core.problems import Problem

# Descriptor properties that hold text for readers, at package and at resource level; also
# any title_xx / description_xx translation of the title or description.
_TEXT_PROPERTIES = ("title", "description", "keywords", "sources", "contributors", "maintainers")
_FIELD_TEXT_PROPERTIES = ("title", "description")
# Lists of people credited, and the properties that carry a credited person's own name.
_CREDIT_LISTS = ("contributors", "maintainers")
_CREDIT_NAMES = ("title", "name", "givenName", "familyName")


@dataclass(frozen=True)
class DescriptorText:
    path: str  # e.g. "contributors[0].email", "resources[1].schema.fields[2].description"
    text: str
    resource: str | None  # the resource's name, for a property of a resource
    credit: bool  # a credited person's own name


def _is_text_property(key: object) -> bool:
    return isinstance(key, str) and (
        key in _TEXT_PROPERTIES or key.startswith(("title_", "description_"))
    )


def _strings(value: object, path: str, credit: bool) -> Iterator[tuple[str, str, bool]]:
    """(path, text, credit) of every string in a property's value, however nested."""
    if isinstance(value, str):
        yield path, value, credit
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]", credit)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}", credit)


def _texts_of(node: Mapping, prefix: str, resource: str | None) -> Iterator[DescriptorText]:
    for key, value in node.items():
        if not _is_text_property(key):
            continue
        if key in _CREDIT_LISTS and isinstance(value, list):
            for i, person in enumerate(value):
                items = person.items() if isinstance(person, dict) else [(None, person)]
                for sub, item in items:
                    path = f"{prefix}{key}[{i}]" + (f".{sub}" if sub is not None else "")
                    for where, text, credit in _strings(item, path, sub in _CREDIT_NAMES):
                        yield DescriptorText(where, text, resource, credit)
            continue
        for where, text, credit in _strings(value, prefix + key, False):
            yield DescriptorText(where, text, resource, credit)


def descriptor_texts(descriptor: Mapping) -> Iterator[DescriptorText]:
    """Every text of the descriptor that readers see, with its property path."""
    yield from _texts_of(descriptor, "", None)
    resources = descriptor.get("resources")
    for i, resource in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(resource, dict):
            continue
        name = str(resource.get("name") or f"resource {i + 1}")
        yield from _texts_of(resource, f"resources[{i}].", name)
        for j, item in enumerate(schema_fields(resource)):
            if isinstance(item, dict):
                texts = {k: item[k] for k in _FIELD_TEXT_PROPERTIES if k in item}
                yield from _texts_of(texts, f"resources[{i}].schema.fields[{j}].", name)


def _field_declarations(descriptor: Mapping) -> Iterator[tuple[str, str, object]]:
    """(path, resource name, declaration) of every field's publicReviewed declaration."""
    resources = descriptor.get("resources")
    for i, resource in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(resource, dict):
            continue
        name = str(resource.get("name") or f"resource {i + 1}")
        for j, item in enumerate(schema_fields(resource)):
            if isinstance(item, dict) and REVIEW_PROPERTY in item:
                path = f"resources[{i}].schema.fields[{j}].{REVIEW_PROPERTY}"
                yield path, name, item[REVIEW_PROPERTY]


def _package_review_problem(declaration: object, paths: Sequence[str]) -> str | None:
    """A package-level declaration also names the property it exempts, which must exist."""
    if isinstance(declaration, dict):
        scope = declaration.get("property")
        if not isinstance(scope, str) or not scope:
            return (
                "must name the descriptor 'property' it exempts, as the problem names it"
                ' (e.g. "contributors[0].email"); a column is declared on its schema field'
            )
        if not any(is_within(path, scope) for path in paths):
            return f"names property {scope!r}, which holds no text in this descriptor"
    return review_problem(declaration)


def _package_declarations(descriptor: Mapping) -> list:
    listed = descriptor.get(REVIEW_PROPERTY)
    return listed if isinstance(listed, list) else []


def reviewed_properties(descriptor: Mapping) -> dict[str, frozenset[str]]:
    """Descriptor property path -> detectors exempted by the package's valid declarations."""
    paths = [t.path for t in descriptor_texts(descriptor)]
    reviewed: dict[str, frozenset[str]] = {}
    for declaration in _package_declarations(descriptor):
        if _package_review_problem(declaration, paths) is None:
            scope = declaration["property"]
            reviewed[scope] = reviewed.get(scope, frozenset()) | frozenset(declaration["detectors"])
    return reviewed


def _declaration_problems(descriptor: Mapping, paths: Sequence[str], report: Reporter) -> None:
    def refuse(path: str, wrong: str) -> None:
        report.add(
            None, path, "invalid-review",
            f"this {REVIEW_PROPERTY} declaration {wrong} (see docs/publishing.md)",
        )  # fmt: skip

    report.resource = None
    listed = descriptor.get(REVIEW_PROPERTY)
    if listed is not None and not isinstance(listed, list):
        refuse(REVIEW_PROPERTY, "of the package must be a list of declarations")
    for k, declaration in enumerate(_package_declarations(descriptor)):
        wrong = _package_review_problem(declaration, paths)
        if wrong:
            refuse(f"{REVIEW_PROPERTY}[{k}]", wrong)
    for path, resource, declaration in _field_declarations(descriptor):
        report.resource = resource
        wrong = review_problem(declaration)
        if wrong:
            refuse(path, wrong)


def scan_descriptor(descriptor: Mapping, *, package: str = "", file: str = "") -> list[Problem]:
    """Personal data in the descriptor's text, and every publicReviewed declaration checked."""
    texts = list(descriptor_texts(descriptor))
    report = Reporter(package, None, file, 0, reviewed_properties(descriptor))
    for item in texts:
        report.resource = item.resource
        skip = CREDIT_CODES if item.credit else frozenset()
        for code, message in text_findings(item.text, skip):
            report.add(None, item.path, code, message)
    _declaration_problems(descriptor, [t.path for t in texts], report)
    return report.problems
