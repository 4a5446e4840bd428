"""The `tambon` command: a thin layer that parses arguments and calls the library.

Exit codes: 0 success, 1 the data has problems (or a build failed), 2 usage or I/O error (a
file that cannot be read, or is refused, with a message naming it), 3 an internal error (a bug:
the message says how to see the traceback), 130 interrupted (Ctrl-C) and 143 terminated
(SIGTERM); an interrupted command leaves nothing half-written and no temporary file.

Kept over 400 lines: it is the one module that prints and sets exit codes (the rule of
docs/architecture.md), one short function per command, each calling one library entry.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tambon_portal import cli_progress
from tambon_portal.authoring import (
    households_check,
    households_publish,
    households_sample,
    importer,
    national,
    pilot,
    sample,
    scaffold,
)
from tambon_portal.checks import audit_report, validate, verdict_cache
from tambon_portal.core.schemas import articles as articles_schema
from tambon_portal.packages import descriptor_reader
from tambon_portal.pipeline import build, release, stages, workspace
from tambon_portal.publish import releases

DEFAULT_DATA = Path("datapackages")
DEFAULT_SITE = Path("build/site")
DEFAULT_OFFLINE = Path("build/offline")


def _validate(args: argparse.Namespace) -> int:
    """0 valid, 1 problems found, 2 no folder of packages to check."""
    cache_dir = None
    if not args.no_cache:  # verdicts kept in the work folder of the build output --out
        try:
            cache_dir = workspace.cache_folder(args.out, verdict_cache.FOLDER)
        except (workspace.WorkspaceError, OSError) as error:
            print(f"tambon validate: no cache of verdicts ({error}); every package is checked",
                  file=sys.stderr)  # fmt: skip
    try:
        report = validate.check_folder(args.data, cache_dir=cache_dir)
    except validate.FolderUnusable as unusable:
        print(f"tambon validate: {unusable}", file=sys.stderr)
        return 2
    refs, problems = report.refs, report.problems
    if args.format == "json":
        print(validate.format_json(problems))
        print(validate.summary(refs, problems, args.data), file=sys.stderr)  # stdout: pure JSON
    else:
        print(validate.format_text(refs, problems, args.data))
    if report.cached is not None:
        from_cache, checked = report.cached
        print(f"{len(refs)} packages: {from_cache} from cache, {checked} checked", file=sys.stderr)
    return 1 if problems else 0


def _audit(args: argparse.Namespace) -> int:
    """0 no suppressed cell can be worked out, 1 some can (or the data is not valid), 2 no
    folder of packages."""
    cache_dir = None
    if not args.no_cache:
        try:
            cache_dir = workspace.cache_folder(args.out, verdict_cache.FOLDER)
        except (workspace.WorkspaceError, OSError):
            cache_dir = None  # the audit checks every package then; nothing else changes
    try:
        found = audit_report.audit_folder(args.data, cache_dir=cache_dir)
    except validate.FolderUnusable as unusable:
        print(f"tambon audit: {unusable}", file=sys.stderr)
        return 2
    if found.summary is None:
        print(validate.format_text(found.refs, found.invalid, args.data))
        print("tambon audit: the audit reads valid packages only; fix these first",
              file=sys.stderr)  # fmt: skip
        return 1
    for problem in found.problems:
        print(problem.as_text())
    print(audit_report.summary_text(found.summary))
    return 1 if found.problems else 0


def _add_audit(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit",
        help="find suppressed cells a reader can work out from the published numbers",
    )
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of data packages")
    p.add_argument(
        "--out", type=Path, default=DEFAULT_SITE,
        help="output of `tambon build` whose work folder keeps the validation verdicts",
    )  # fmt: skip
    p.add_argument("--no-cache", action="store_true", help="validate every package again")
    p.set_defaults(func=_audit)


DEFAULT_RECORDS = Path("private/sample-households")


def _sample_households(args: argparse.Namespace, seed: int) -> int:
    out = args.out or DEFAULT_RECORDS
    if args.national and args.tambon:
        print("tambon sample households: --national or --tambon, not both", file=sys.stderr)
        return 2
    codes = households_sample.national_codes() if args.national else (
        args.tambon or sample.pilot_codes(seed))  # fmt: skip
    started = time.perf_counter()
    progress = cli_progress.reporter("tambon sample households")
    try:
        households_publish.refuse_inside([out / "households.csv"], [DEFAULT_DATA, DEFAULT_SITE])
        with progress.stage("records", total=len(codes)):
            written = households_sample.write_records(out, codes, seed, progress=progress)
            progress.note(f"{len(codes):,} tambons")
    except households_publish.PublishRefused as error:
        print(f"tambon sample households: {error}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:
        print(f"tambon sample households: cannot write to {out}: {error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(f"เขียนข้อมูลรายครัวเรือนตัวอย่าง (synthetic household records) of {len(codes):,}"
          f" tambon(s): {written[2]:,} households, {written[3]:,} persons, in {written[0]} and"
          f" {written[1]} ({seconds:.1f} s, seed {seed})")  # fmt: skip
    return 0


def _sample_national(args: argparse.Namespace, seed: int) -> int:
    """0 written, 1 the records did not pass their check (a bug of the generator), 2 usage,
    refused or I/O error."""
    out, records = args.out or national.DEFAULT_OUT, args.records or national.DEFAULT_RECORDS
    started = time.perf_counter()
    progress = cli_progress.reporter("tambon sample national")
    try:
        codes = national.codes_of(args.province)
        households_publish.refuse_inside([records / "households.csv"], [DEFAULT_DATA, DEFAULT_SITE])
        report = national.write_national(out, records, codes, seed, progress)
    except (national.UnknownProvince, households_publish.PublishRefused) as error:
        print(f"tambon sample national: {error}; nothing was written", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"tambon sample national: cannot write {out} or {records}: {error}", file=sys.stderr)
        return 2
    if report.problems:
        first = report.problems[0]
        print(f"tambon sample national: the synthetic records have {len(report.problems)}"
              f" problems, first: {first.location()}: {first.message}; nothing was written",
              file=sys.stderr)  # fmt: skip
        return 1
    provinces = len({code[:2] for code in codes})
    print(f"เขียนข้อมูลตัวอย่างระดับประเทศ {len(codes):,} ตำบล ใน {provinces} จังหวัด"
          f" (national sample data, published from {report.records.households:,} synthetic"
          f" household rows) ลงใน {out}; records in {records}"
          f" ({time.perf_counter() - started:.1f} s, seed {seed})")  # fmt: skip
    print(f"build it: tambon build --data {out} --out build/national-site")
    return 0


def _sample(args: argparse.Namespace) -> int:
    """0 written, 2 the output folder cannot be written."""
    seed = sample.DEFAULT_SEED if args.seed is None else args.seed
    if args.what == "households":
        return _sample_households(args, seed)
    if args.what == "national":
        return _sample_national(args, seed)
    args.out = args.out or DEFAULT_DATA
    started = time.perf_counter()
    progress = cli_progress.reporter("tambon sample")
    try:
        folders = pilot.write_pilot(args.out, seed, args.tambon, progress)
    except OSError as error:
        print(f"tambon sample: cannot write to {args.out}: {error}", file=sys.stderr)
        return 2
    except (pilot.PilotFailed, households_publish.PublishRefused) as error:
        print(f"tambon sample: {error}; nothing was written", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    tambons = [f for f in folders if f.name.isdigit()]  # the rest: each province's two
    knowledge = [f for f in folders if f.name == articles_schema.KNOWLEDGE_DIR]
    stories = sum(len(list(f.glob(f"*{articles_schema.SUFFIX}"))) for f in knowledge)
    print(f"เขียนข้อมูลตัวอย่าง {len(tambons)} ตำบล และชุดข้อมูลระดับจังหวัด"
          f" {len(folders) - len(tambons) - len(knowledge)} ชุด (ตัวเลขรวมระดับอำเภอ/จังหวัด"
          f" ภาคีเครือข่าย) และบทเรียน/ข่าว {stories} เรื่อง"
          f" ลงใน {args.out} ({seconds:.1f} s, seed {seed};"
          " tables published from synthetic household records)")  # fmt: skip
    return 0


def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="validate every data package and explain each problem")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of data packages")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_SITE,
        help="output of `tambon build` in whose work folder the verdicts are kept between runs"
        " (default: build/site); a package whose files did not change is not checked again",
    )
    p.add_argument("--no-cache", action="store_true", help="check every package, keep nothing")
    p.set_defaults(func=_validate)


def _add_sample(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="write the synthetic packages of the 60 pilot tambons")
    p.add_argument("what", nargs="?", choices=["packages", "households", "national"],
                   default="packages",
                   help="packages (default: the pilot), synthetic household records, or the"
                   " national sample data (a package for every sub-district, published from"
                   " synthetic records)")  # fmt: skip
    p.add_argument("--out", type=Path,
                   help=f"folder to write into (default {DEFAULT_DATA}; households:"
                   f" {DEFAULT_RECORDS}; national: {national.DEFAULT_OUT})")  # fmt: skip
    p.add_argument("--records", type=Path,
                   help="national: where the synthetic household records go (default"
                   f" {national.DEFAULT_RECORDS}; kept outside the data)")  # fmt: skip
    p.add_argument(
        "--province",
        action="append",
        help="national: only this province (code, repeatable; default all 77)",
    )
    p.add_argument("--tambon", action="append", help="only this tambon (repeatable)")
    p.add_argument("--national", action="store_true",
                   help="households: every sub-district of the gazetteer (7,436; a big file,"
                   " for benchmarks: keep it outside the repository)")  # fmt: skip
    p.add_argument("--seed", type=int, help="random seed (default: that of the committed samples)")
    p.set_defaults(func=_sample)


def _new_tambon(args: argparse.Namespace) -> int:
    """0 created, 2 unknown code, existing package or I/O error."""
    try:
        folder = scaffold.create_package(args.data, args.code.strip(), date.today())
    except (scaffold.ScaffoldError, OSError) as err:
        print(f"tambon new-tambon: {err}", file=sys.stderr)
        return 2
    print(f"สร้างแพ็กเกจแล้ว (package created): {folder}")
    print(
        "กรอกข้อมูลเหล่านี้ใน data/tambon.csv (fill these in data/tambon.csv): "
        + ", ".join(scaffold.fields_to_fill())
    )
    print(
        "แล้วนำเข้าตาราง และแก้ villages, households, population, reference_date ให้ตรงกับข้อมูล "
        f"(then import tables and update the counts and date): "
        f"tambon import FILE --tambon {args.code} --resource NAME"
    )
    return 0


def _add_new_tambon(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new-tambon", help="create an empty package for a tambon, by DOPA code")
    p.add_argument("code", help="6-digit tambon code, e.g. 800106")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of data packages")
    p.set_defaults(func=_new_tambon)


def _import(args: argparse.Namespace) -> int:
    """0 written and valid, 1 the result would not validate, 2 file or package unusable;
    130 (Ctrl-C) or 143 (SIGTERM) interrupted, and then nothing is written."""
    path: Path = args.file
    progress = cli_progress.RowLine("tambon import")
    try:
        report = importer.import_file(path, args.data, args.tambon, args.resource, args.sheet,
                                      args.force, progress)  # fmt: skip
    except (importer.ImportFileError, descriptor_reader.PackageError) as err:
        progress.finish(str(err), timed=False)
        return 2
    except (KeyboardInterrupt, Terminated) as stop:
        progress.finish(f"interrupted; {path.name} was not imported and nothing was written")
        return int(stop.code or 0) if isinstance(stop, Terminated) else INTERRUPTED
    print(importer.format_report(report, path))
    outcome = f"written to {report.written}" if report.written else "not written"
    progress.finish(f"{report.result.rows:,} rows of {path.name} read; {outcome}")
    return 0 if report.ok else 1


def _add_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import a CSV or XLSX file into one table of a tambon")
    p.add_argument("file", type=Path, help="CSV (UTF-8 or TIS-620/cp874) or XLSX file")
    p.add_argument("--tambon", required=True, help="6-digit tambon code of the package")
    p.add_argument("--resource", required=True, help="table to replace, e.g. villages")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of data packages")
    p.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    p.add_argument("--force", action="store_true", help="write even if it would not validate")
    p.set_defaults(func=_import)


def _build(args: argparse.Namespace) -> int:
    out = args.out or (DEFAULT_OFFLINE if args.offline else DEFAULT_SITE)
    return build_main(args.data, out, site_url=args.site_url, offline_copy=args.offline,
                      provinces=args.province or ())  # fmt: skip


def build_main(
    data_dir: Path,
    out_dir: Path,
    site_url: str | None = None,
    offline_copy: bool = False,
    provinces: Sequence[str] = (),
) -> int:
    """`tambon build`: 0 built, 1 refused (problems printed), 2 the output or the disk could
    not be used (message printed; the previous site is untouched)."""

    def waiting(why: str) -> None:
        print(f"tambon build: {why} …", file=sys.stderr, flush=True)

    progress = cli_progress.reporter("tambon build")
    try:
        stats = build.build_site(
            data_dir, out_dir, site_url=site_url, on_wait=waiting, progress=progress,
            offline_copy=offline_copy, provinces=provinces,
        )  # fmt: skip
    except (workspace.WorkspaceError, stages.NoSuchProvince) as refused:
        print(f"tambon build: {refused}", file=sys.stderr)
        return 2
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(
            f"tambon build: ใช้ไฟล์ไม่ได้ (file error){where}: {error.strerror or error}; "
            "เว็บไซต์เดิมไม่ถูกแตะต้อง (the previous site is untouched)",
            file=sys.stderr,
        )
        return 2
    except build.BuildRefused as refused:
        n = len(refused.problems)
        print(
            f"tambon build: ไม่สร้างเว็บไซต์ เพราะข้อมูลมีปัญหา {n} รายการ; เว็บไซต์เดิมไม่ถูกแตะต้อง "
            f"(site not built: {n} problem(s); the previous site is untouched)",
            file=sys.stderr,
        )
        for problem in refused.problems:
            print(f"  {_describe(problem)}", file=sys.stderr)
        return 1
    if stats.get("skipped"):
        print(
            f"ไม่มีอะไรเปลี่ยนตั้งแต่ครั้งก่อน: เว็บไซต์ {out_dir} คงเดิม "
            f"(nothing changed since the last build; the site is as it was) · {stats['seconds']} s"
        )
        print(cli_progress.stage_table(stats["stages"]))
        return 0
    print(
        f"สร้างเว็บไซต์แล้ว: {out_dir} · {stats['tambons']} ตำบล, {stats['datasets']} ชุดข้อมูลอื่น, "
        f"{stats['charts']} แผนภูมิ, {stats['seconds']} s"
    )
    print(cli_progress.stage_table(stats["stages"]))
    if "offline" in stats:
        copy = stats["offline"]
        print(
            f"สำเนาออฟไลน์ (offline copy): {copy['files']:,} ไฟล์, {copy['bytes'] / 1e6:.1f} MB · "
            f"เปิดได้โดยไม่ต้องมีเซิร์ฟเวอร์ (open with no server): "
            f"{(Path(out_dir).resolve() / 'index.html').as_uri()}"
        )
    return 0


def _describe(problem: Any) -> str:
    parts = [str(getattr(problem, name, "") or "") for name in ("file", "row", "field", "code")]
    where = ":".join(p for p in parts[:3] if p)
    return f"{where} [{parts[3]}] {getattr(problem, 'message', problem)}"


def _add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="validate, then build the static site (atomically)")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of data packages")
    p.add_argument("--out", type=Path, default=None,
                   help=f"folder of the built site (default {DEFAULT_SITE}; {DEFAULT_OFFLINE}"
                        " with --offline)")  # fmt: skip
    p.add_argument(
        "--offline",
        action="store_true",
        help="build the copy for a tambon office: opened from a folder or a USB stick with no "
        "server and no internet (links, search, charts and downloads work from file://)",
    )
    p.add_argument(
        "--province",
        action="append",
        metavar="CODE",
        help="only the tambons (and area totals) of this province, by its 2-digit code "
        "(repeatable): a province's own site, or its offline copy, from a national data tree",
    )
    p.add_argument(
        "--site-url",
        default=None,
        help="public address of the site, for permanent URLs in citations and the catalog "
        "(default: $TAMBON_SITE_URL, else the GitHub Pages address of the 'origin' remote; "
        "without any, pages say the address is set at release)",
    )
    p.set_defaults(func=_build)


def _serve(args: argparse.Namespace) -> int:
    """0 served until Ctrl-C, 2 nothing to serve (no built site, or no release yet)."""
    try:
        if args.releases:  # every published version, as the release branch holds them
            with release.published(Path(".")) as versions:
                build.serve(versions, args.port, on_ready=_serving)
        else:
            build.serve(args.site, args.port, on_ready=_serving)
    except (build.NoSite, release.NoReleases) as nothing:
        print(f"tambon serve: {nothing}", file=sys.stderr)
        return 2
    return 0


def _serving(url: str) -> None:
    print(f"{url} (Ctrl-C หยุด)")


def _add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the built site on http://127.0.0.1:PORT/")
    p.add_argument("--site", type=Path, default=DEFAULT_SITE, help="folder of the built site")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--releases", action="store_true", help="serve every published version (gh-pages branch)"
    )
    p.set_defaults(func=_serve)


def _release(args: argparse.Namespace) -> int:
    """0 published (or dry run shown), 1 refused or the build failed."""
    try:
        context = release.release(
            Path("."), args.version, dry_run=args.dry_run, site_url=args.site_url
        )
    except releases.ReleaseError as refused:
        print(f"tambon release: ไม่ออกรุ่น (not released): {refused}", file=sys.stderr)
        return 1
    except build.BuildRefused as refused:
        print(
            f"tambon release: ข้อมูลมีปัญหา {len(refused.problems)} รายการ; run `tambon validate`. "
            "ทุกรุ่นที่เผยแพร่แล้วไม่ถูกแตะต้อง (every published version is untouched)",
            file=sys.stderr,
        )
        return 1
    print(releases.describe(context, done=not args.dry_run))
    if args.dry_run:
        print("--dry-run: ไม่ได้เขียนอะไร (nothing written)")
    else:
        print(
            f"เผยแพร่แล้ว (published): branch {releases.BRANCH}, "
            f"{context.version}/ and {releases.LATEST}/"
        )
    return 0


def _add_release(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("release", help="publish the committed data as a new version (mike)")
    p.add_argument("version", help="calendar version after the last one, e.g. 2026.11")
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    p.add_argument("--site-url", help="address of the published site (else $TAMBON_SITE_URL)")
    p.set_defaults(func=_release)


def _households_check(args: argparse.Namespace) -> int:
    """0 no problem, 1 problems found, 2 a file or --data that cannot be read."""
    try:
        villages = households_check.data_villages(args.data) if args.data else None
        report = households_check.check(args.file, args.members, villages)
    except (households_check.HouseholdFileError, OSError, descriptor_reader.PackageError) as err:
        print(f"tambon households check: {err}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(validate.format_json(report.problems))
    else:
        for problem in report.problems:
            print(problem.as_text())
    years = ", ".join(str(y) for y in report.years) or "none"
    verdict = f"{len(report.problems)} problems" if report.problems else "no problems"
    print(f"{report.households:,} households in {report.villages:,} villages (years {years}),"
          f" {report.members:,} members: {verdict}", file=sys.stderr)  # fmt: skip
    return 1 if report.problems else 0


def _households_publish(args: argparse.Namespace) -> int:
    """0 written, 1 the records have problems (nothing written), 2 refused or unreadable."""
    try:
        progress = cli_progress.reporter("tambon households publish")
        report = households_publish.publish(args.file, args.members, args.data, args.site, progress)
    except (households_publish.PublishRefused, households_check.HouseholdFileError,
            descriptor_reader.PackageError, OSError) as error:  # fmt: skip
        print(f"tambon households publish: {error}", file=sys.stderr)
        return 2
    for problem in report.problems:
        print(problem.as_text())
    if report.problems:
        print(f"tambon households publish: {len(report.problems)} problems in the records;"
              " nothing was written", file=sys.stderr)  # fmt: skip
        return 1
    persons = (f"{report.records.members:,} persons" if args.members is not None
               else "no members file, so no tables of persons")  # fmt: skip
    print(f"{report.records.households:,} households, {persons}: tables written into"
          f" {len(report.written)} tambon packages in {args.data}"
          " (check them with: tambon validate)")  # fmt: skip
    return 0


def _add_households(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("households", help="check household records (private; never published)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="every broken row of a household file (and its members file)"
    )
    check.add_argument("file", type=Path, help="household file: CSV (UTF-8 or cp874) or XLSX")
    check.add_argument("--members", type=Path, help="members file: one row per person")
    check.add_argument("--data", type=Path,
                       help="data packages whose villages the households must be in")  # fmt: skip
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(func=_households_check)
    publish = actions.add_parser(
        "publish", help="make the published tables of the tambon packages from the records"
    )
    publish.add_argument("file", type=Path, help="household file")
    publish.add_argument(
        "--members", type=Path,
        help="members file (without it, no tables of persons: population by sex and age,"
        " occupations and the person indicators stay empty)",
    )  # fmt: skip
    publish.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of packages")
    publish.add_argument("--site", type=Path, default=DEFAULT_SITE,
                         help="the site's output (records inside it are refused)")  # fmt: skip
    publish.set_defaults(func=_households_publish)


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_validate,
    _add_audit,
    _add_sample,
    _add_new_tambon,
    _add_import,
    _add_households,
    _add_build,
    _add_serve,
    _add_release,
]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tambon", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return p


DEBUG_ENV = "TAMBON_DEBUG"
INTERRUPTED = 130  # the shell's code for a command stopped with Ctrl-C


class Terminated(SystemExit):
    """SIGTERM, raised as an exception so that every `finally` (work files) runs; a command
    may catch it to say what was left undone, and its code (128 + signal) is the exit code."""


def _terminated(signum: int, frame: object) -> None:
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so every `finally` that removes a
    # half-written file runs; by default Python would die on the spot.
    raise Terminated(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print(f"tambon {args.command}: interrupted; nothing half-written was kept", file=sys.stderr)
        return INTERRUPTED
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"tambon {args.command}: internal error (a bug; please report it): "
            f"{type(error).__name__}: {error}. Run again with {DEBUG_ENV}=1 for the traceback.",
            file=sys.stderr,
        )
        return 3
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
