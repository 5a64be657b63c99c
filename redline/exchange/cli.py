"""`redline exchange …`: thin commands over `redline.exchange` (nothing heavy at import)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from redline.output import console, emit, fail

app = typer.Typer(no_args_is_help=True, help="Share signals with other platforms and Redline installations.")
JSON = typer.Option(False, "--json", help="Machine-readable output.")


def _ctx() -> Any:
    from redline.context import get_context

    return get_context()


def _credential(ctx: Any, token: str | None, token_env: str | None, token_file: Path | None,
                login_file: Path | None) -> str | None:
    from redline.exchange import credentials

    given = [x for x in (token, token_env, token_file, login_file) if x]
    if len(given) > 1:
        raise fail("--token: give one of --token, --token-env, --token-file, --login-file")
    try:
        if token:
            secret = sys.stdin.readline().strip() if token == "-" else token
            return credentials.seal(ctx.settings, secret)
        if token_env:
            return credentials.reference("env", token_env)
        if token_file:
            if not token_file.is_file():
                raise fail(f"--token-file: no such file: {token_file}")
            return credentials.reference("file", str(token_file.resolve()))
        if login_file:
            import orjson

            try:
                login = orjson.loads(login_file.read_bytes())
            except (OSError, orjson.JSONDecodeError) as exc:
                raise fail(f"--login-file: {login_file}: not a JSON file ({exc})") from None
            if not isinstance(login, dict) or not login.get("username") or not login.get("password"):
                raise fail(f"--login-file: {login_file}: needs {{\"username\": …, \"password\": …}}")
            return credentials.seal(ctx.settings, orjson.dumps(login).decode())
    except credentials.CredentialError as exc:
        raise fail(f"--token: {exc}") from None
    return None


@app.command("add")
def add(
    name: str = typer.Argument(..., help="A name for the exchange."),
    adapter: str = typer.Option(None, "--adapter", help="redline | threatexchange | tat | file"),
    url: str = typer.Option(None, "--url", help="redline: the peer's base URL; tat: the hash-list URL; threatexchange: the Graph API base."),
    public_key: str = typer.Option(None, "--public-key", help="redline: the peer's public key (PEM file or 64 hex digits)."),
    privacy_group: str = typer.Option(None, "--privacy-group", help="threatexchange: the privacy group id."),
    path: Path = typer.Option(None, "--path", help="file: the drop folder."),
    ideology: str = typer.Option(None, "--ideology", help="tat: islamist | far-right | all."),
    auth_url: str = typer.Option(None, "--auth-url", help="tat: where to log in for a fresh token."),
    page_size: int = typer.Option(None, "--page-size", min=1, max=50_000, help="Records a page."),
    rate: float = typer.Option(None, "--rate", help="Requests a second at most (default 5)."),
    bank: str = typer.Option(None, "--bank", help="The bank fetched hashes go to (default exchange.NAME, created)."),
    label: list[str] = typer.Option([], "--label", help="Labels of the exchange's bank (when it is created)."),
    token: str = typer.Option(None, "--token", help="The credential, stored encrypted ('-' reads it from stdin)."),
    token_env: str = typer.Option(None, "--token-env", help="Read the credential from this environment variable at use."),
    token_file: Path = typer.Option(None, "--token-file", help="Read the credential from this file at use."),
    login_file: Path = typer.Option(None, "--login-file", help="tat: a JSON {username, password}, stored encrypted; lets Redline renew expired tokens."),
    update_: bool = typer.Option(False, "--update", help="Change an existing exchange instead."),
    enable: bool = typer.Option(None, "--enable/--disable", help="With --update: fetch it or not."),
    reset: bool = typer.Option(False, "--reset-checkpoint", help="With --update: fetch from the start again."),
    json: bool = JSON,
) -> None:
    """Configure an exchange (or change one with --update)."""
    from redline.exchange import exchanges

    ctx = _ctx()
    config = {"url": url, "public_key": public_key, "privacy_group": privacy_group, "path": str(path) if path else None,
              "ideology": ideology, "auth_url": auth_url, "page_size": page_size, "rate": rate}
    credential = _credential(ctx, token, token_env, token_file, login_file)
    try:
        if update_:
            if adapter:
                raise fail("--adapter: an exchange's adapter cannot change; add a new exchange")
            result = exchanges.update_exchange(ctx, name, config={k: v for k, v in config.items() if v is not None},
                                               credential=credential, enabled=enable,
                                               checkpoint=None if reset else False)
        else:
            if not adapter:
                raise fail("--adapter: required (redline, threatexchange, tat or file)")
            result = exchanges.add_exchange(ctx, name, adapter, config, credential=credential, bank=bank, labels=label)
    except exchanges.ExchangeProblem as exc:
        raise fail(str(exc)) from None
    emit(result.to_dict(), json, lambda e: console.print(
        f"exchange [bold]{e['name']}[/] ({e['adapter']}) → bank {e['bank']}; credential: {e['credential'] or 'none'}"))


@app.command("list")
def list_(json: bool = JSON) -> None:
    """The configured exchanges and their last fetch."""
    from redline.exchange import exchanges

    rows = [e.to_dict() for e in exchanges.list_exchanges(_ctx())]

    def render(items: list[dict[str, Any]]) -> None:
        table = Table("name", "adapter", "bank", "checkpoint", "last fetch", "state", "credential")
        for e in items:
            s = e["status"]
            table.add_row(e["name"], e["adapter"], e["bank"], str(e["checkpoint"] or ""), (s.get("finished_at") or "")[:19],
                          s.get("state", "never"), e["credential"] or "")
        console.print(table)

    emit(rows, json, render)


@app.command("fetch")
def fetch_(name: str = typer.Argument(..., help="The exchange."),
           max_pages: int = typer.Option(None, "--max-pages", min=1, help="Stop after this many pages (resume later)."),
           json: bool = JSON) -> None:
    """Fetch new signals from the checkpoint on; each page commits with its checkpoint. Exit 1 when the exchange failed."""
    from redline.exchange import exchanges, fetch

    try:
        result = fetch.fetch(_ctx(), name, max_pages=max_pages)
    except exchanges.ExchangeProblem as exc:
        raise fail(str(exc)) from None
    out = result.to_dict()

    def render(r: dict[str, Any]) -> None:
        console.print(f"{r['exchange']}: {r['pages']} page(s), {r['added']} added, {r['duplicates']} already held, "
                      f"{r['deleted']} deleted, {r['refused']} refused ({r['verification_failures']} failed verification), "
                      f"{r['skipped']} skipped; checkpoint {r['checkpoint']}" + ("" if r["complete"] else " (more to fetch)"))
        for reason in r["refusals"][:5]:
            console.print(f"  refused: {reason}", highlight=False, soft_wrap=True)
        if r["error"]:
            console.print(f"[bold red]error:[/] {r['error']}", highlight=False, soft_wrap=True)

    emit(out, json, render)
    if result.error:
        raise typer.Exit(1)


@app.command("push")
def push_(name: str = typer.Argument(..., help="The exchange."), json: bool = JSON) -> None:
    """Push queued deconfirmations back to the exchange. Exit 1 when the exchange failed (they stay queued)."""
    from redline.exchange import exchanges, fetch
    from redline.exchange.adapters.base import ExchangeError

    try:
        result = fetch.push(_ctx(), name)
    except exchanges.ExchangeProblem as exc:
        raise fail(str(exc)) from None
    except ExchangeError as exc:
        raise fail(f"{name}: {exc}; the feedback stays queued", code=1) from None
    emit(result, json, lambda r: console.print(f"{r['exchange']}: {r['pushed']} deconfirmation(s) pushed"))


@app.command("status")
def status(name: str = typer.Argument(..., help="The exchange."),
           hash_: str = typer.Option(None, "--hash", help="Provenance of one hash."),
           limit: int = typer.Option(10, "--limit", min=1, max=10_000, help="Recent hashes and refusals to show."),
           json: bool = JSON) -> None:
    """An exchange's checkpoint, last fetch, recent hashes with their provenance, and refused records."""
    from redline.exchange import exchanges

    ctx = _ctx()
    try:
        out = {**exchanges.get_exchange(ctx, name).to_dict(),
               "signals": exchanges.provenance(ctx, name, value=hash_, limit=limit),
               "refused": exchanges.refusals(ctx, name, limit=limit)}
    except exchanges.ExchangeProblem as exc:
        raise fail(str(exc)) from None

    def render(e: dict[str, Any]) -> None:
        s = e["status"]
        console.print(f"[bold]{e['name']}[/] ({e['adapter']}) → {e['bank']}; checkpoint {e['checkpoint']}; last fetch "
                      f"{s.get('state', 'never')} {s.get('finished_at') or ''} {s.get('error') or ''}", highlight=False)
        table = Table("type", "hash", "contributor", "labels", "last confirmed", "state")
        for p in e["signals"]:
            state = "deconfirmed (" + str(p["feedback"]) + ")" if p["deconfirmed_at"] else ("deleted" if p["deleted"] else "live")
            table.add_row(p["signal_type"], p["signal_value"][:20] + "…", p["contributor"] or "", ", ".join(p["labels"]),
                          p["last_confirmed"][:19], state)
        console.print(table)
        for r in e["refused"]:
            console.print(f"refused {r['at'][:19]}: {r['reason']}", highlight=False)

    emit(out, json, render)


@app.command("deconfirm")
def deconfirm(name: str = typer.Argument(..., help="The exchange that delivered the hash."),
              hash_: str = typer.Argument(..., metavar="HASH", help="The hash (as shared)."),
              signal_type: str = typer.Option(None, "--signal-type", help="pdq | md5 | video_md5 | vpdq, when ambiguous."),
              reason: str = typer.Option(None, "--reason", help="Why it is a false positive (sent to the exchange)."),
              no_push: bool = typer.Option(False, "--no-push", help="Queue the feedback; `push` sends it later."),
              json: bool = JSON) -> None:
    """A shared hash is a false positive here: disable it at once and push that back to the exchange."""
    from redline.exchange import exchanges, fetch

    try:
        out = fetch.deconfirm(_ctx(), name, hash_, signal_type=signal_type, reason=reason, push_now=not no_push)
    except exchanges.ExchangeProblem as exc:
        raise fail(str(exc)) from None

    def render(r: dict[str, Any]) -> None:
        console.print(f"deconfirmed {r['signal_type']} {r['signal_value'][:24]}… in {r['bank']}: disabled here; "
                      f"feedback {r['feedback']}" + (", pushed" if r.get("push") else ""), highlight=False)
        if r.get("push_error"):
            console.print(f"[yellow]push failed:[/] {r['push_error']}", highlight=False)

    emit(out, json, render)


@app.command("publish")
def publish(bank: str = typer.Argument(..., help="A bank of this installation."), json: bool = JSON) -> None:
    """Publish the bank's new hashes (and withdraw disabled ones) on this installation's signed feed."""
    from redline.exchange import exchanges, feed
    from redline.media.banks import BankError

    try:
        out = feed.publish(_ctx(), bank)
    except (exchanges.ExchangeProblem, BankError) as exc:
        raise fail(f"BANK: {exc}" if isinstance(exc, BankError) else str(exc)) from None
    emit(out, json, lambda r: console.print(f"{r['bank']}: {r['published']} published, {r['deleted']} withdrawn "
                                            f"(signed by key {r['origin']})"))


@app.command("remove")
def remove(name: str = typer.Argument(..., help="The exchange."),
           keep_bank: bool = typer.Option(False, "--keep-bank", help="Keep its bank (a plain bank from now on)."),
           json: bool = JSON) -> None:
    """Remove an exchange (its configuration, credential, checkpoint and provenance); its bank is deleted
    with it (its hashes stop matching; `exchange purge` removes their rows) unless --keep-bank."""
    from redline.exchange import exchanges

    try:
        out = exchanges.remove_exchange(_ctx(), name, keep_bank=keep_bank)
    except exchanges.ExchangeProblem as exc:
        raise fail(str(exc)) from None
    emit(out, json, lambda r: console.print(
        f"exchange {r['exchange']} removed ({r['provenance_removed']} provenance rows); bank {r['bank']} "
        + ("deleted (`redline exchange purge` removes its rows)" if r["bank_deleted"] else f"kept: {r['bank_kept_because']}"),
        highlight=False))


@app.command("purge")
def purge(json: bool = JSON) -> None:
    """Remove the hashes of deleted banks (an exchange's, or any deleted with `DELETE /c/bank/NAME`); their tombstones stay."""
    from redline.media import banks

    ctx = _ctx()
    pending = [d.name for d in banks.deleted_banks(ctx.store) if d.purged_at is None]
    removed = banks.purge_deleted_banks(ctx, actor=ctx.actor)
    emit({"banks": pending, "removed": removed}, json, lambda r: console.print(
        f"{r['removed']} hashes removed from {len(r['banks'])} deleted bank(s)" + (f": {', '.join(r['banks'])}" if r["banks"] else ""),
        highlight=False))


@app.command("feedback")
def feedback(limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="How many, newest first."),
             json: bool = JSON) -> None:
    """Deconfirmations peers sent back about hashes."""
    from redline.exchange import feed

    rows = feed.list_feedback(_ctx(), limit)

    def render(items: list[dict[str, Any]]) -> None:
        table = Table("received", "from", "type", "hash", "opinion", "reason", "ours")
        for f in items:
            table.add_row(f["at"][:19], f"{f['from_key']} ({f['from_org'] or '-'}, key {f['origin']})", f["signal_type"],
                          f["signal_value"][:20] + "…", f["opinion"], f["reason"] or "", "yes" if f["published_here"] else "no")
        console.print(table)

    emit(rows, json, render)


@app.command("key")
def key(json: bool = JSON) -> None:
    """This installation's public key: peers configure it (--public-key) to verify its feed."""
    from redline.exchange import feed

    signer = feed.signer(_ctx())
    emit({"key_id": signer.key_id, "public_key": signer.public_pem()}, json,
         lambda k: console.print(f"key id {k['key_id']}\n{k['public_key']}", highlight=False, soft_wrap=True))
