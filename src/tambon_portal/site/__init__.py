"""The human-readable site: pages, charts, maps, search, mkdocs glue, templates, assets."""
