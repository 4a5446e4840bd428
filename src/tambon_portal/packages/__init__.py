"""Data packages: finding them, reading descriptors safely, loading typed tables."""
