"""Making packages: the synthetic sample, an empty tambon package, importing spreadsheets."""
