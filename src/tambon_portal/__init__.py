"""tambon-portal: Frictionless data packages of Thai tambons in, a versioned static site out."""

__version__ = "0.1.0"

PROVINCE_CODE = "80"  # Nakhon Si Thammarat, the partnership's province
