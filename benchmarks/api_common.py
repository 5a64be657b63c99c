"""Helpers for the HTTP benchmarks: start `redline serve`, generate load from another process,
read the memory of the server's processes. Loopback only; every run is bounded in time."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REDLINE = str(Path(sys.executable).with_name("redline"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_home() -> Path:
    """REDLINE_HOME (default ~/.redline), exported so that the servers started here use it too."""
    home = Path(os.environ.get("REDLINE_HOME") or Path.home() / ".redline").expanduser()
    os.environ["REDLINE_HOME"] = str(home)
    return home


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def make_key(home: Path, name: str) -> str:
    env = {**os.environ, "REDLINE_HOME": str(home)}
    done = subprocess.run([REDLINE, "keys", "create", name, "--role", "reader", "--json"], env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["key"]


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    started_s: float

    def pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        kids = [int(p) for p in children.read_text().split()] if children.exists() else []
        return [self.process.pid] + kids

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server's processes so far (robust to other work on the machine)."""
        return sum(process_cpu(pid) for pid in self.pids())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(home: Path, workers: int, timeout_s: float = 300, ready_path: str = "/readyz") -> Server:
    import httpx

    port = free_port()
    env = {**os.environ, "REDLINE_HOME": str(home)}
    started = time.perf_counter()
    process = subprocess.Popen([REDLINE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read()}")
        try:
            if httpx.get(f"{base}{ready_path}", timeout=2).status_code == 200:
                return Server(process, base, time.perf_counter() - started)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("server not ready in time")


def memory_mb(pids: list[int]) -> dict[str, Any]:
    """RSS and PSS of each process (PSS splits shared pages between the processes sharing them)."""
    rows = []
    for pid in pids:
        fields: dict[str, int] = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, _, rest = line.partition(":")
            fields[key] = int(rest.split()[0])
        private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
        rows.append({"pid": pid, "rss_mb": round(fields["Rss"] / 1024, 1), "pss_mb": round(fields["Pss"] / 1024, 1),
                     "private_mb": round(private / 1024, 1)})
    return {"processes": rows, "rss_sum_mb": round(sum(r["rss_mb"] for r in rows), 1),
            "pss_total_mb": round(sum(r["pss_mb"] for r in rows), 1),
            "private_sum_mb": round(sum(r["private_mb"] for r in rows), 1)}


# --- load generation: a separate process, httpx async clients -------------------------------------

LOADGEN = r"""
import asyncio, json, sys, time
import httpx

async def main(spec):
    requests, base, key = spec["requests"], spec["base"], spec["key"]
    lat, errors, statuses = [], 0, {}
    stop_at = time.perf_counter() + spec["seconds"]
    counter = [0]
    limits = httpx.Limits(max_connections=spec["concurrency"], max_keepalive_connections=spec["concurrency"])
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": "Bearer " + key}, limits=limits,
                                 timeout=30) as client:
        async def worker():
            nonlocal errors
            while time.perf_counter() < stop_at:
                i = counter[0] % len(requests); counter[0] += 1
                method, path, body = requests[i]
                t = time.perf_counter()
                try:
                    r = await client.request(method, path, content=body.encode() if body else None,
                                             headers={"content-type": "application/json"} if body else None)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                lat.append((time.perf_counter() - t) * 1000)
        t0 = time.perf_counter()
        await asyncio.gather(*[worker() for _ in range(spec["concurrency"])])
        elapsed = time.perf_counter() - t0
    print(json.dumps({"latencies": lat, "errors": errors, "elapsed": elapsed, "statuses": statuses}))

asyncio.run(main(json.load(sys.stdin)))
"""


def httpx_load(base: str, key: str, requests: list[tuple[str, str, str | None]], concurrency: int,
               seconds: float) -> dict[str, Any]:
    spec = {"base": base, "key": key, "requests": requests, "concurrency": concurrency, "seconds": seconds}
    done = subprocess.run([sys.executable, "-c", LOADGEN], input=json.dumps(spec), capture_output=True, text=True,
                          check=True, timeout=seconds + 120)
    raw = json.loads(done.stdout)
    lat = raw["latencies"]
    return {"tool": "httpx", "concurrency": concurrency, "seconds": round(raw["elapsed"], 1), "requests": len(lat),
            "req_per_s": round(len(lat) / raw["elapsed"], 1), "p50_ms": round(pct(lat, 0.5), 2),
            "p99_ms": round(pct(lat, 0.99), 2), "errors": raw["errors"], "statuses": raw["statuses"]}


# --- load generation with wrk, when installed (C, so the generator takes less of the shared CPU) ---

WRK_SCRIPT = r"""
local bodies = {}
local paths = {}
local i = 0
init = function(args)
  local f = io.open(args[1], "r")
  for line in f:lines() do
    local tab = line:find("\t")
    table.insert(paths, line:sub(1, tab - 1))
    table.insert(bodies, line:sub(tab + 1))
  end
  f:close()
end
request = function()
  i = (i % #paths) + 1
  local body = bodies[i]
  if body == "" then
    return wrk.format("GET", paths[i], {["Authorization"] = wrk.headers["Authorization"]})
  end
  return wrk.format("POST", paths[i], {["Authorization"] = wrk.headers["Authorization"],
                                       ["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  io.write(string.format("JSON{\"requests\":%d,\"duration_us\":%d,\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d,\"connect\":%d,\"read\":%d,\"write\":%d,\"status\":%d,\"timeout\":%d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


def wrk_load(base: str, key: str, requests: list[tuple[str, str, str | None]], concurrency: int,
             seconds: float, threads: int = 1) -> dict[str, Any] | None:
    if shutil.which("wrk") is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="redline-wrk-"))
    (folder / "script.lua").write_text(WRK_SCRIPT)
    (folder / "requests.tsv").write_text("".join(f"{path}\t{body or ''}\n" for _, path, body in requests))
    done = subprocess.run(["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{int(seconds)}s",
                           "--timeout", "30s", "-H", f"Authorization: Bearer {key}", "-s", str(folder / "script.lua"),
                           base, "--", str(folder / "requests.tsv")],
                          capture_output=True, text=True, timeout=seconds + 120)
    shutil.rmtree(folder, ignore_errors=True)
    line = next((l for l in done.stdout.splitlines() if l.startswith("JSON{")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {done.stdout} {done.stderr}")
    s = json.loads(line[4:])
    errors = s["connect"] + s["read"] + s["write"] + s["status"] + s["timeout"]
    return {"tool": "wrk", "concurrency": concurrency, "seconds": round(s["duration_us"] / 1e6, 1),
            "requests": s["requests"], "req_per_s": round(s["requests"] / (s["duration_us"] / 1e6), 1),
            "p50_ms": round(s["p50_us"] / 1000, 2), "p90_ms": round(s["p90_us"] / 1000, 2),
            "p99_ms": round(s["p99_us"] / 1000, 2), "p999_ms": round(s["p999_us"] / 1000, 2),
            "max_ms": round(s["max_us"] / 1000, 2), "errors": errors,
            "error_kinds": {k: s[k] for k in ("connect", "read", "write", "status", "timeout") if s[k]}}


def measured(server: Any, run: Any) -> dict[str, Any]:
    """A load run with the server's CPU time per request beside it."""
    before = server.cpu_seconds()
    result = run()
    if result:
        result["server_cpu_ms_per_request"] = round(1000 * (server.cpu_seconds() - before) / max(1, result["requests"]), 3)
    return result


def load_sweep(server: Any, key: str, requests: list[tuple[str, str, str | None]], concurrency: list[int],
               seconds: float) -> dict[str, Any]:
    """One client at a time, then wrk and httpx at each concurrency, then the workers' memory."""
    out: dict[str, Any] = {"sequential": measured(server, lambda: httpx_load(server.base, key, requests, 1, seconds / 2))}
    print("one at a time:", out["sequential"], flush=True)
    out["load"] = []
    for c in concurrency:
        for load in (wrk_load, httpx_load):
            run = measured(server, lambda: load(server.base, key, requests, c, seconds))
            if run:
                out["load"].append(run)
                print(run, flush=True)
    out["memory"] = memory_mb(server.pids())
    return out
