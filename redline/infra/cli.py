"""`redline infra …`: collect, scan, report, refs, lookup, validate-2020. Decides nothing itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from redline.output import console, emit, err_console, fail, to_json

app = typer.Typer(no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Machine-readable JSON output.")


def _collect_config(nameserver: list[str] | None, dns_port: int, timeout: float, retries: int, concurrency: int,
                    rate: float, max_bytes: int, max_redirects: int, https_port: int, http_port: int,
                    ca_bundle: Path | None, insecure: bool, domain_timeout: float) -> Any:
    from redline.infra.collect.config import CollectConfig

    verify: bool | str = False if insecure else (str(ca_bundle) if ca_bundle else True)
    return CollectConfig(nameservers=tuple(nameserver or ()), dns_port=dns_port, timeout=timeout, retries=retries,
                         concurrency=concurrency, per_host_rate=rate, max_bytes=max_bytes,
                         max_redirects=max_redirects, https_port=https_port, http_port=http_port, verify=verify,
                         domain_timeout=domain_timeout)


def _domains_from(domains: list[str] | None, input_file: Path | None) -> list[str]:
    out = list(domains or [])
    if input_file:
        if not input_file.exists():
            raise fail(f"no such file: {input_file}")
        import csv

        try:
            with input_file.open(newline="", encoding="utf-8-sig") as handle:
                lines = handle.read().splitlines()
        except UnicodeDecodeError as exc:
            raise fail(f"--input: {input_file}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
        if lines and "domain" in [c.strip().lower() for c in lines[0].split(",")]:
            out += [row["domain"] for row in csv.DictReader(lines) if row.get("domain")]
        else:
            out += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return out


def _run_collect(domains: list[str], cfg: Any, output: Path | None, quiet: bool, retry_failed: bool) -> list[dict]:
    import asyncio

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from redline.infra.collect.batch import collect_many
    from redline.infra.collect.journal import Journal

    journal = Journal(output) if output else None
    with Progress(TextColumn("collect"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err_console, disable=quiet, transient=True) as bar:
        task = bar.add_task("", total=len(dict.fromkeys(domains)))

        def tick(obs: dict) -> None:
            bar.update(task, advance=1, description=f"{obs.get('domain')}: {obs.get('status')}")

        try:
            return asyncio.run(collect_many(domains, cfg, journal, tick, retry_failed))
        except KeyboardInterrupt:
            if journal:
                journal.close()
                err_console.print(f"interrupted: finished domains are in {journal.path}; run again to resume")
            raise typer.Exit(130)


# Options shared by collect and scan
_NS = typer.Option(None, "--nameserver", help="DNS server address (repeatable); default: the system's.")
_PORT = typer.Option(53, "--dns-port", min=1, max=65535, help="DNS server port.")
_TIMEOUT = typer.Option(5.0, "--timeout", min=0.1, max=600, help="Seconds per DNS query, TLS handshake and HTTP request.")
_RETRIES = typer.Option(1, "--retries", min=0, max=10, help="Extra tries after a timeout (with backoff).")
_CONC = typer.Option(50, "--concurrency", min=1, max=10_000, help="Domains collected at once.")
_RATE = typer.Option(10.0, "--rate", min=0, help="Requests a second to one address (0: no limit).")
_MAXB = typer.Option(2_000_000, "--max-bytes", min=1, max=100_000_000, help="Page bytes kept; the download stops there.")
_MAXR = typer.Option(5, "--max-redirects", min=0, max=50, help="Redirects followed.")
_HTTPS = typer.Option(443, "--https-port", min=1, max=65535, help="Port for https:// (tests use a local server).")
_HTTP = typer.Option(80, "--http-port", min=1, max=65535, help="Port for http://.")
_CA = typer.Option(None, "--ca-bundle", help="Trust these CA certificates instead of the system's.")
_INSECURE = typer.Option(False, "--insecure", help="Do not verify certificates.")
_DTIME = typer.Option(60.0, "--domain-timeout", min=0.1, max=3600, help="Seconds for everything about one domain.")


@app.command()
def collect(
    domains: list[str] = typer.Argument(None, help="Domains to observe."),
    output: Path = typer.Option(..., "-o", "--output", help="Observations file (.json list, or .jsonl)."),
    input_file: Path = typer.Option(None, "--input", help="More domains: one a line, or a CSV with a domain column."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="On resume, redo domains that timed out."),
    nameserver: list[str] = _NS, dns_port: int = _PORT, timeout: float = _TIMEOUT, retries: int = _RETRIES,
    concurrency: int = _CONC, rate: float = _RATE, max_bytes: int = _MAXB, max_redirects: int = _MAXR,
    https_port: int = _HTTPS, http_port: int = _HTTP, ca_bundle: Path = _CA, insecure: bool = _INSECURE,
    domain_timeout: float = _DTIME, as_json: bool = JSON,
) -> None:
    """Record DNS, TLS, HTTP and page observations (the evidence format) for each domain."""
    names = _domains_from(domains, input_file)
    if not names:
        raise fail("no domains given")
    cfg = _collect_config(nameserver, dns_port, timeout, retries, concurrency, rate, max_bytes, max_redirects,
                          https_port, http_port, ca_bundle, insecure, domain_timeout)
    observations = _run_collect(names, cfg, output, as_json, retry_failed)
    summary = [{"domain": o.get("domain"), "status": o.get("status"), "errors": o.get("errors", {})}
               for o in observations]

    def render(rows: list[dict]) -> None:
        for row in rows:
            extra = "; ".join(f"{k}: {v}" for k, v in row["errors"].items())
            console.print(f"{row['domain']}: {row['status']}" + (f" ({extra})" if extra else ""), highlight=False)
        console.print(f"{len(rows)} observations in {output}")

    emit(summary, as_json, render)


@app.command()
def scan(
    domains: list[str] = typer.Argument(None, help="Domains (live), or a subset of the --evidence file."),
    evidence: Path = typer.Option(None, "--evidence", help="Recorded observations (.json one or a list, .jsonl)."),
    owner: str = typer.Option(None, "--owner", help="Who owns the domain(s): screened against the lists."),
    owners: Path = typer.Option(None, "--owners", help="CSV with domain,owner."),
    input_file: Path = typer.Option(None, "--input", help="More domains: one a line, or a CSV with a domain column."),
    output: Path = typer.Option(None, "-o", "--output", help="Also write the results (JSON list) here."),
    observations_out: Path = typer.Option(None, "--save-evidence", help="Live: keep observations here (resumable)."),
    store: bool = typer.Option(True, "--store/--no-store", help="Keep results for `infra report`."),
    nameserver: list[str] = _NS, dns_port: int = _PORT, timeout: float = _TIMEOUT, retries: int = _RETRIES,
    concurrency: int = _CONC, rate: float = _RATE, max_bytes: int = _MAXB, max_redirects: int = _MAXR,
    https_port: int = _HTTPS, http_port: int = _HTTP, ca_bundle: Path = _CA, insecure: bool = _INSECURE,
    domain_timeout: float = _DTIME, as_json: bool = JSON,
) -> None:
    """Which providers serve, or are only embedded by, each domain; and whose site it is."""
    from redline.context import get_context
    from redline.infra.evidence import EvidenceError, read_observations, select_observations
    from redline.infra.owners import read_owners_csv
    from redline.infra.scan import scan_observations
    from redline.infra.service import record_results, reference_for

    names = _domains_from(domains, input_file)
    if evidence:
        try:
            observations = read_observations(evidence)
        except EvidenceError as exc:
            raise fail(str(exc)) from None
        if names:
            observations = select_observations(observations, names)
    else:
        if not names:
            raise fail("give domains, --input, or --evidence")
        cfg = _collect_config(nameserver, dns_port, timeout, retries, concurrency, rate, max_bytes, max_redirects,
                              https_port, http_port, ca_bundle, insecure, domain_timeout)
        observations = _run_collect(names, cfg, observations_out, as_json, False)
    owner_map: dict[str, str] = {}
    if owners:
        try:
            owner_map = read_owners_csv(owners)
        except (OSError, ValueError) as exc:
            raise fail(str(exc)) from None
    ctx = get_context()
    try:
        ref = reference_for(ctx)
    except (FileNotFoundError, RuntimeError) as exc:
        raise fail(str(exc)) from None
    results = scan_observations(observations, ref, owners=owner_map, default_owner=owner)
    if store and results:
        record_results(ctx, results, {"command": "infra scan", "evidence": str(evidence) if evidence else None,
                                      "domains": len(results)})
    if output:
        output.write_text(to_json(results), encoding="utf-8")
    emit(results, as_json, _render_scan)


def _render_scan(results: list[dict]) -> None:
    from rich.table import Table

    table = Table("domain", "status", "serves", "embeds", "listed owner")
    for r in results:
        serves = ", ".join(f"{p['provider']} ({p['service']}{' via ' + p['via'] if p.get('via') else ''})"
                           for p in r.get("providers", []) if p["role"] == "serves")
        embeds = ", ".join(f"{p['provider']} ({p['service']})" for p in r.get("providers", []) if p["role"] == "embeds")
        listed = "; ".join(f"{p['caption']} [{p['list_names']}]" for p in r.get("listed_parties", []))
        table.add_row(str(r.get("domain")), str(r.get("status")), serves, embeds, listed)
    console.print(table)
    for r in results:
        for sentence in r.get("statements", []):
            console.print(f"• {sentence}", highlight=False)


@app.command()
def report(
    results_file: Path = typer.Option(None, "--results", help="Scan results JSON (default: the stored results)."),
    csv_out: Path = typer.Option(None, "--csv", help="Also write the report as CSV."),
    as_json: bool = JSON,
) -> None:
    """Exposure report: per provider, the listed parties it serves and those it only appears on (embeds)."""
    from redline.infra.report import exposure_report, report_csv

    if results_file:
        from redline.infra.evidence import EvidenceError, read_results

        try:
            results = read_results(results_file)
        except EvidenceError as exc:
            raise fail(str(exc)) from None
    else:
        from redline.context import get_context
        from redline.infra.service import latest_results

        results = latest_results(get_context())
    rows = exposure_report(results if isinstance(results, list) else [results])
    if csv_out:
        csv_out.write_text(report_csv(rows), encoding="utf-8")

    def render(rows: list[dict]) -> None:
        from rich.table import Table

        if not rows:
            console.print("no listed parties among the scanned sites (scan with --owner/--owners first)")
            return
        table = Table("provider", "company", "serves (listed parties)", "only embedded by")
        for row in rows:
            table.add_row(row["provider"], row["company"],
                          "\n".join(f"{i['party']} — {', '.join(i['domains'])}" for i in row["serves"]),
                          "\n".join(f"{i['party']} — {', '.join(i['domains'])}" for i in row["embeds_only"]))
        console.print(table)

    emit(rows, as_json, render)


@app.command()
def refs(as_json: bool = JSON) -> None:
    """Load the reference data (register a snapshot per source) and show what is loaded."""
    import time

    from redline.context import get_context
    from redline.infra.service import reference_for
    from redline.infra.snapshots import list_snapshots

    ctx = get_context()
    started = time.perf_counter()
    try:
        ref = reference_for(ctx)
    except (FileNotFoundError, RuntimeError) as exc:
        raise fail(str(exc)) from None
    value = {"load_seconds": round(time.perf_counter() - started, 3), "from_cache": ref.from_cache,
             "segments": ref.table.segments, "hostname_rules": ref.hostnames.count,
             "snapshots": list_snapshots(ctx.store)}

    def render(v: dict) -> None:
        from rich.table import Table

        table = Table("id", "source", "data date", "sha256", "counts")
        for s in v["snapshots"]:
            table.add_row(str(s["id"]), s["source"], str(s["data_date"] or ""), s["sha256"][:12],
                          ", ".join(f"{k}={n}" for k, n in s["counts"].items()))
        console.print(table)
        console.print(f"loaded in {v['load_seconds']} s ({'cache' if v['from_cache'] else 'compiled'}); "
                      f"{v['segments']} address segments, {v['hostname_rules']} hostname rules")

    emit(value, as_json, render)


@app.command()
def lookup(ips: list[str] = typer.Argument(..., help="IPv4 or IPv6 addresses."), as_json: bool = JSON) -> None:
    """Which published range (provider, service tag, source) holds each address."""
    import ipaddress

    from redline.context import get_context
    from redline.infra.service import reference_for

    for ip in ips:
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            raise fail(f"IPS: {ip!r} is not an IPv4 or IPv6 address") from None
    ref = reference_for(get_context())
    rows = []
    for ip, hit in zip(ips, ref.lookup_ips(ips)):
        rows.append({"ip": ip, "provider": hit.provider if hit else None, "service": hit.service if hit else None,
                     "matched": hit.cidr if hit else None, "tag": hit.tag if hit else None,
                     "source": hit.source if hit else None,
                     "snapshot": ref.sources[hit.source].snapshot if hit and hit.source in ref.sources else None})

    def render(rows: list[dict]) -> None:
        for r in rows:
            where = f"{r['provider']} ({r['service']}) {r['matched']} [{r['source']} {r['tag']}]" if r["provider"] \
                else "no published range"
            console.print(f"{r['ip']}: {where}", highlight=False, markup=False)

    emit(rows, as_json, render)


@app.command("validate-2020")
def validate_2020(
    results_file: Path = typer.Option(None, "--results", help="Scan results JSON (default: the stored results)."),
    claims: Path = typer.Option(None, "--claims", help="Claims CSV (default: REDLINE_DATA/infra/validation/…)."),
    as_json: bool = JSON,
) -> None:
    """Check the 2020 Top10VPN claims against scanned observations: serves, embeds only, or not observed."""
    from redline.context import get_context
    from redline.infra.validation import read_claims, validate_claims

    ctx = get_context()
    path = claims or ctx.settings.data("infra", "validation", "top10vpn_2020_claims.csv")
    if not path.exists():
        raise fail(f"no claims file at {path}")
    from redline.infra.evidence import EvidenceError, read_results

    if results_file:
        try:
            results = read_results(results_file)
        except EvidenceError as exc:
            raise fail(str(exc)) from None
    else:
        from redline.infra.service import latest_results

        results = latest_results(ctx)
    try:
        claims_rows = read_claims(path)
    except ValueError as exc:
        raise fail(str(exc)) from None
    rows = validate_claims(claims_rows, results)

    def render(rows: list[dict]) -> None:
        from rich.table import Table

        table = Table("subject", "provider", "2020 status", "verdict here", "evidence")
        for r in rows:
            table.add_row(r["subject"], str(r["provider"]), str(r["claim_status"]), r["verdict"],
                          "; ".join(r["serves"] + [f"embeds: {e}" for e in r["embeds_only"]]))
        console.print(table)

    emit(rows, as_json, render)
