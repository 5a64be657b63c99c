"""Load every reference file under REDLINE_DATA/infra into one `ReferenceData`, with a compiled cache.

The cache lives under REDLINE_HOME/cache/infra/<key>, where the key is the SHA-256 of every input
file's SHA-256 (and the compiler's version), so a changed file rebuilds it and nothing stale is used.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from redline.infra.reference.fingerprints import Fingerprints, read_fingerprints
from redline.infra.reference.hostnames import HostnameRules, cdncheck_rules, curated_rules
from redline.infra.reference.iptable import NO_MATCH, IPTable
from redline.infra.reference.providers import resolve
from redline.store.snapshots import file_sha256
from redline.infra.reference.ranges import OFFICIAL, is_generic_tag, range_sources, read_csv_rows

COMPILER_VERSION = "2"  # 2: curated resolver addresses, Google network service
FINGERPRINT_DIR = "tech_fingerprints/webappanalyzer"
CDNCHECK = "cdncheck/sources_data.json"
PROVIDER_ASNS = "asn/provider_asns_curated.csv"


@dataclass
class SourceInfo:
    source: str
    path: str
    url: str
    sha256: str
    counts: dict[str, int]
    data_date: str | None = None
    snapshot: int | None = None  # filled in once registered in the store

    def cite(self) -> dict[str, Any]:
        return {"source": self.source, "snapshot": self.snapshot, "sha256": self.sha256[:16],
                "data_date": self.data_date}


@dataclass
class RangeHit:
    ip: str
    cidr: str
    provider: str
    service: str
    tag: str
    source: str


@dataclass
class ReferenceData:
    table: IPTable
    record_cidr: np.ndarray     # S43, per record
    record_label: np.ndarray    # int32 index into labels, per record
    labels: list[tuple[str, str, str, str]]  # (provider, service, tag, source key)
    hostnames: HostnameRules
    fingerprints: Fingerprints
    provider_asns: list[dict[str, str]]
    sources: dict[str, SourceInfo]
    from_cache: bool = False
    cache_key: str = ""
    _hit_cache: dict[int, tuple[str, str, str, str, str]] = field(default_factory=dict)

    def lookup_ips(self, ips: list[str]) -> list[RangeHit | None]:
        out: list[RangeHit | None] = []
        for ip, rec in zip(ips, self.table.lookup_many(ips)):
            if rec == NO_MATCH:
                out.append(None)
                continue
            info = self._hit_cache.get(rec)
            if info is None:
                provider, service, tag, source = self.labels[int(self.record_label[rec])]
                info = (self.record_cidr[rec].decode(), provider, service, tag, source)
                self._hit_cache[rec] = info
            out.append(RangeHit(ip, *info))
        return out

    def citations(self) -> list[dict[str, Any]]:
        return [info.cite() for info in self.sources.values()]



def _folder_sha256(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + file_sha256(path).encode())
    return digest.hexdigest()


_DATE_KEYS = re.compile(rb'"(createDate|creationTime|last_updated_timestamp|last_update|changeNumber)"\s*:\s*"?([^",}]+)')


def _data_date(path: Path) -> str | None:
    """The feed's own date, from the head of the file (createDate, creationTime, …), else the file's mtime."""
    if path.suffix == ".json":
        with path.open("rb") as handle:
            head = handle.read(400)
        found = _DATE_KEYS.search(head)
        if found:
            value = found.group(2).decode("utf-8", "replace").strip()
            return f"changeNumber {value}" if found.group(1) == b"changeNumber" else value
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).date().isoformat()


def _compile(infra_dir: Path, sources: dict[str, SourceInfo]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    cidrs: list[str] = []
    ranks: list[int] = []
    label_ids: list[int] = []
    labels: dict[tuple[str, str, str, str], int] = {}
    for spec in range_sources(infra_dir):
        path = infra_dir / spec.relpath
        if not path.exists():
            continue
        key = "cdncheck" if spec.key == "cdncheck-ranges" else spec.key
        n = 0
        for cidr, provider, service, tag in spec.reader(path):
            label = (provider, service, tag, key)
            idx = labels.setdefault(label, len(labels))
            cidrs.append(cidr)
            ranks.append(spec.rank + (0 if is_generic_tag(tag) else 1))
            label_ids.append(idx)
            n += 1
        sources[key].counts["prefixes"] = sources[key].counts.get("prefixes", 0) + n
    from redline.infra.reference.resolvers import RESOLVERS

    for cidr, name, url in RESOLVERS:  # most specific prefix wins: a resolver's address beats its provider's range
        resolver = resolve(name)
        label = (resolver.name, resolver.service, f"resolver ({url})", "redline-curated")
        cidrs.append(cidr)
        ranks.append(OFFICIAL + 1)
        label_ids.append(labels.setdefault(label, len(labels)))
    if "redline-curated" in sources:
        sources["redline-curated"].counts["resolver_addresses"] = len(RESOLVERS)
    table, bad = IPTable.build(cidrs, ranks)
    arrays = table.arrays()
    arrays["record_cidr"] = np.array(cidrs, dtype="S43")
    arrays["record_label"] = np.array(label_ids, dtype=np.int32)
    cdncheck_path = infra_dir / CDNCHECK
    common = orjson.loads(cdncheck_path.read_bytes()).get("common", {}) if cdncheck_path.exists() else {}
    if "cdncheck" in sources:
        sources["cdncheck"].counts["cname_patterns"] = sum(len(v) for v in common.values())
    fingerprints = read_fingerprints(infra_dir / FINGERPRINT_DIR) if (infra_dir / FINGERPRINT_DIR).is_dir() else \
        Fingerprints({}, {}, [], [], 0)
    if "webappanalyzer" in sources:
        fp = sources["webappanalyzer"].counts
        fp["technologies"] = fingerprints.technologies
        fp["header_rules"] = sum(len(v) for v in fingerprints.headers.values())
        fp["dns_rules"] = sum(len(v) for v in fingerprints.dns.values())
        fp["script_rules"] = len(fingerprints.script_src)
    meta = {
        "labels": list(labels.keys()),
        "common": common,
        "fingerprints": fingerprints.to_json(),
        "bad_cidrs": len(bad),
        "segments": table.segments,
        "counts": {k: v.counts for k, v in sources.items()},
    }
    return arrays, meta


def _discover(infra_dir: Path) -> dict[str, SourceInfo]:
    sources: dict[str, SourceInfo] = {}
    for spec in range_sources(infra_dir):
        path = infra_dir / spec.relpath
        if path.exists():
            key = "cdncheck" if spec.key == "cdncheck-ranges" else spec.key
            sources[key] = SourceInfo(key, str(path), spec.url, file_sha256(path), {}, _data_date(path))
    folder = infra_dir / FINGERPRINT_DIR
    if folder.is_dir():
        sources["webappanalyzer"] = SourceInfo("webappanalyzer", str(folder), "https://github.com/enthec/webappanalyzer",
                                               _folder_sha256(folder), {})
    curated = _curated_digest()
    sources["redline-curated"] = SourceInfo("redline-curated", "redline/infra/reference (hostnames, issuers, providers)",
                                            "authored for Redline", curated[0], curated[1])
    asns = infra_dir / PROVIDER_ASNS
    if asns.exists():
        sources["provider-asns"] = SourceInfo("provider-asns", str(asns), "authored (see PROVENANCE.md)", file_sha256(asns), {})
    return sources


def _curated_digest() -> tuple[str, dict[str, int]]:
    """The authored tables are data too: their digest is their snapshot's SHA-256."""
    from redline.infra.reference.hostnames import CURATED
    from redline.infra.reference.issuers import ISSUERS
    from redline.infra.reference.providers import all_providers

    providers = [(p.name, p.company, p.country, p.service) for p in all_providers()]
    from redline.infra.reference.resolvers import RESOLVERS

    material = orjson.dumps([list(CURATED), list(ISSUERS), providers, list(RESOLVERS)])
    return hashlib.sha256(material).hexdigest(), {"hostname_rules": len(CURATED), "issuers": len(ISSUERS),
                                                  "providers": len(providers)}


def load_reference(infra_dir: Path, cache_dir: Path | None = None) -> ReferenceData:
    """Read (or reuse the compiled form of) every reference file under `infra_dir`."""
    if not infra_dir.is_dir():
        raise FileNotFoundError(f"no infra reference data at {infra_dir}")
    sources = _discover(infra_dir)
    key_material = COMPILER_VERSION + "".join(f"{k}={v.sha256}" for k, v in sorted(sources.items()))
    cache_key = hashlib.sha256(key_material.encode()).hexdigest()
    arrays: dict[str, np.ndarray] | None = None
    meta: dict[str, Any] | None = None
    from_cache = False
    folder = cache_dir / "infra" / cache_key[:24] if cache_dir else None
    if folder and (folder / "meta.json").exists() and (folder / "table.npz").exists():
        try:
            with np.load(folder / "table.npz", allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
            meta = orjson.loads((folder / "meta.json").read_bytes())
            from_cache = True
        except (OSError, ValueError, orjson.JSONDecodeError):
            arrays = meta = None
    if arrays is None or meta is None:
        arrays, meta = _compile(infra_dir, sources)
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f"table.{os.getpid()}.npz"
            np.savez(tmp, **arrays)
            os.replace(tmp, folder / "table.npz")
            (folder / "meta.json").write_bytes(orjson.dumps(meta))
    for key, counts in meta["counts"].items():
        if key in sources and key != "redline-curated":
            sources[key].counts = counts
    provider_asns = read_csv_rows(infra_dir / PROVIDER_ASNS) if (infra_dir / PROVIDER_ASNS).exists() else []
    if "provider-asns" in sources:
        sources["provider-asns"].counts = {"rows": len(provider_asns)}
    rules = HostnameRules(curated_rules() + cdncheck_rules(meta["common"]))
    return ReferenceData(
        table=IPTable.from_arrays(arrays),
        record_cidr=arrays["record_cidr"],
        record_label=arrays["record_label"],
        labels=[tuple(x) for x in meta["labels"]],
        hostnames=rules,
        fingerprints=Fingerprints.from_json(meta["fingerprints"]),
        provider_asns=provider_asns,
        sources=sources,
        from_cache=from_cache,
        cache_key=cache_key,
    )
