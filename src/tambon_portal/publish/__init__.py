"""The machine-readable outputs: downloads, catalog, changelog, roll-up package, releases."""
