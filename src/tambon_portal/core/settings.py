"""Settings of the portal that every stage shares, each defined here once (pure: no I/O)."""

from __future__ import annotations

PROVINCE_CODE = "80"  # Nakhon Si Thammarat, the partnership's province

# Shown on every page and in every download of the synthetic sample packages.
SAMPLE_NOTICE_TH = "ข้อมูลตัวอย่าง (สังเคราะห์)"
SAMPLE_NOTICE_EN = "Sample data (synthetic): figures are made up; codes and names are real."

# The source of the tambon centroids of the home map (src/tambon_portal/data/thai-province-data).
COORDINATES_ATTRIBUTION = "thai-province-data by kongvut, MIT"
