"""Settings, code lists, schemas, names of places, addresses and words: no I/O but reading
the package's own data."""
