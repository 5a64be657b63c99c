"""`redline media watch|provenance|review|act|strikes|appeal|report`: livestreams, provenance, actions.

Commands only parse arguments and print: the decisions live in watch.py, provenance.py, actions.py,
review.py and transparency.py. Heavy libraries (av, c2pa, numpy, PIL) are imported inside the
commands, never when this module loads.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from redline.output import console, emit, fail

review_app = typer.Typer(no_args_is_help=True, help="The review queue of flagged livestreams and uploads.")


def _ctx() -> Any:
    from redline.context import get_context

    return get_context()


def open_matcher(ctx: Any) -> Any:
    """The shared Matcher over every enabled bank (built by redline.media.matcher)."""
    from redline.media.matcher import Matcher

    return Matcher.open(ctx)


def _jsonl(value: Any) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(value, default=str).decode() + "\n")
    sys.stdout.flush()


# ------------------------------------------------------------------------------------------- watch


def watch(
    sources: list[str] = typer.Argument(..., help="Stream URLs (rtmp://, udp://, srt://, HLS .m3u8) or video files."),
    fps: float = typer.Option(2.0, "--fps", help="Sampled frames per second of stream time."),
    max_distance: int = typer.Option(31, "--max-distance", help="PDQ distance (bits) for a frame to match."),
    min_quality: int = typer.Option(50, "--min-quality", help="PDQ quality floor for a frame to count."),
    consecutive: int = typer.Option(2, "--consecutive", help="Sampled frames in a row on the same item before an alert."),
    realtime: bool = typer.Option(False, "--realtime", help="Pace files to their stream clock (simulate live)."),
    duration: Optional[float] = typer.Option(None, "--duration", help="Stop each stream after this many seconds of stream time."),
    max_alerts: Optional[int] = typer.Option(None, "--max-alerts", help="Stop a stream after this many alerts."),
    account: Optional[str] = typer.Option(None, "--account", help="The account streaming (kept with the review item)."),
    queue_review: bool = typer.Option(True, "--queue/--no-queue", help="Put alerts in the review queue (and the ledger)."),
    workers: int = typer.Option(1, "--workers", help="Processes to spread the streams over (1: threads in this process)."),
    key_frames: bool = typer.Option(True, "--key-frames/--no-key-frames",
                                    help="Also match key frames (scene changes at most every --key-frame-gap s, at "
                                         "least every --key-frame-every s) through the picture stages (windows, "
                                         "keypoints), in the background."),
    key_frame_every: float = typer.Option(10.0, "--key-frame-every", help="Seconds of stream between key frames at most."),
    key_frame_gap: float = typer.Option(2.0, "--key-frame-gap",
                                        help="Seconds of stream between key frames at least, scene change or not."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines: one object per alert, error and stream summary."),
) -> None:
    """Watch livestreams (or files) and alert on the first confident match of each bank item."""
    from redline.media.review import record_alert
    from redline.media.watch import Alert, StreamError, StreamSummary, WatchConfig, watch_many

    try:
        config = WatchConfig(
            fps=fps, max_distance=max_distance, min_quality=min_quality, consecutive=consecutive, realtime=realtime,
            duration_s=duration, max_alerts=max_alerts, key_frames=key_frames, key_frame_every_s=key_frame_every,
            key_frame_gap_s=key_frame_gap,
        )
    except ValueError as exc:
        raise fail(str(exc)) from None
    if workers < 1:
        raise fail(f"--workers must be ≥ 1, got {workers}")
    from redline.media.watch import StreamMatcher

    ctx = _ctx()
    # with worker processes each opens its own matcher on the same store (REDLINE_HOME is inherited)
    matcher = StreamMatcher(open_matcher(ctx)) if workers == 1 else None
    cfg = {"fps": fps, "max_distance": max_distance, "min_quality": min_quality, "consecutive": consecutive}
    failed = 0
    import threading

    stop = threading.Event()
    events = watch_many(list(sources), matcher, config, stop, workers=workers)
    try:
        for event in events:
            if isinstance(event, Alert):
                if queue_review:
                    data = event.to_dict() | {"account": account, "config": cfg}
                    event.review_id, event.ledger_seq = record_alert(ctx.store, ctx.ledger, ctx.settings.user, data)
                out = event.to_dict()
                if as_json:
                    _jsonl(out)
                else:
                    console.print(
                        f"[bold red]ALERT[/] {event.source} at {event.offset_s:.1f}s: bank [bold]{event.bank}[/] "
                        f"item {event.content_id} distance {event.distance} q{event.quality} "
                        f"labels {', '.join(event.labels) or '-'}"
                        + (f" via {event.stage} ({event.frames} key frames)" if event.stage != "pdq" else "")
                        + f" (latency {event.latency_s * 1000:.0f} ms"
                        + (f", review #{event.review_id})" if event.review_id else ")"),
                        highlight=False,
                    )
            elif isinstance(event, StreamError):
                failed += 1
                if as_json:
                    _jsonl(event.to_dict())
                else:
                    console.print(f"[red]error[/] {event.source}: {event.error}", highlight=False)
            elif isinstance(event, StreamSummary):
                if as_json:
                    _jsonl(event.to_dict())
                else:
                    console.print(
                        f"[dim]{event.source}: {event.stream_seconds:.1f}s of stream, {event.samples} frames sampled, "
                        f"{event.alerts} alert(s)[/]", highlight=False,
                    )
    except KeyboardInterrupt:
        stop.set()
    finally:
        events.close()
    if failed:
        raise typer.Exit(1)


# -------------------------------------------------------------------------------------- provenance


def provenance(
    files: list[Path] = typer.Argument(..., help="Images or videos with (or without) C2PA content credentials."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Read C2PA content credentials offline: manifest present, valid, AI-generated, by what tool."""
    from redline.media.provenance import check_files

    results = check_files([str(f) for f in files])

    def render(rows: list[dict[str, Any]]) -> None:
        from rich.table import Column, Table

        # long file names, generators and issue lists fold onto more lines rather than being cut
        short = {"manifest", "valid", "signer", "AI-generated"}
        table = Table(*(Column(name, no_wrap=name in short, overflow="fold") for name in
                        ("file", "manifest", "valid", "signer", "AI-generated", "generator", "issues / alerts")))
        for r in rows:
            valid = "-" if r["valid"] is None else ("yes" if r["valid"] else "[red]NO (tampered)[/]")
            ai = {True: "[yellow]yes[/]", False: "no", None: "unknown"}[r["ai_generated"]]
            signer = "[yellow]untrusted[/]" if r.get("untrusted_signer") else ("trusted" if r["has_manifest"] else "-")
            notes = [i["code"] for i in r["issues"]] + [a["kind"] for a in r.get("alerts", [])]
            table.add_row(r["file"], "yes" if r["has_manifest"] else "no", valid, signer, ai, r["generator"] or "-",
                          ", ".join(notes))
        console.print(table)

    emit(results, as_json, render)
    if any(r.get("error") for r in results):
        raise typer.Exit(1)


# ------------------------------------------------------------------------------------------ review


@review_app.command("list")
def review_list(
    status: str = typer.Option("open", "--status", help="open | resolved | all"),
    limit: Optional[int] = typer.Option(None, "--limit"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List review items (open by default)."""
    from redline.media.review import ReviewError, list_items

    try:
        items = list_items(_ctx().store, status, limit)
    except ReviewError as exc:
        raise fail(str(exc)) from None

    def render(rows: list[dict[str, Any]]) -> None:
        from rich.table import Table

        table = Table("id", "created", "kind", "source", "at s", "bank", "labels", "dist", "status")
        for r in rows:
            table.add_row(
                str(r["id"]), r["created_at"][:19], r["kind"], r["source"],
                "" if r["offset_s"] is None else f"{r['offset_s']:.1f}", r["bank"] or "", ", ".join(r["labels"]),
                "" if r["distance"] is None else str(r["distance"]), r["resolution"] or r["status"],
            )
        console.print(table)

    emit(items, as_json, render)


@review_app.command("resolve")
def review_resolve(
    review_id: int = typer.Argument(..., help="The review item id."),
    outcome: str = typer.Option(..., "--outcome", help="confirmed | false_positive | escalated"),
    note: Optional[str] = typer.Option(None, "--note"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Record a reviewer's decision on a flagged item."""
    from redline.media.review import ReviewError, resolve

    ctx = _ctx()
    try:
        item = resolve(ctx.store, ctx.ledger, ctx.settings.user, review_id, outcome, note)
    except ReviewError as exc:
        raise fail(str(exc)) from None
    emit(item, as_json, lambda r: console.print(f"review #{r['id']}: {r['resolution']}", highlight=False))


# ----------------------------------------------------------------------------------------- actions


def _enforcement(policy: Optional[Path]) -> Any:
    from redline.media.actions import Enforcement, PolicyError, load_policy

    ctx = _ctx()
    try:
        pol = load_policy(policy)
    except PolicyError as exc:
        raise fail(str(exc)) from None
    return Enforcement(ctx.store, ctx.ledger, ctx.settings.user, pol)


def act(
    file: Path = typer.Argument(..., help="The uploaded image or video."),
    account: str = typer.Option(..., "--account", help="The account that uploaded it."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy YAML (default: the shipped policy)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Match an upload against the banks, then apply the policy: block, review or allow; strikes."""
    from redline.media.actions import EnforcementError

    svc = _enforcement(policy)
    ctx = _ctx()
    found = open_matcher(ctx).match_file(str(file))  # hashes, matches, and records the match in the ledger
    if found.error:
        raise fail(found.error)
    try:
        # Held (quarantined, flooding) hashes are never acted on.
        result = svc.act(str(file), account, found.actionable, sha256=found.hashes.get("sha256"))
    except EnforcementError as exc:
        raise fail(str(exc)) from None
    if found.suppressed:
        result["suppressed"] = [m.to_dict() for m in found.suppressed]

    def render(r: dict[str, Any]) -> None:
        colour = {"block": "red", "review": "yellow", "allow": "green"}.get(r["action"], "dim")
        console.print(f"action #{r['action_id']}: [{colour}]{r['action']}[/] ({r['rule'] or 'default'}) "
                      f"labels {', '.join(r['labels']) or '-'} banks {', '.join(r['banks']) or '-'}", highlight=False)
        if r["strike"]:
            s = r["strike"]
            console.print(f"strike: {s['penalty']}" + (f" until {s['expires_at']}" if s["expires_at"] else ""), highlight=False)
        console.print(f"account {r['account']}: {r['account_status']['state']}", highlight=False)

    emit(result, as_json, render)


def strikes(
    account: str = typer.Argument(..., help="Account id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """An account's strikes and standing (good standing, restricted until …, banned)."""
    svc = _enforcement(None)
    status = svc.account_status(account)

    def render(s: dict[str, Any]) -> None:
        console.print(f"{s['account']}: {s['state']}" + (f" until {s['restricted_until']}" if s["restricted_until"] else ""),
                      highlight=False)
        for k in s["strikes"]:
            flag = "reversed" if k["reversed"] else ("active" if k["active"] else "expired")
            console.print(f"  strike #{k['strike_id']} {k['penalty']} for {k['category']} (action #{k['action_id']}) {flag}",
                          highlight=False)

    emit(status, as_json, render)


def appeal(
    action_id: int = typer.Argument(..., help="The action appealed."),
    outcome: str = typer.Option(..., "--outcome", help="upheld | overturned"),
    note: Optional[str] = typer.Option(None, "--note", help="The reviewer's reasons."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Record the outcome of an appeal; overturned reverses the action's strikes."""
    from redline.media.actions import EnforcementError

    svc = _enforcement(None)
    try:
        result = svc.appeal(action_id, outcome, note)
    except EnforcementError as exc:
        raise fail(str(exc)) from None
    emit(result, as_json, lambda r: console.print(
        f"appeal #{r['appeal_id']} on action #{r['action_id']}: {r['outcome']}; "
        f"strikes reversed: {len(r['strikes_reversed'])}; account {r['account_status']['state']}", highlight=False))


def report(
    since: Optional[str] = typer.Option(None, "--since", help="Count from this date (YYYY-MM-DD) or ISO time."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV: section,dimension,key,count."),
) -> None:
    """Transparency counts: matches, actions, strikes and appeals by bank, label, action and outcome."""
    from redline.media.transparency import ReportError, counts, to_csv_rows

    if as_json and as_csv:
        raise fail("choose one of --json and --csv")
    ctx = _ctx()
    try:
        data = counts(ctx.store, ctx.ledger, since)
    except ReportError as exc:
        raise fail(str(exc)) from None
    if as_csv:
        from redline.csvio import writer as csv_writer  # formula cells neutralised

        writer = csv_writer(sys.stdout)
        writer.writerow(["section", "dimension", "key", "count"])
        writer.writerows(to_csv_rows(data))
        return

    def render(d: dict[str, Any]) -> None:
        from rich.table import Table

        table = Table("section", "dimension", "key", "count")
        for row in to_csv_rows(d):
            table.add_row(*[str(x) for x in row])
        console.print(table)

    emit(data, as_json, render)


def register(app: typer.Typer) -> None:
    app.command("watch")(watch)
    app.command("provenance")(provenance)
    app.command("act")(act)
    app.command("strikes")(strikes)
    app.command("appeal")(appeal)
    app.command("report")(report)
    app.add_typer(review_app, name="review")
