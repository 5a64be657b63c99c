"""Live collection is bound by latency, not CPU: domains/s against local servers as concurrency grows.

A real dnsmasq (127.0.0.1, wildcard *.bench.test) and a real HTTPS server (test CA) that waits
DELAY seconds before each answer, like a distant site. Baseline: concurrency 1, in the same run.
Per-host pacing is off here (every test site is 127.0.0.1); in real use it stays on.
Run: .venv/bin/python benchmarks/infra_collect_scaling.py [DOMAINS] [DELAY]
"""

from __future__ import annotations

import asyncio
import http.server
import importlib.util
import multiprocessing
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _fixtures():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("infra_test_fixtures", ROOT / "tests" / "infra" / "conftest.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def serve(port: int, cert: Path, key: Path, delay: float) -> None:
    """The HTTPS server, in its own process (its own GIL); each TLS handshake in its connection's thread."""
    fx = _fixtures()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)

    class Slow(fx.Handler):
        pass

    Slow.delay = delay

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512

        def finish_request(self, request, client_address):  # type: ignore[no-untyped-def]
            try:
                request = ctx.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            super().finish_request(request, client_address)

    Server(("127.0.0.1", port), Slow).serve_forever()


def main(n: int = 200, delay: float = 0.05) -> None:
    from redline.infra.collect.batch import collect_many
    from redline.infra.collect.config import CollectConfig

    fx = _fixtures()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = fx.free_port(fx.socket.SOCK_DGRAM)
        conf = folder / "dnsmasq.conf"
        conf.write_text(f"port={port}\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\n"
                        "cache-size=0\naddress=/bench.test/127.0.0.1\n")
        dnsmasq = subprocess.Popen([fx.DNSMASQ, "--keep-in-foreground", f"--conf-file={conf}", "--pid-file=",
                                    "--user=root"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ca, cert, key = fx.make_ca_and_leaf(folder, ["bench.test", "*.bench.test"])

        https_port = fx.free_port()
        server = multiprocessing.Process(target=serve, args=(https_port, cert, key, delay), daemon=True)
        server.start()
        time.sleep(0.5)
        try:
            base = None
            print(f"{n} domains, server delay {delay * 1000:.0f} ms per response (DNS + TLS + HTTPS each)")
            for concurrency in (1, 4, 16, 64):
                cfg = CollectConfig(nameservers=("127.0.0.1",), dns_port=port, https_port=https_port,
                                    http_port=1, verify=str(ca), timeout=10, retries=0, per_host_rate=0,
                                    concurrency=concurrency)
                domains = [f"d{i}-{concurrency}.bench.test" for i in range(n if concurrency > 1 else n // 4)]
                t = time.perf_counter()
                out = asyncio.run(collect_many(domains, cfg))
                rate = len(domains) / (time.perf_counter() - t)
                ok = sum(1 for o in out if o.get("http", {}).get("status") == 200)
                base = base or rate
                print(f"concurrency {concurrency:>3}: {rate:8.1f} domains/s  ({ok}/{len(domains)} ok)  "
                      f"ratio vs concurrency 1: {rate / base:5.1f}x")
        finally:
            server.terminate()
            dnsmasq.terminate()
            dnsmasq.wait(5)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, float(sys.argv[2]) if len(sys.argv) > 2 else 0.05)
