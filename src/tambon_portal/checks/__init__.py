"""Checks of data packages: Table Schema validation, project checks, the privacy scan."""
