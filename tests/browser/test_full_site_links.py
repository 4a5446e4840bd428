"""The whole portal as `make site` builds it from the repo's data (60 tambons): every internal
link resolves, every page is reachable from the home page, nothing is fetched from elsewhere.

The small-tree tests in tests/test_build.py check the same on hostile data; these check the
real navigation at full size (district pages, embeds, downloads, the roll-up dataset).
"""

from __future__ import annotations

from site_checks import broken_links, external_loads, pages, unreachable_pages


def test_the_full_site_has_no_broken_internal_link(site_dir):
    assert len(pages(site_dir)) > 300  # 60 profiles, 23 districts, embeds, datasets, docs
    assert broken_links(site_dir) == []


def test_every_page_of_the_full_site_is_reachable_from_the_home_page(site_dir):
    assert unreachable_pages(site_dir) == []


def test_no_page_of_the_full_site_loads_anything_from_another_host(site_dir):
    assert external_loads(site_dir) == []
