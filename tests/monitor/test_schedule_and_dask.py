"""`monitor --every` (update, then every book) and the Dask engine of `screen-file` and `monitor run`,
on a real `dask.distributed.LocalCluster` of two worker processes and the real UN snapshots."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.context import get_context
from redline.monitor.schedule import ScheduleError, cycle, every, parse_interval
from redline.parties import dask_engine

runner = CliRunner()
BOOK = ["id,name,schema,country,birth_date,identifiers",
        "c1,Northwind Traders Ltd,Company,gb,,",
        "c3,Fereidoun Abbasi-Davani,Person,,,",
        "c4,Amin Industrial Complex,Organization,ir,,",
        "c7,Abdul Ghani Baradar,Person,af,,",
        "c8,Lionel Dumont,Person,,,"]


def _cli(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local.scheduler_address


@pytest.fixture
def un_2026(data_dir: Path) -> Path:
    _cli("parties", "import", str(data_dir / "lists" / "un_sc" / "2026-02-27"))
    return data_dir / "lists" / "un_sc" / "2026-02-27"


def test_periods_are_read_or_refused() -> None:
    assert parse_interval("6h") == 6 * 3600
    assert parse_interval("1h30m") == 5400
    assert parse_interval("1d") == 86400
    for bad in ("6", "6x", "h", "-1h", "30s", "6h; rm -rf /"):
        with pytest.raises(ScheduleError, match="--every"):
            parse_interval(bad)
    result = runner.invoke(app, ["monitor", "--every", "soon"])
    assert result.exit_code == 2 and "--every" in result.output and "Traceback" not in result.output


def test_a_failed_download_keeps_the_list_in_force_and_the_books_still_run(tmp_path: Path, un_2026: Path) -> None:
    book = tmp_path / "book.csv"
    book.write_text("\n".join(BOOK) + "\n", encoding="utf-8")
    _cli("parties", "book", "import", str(book), "--book", "retail")

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="publisher down")

    result = cycle(get_context(), sources=["un_sc"], transport=httpx.MockTransport(refuse))
    [failure] = result["update"]["failures"]
    assert failure["source"] == "un_sc" and failure["in_force"].startswith("un_sc@2026-02-27")
    assert result["books"][0]["first_run"] and result["books"][0]["rows_screened_whole"] == 5
    assert {a["book_id"] for a in result["alerts"]} == {"c3", "c4", "c7"}

    seen: list[dict] = []
    slept: list[float] = []
    ran = every(get_context(), 3600, seen.append, cycles=2, sleep=slept.append, sources=["un_sc"],
                transport=httpx.MockTransport(refuse))
    assert ran == 2 and len(seen) == 2 and len(slept) == 1 and 3500 < slept[0] <= 3600
    assert seen[0]["next_at"] and seen[1]["next_at"] is None
    assert seen[1]["alerts"] == [] and seen[1]["books"][0]["rows_screened_whole"] == 0  # nothing changed


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_screen_file_on_dask_gives_the_local_output_in_input_order(tmp_path: Path, un_2026: Path, cluster: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from redline.parties import batch

    monkeypatch.setattr(batch, "CLUSTER_CHUNK", 200)
    names = ["Fereidoun Abbasi-Davani", "Northwind Traders Ltd", "Amin Industrial Complex", "Abdul Ghani Baradar"]
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        for i in range(600):  # three chunks: order across workers is checked
            writer.writerow([f"r{i}", names[i % 4] if i % 50 == 0 else f"{names[i % 4]} {i}"])
    local = _cli("parties", "screen-file", str(source), "-o", str(tmp_path / "local.csv"), "--workers", "1")
    on_dask = _cli("parties", "screen-file", str(source), "-o", str(tmp_path / "dask.csv"),
                   "--engine", "dask", "--scheduler", cluster)
    assert on_dask["engine"] == "dask" and on_dask["rows"] == 600 and on_dask["matches"] == local["matches"] > 0
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": [r["id"] for r in _rows(source)], "name": [r["name"] for r in _rows(source)]})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=100)
    from_parquet = _cli("parties", "screen-file", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "pq.csv"),
                        "--engine", "dask", "--scheduler", cluster)
    assert from_parquet["encoding"] == "parquet" and from_parquet["matches"] == local["matches"]
    assert (tmp_path / "pq.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()

    from distributed import Client

    with Client(cluster) as client:  # each worker loaded the screener itself, from the cache file
        loaded = client.run(lambda: dask_engine._loaded[0] if dask_engine._loaded else None)
    assert set(loaded.values()) == {str(dask_engine.screener_file())}


def test_monitor_run_on_dask_raises_the_same_alerts(tmp_path: Path, un_2026: Path, cluster: str) -> None:
    book = tmp_path / "book.csv"
    book.write_text("\n".join(BOOK) + "\n", encoding="utf-8")
    _cli("parties", "book", "import", str(book), "--book", "local")
    _cli("parties", "book", "import", str(book), "--book", "cluster")
    local = _cli("monitor", "run", "--book", "local")
    on_dask = _cli("monitor", "run", "--book", "cluster", "--engine", "dask", "--scheduler", cluster)
    assert on_dask["engine"] == "dask"
    same = lambda alerts: sorted((a["book_id"], a["hit_id"], a["score"], a["reason"]) for a in alerts)  # noqa: E731
    assert same(on_dask["alerts"]) == same(local["alerts"])
    assert {a["book_id"] for a in local["alerts"]} == {"c3", "c4", "c7"}


def test_engine_arguments_are_checked() -> None:
    result = runner.invoke(app, ["parties", "screen-file", "x.csv", "-o", "y.csv", "--engine", "spark"])
    assert result.exit_code == 2 and "--engine" in result.output
    result = runner.invoke(app, ["monitor", "run", "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "--scheduler needs --engine dask" in " ".join(result.output.split())


def test_serve_runs_the_schedule_beside_it_and_stops_it_with_it(tmp_path: Path) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    import psutil

    result = runner.invoke(app, ["serve", "--monitor-every", "5s"])
    assert result.exit_code == 2 and "--monitor-every" in result.output
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tmp_path / "served"
    env = {**os.environ, "REDLINE_HOME": str(home)}
    server = subprocess.Popen([str(Path(sys.executable).with_name("redline")), "serve", "--port", str(port),
                               "--monitor-every", "6h"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read() if server.stderr else ""
            time.sleep(0.2)
        monitors = [c for c in psutil.Process(server.pid).children()
                    if c.cmdline()[-4:] == ["monitor", "--every", "6h", "--json"]]
        assert len(monitors) == 1 and (home / "logs" / "monitor.jsonl").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    # it is told to stop when the server ends; a loaded machine may take a few seconds to let it exit
    deadline = time.monotonic() + 30
    while monitors[0].is_running() and monitors[0].status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not monitors[0].is_running() or monitors[0].status() == psutil.STATUS_ZOMBIE
