"""`redline media hash | bank … | match`: thin commands over hashing, banks and the matcher.

Nothing heavy is imported here at module level: `redline --help` imports this file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from redline.output import console, emit, fail

JSON_OPTION = typer.Option(False, "--json", help="Machine-readable JSON output.")
MIN_QUALITY = 50  # PDQ's own guidance: hashes below this are unreliable (matcher.MIN_QUALITY)


def register(app: typer.Typer) -> None:
    app.command("hash")(hash_command)
    app.command("match")(match_command)
    bank = typer.Typer(no_args_is_help=True, help="Banks of hashes: create, add, import, export, enable, disable.")
    bank.command("create")(bank_create)
    bank.command("add")(bank_add)
    bank.command("import")(bank_import)
    bank.command("export")(bank_export)
    bank.command("list")(bank_list)
    bank.command("disable")(bank_disable)
    bank.command("enable")(bank_enable)
    bank.command("held")(bank_held)
    bank.command("release")(bank_release)
    app.add_typer(bank, name="bank")


def _ctx() -> Any:
    from redline.context import get_context

    return get_context()


# --- hash -----------------------------------------------------------------------------------------


def hash_command(
    files: list[Path] = typer.Argument(..., help="Images or videos."),
    seconds_per_hash: float = typer.Option(1.0, "--every", help="Video: seconds between hashed frames (0 = every frame)."),
    workers: int = typer.Option(0, "--workers", help="Processes (0 = one per CPU)."),
    tmk_hash: bool = typer.Option(False, "--tmk", help="Video: also its TMK+PDQF hash (base64 of the .tmk file)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Hash files: PDQ + quality, MD5, SHA-256 (and vPDQ frames for video; --tmk adds TMK+PDQF)."""
    from redline.media.hashing import hash_files

    outcomes = hash_files(files, workers=workers or None, seconds_per_hash=seconds_per_hash)
    results = [o.hashes.to_dict() if o.hashes else {"file": o.file, "error": o.error} for o in outcomes]
    if tmk_hash:
        _add_tmk(results)
    emit(results, as_json, _render_hashes)
    if any("error" in r for r in results):
        raise typer.Exit(1)


def _add_tmk(results: list[dict[str, Any]]) -> None:
    from redline.media import tmk
    from redline.media.hashing import HashError

    for r in results:
        if r.get("kind") != "video":
            continue
        try:
            r["tmk_pdqf"] = tmk.hash_video(r["file"]).to_signal()
        except (tmk.TmkError, tmk.TmkUnavailable, HashError) as exc:
            r["error"] = str(exc)


def _render_hashes(results: list[dict[str, Any]]) -> None:
    for r in results:
        if "error" in r:
            console.print(f"[red]{r['error']}[/]", highlight=False)
        elif r.get("kind") == "video":
            tmk_text = f"  tmk_pdqf={len(r['tmk_pdqf'])} base64 chars" if "tmk_pdqf" in r else ""
            console.print(f"{r['file']}  video_md5={r['md5']}  vpdq frames={len(r['vpdq'])}{tmk_text}", highlight=False)
        else:
            console.print(f"{r['file']}  pdq={r['pdq']} q={r['quality']}  md5={r['md5']}", highlight=False)


# --- match ----------------------------------------------------------------------------------------


def match_command(
    files: list[Path] = typer.Argument(..., help="Images or videos to check against the banks."),
    threshold: int = typer.Option(31, "--threshold", min=0, max=128, help="PDQ distance for the plain hash."),
    no_robust: bool = typer.Option(False, "--no-robust", help="Plain PDQ only: no rotations, bar trimming or crops."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Match files against every enabled bank; every match is written to the ledger."""
    from redline.media.matcher import Matcher

    matcher = Matcher.open(_ctx(), threshold=threshold, robust=not no_robust)
    results = [matcher.match_file(f).to_dict() for f in files]
    matcher.save()
    emit(results, as_json, _render_matches)
    if any("error" in r for r in results):
        raise typer.Exit(1)


def _render_matches(results: list[dict[str, Any]]) -> None:
    for r in results:
        if "error" in r:
            console.print(f"[red]{r['error']}[/]", highlight=False)
            continue
        quality = (r.get("hashes") or {}).get("quality")
        if quality is not None:
            flat = f" — too flat to match by PDQ (< {MIN_QUALITY}); MD5 and keypoints only" if quality < MIN_QUALITY else ""
            console.print(f"{r['file']}: PDQ quality {quality}{flat}", highlight=False)
        if not r["matches"]:
            console.print(f"{r['file']}: no match", highlight=False)
        for m in r["matches"]:
            held = " [yellow](held for review)[/]" if m.get("held") else ""
            if m.get("stage") in ("keypoints", "keyframes_keypoints"):
                held = f" (keypoint stage: {m['inliers']} inliers, {m['covered']:.0%} covered)" + held
            if "key_frames_matched" in m:
                held = f" ({m['key_frames_matched']} key frames matched)" + held
            if m.get("signal_type") == "tmk_pdqf":
                held = f" (TMK level 1 {m['level1']:.3f}, level 2 {m['level2']:.3f})" + held
            console.print(
                f"{r['file']}: [bold]{m['bank']}[/] {m['signal_type']} distance {m['distance']} "
                f"content {m['content_id'] or '-'} labels {', '.join(m['labels']) or '-'} via {m['variant']}{held}",
                highlight=False,
            )
        for m in r.get("suppressed", []):
            console.print(f"{r['file']}: suppressed {m['bank']} (known benign: {m.get('suppressed_by')})", highlight=False)


# --- banks ----------------------------------------------------------------------------------------


def _bank_call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    from redline.media.banks import BankError

    try:
        return fn(*args, **kwargs)
    except BankError as exc:
        raise fail(str(exc)) from None


def bank_create(
    name: str = typer.Argument(...),
    label: list[str] = typer.Option([], "--label", help="Label for every hash of the bank (repeatable)."),
    negative: bool = typer.Option(False, "--negative", help="A bank of known-benign hashes that suppress matches."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a bank."""
    from redline.media.banks import create_bank

    ctx = _ctx()
    bank = _bank_call(create_bank, ctx.store, name, labels=label, negative=negative, actor=ctx.settings.user,
                      ledger=ctx.ledger)
    emit(bank.to_dict(), as_json, lambda b: console.print(f"created bank {b['name']}", highlight=False))


def bank_add(
    name: str = typer.Argument(...),
    files: list[Path] = typer.Argument(..., help="Images (PDQ + MD5) or videos (vPDQ + video MD5)."),
    label: list[str] = typer.Option([], "--label"),
    content_id: str | None = typer.Option(None, "--content-id", help="Content-incident id for these hashes."),
    contributor: str | None = typer.Option(None, "--contributor", help="Contributing member (default: you)."),
    derived: bool = typer.Option(True, "--derived/--no-derived",
                                 help="Also store hashes of fixed windows of each picture, for robust matching."),
    key_frames: bool = typer.Option(True, "--key-frames/--no-key-frames",
                                    help="Video: also bank its key frames' hashes, windows and keypoints."),
    tmk: bool = typer.Option(True, "--tmk/--no-tmk", help="Video: also bank its TMK+PDQF hash (needs tmkpy)."),
    allow_low_quality: bool = typer.Option(
        False, "--allow-low-quality",
        help=f"Bank pictures whose PDQ quality is below {MIN_QUALITY} anyway (they match only exact copies "
             "by MD5, and by keypoints)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Hash files and add their hashes to a bank; a file that cannot be hashed is reported, the rest are added.

    A picture too flat for PDQ (quality below 50, PDQ's own floor) is refused with exit code 2 unless
    --allow-low-quality is given."""
    from redline.media.banks import SignalRecord, add_signals, get_bank
    from redline.media.hashing import hash_files
    from redline.media.robust import file_records

    ctx = _ctx()
    _bank_call(get_bank, ctx.store, name)
    outcomes = hash_files(files)
    flat = [o.hashes for o in outcomes if o.hashes is not None and o.hashes.kind == "photo"
            and (o.hashes.quality or 0) < MIN_QUALITY]
    if flat and not allow_low_quality:
        raise fail("; ".join(f"{h.file}: PDQ quality {h.quality} is below {MIN_QUALITY}, too flat to match by PDQ"
                             for h in flat)
                   + ". Nothing was added; --allow-low-quality banks such pictures anyway (exact MD5 copies "
                     "and keypoint matches only).")
    records: list[SignalRecord] = []
    report: list[dict[str, Any]] = []
    for o in outcomes:
        if o.hashes is None:
            report.append({"file": o.file, "error": o.error})
            continue
        if o.hashes in flat:
            report.append({"file": o.file, "added": True, "kind": o.hashes.kind, "quality": o.hashes.quality,
                           "note": f"PDQ quality {o.hashes.quality} < {MIN_QUALITY}: matches only exact copies "
                                   "(MD5) and the keypoint stage"})
            offset = len(records)
            for r in file_records(o.hashes, content_id=content_id, labels=list(label), contributor=contributor,
                                  windows=derived):
                if r.derived_from is not None:
                    r.derived_from += offset
                records.append(r)
            continue
        offset = len(records)  # `derived_from` counts within the one add_signals call
        for r in file_records(o.hashes, content_id=content_id, labels=list(label), contributor=contributor,
                              windows=derived):
            if r.derived_from is not None:
                r.derived_from += offset
            records.append(r)
        entry: dict[str, Any] = {"file": o.file, "added": True, "kind": o.hashes.kind}
        if o.hashes.kind == "video":  # its vPDQ is the file's first record, at `offset`
            records.extend(_video_extras(o.hashes, entry, offset, content_id, list(label), contributor,
                                         key_frames=key_frames and derived, tmk_hash=tmk))
        report.append(entry)
    result = _bank_call(add_signals, ctx.store, name, records, actor=ctx.settings.user, ledger=ctx.ledger) if records else None
    payload = {"bank": name, "files": report, "added": result.added if result else 0,
               "duplicates": result.duplicates if result else 0,
               "derived": result.derived if result else 0}
    emit(payload, as_json, lambda p: console.print(
        f"{p['bank']}: {p['added']} hashes added ({p['derived']} derived for robust matching), "
        f"{p['duplicates']} already there"
        + "".join(f"\n{f['file']}: {f['note']}" for f in p["files"] if "note" in f)
        + "".join(f"\n[red]{f['error']}[/]" for f in p["files"] if "error" in f), highlight=False))
    if any("error" in f for f in report):
        raise typer.Exit(1)


def _video_extras(hashes: Any, entry: dict[str, Any], vpdq_record: int, content_id: str | None,
                  labels: list[str], contributor: str | None, *, key_frames: bool, tmk_hash: bool) -> list[Any]:
    """A video's key-frame records (derived from its vPDQ record, index `vpdq_record` of the add) and its
    TMK+PDQF record."""
    from redline.media import tmk
    from redline.media.banks import SignalRecord
    from redline.media.hashing import HashError
    from redline.media.video_frames import bank_records

    out: list[Any] = []
    if key_frames:
        frames = bank_records(hashes.file, parent=vpdq_record, content_id=content_id, labels=labels,
                              contributor=contributor)
        out.extend(frames.records)
        entry["key_frames"] = frames.frames
    if tmk_hash:
        if not tmk.available():
            entry["note"] = "TMK+PDQF not banked: tmkpy or ffmpeg is not installed"
        else:
            try:
                features = tmk.hash_video(hashes.file)
            except (tmk.TmkError, HashError) as exc:
                entry["note"] = f"TMK+PDQF not banked: {exc}"
            else:
                out.append(SignalRecord("tmk_pdqf", features.to_signal(), content_id, labels, contributor))
                entry["tmk_pdqf"] = True
    return out


def bank_import(
    name: str = typer.Argument(...),
    path: Path = typer.Argument(..., help="CSV (header with signal_type, signal_value…), JSON, or one hash a line."),
    signal_type: str | None = typer.Option(None, "--signal-type", help="Type for lines that do not name one."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Import a hash list; a malformed line is refused with its line number and nothing is imported."""
    from redline.media.banks import import_file

    ctx = _ctx()
    result = _bank_call(import_file, ctx.store, name, path, default_type=signal_type, actor=ctx.settings.user,
                        ledger=ctx.ledger)
    emit(result.to_dict(), as_json, lambda r: console.print(
        f"{r['bank']}: {r['added']} hashes imported, {r['duplicates']} already there", highlight=False))


def bank_export(
    name: str = typer.Argument(...),
    output: Path = typer.Option(..., "-o", "--output", help="FILE.csv or FILE.json"),
    fmt: str | None = typer.Option(None, "--format", help="csv or json (default: from the suffix)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Export a bank with ThreatExchange signal-type names."""
    from redline.media.banks import export_bank

    count = _bank_call(export_bank, _ctx().store, name, output, fmt)
    emit({"bank": name, "file": str(output), "signals": count}, as_json,
         lambda r: console.print(f"{r['signals']} hashes written to {r['file']}", highlight=False))


def bank_list(as_json: bool = JSON_OPTION) -> None:
    """List banks with their sizes."""
    from rich.table import Table

    from redline.media.banks import list_banks

    banks = [b.to_dict() for b in list_banks(_ctx().store)]

    def render(rows: list[dict[str, Any]]) -> None:
        table = Table("bank", "kind", "enabled", "hashes", "derived", "labels")
        for b in rows:
            table.add_row(b["name"], "negative" if b["negative"] else "positive", "yes" if b["enabled"] else "no",
                          f"{b['enabled_size']}/{b['size']}", str(b["derived_size"]), ", ".join(b["labels"]))
        console.print(table)

    emit(banks, as_json, render)


def _toggle(name: str, signal: str | None, kind: str | None, enabled: bool, as_json: bool) -> None:
    from redline.media.banks import set_bank_enabled, set_signal_enabled
    from redline.media.signals import SignalError

    ctx = _ctx()
    try:
        if signal:
            changed = _bank_call(set_signal_enabled, ctx.store, name, signal, enabled, kind=kind,
                                 actor=ctx.settings.user, ledger=ctx.ledger)
            payload: dict[str, Any] = {"bank": name, "signal": signal, "enabled": enabled, "changed": changed}
        else:
            payload = _bank_call(set_bank_enabled, ctx.store, name, enabled, actor=ctx.settings.user,
                                 ledger=ctx.ledger).to_dict()
    except SignalError as exc:
        raise fail(str(exc)) from None
    word = "enabled" if enabled else "disabled"
    emit(payload, as_json, lambda p: console.print(f"{name}: {signal or 'bank'} {word}", highlight=False))


def bank_disable(
    name: str = typer.Argument(...),
    signal: str | None = typer.Option(None, "--signal", help="Disable one hash (by value) instead of the bank."),
    kind: str | None = typer.Option(None, "--signal-type"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Disable a bank, or one hash in it; takes effect in running matchers within a second."""
    _toggle(name, signal, kind, False, as_json)


def bank_enable(
    name: str = typer.Argument(...),
    signal: str | None = typer.Option(None, "--signal"),
    kind: str | None = typer.Option(None, "--signal-type"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Enable a bank, or one hash in it."""
    _toggle(name, signal, kind, True, as_json)


def bank_held(as_json: bool = JSON_OPTION) -> None:
    """Hashes held for review by the flood rule."""
    from redline.media.flood import held_signals

    rows = held_signals(_ctx().store)
    emit(rows, as_json, lambda rs: [console.print(
        f"{r['signal_id']} {r['bank']} {r['signal_type']} {r['state']} since {r['held_at']}: {r['reason']}",
        highlight=False) for r in rs] or console.print("nothing held"))


def bank_release(signal_id: int = typer.Argument(...), as_json: bool = JSON_OPTION) -> None:
    """Release a held hash after review."""
    from redline.media.flood import release_signal

    try:
        release_signal(_ctx(), signal_id)
    except ValueError as exc:
        raise fail(str(exc)) from None
    emit({"signal_id": signal_id, "state": "released"}, as_json,
         lambda r: console.print(f"released {r['signal_id']}", highlight=False))
