"""Fixtures for the infra tests: the real reference data (compiled once a session), a real DNS server
(dnsmasq on 127.0.0.1, high port), a real HTTPS server with a CA made in the test, and a DNS blackhole."""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

DNSMASQ = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"


@pytest.fixture(scope="session")
def infra_cache(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    from redline.infra.reference import load_reference

    cache = tmp_path_factory.mktemp("infra-cache")
    load_reference(data_dir / "infra", cache)
    return cache


@pytest.fixture(scope="session")
def ref(infra_cache: Path, data_dir: Path):  # type: ignore[no-untyped-def]
    from redline.infra.reference import load_reference

    return load_reference(data_dir / "infra", infra_cache)


@pytest.fixture
def home_with_cache(redline_home: Path, infra_cache: Path) -> Path:
    """This test's REDLINE_HOME, with the session's compiled reference cache linked in (no recompiling)."""
    (redline_home / "cache").mkdir(parents=True, exist_ok=True)
    (redline_home / "cache" / "infra").symlink_to(infra_cache / "infra", target_is_directory=True)
    return redline_home


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- DNS ------------------------------------------------------------------------------------------

ZONE = """
address=/site.test/127.0.0.1
host-record=edge.cloudfront.net,127.0.0.1
cname=www.site.test,edge.cloudfront.net
host-record=big.test,127.0.0.1
host-record=loop.test,127.0.0.1
host-record=embedsonly.test,127.0.0.1
host-record=xn--bcher-kva.test,127.0.0.1
host-record=nohttp.test,127.0.0.1
mx-host=site.test,site-test.mail.protection.outlook.com,10
txt-record=site.test,"v=spf1 include:spf.protection.outlook.com -all"
local=/test/
"""


@pytest.fixture(scope="session")
def dns_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    if not Path(DNSMASQ).exists():
        pytest.skip("dnsmasq is not installed (Debian: dnsmasq-base)")
    folder = tmp_path_factory.mktemp("dnsmasq")
    port = free_port(socket.SOCK_DGRAM)
    conf = folder / "dnsmasq.conf"
    conf.write_text(
        f"port={port}\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\nno-dhcp-interface=\n"
        f"cache-size=0\n{ZONE}"
    )
    proc = subprocess.Popen(
        [DNSMASQ, "--keep-in-foreground", f"--conf-file={conf}", "--pid-file=", "--user=root", "--log-facility=-"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 5
    import dns.message
    import dns.query

    while time.monotonic() < deadline:
        try:
            dns.query.udp(dns.message.make_query("site.test", "A"), "127.0.0.1", port=port, timeout=0.2)
            break
        except Exception:
            if proc.poll() is not None:
                pytest.fail(f"dnsmasq did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
            time.sleep(0.05)
    yield "127.0.0.1", port
    proc.terminate()
    proc.wait(5)


@pytest.fixture(scope="session")
def dns_blackhole() -> Iterator[tuple[str, int]]:
    """A UDP port that reads queries and never answers: DNS timeouts, for real."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    yield "127.0.0.1", sock.getsockname()[1]
    sock.close()


# ---- HTTPS ----------------------------------------------------------------------------------------

def make_ca_and_leaf(folder: Path, names: list[str]) -> tuple[Path, Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Redline Test CA"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "Redline Test Root")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_pem, cert_pem, key_pem = folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_pem.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return ca_pem, cert_pem, key_pem


PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">
<script src="https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script>
<script src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
<script src="/static/app.js"></script></head><body><p>ok</p>
<img src="https://static.site.test/logo.png"><iframe src="https://www.youtube.com/embed/x"></iframe>
<script>document.write('<script src="https://evil.example/never-executed.js"></scr'+'ipt>')</script>
</body></html>"""

EMBEDS_ONLY = """<html><head><link href="https://fonts.gstatic.com/s/roboto/v30/x.woff2" rel="preload" as="font">
<script src="https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script></head></html>"""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay = 0.0

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        host = (self.headers.get("Host") or "").split(":")[0]
        if self.delay:
            time.sleep(self.delay)
        if host == "big.test":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"A" * 65536 + b"</p>"
            try:
                for _ in range(1600):  # ~100 MB unless the client stops reading
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                pass
            self.close_connection = True
            return
        if host == "loop.test":
            self._send(302, b"", {"Location": f"/again{time.monotonic_ns()}"})
            return
        if host == "embedsonly.test":
            self._send(200, EMBEDS_ONLY.encode(), {"Content-Type": "text/html; charset=utf-8", "Server": "nginx"})
            return
        self._send(200, PAGE.encode(), {"Content-Type": "text/html; charset=utf-8", "Server": "CloudFront",
                                        "X-Amz-Cf-Id": "test-edge-id", "Via": "1.1 abc.cloudfront.net (CloudFront)",
                                        "Content-Security-Policy": "script-src https://s3.amazonaws.com"})


@pytest.fixture(scope="session")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    folder = tmp_path_factory.mktemp("tls")
    names = ["site.test", "www.site.test", "big.test", "loop.test", "embedsonly.test", "xn--bcher-kva.test"]
    ca_pem, cert_pem, key_pem = make_ca_and_leaf(folder, names)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_pem, key_pem)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"port": server.server_address[1], "ca": ca_pem}
    server.shutdown()
    server.server_close()
