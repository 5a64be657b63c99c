"""Download the current lists from their official publishers.

One Updater per publisher feed: its official URL(s), the fixed file name each is saved as, and
the reader module that reads the result. `update()` downloads into
$REDLINE_HOME/downloads/<source>/<UTC timestamp>/ and returns what it saved; the import
pipeline (parties.snapshots) imports it. A transient failure (timeout, dropped connection,
HTTP 408/429/5xx, truncated body) is retried with exponential backoff; a source that still fails,
or fails permanently (HTTP 4xx, oversized body, a file that is not in the expected format), is
reported in `failures` and the other sources go on. Nothing is imported for a failed source, so
its previous snapshot stays in force.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from redline.config import load_settings
from redline.parties.sources.base import Reader
from redline.parties.sources.registry import FormatDetectionError, detect, module_readers

MAX_BYTES = 200 * 1024 * 1024
TIMEOUT = httpx.Timeout(60.0, connect=15.0)
MAX_REDIRECTS = 5
USER_AGENT = "redline-list-updater/0.1 (+restricted-party screening)"
RETRIES = 2  # extra tries after a transient failure
RETRY_WAIT = 2.0  # seconds before the first retry, doubling (with jitter) up to 8 times this
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_OFAC = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"


@dataclass(frozen=True)
class RemoteFile:
    url: str
    save_as: str  # fixed here, never taken from the server


@dataclass(frozen=True)
class Updater:
    source: str  # the key users pass to `redline parties update`
    title: str
    files: tuple[RemoteFile, ...]
    reader_module: str  # registry module whose reader must claim the download

    @property
    def is_set(self) -> bool:
        """A multi-file set is imported as its folder."""
        return len(self.files) > 1


UPDATERS: tuple[Updater, ...] = (
    Updater(
        "ofac_sdn",
        "OFAC SDN list (legacy CSV set)",
        tuple(RemoteFile(f"{_OFAC}/{name.upper()}", name) for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")),
        "ofac_sdn",
    ),
    Updater(
        "ofac_cons",
        "OFAC Consolidated (non-SDN) list (CSV set)",
        tuple(
            RemoteFile(f"{_OFAC}/{name.upper()}", name)
            for name in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
        ),
        "ofac_cons",
    ),
    Updater(
        "us_csl",
        "US Consolidated Screening List (trade.gov)",
        (RemoteFile("https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv", "consolidated.csv"),),
        "csl",
    ),
    Updater(
        "un_sc",
        "UN Security Council Consolidated List",
        (RemoteFile("https://scsanctions.un.org/resources/xml/en/consolidated.xml", "UN_consolidated.xml"),),
        "un_sc",
    ),
    Updater(
        "uk_fcdo",
        "UK Sanctions List (FCDO, CSV)",
        (RemoteFile("https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv", "UK-Sanctions-List.csv"),),
        "uk_ofsi",
    ),
    Updater(
        "eu_fsf",
        "EU Financial Sanctions Files (consolidated XML)",
        (
            RemoteFile(
                "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
                "xmlFullSanctionsList_1_1.xml",
            ),
        ),
        "eu_fsf",
    ),
    Updater(
        "ca_sema",
        "Canada Consolidated Autonomous Sanctions List",
        (
            RemoteFile(
                "https://www.international.gc.ca/world-monde/assets/office_docs/"
                "international_relations-relations_internationales/sanctions/sema-lmes.xml",
                "sema-lmes.xml",
            ),
        ),
        "ca_sema",
    ),
    Updater(
        "au_dfat",
        "Australia DFAT Consolidated List",
        (RemoteFile("https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx", "regulation8_consolidated.xlsx"),),
        "au_dfat",
    ),
)


@dataclass(frozen=True)
class DownloadedFile:
    url: str
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class DownloadedList:
    source: str
    path: Path  # what to import: the file, or the folder of a multi-file set
    reader: Reader
    url: str  # the (first) official URL
    retrieved_at: str  # ISO 8601, UTC
    sha256: str  # of the file; for a set, of its members' "<sha256>  <name>" lines in order
    files: tuple[DownloadedFile, ...]


@dataclass(frozen=True)
class UpdateFailure:
    source: str
    url: str | None
    error: str
    attempts: int = 1  # tries of the failing file
    transient: bool = False  # the last error was of a kind that may pass (retried until `attempts` ran out)

    def __str__(self) -> str:
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        return f"{self.source}: {self.error}{tries}" + (f" ({self.url})" if self.url else "")


class Downloads(list[DownloadedList]):
    """The lists downloaded, in updater order; `failures` says which sources failed and why."""

    def __init__(self) -> None:
        super().__init__()
        self.failures: list[UpdateFailure] = []


class DownloadError(RuntimeError):
    def __init__(self, url: str, message: str, *, transient: bool = False) -> None:
        self.url = url
        self.transient = transient  # worth another try: a timeout, a dropped connection, a 5xx
        self.attempts = 1
        super().__init__(message)


def updater(source: str) -> Updater:
    for candidate in UPDATERS:
        if candidate.source == source:
            return candidate
    raise KeyError(f"no updater for {source!r}; known: {', '.join(u.source for u in UPDATERS)}")


def update(
    sources: list[str] | None = None,
    transport: httpx.BaseTransport | None = None,
    dest: Path | None = None,
    max_bytes: int = MAX_BYTES,
    retries: int | None = None,
    retry_wait: float | None = None,
) -> Downloads:
    """Download `sources` (all when None) under `dest` (default $REDLINE_HOME/downloads); each file
    is tried again `retries` times (default RETRIES) after a transient failure, waiting `retry_wait`
    seconds (default RETRY_WAIT), then twice as long each time."""
    policy = _RetryPolicy(RETRIES if retries is None else retries, RETRY_WAIT if retry_wait is None else retry_wait)
    chosen = [updater(name) for name in sources] if sources is not None else list(UPDATERS)
    root = dest if dest is not None else load_settings().home / "downloads"
    results = Downloads()
    with httpx.Client(
        transport=transport,
        timeout=TIMEOUT,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT},
    ) as client:
        for item in chosen:
            try:
                results.append(_download_list(client, item, root, max_bytes, policy))
            except DownloadError as exc:
                results.failures.append(UpdateFailure(item.source, exc.url, str(exc), exc.attempts, exc.transient))
    return results


@dataclass(frozen=True)
class _RetryPolicy:
    retries: int
    wait: float

    def attempts(self) -> Retrying:
        return Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=wait_exponential_jitter(multiplier=self.wait, max=self.wait * 8, jitter=self.wait),
            retry=retry_if_exception(lambda exc: isinstance(exc, DownloadError) and exc.transient),
            reraise=True,
        )


def _download_list(client: httpx.Client, item: Updater, root: Path, max_bytes: int, policy: _RetryPolicy) -> DownloadedList:
    retrieved = datetime.now(timezone.utc).replace(microsecond=0)
    folder = _new_folder(root / _safe_name(item.source), retrieved.strftime("%Y%m%dT%H%M%SZ"))
    try:
        return _fetch_into(client, item, folder, retrieved, max_bytes, policy)
    except DownloadError:
        shutil.rmtree(folder, ignore_errors=True)  # leave no half set behind for a later import
        raise


def _fetch_into(client: httpx.Client, item: Updater, folder: Path, retrieved: datetime, max_bytes: int,
                policy: _RetryPolicy) -> DownloadedList:
    files = tuple(_download_retrying(client, remote, folder, max_bytes, policy) for remote in item.files)
    target = folder if item.is_set else files[0].path
    try:
        reader = detect(target)
    except FormatDetectionError as exc:
        raise DownloadError(item.files[0].url, f"downloaded, but not in the expected format: {exc}") from exc
    if not any(reader is expected for expected in module_readers(item.reader_module)):
        raise DownloadError(item.files[0].url, f"downloaded, but it reads as {reader.info.name}, not as {item.reader_module}")
    if item.is_set:
        digest = hashlib.sha256("".join(f"{f.sha256}  {f.path.name}\n" for f in files).encode()).hexdigest()
    else:
        digest = files[0].sha256
    return DownloadedList(
        source=item.source,
        path=target,
        reader=reader,
        url=item.files[0].url,
        retrieved_at=retrieved.isoformat().replace("+00:00", "Z"),
        sha256=digest,
        files=files,
    )


def _safe_name(name: str) -> str:
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        raise ValueError(f"unsafe file name {name!r}")
    return name


def _new_folder(parent: Path, stamp: str) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(100):
        folder = parent / (stamp if attempt == 0 else f"{stamp}-{attempt}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise DownloadError(str(parent), f"cannot create a download folder under {parent}")


def _download_retrying(client: httpx.Client, remote: RemoteFile, folder: Path, max_bytes: int, policy: _RetryPolicy) -> DownloadedFile:
    tries = 0
    try:
        for attempt in policy.attempts():
            with attempt:
                tries += 1
                return _download(client, remote, folder, max_bytes)
    except DownloadError as exc:
        exc.attempts = tries
        raise
    raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover


def _download(client: httpx.Client, remote: RemoteFile, folder: Path, max_bytes: int) -> DownloadedFile:
    final = folder / _safe_name(remote.save_as)
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".part-", delete=False)
    temp = Path(handle.name)
    try:
        with handle:
            digest, size = _stream(client, remote.url, handle, max_bytes)
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    return DownloadedFile(url=remote.url, path=final, sha256=digest, size=size)


def _stream(client: httpx.Client, url: str, handle, max_bytes: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise DownloadError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                                    transient=response.status_code in TRANSIENT_STATUS)
            expected = _content_length(response)
            if expected is not None and expected > max_bytes:
                raise DownloadError(url, f"refused: {expected} bytes announced, over the {max_bytes}-byte cap")
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise DownloadError(url, f"refused: body exceeds the {max_bytes}-byte cap")
                digest.update(chunk)
                handle.write(chunk)
            # Raw (still encoded) bytes, as Content-Length counts them; a pre-read body reports 0.
            received = response.num_bytes_downloaded or size
            if expected is not None and received != expected:
                raise DownloadError(url, f"truncated download: {received} of {expected} bytes received", transient=True)
    except httpx.TimeoutException as exc:
        raise DownloadError(url, f"timed out ({type(exc).__name__})", transient=True) from exc
    except httpx.TooManyRedirects as exc:
        raise DownloadError(url, f"more than {MAX_REDIRECTS} redirects") from exc
    except httpx.HTTPError as exc:
        # A dropped or refused connection, a protocol error mid-body: worth another try.
        transient = isinstance(exc, (httpx.TransportError, httpx.StreamError))
        raise DownloadError(url, f"download failed: {type(exc).__name__}: {exc}", transient=transient) from exc
    if size == 0:
        raise DownloadError(url, "empty body")
    return digest.hexdigest(), size


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise DownloadError(str(response.url), f"bad Content-Length {value!r}") from exc
