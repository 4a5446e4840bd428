"""Our secondary suppression against τ-Argus' on the same BMN tables (issue 11), in one run:
`.venv/bin/pip install pytauargus==0.6.0 && .venv/bin/python benchmarks/tauargus_compare.py
[CODE ...]` (default: three pilot tambons; about a minute). pytauargus (EUPL-1.2) is not a
dependency of the project: this script is the evidence for choosing our own method.

For each tambon: its synthetic records (`tambon sample households`) are made into tables by
`households publish`'s code, unsuppressed. Each year x indicator table of villages x result
(passed, failed, with the village, result and tambon totals) is then protected twice:

- ours: small counts and their partners (`stats.suppress`), then `authoring/protection` over
  every table of the package at once;
- τ-Argus (pytauargus, the engine with HiGHS): microdata of one row per answer, the frequency
  rule (cells of 1-4 unsafe, zeros safe) at a safety range of 100 %, optimal suppression
  (`OPT`), table by table.

Both results go through our disclosure audit (`checks/disclosure_audit`, every relation of the
package: a suppressed cell must keep at least 5 possible values). Prints, per tambon, the BMN
cells hidden by each and the cells the audit finds narrowed below 5 values.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import pandas as pd

from tambon_portal.authoring import households_check, households_sample, pilot, sample
from tambon_portal.authoring import households_publish as hp
from tambon_portal.checks import disclosure_audit as da
from tambon_portal.checks.tambon_package import TambonPackage
from tambon_portal.packages import discovery
from tambon_portal.packages import writer as package_writer
from tambon_portal.packages.file_store import FileStore

try:
    from pytauargus import protect
except ImportError:
    sys.exit("pytauargus is not installed: .venv/bin/pip install pytauargus==0.6.0")

CELLS = ("surveyed", "passed", "failed")
RULE = "FREQ(5,100)"
FIELD = {"Total": "surveyed", "passed": "passed", "failed": "failed"}


def raw_tables(codes: list[str], work: Path) -> dict[str, dict[str, pd.DataFrame]]:
    for code in codes:
        package_writer.write_files(work / "data" / code[:2] / code, pilot.skeleton_files(code))
    households, members, *_ = households_sample.write_records(work / "records", codes)
    store = FileStore()
    found = discovery.discover(work / "data", store)
    refs = {ref.tambon_code: ref for ref in found if ref.kind == "tambon"}
    villages = households_check.villages_of(found, store)
    with households_check.checked_records(households, members, villages) as records:
        return hp.made_tables(records, refs, store)


def tau_hidden(code: str, bmn: pd.DataFrame, work: Path) -> set[tuple]:
    """(area, year, indicator, field) of every BMN cell τ-Argus suppresses."""
    hidden = set()
    villages = bmn[bmn["area_level"] == "village"]
    for (year, indicator), table in villages.groupby(["year_be", "indicator"]):
        micro = [{"village": str(r.area_code), "result": result, "one": 1.0}
                 for r in table.itertuples() for result in ("passed", "failed")
                 for _ in range(int(getattr(r, result)))]  # fmt: skip
        if not micro:
            continue
        # The engine writes its logs (CSPlogfile.txt, FullJJ.log, cspSCIP.*) into the current
        # folder whatever `workdir` says: run it inside the temporary one.
        with contextlib.chdir(work):
            result = protect(
                pd.DataFrame(micro), ["village", "result"], response="one",
                safety_rules=RULE, suppress="OPT(1)", workdir=str(work / "tau"),
            )  # fmt: skip
        frame = result.tables[0].dataframe()
        frame["safe"] = result.tables[0].safe()
        for row in frame.itertuples():
            if row.safe == "x":
                area = code if str(row.village) == "Total" else str(row.village)
                hidden.add((area, int(year), int(indicator), FIELD[str(row.result)]))
    return hidden


def with_hidden(bmn: pd.DataFrame, hidden: set[tuple]) -> pd.DataFrame:
    out = bmn.copy().astype(dict.fromkeys(CELLS, "Int64"))
    for i, row in out.iterrows():
        for field in CELLS:
            if (str(row.area_code), int(row.year_be), int(row.indicator), field) in hidden:
                out.at[i, field] = pd.NA
    return out


def audited(code: str, tables: dict[str, pd.DataFrame]) -> tuple[int, float]:
    pkg = TambonPackage(package=f"tambon-{code}", code=code, folder_name=code, descriptor={},
                        descriptor_file="", files={}, tables=tables)  # fmt: skip
    audit = da.audit_package(pkg)
    return len(audit.disclosed()), min((r.width for r in audit.ranges), default=float("nan"))


def main() -> None:
    codes = sys.argv[1:] or ["800106", "800119", "800415"]
    with tempfile.TemporaryDirectory(prefix="tambon-tauargus-") as folder:
        made = raw_tables(codes, Path(folder))
        print("| tambon | BMN cells 1-4 and partners | ours: hidden, disclosed, narrowest |"
              f" τ-Argus {RULE} OPT: hidden, disclosed, narrowest |")  # fmt: skip
        print("|---|---|---|---|")
        for code, raw in made.items():
            primary = sample.SUPPRESSORS["bmn_results"](raw["bmn_results"])
            ours = sample.suppressed(raw)
            tau = ours | {"bmn_results": with_hidden(raw["bmn_results"],
                                                     tau_hidden(code, raw["bmn_results"],
                                                                Path(folder)))}  # fmt: skip
            counts = {name: int(t["bmn_results"][list(CELLS)].isna().sum().sum())
                      for name, t in (("ours", ours), ("tau", tau))}  # fmt: skip
            first = int(primary[list(CELLS)].isna().sum().sum())
            ours_audit, tau_audit = audited(code, ours), audited(code, tau)
            print(f"| {code} | {first} | {counts['ours']}, {ours_audit[0]}, {ours_audit[1]:.0f} |"
                  f" {counts['tau']}, {tau_audit[0]}, {tau_audit[1]:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
