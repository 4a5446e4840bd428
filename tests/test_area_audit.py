"""District and province totals from the records, audited and protected with the tambons
they add up (issue 11): `checks.area_audit`, `authoring.protection.protect_province`,
`authoring.area_totals` and the roll-ups that use them (`stats.true_totals`)."""

from __future__ import annotations

import pandas as pd
from csv_edits import add_to_first_row
from hypothesis import given, settings
from hypothesis import strategies as st

from tambon_portal import cli
from tambon_portal.authoring import area_totals, pilot, protection
from tambon_portal.checks import area_audit, audit_report, validate, workers
from tambon_portal.checks import disclosure_audit as da
from tambon_portal.checks.tambon_package import TambonPackage
from tambon_portal.core.schemas import areas
from tambon_portal.stats import aggregate, suppress, true_totals

X = None
COUNTS = ("surveyed", "passed", "failed")


def tambon_bmn(code: str, surveyed: int | None, passed: int | None, failed: int | None
               ) -> pd.DataFrame:  # fmt: skip
    row = {"area_code": code, "area_level": "tambon", "year_be": 2568, "indicator": 4,
           "surveyed": surveyed, "passed": passed, "failed": failed}  # fmt: skip
    return pd.DataFrame([row]).astype({c: "Int64" for c in COUNTS})


def package(name: str, code: str, **tables: pd.DataFrame) -> TambonPackage:
    return TambonPackage(package=name, code=code, folder_name=code, descriptor={},
                         descriptor_file=f"{name}/datapackage.json",
                         files={t: f"{name}/data/{t}.csv" for t in tables},
                         tables=dict(tables))  # fmt: skip


def totals(rows: dict[str, tuple], covered: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """Area totals of indicator 4 in 2568: area -> (surveyed, passed, failed)."""
    bmn = pd.DataFrame(
        [{"area_code": a, "area_level": "province" if len(a) == 2 else "district",
          "year_be": 2568, "indicator": 4, **dict(zip(COUNTS, v, strict=True))}
         for a, v in rows.items()]
    ).astype({c: "Int64" for c in COUNTS})  # fmt: skip
    coverage = pd.DataFrame(
        [
            (a, "province" if len(a) == 2 else "district", t)
            for a, ts in covered.items()
            for t in ts
        ],
        columns=areas.field_names("area_tambons"),
    )
    return {"area_tambons": coverage, "area_bmn_results": bmn}


def area_package(tables: dict[str, pd.DataFrame]) -> TambonPackage:
    return package(areas.package_name("80"), "80", **tables)


def tambons_of(bmn: dict[str, pd.DataFrame]) -> dict[str, TambonPackage]:
    return {code: package(f"tambon-{code}", code, bmn_results=frame) for code, frame in bmn.items()}


# A district of two tambons: 800101 failed 3 (suppressed with its partner), 800102 failed 10.
BMN = {"800101": tambon_bmn("800101", 40, X, X), "800102": tambon_bmn("800102", 50, 40, 10)}
COVERED = {"8001": ["800101", "800102"], "80": ["800101", "800102"]}


def test_a_district_total_gives_a_lone_suppressed_tambon_cell_back_and_the_check_says_where():
    area = area_package(totals({"8001": (90, 77, 13), "80": (90, 77, 13)}, COVERED))
    problems = area_audit.check_province(area, tambons_of(BMN))
    found = {(p.file, p.row, p.field) for p in problems}
    assert ("tambon-800101/data/bmn_results.csv", 2, "failed") in found
    assert ("tambon-800101/data/bmn_results.csv", 2, "passed") in found
    assert all(p.code == da.CODE for p in problems)
    assert "it is exactly 3" in next(p.message for p in problems if p.field == "failed")


def test_the_tambons_audit_alone_does_not_see_what_the_district_total_gives_back():
    assert da.audit_package(tambons_of(BMN)["800101"]).disclosed() == []


def test_a_tambons_part_keeps_only_the_relations_a_total_can_meet():
    own = {"area_code": "800101", "area_level": "tambon", "year_be": 2568}
    village = {"area_level": "village", "year_be": 2568, "indicator": 5,
               "surveyed": 20, "passed": X, "failed": X}  # fmt: skip
    bmn = pd.DataFrame([
        {**own, "indicator": 4, "surveyed": 40, "passed": X, "failed": X},  # a total adds it up
        {**own, "indicator": 5, "surveyed": 40, "passed": 30, "failed": 10},  # published
        {**village, "area_code": "80010101"}, {**village, "area_code": "80010102"},
    ]).astype({c: "Int64" for c in COUNTS})  # fmt: skip
    villages = pd.DataFrame({"village_code": ["80010101", "80010102"]})
    pkg = package("tambon-800101", "800101", bmn_results=bmn, villages=villages)
    part = area_audit.tambon_part(pkg)
    assert {r.total.cell.index for r in part.reaching} == {0}  # the villages' group stays home
    assert len(da.relations_of(pkg, hiding_only=True)) > len(part.reaching) == 1
    assert part.package.tables == {} and part.package.files == pkg.files
    terms = part.rows["bmn_results"][("2568", "4")]
    assert terms["surveyed"].value == 40 and terms["failed"].value is None


def test_two_suppressed_tambons_under_a_published_total_keep_their_ranges():
    bmn = {"800101": tambon_bmn("800101", 40, X, X), "800102": tambon_bmn("800102", 50, X, X)}
    area = area_package(totals({"8001": (90, 77, 13), "80": (90, 77, 13)}, COVERED))
    assert area_audit.check_province(area, tambons_of(bmn)) == []
    audit = area_audit.audit_province(area, tambons_of(bmn))
    assert min(r.width for r in audit.ranges) >= da.MIN_RANGE


def test_an_area_total_its_published_tambons_do_not_add_up_to_is_reported():
    bmn = {"800101": tambon_bmn("800101", 40, 35, 5), "800102": tambon_bmn("800102", 50, 40, 10)}
    area = area_package(totals({"8001": (90, 75, 16), "80": (90, 75, 15)}, COVERED))
    problems = area_audit.check_province(area, tambons_of(bmn))
    mismatched = [(p.row, p.field) for p in problems if p.code == "area-total-mismatch"]
    assert (2, "failed") in mismatched and (3, "failed") not in mismatched


def test_a_covered_tambon_without_a_package_is_reported():
    area = area_package(totals({"8001": (90, 77, 13), "80": (90, 77, 13)}, COVERED))
    problems = area_audit.check_province(area, {"800102": tambons_of(BMN)["800102"]})
    assert any(p.code == "unknown-tambon" and "800101" in p.message for p in problems)


def test_the_provinces_protection_hides_totals_and_leaves_the_tambons_as_they_were():
    raw = totals({"8001": (90, 77, 13), "80": (90, 77, 13)}, COVERED)
    primary = area_totals.primary(raw | {"area_income": _no_income()})
    tambons, protected = protection.protect_province(
        {c: {"bmn_results": f} for c, f in BMN.items()}, primary, "80"
    )
    for code, frame in BMN.items():
        pd.testing.assert_frame_equal(tambons[code]["bmn_results"], frame)
    bmn = protected["area_bmn_results"].set_index("area_code")
    assert bmn.loc["8001", ["passed", "failed"]].isna().all()
    assert bmn.loc["80", ["passed", "failed"]].isna().all()
    area = area_package(protected)
    assert area_audit.check_province(area, tambons_of(BMN)) == []


def _no_income() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="Int64") if name.startswith("households")
                         else pd.Series(dtype="object")
                         for name in areas.field_names("area_income")})  # fmt: skip


@st.composite
def provinces(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    """Tambon rows of one indicator in two districts, counts drawn small enough to suppress."""
    tables = {}
    for district in ("8001", "8002"):
        for n in range(1, draw(st.integers(1, 4)) + 1):
            code = f"{district}{n:02d}"
            surveyed = draw(st.integers(0, 40))
            passed = draw(st.integers(0, surveyed))
            tables[code] = tambon_bmn(code, surveyed, passed, surveyed - passed)
    return tables


@settings(max_examples=40, deadline=None)
@given(provinces())
def test_after_the_provinces_protection_no_cell_of_a_tambon_or_an_area_can_be_worked_out(raw):
    published = {c: suppress.suppress_area_bmn_results(f) for c, f in raw.items()}
    tambon_alone = {c: protection.protect({"bmn_results": f}, c) for c, f in published.items()}
    parts = {c: area_totals.tambon_part(c, {"bmn_results": raw[c], "income_summary": _summary(c)})
             for c in raw}  # fmt: skip
    primary = area_totals.primary(area_totals.raw_tables(parts))
    tambons, protected = protection.protect_province(tambon_alone, primary, "80")
    area = area_package(protected)
    packages = tambons_of({c: t["bmn_results"] for c, t in tambons.items()})
    assert area_audit.check_province(area, packages) == []
    # only cells were hidden: every published count is the true one
    truth = area_totals.raw_tables(parts)["area_bmn_results"]
    shown = protected["area_bmn_results"]
    for column in COUNTS:
        published_cells = shown[column].notna()
        assert (shown.loc[published_cells, column] == truth.loc[published_cells, column]).all()


def _summary(code: str) -> pd.DataFrame:
    return pd.DataFrame([{"tambon_code": code, "year_be": 2568, "households_surveyed": 40,
                          "households_below_line": 10, "households_with_debt": 20}])  # fmt: skip


def test_a_districts_key_figures_are_its_true_totals_only_where_they_cover_its_tambons():
    def tables(code: str, failed: int | None) -> dict[str, pd.DataFrame]:
        facts = pd.DataFrame([{"tambon_code": code, "district_code": code[:4],
                               "province_code": "80", "name_th": code, "name_en": code,
                               "villages": 1, "households": 50, "population": 100,
                               "area_km2": 1.0, "pilot": True}])  # fmt: skip
        passed = None if failed is None else 40 - failed
        return {"tambon": facts, "bmn_results": tambon_bmn(code, 40, passed, failed)}

    tambons = {"800101": tables("800101", X), "800102": tables("800102", 10)}
    true = totals({"8001": (80, 67, 13), "80": (80, 67, 13)}, COVERED)
    rows = aggregate.key_figures(tambons, {"80": true}).set_index("area_code")
    assert rows.loc["8001", "bmn_pass_pct"] == round(100 * 67 / 80, 1)  # both tambons
    lower = aggregate.key_figures(tambons).set_index("area_code")
    assert lower.loc["8001", "bmn_pass_pct"] == round(100 * 30 / 40, 1)  # the published one
    other = totals({"8001": (80, 67, 13), "80": (80, 67, 13)}, {"8001": ["800101"], "80": []})
    rows = aggregate.key_figures(tambons, {"80": other}).set_index("area_code")
    assert rows.loc["8001", "bmn_pass_pct"] == lower.loc["8001", "bmn_pass_pct"]


def test_tambon_audit_of_a_published_province_audits_its_area_totals_with_its_tambons(
    tmp_path, capsys
):
    pilot.write_pilot(tmp_path / "data", codes=["800106", "800114"])
    assert cli.main(["audit", "--data", str(tmp_path / "data"), "--no-cache"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("3 packages audited: ")  # two tambons and the province's totals
    assert "none can be worked out to fewer than 5 values" in said


def test_the_audit_of_a_province_finds_the_sums_the_check_finds_from_one_set_of_relations():
    bmn = {"800101": tambon_bmn("800101", 40, 35, 5), "800102": tambon_bmn("800102", 50, 40, 10)}
    area = area_package(totals({"8001": (90, 75, 16), "80": (90, 75, 15)}, COVERED))
    found = area_audit.audited_area(area, tambons_of(bmn))
    assert found.sums == area_audit.check_province(area, tambons_of(bmn)) != []
    assert found.province == area_audit.audit_province(area, tambons_of(bmn))


def test_tambon_audit_without_the_cache_still_refuses_area_totals_that_do_not_add_up(
    tmp_path, capsys
):
    data = tmp_path / "data"
    pilot.write_pilot(data, codes=["800106", "800114"])
    income = data / "80" / "area-totals-80" / "data" / "area_income.csv"
    add_to_first_row(income, "households_surveyed", 7)
    assert cli.main(["audit", "--data", str(data), "--no-cache"]) == 1
    captured = capsys.readouterr()
    assert "[area-total-mismatch]" in captured.out
    assert "the audit reads valid packages only" in captured.err
    assert "audited" not in captured.out


def test_tambon_audit_of_two_provinces_audits_each_with_its_tambons_in_parallel_or_not(
    tmp_path, monkeypatch
):
    data = tmp_path / "data"
    pilot.write_pilot(data, codes=["800106", "810101"])
    parallel = audit_report.audit_folder(data)
    monkeypatch.setattr(workers, "worker_count", lambda items, per_worker=1: 1)
    alone = audit_report.audit_folder(data)
    assert parallel.summary == alone.summary and parallel.problems == alone.problems == []
    assert parallel.summary.packages == 4  # two tambons and two provinces' area totals
    assert audit_report.summary_text(parallel.summary).startswith("4 packages audited: ")


def test_a_province_audited_whole_audits_each_group_once_as_its_tambons_or_with_the_totals():
    # 800101's indicator 5 is in no area total: its own tables alone give `passed` back (2)
    other = tambon_bmn("800101", 40, X, 38).assign(indicator=5)
    bmn = {"800101": pd.concat([BMN["800101"], other], ignore_index=True),
           "800102": BMN["800102"]}  # fmt: skip
    area = area_package(totals({"8001": (90, 77, 13), "80": (90, 77, 13)}, COVERED))
    found = area_audit.audited_area(area, tambons_of(bmn))

    def seen(audit: da.PackageAudit) -> list[tuple[str, int, str, float, float]]:
        return [(r.cell.resource, r.cell.index, r.cell.field, r.lowest, r.highest)
                for r in audit.ranges]  # fmt: skip

    resource = "tambon-800101/bmn_results"
    assert [seen(a) for a in found.tambons] == [[(resource, 1, "passed", 2, 2)], []]
    # the indicator-4 cells the district total reaches: the province's, not the tambon's too
    assert seen(found.province) == [(resource, 0, "failed", 3, 3), (resource, 0, "passed", 37, 37)]
    assert [a.suppressed for a in found.tambons] == [3, 0]


def test_validation_checks_each_provinces_area_totals_in_parallel_or_not_and_keeps_them(
    tmp_path, monkeypatch
):
    data = tmp_path / "data"
    pilot.write_pilot(data, codes=["800106", "810101"])
    for province in ("80", "81"):
        income = data / province / f"area-totals-{province}" / "data" / "area_income.csv"
        add_to_first_row(income, "households_surveyed", 7)

    def mismatches(report: validate.FolderReport) -> list[tuple[str, str | None]]:
        return [(p.file, p.field) for p in report.problems if p.code == "area-total-mismatch"]

    parallel = validate.check_folder(data, cache_dir=tmp_path / "cache")
    assert {file.split("/")[1] for file, _ in mismatches(parallel)} == {
        "area-totals-80", "area-totals-81"}  # fmt: skip
    monkeypatch.setattr(workers, "worker_count", lambda items, per_worker=1: 1)
    assert validate.check_folder(data).problems == parallel.problems

    def crash(*_: object) -> None:
        raise RuntimeError("checked again")

    monkeypatch.setattr(area_audit, "check_parts", crash)
    again = validate.check_folder(data, cache_dir=tmp_path / "cache")  # the cache answers
    assert again.problems == parallel.problems
    crashed = validate.check_folder(data).problems  # a crash is one province's problem
    assert [p.code for p in crashed if p.code != "area-total-mismatch"] == ["check-crashed"] * 2


def test_the_audit_takes_the_tables_the_validation_typed_and_reads_only_what_the_cache_answered(
    tmp_path, monkeypatch
):
    data = tmp_path / "data"
    pilot.write_pilot(data, codes=["800106", "810101"])
    reference = audit_report.audit_folder(data)
    real_read = audit_report.read_package
    read: list[str] = []

    def reading(ref, *args, **kwargs):
        if ref.kind == "tambon":
            read.append(ref.name)  # in this process only when nothing is forked
        return real_read(ref, *args, **kwargs)

    monkeypatch.setattr(audit_report, "read_package", reading)
    monkeypatch.setattr(workers, "worker_count", lambda items, per_worker=1: 1)
    assert audit_report.audit_folder(data).summary == reference.summary and read == []
    cache = tmp_path / "cache"
    validate.check_folder(data, cache_dir=cache)  # every verdict kept: no table typed
    assert audit_report.audit_folder(data, cache_dir=cache).summary == reference.summary
    assert sorted(read) == ["tambon-800106", "tambon-810101"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["80", "8001", "8002"]),
                          st.sampled_from(["2567", "2568", "x", ""])), max_size=12),
       st.sampled_from(["80", "8001", "8003"]), st.sampled_from([2567, 2568]))  # fmt: skip
def test_the_indexed_totals_give_an_areas_rows_as_a_filter_of_the_whole_table_does(
    keys, area, year
):
    frame = pd.DataFrame({"area_code": [a for a, _ in keys], "year_be": [y for _, y in keys],
                          "row": range(len(keys))})  # fmt: skip
    plain = frame[(frame["area_code"] == area)
                  & (pd.to_numeric(frame["year_be"], errors="coerce") == year)]  # fmt: skip
    found = true_totals.Indexed({"area_income": frame}).rows("area_income", area, year)
    assert (found["row"].tolist() if len(found) else []) == plain["row"].tolist()
    coverage = frame.rename(columns={"year_be": "tambon_code"})
    assert true_totals.Indexed({"area_tambons": coverage}).coverage(area) == set(
        coverage.loc[coverage["area_code"] == area, "tambon_code"])  # fmt: skip
