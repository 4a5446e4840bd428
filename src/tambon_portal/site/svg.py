"""Rendering Vega-Lite specs to inline SVG at build time, with a content-hash cache.

Why build-time SVG: vega + vega-lite + vega-embed are ~272 KB gzip on every page, while an SVG
chart is a few tens of KB and needs no script (docs/architecture.md §5). Why SVG and not PNG: PNG
mis-draws ำ (U+0E33) in every font tried; the browser draws SVG <text> correctly.

- Thai: vl-convert has no Thai font on a bare machine (boxes), so the Sarabun font of the
  `fontpkg-sarabun` package (OFL) is registered once per process; text stays <text>, so the
  page must offer Sarabun too (self-hosted web font) for the same metrics.
- Speed: ~0.1–0.2 s per chart warm, so charts are cached on disk by a hash of the canonical
  spec + vl-convert version + font + this module's post-processing version, and misses are
  rendered in `spawn` worker processes: a `fork` pool hung after vl-convert had been used in
  the parent (docs/architecture.md §5).
- Inline: the XML prolog is stripped, the root gets role="img" and an aria-label (the spec's
  `description`), and any ids are prefixed per chart so two charts on one page never clash.
- No network: vl-convert is told to allow no base URL, so a spec cannot fetch data.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import fontpkg_sarabun
import vl_convert

FONT_FAMILY = fontpkg_sarabun.FAMILY
FONT_DIR = fontpkg_sarabun.ROOT / "files"
FONT_VERSION = json.loads((fontpkg_sarabun.ROOT / "metadata.json").read_text())["version"]
VL_CONVERT_VERSION = vl_convert.__version__
POSTPROCESS_VERSION = "1"  # bump when make_inline changes, so cached SVGs are redone

_fonts_registered = False


def register_fonts() -> None:
    """Registers the Sarabun directory with vl-convert once per process."""
    global _fonts_registered
    if not _fonts_registered:
        vl_convert.register_font_directory(str(FONT_DIR))
        _fonts_registered = True


def canonical_json(spec: Mapping[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cache_key(spec: Mapping[str, Any]) -> str:
    """sha256 of everything that decides the SVG's bytes."""
    material = "\n".join(
        [
            canonical_json(spec),
            f"vl-convert {VL_CONVERT_VERSION}",
            f"font {FONT_FAMILY} {FONT_VERSION}",
            f"postprocess {POSTPROCESS_VERSION}",
        ]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _label(spec: Mapping[str, Any]) -> str:
    """The text alternative: the spec's description, else its title."""
    description = spec.get("description")
    if description:
        return str(description)
    title = spec.get("title")
    if isinstance(title, Mapping):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return str(title or "แผนภูมิ")


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


def render_svg(spec: dict) -> str:
    """One Vega-Lite spec -> inline SVG (Thai text as <text> in Sarabun)."""
    register_fonts()
    raw = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[], format_locale="en-US")
    return make_inline(raw, _label(spec), "c" + cache_key(spec)[:10])


def _write_atomically(path: Path, text: str) -> None:
    """Write then rename, so a concurrent build never reads half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _render_misses(specs: list[dict], workers: int) -> list[str]:
    if workers <= 1 or len(specs) <= 1:
        return [render_svg(spec) for spec in specs]
    context = multiprocessing.get_context("spawn")  # fork hangs after vl-convert ran
    with context.Pool(processes=min(workers, len(specs))) as pool:
        return pool.map(render_svg, specs, chunksize=max(1, len(specs) // (4 * workers)))


def render_many(specs: Mapping[str, dict], cache_dir: Path, workers: int = 1) -> dict[str, str]:
    """Renders every spec (name -> spec), reading and filling the on-disk cache.

    Returns name -> inline SVG in the order of `specs`. Identical specs are rendered once.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    keys = {name: cache_key(spec) for name, spec in specs.items()}
    svgs: dict[str, str] = {}  # by key
    for key in set(keys.values()):
        cached = cache_dir / f"{key}.svg"
        if cached.is_file():
            svgs[key] = cached.read_text(encoding="utf-8")
    missing: dict[str, dict] = {}
    for name, key in keys.items():
        if key not in svgs and key not in missing:
            missing[key] = dict(specs[name])
    rendered = _render_misses(list(missing.values()), workers)
    for key, svg in zip(missing, rendered, strict=True):
        _write_atomically(cache_dir / f"{key}.svg", svg)
        svgs[key] = svg
    return {name: svgs[key] for name, key in keys.items()}
