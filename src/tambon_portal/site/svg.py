"""Drawn charts (`drawing`) made ready to paste into a page: inline SVG.

Why SVG at build time: vega + vega-lite + vega-embed are ~272 KB gzip on every page, while an
SVG chart is a few tens of KB and needs no script (docs/architecture.md §5). Why SVG and not
PNG: PNG mis-draws ำ (U+0E33) in every font tried; the browser draws SVG <text> correctly, in
the page's self-hosted Sarabun.

- Inline: any XML prolog is stripped, the root gets role="img" and an aria-label (the chart's
  `description`), and any ids are prefixed per chart so two charts on one page never clash.
- No cache and no worker processes: drawing a chart takes about a millisecond, less than
  reading it back from disk would (vl-convert took about 42 ms a chart, and Altair about 40
  more to build its spec; they were dropped for this, docs/architecture.md §5).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Mapping
from typing import Any

from tambon_portal.site import drawing


def canonical_json(spec: Mapping[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chart_id(spec: Mapping[str, Any]) -> str:
    """A short id of everything in a chart, for its prefixed ids."""
    return "c" + hashlib.sha256(canonical_json(spec).encode("utf-8")).hexdigest()[:10]


def _label(spec: Mapping[str, Any]) -> str:
    """The text alternative: the chart's description, else its title."""
    return str(spec.get("description") or spec.get("title", {}).get("text") or "แผนภูมิ")


_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?")
_ROOT = re.compile(r"<svg\b([^>]*)>")
_ID = re.compile(r'\bid="([^"]+)"')


def _prefix_ids(svg: str, prefix: str) -> str:
    ids = sorted(set(_ID.findall(svg)), key=len, reverse=True)
    for old in ids:
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    return svg


def make_inline(svg: str, label: str, id_prefix: str) -> str:
    """An SVG ready to paste into HTML: no prolog, role="img", aria-label, unique ids."""
    svg = _PROLOG.sub("", svg)
    svg = _prefix_ids(svg, id_prefix)
    attributes = f' role="img" aria-label="{html.escape(label, quote=True)}"'

    def add_attributes(match: re.Match[str]) -> str:
        existing = re.sub(r'\s(role|aria-label)="[^"]*"', "", match.group(1))
        return f"<svg{existing}{attributes}>"

    return _ROOT.sub(add_attributes, svg, count=1)


def render_svg(spec: Mapping[str, Any]) -> str:
    """One chart `drawing` drew -> inline SVG (Thai text as <text> in Sarabun)."""
    if not drawing.is_drawn(spec):
        raise ValueError("not a drawn chart: every chart is drawn by site.drawing")
    return make_inline(spec["drawn"], _label(spec), chart_id(spec))


def render_many(specs: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Every chart (name -> drawn chart) -> name -> inline SVG, in the order of `specs`."""
    return {name: render_svg(spec) for name, spec in specs.items()}
