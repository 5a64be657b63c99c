"""Country-level human-rights indicators from REDLINE_DATA/countries, each load a cited snapshot.

Sources (see countries/PROVENANCE.md): Freedom House Freedom on the Net 2024 and Freedom in the
World 2013-2024, V-Dem indices 2000-2024 (subset), Carnegie AI Global Surveillance Index 2022
(subset). Values are read "as of" an application date: the latest edition or year published by
then. A value that is absent stays absent (None), never a default.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from redline.licensing.territories import iso2_for_name
from redline.store.snapshots import file_sha256


@dataclass(frozen=True)
class DatasetSpec:
    key: str
    source: str
    publisher: str
    relpath: str
    licence: str


DATASETS: tuple[DatasetSpec, ...] = (
    DatasetSpec("fotn", "Freedom on the Net", "Freedom House", "countries/fotn/freedom_on_the_net_2024.csv",
                "Freedom House terms of use; attribution required"),
    DatasetSpec("fiw", "Freedom in the World", "Freedom House", "countries/fiw/freedom_in_the_world_2013_2024.csv",
                "Freedom House terms of use; attribution required"),
    DatasetSpec("vdem", "V-Dem democracy indices (subset, v15)", "V-Dem Institute",
                "countries/vdem/vdem_democracy_indices_2000_2024_subset.csv", "CC BY-SA 4.0"),
    DatasetSpec("aigs", "AI Global Surveillance Index 2022 (cleaned subset)", "Carnegie Endowment (S. Feldstein)",
                "countries/aigs/aigs2022_cleaned_subset.csv", "CC BY 4.0"),
)


@dataclass(frozen=True)
class Snapshot:
    id: str
    source: str
    publisher: str
    path: str
    sha256: str
    rows: int
    countries: int
    licence: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "source": self.source, "publisher": self.publisher, "path": self.path,
            "sha256": self.sha256, "counts": {"rows": self.rows, "countries": self.countries},
            "licence": self.licence,
        }


@dataclass(frozen=True)
class Indicator:
    """One cited number: which source, which edition, which value."""

    name: str
    value: Any
    source: str
    edition: str
    field: str
    snapshot: str

    def to_evidence(self, country: str) -> dict[str, Any]:
        return {
            "kind": "destination_indicator",
            "source": f"{self.source}, {self.edition}",
            "snapshot": self.snapshot,
            "detail": {"country": country, "indicator": self.name, "field": self.field, "value": self.value,
                       "edition": self.edition},
        }


@dataclass
class CountryData:
    snapshots: dict[str, Snapshot]
    # dataset key -> iso2 -> list of (edition year, row)
    rows: dict[str, dict[str, list[tuple[int, dict[str, str]]]]] = field(default_factory=dict)

    def indicators(self, iso2: str, as_of: date) -> dict[str, Indicator | None]:
        """Every indicator for `iso2` as of `as_of`; None where the data has no value."""
        code = iso2.upper()
        out: dict[str, Indicator | None] = {}
        fotn = self._latest("fotn", code, as_of.year)
        out["fotn_status"] = self._ind("fotn", "fotn_status", fotn, "status", str)
        out["fotn_total"] = self._ind("fotn", "fotn_total", fotn, "total", int)
        fiw = self._latest("fiw", code, as_of.year)
        out["fiw_status"] = self._ind("fiw", "fiw_status", fiw, "status", str)
        out["fiw_total"] = self._ind("fiw", "fiw_total", fiw, "Total", int)
        # V-Dem year Y is published in March of Y+1: the latest year before the application's year.
        vdem = self._latest("vdem", code, as_of.year - 1)
        out["vdem_libdem"] = self._ind("vdem", "vdem_libdem", vdem, "v2x_libdem", float)
        out["vdem_polyarchy"] = self._ind("vdem", "vdem_polyarchy", vdem, "v2x_polyarchy", float)
        aigs = self._latest("aigs", code, as_of.year)
        out["aigs_total_tech"] = self._ind("aigs", "aigs_total_tech", aigs, "totalTech", int)
        out["aigs_gov_sm_monitoring"] = self._ind("aigs", "aigs_gov_sm_monitoring", aigs, "govSMSurv", float)
        out["aigs_facial_recognition"] = self._ind("aigs", "aigs_facial_recognition", aigs, "facialRec", _flag)
        return out

    def known(self, iso2: str) -> bool:
        return any(iso2.upper() in by_country for by_country in self.rows.values())

    def _latest(self, key: str, code: str, max_year: int) -> tuple[int, dict[str, str]] | None:
        editions = [e for e in self.rows.get(key, {}).get(code, []) if e[0] <= max_year]
        return max(editions, key=lambda e: e[0]) if editions else None

    def _ind(self, key: str, name: str, found: tuple[int, dict[str, str]] | None, column: str, cast: Any) -> Indicator | None:
        if found is None:
            return None
        year, row = found
        raw = (row.get(column) or "").strip()
        if raw in {"", "N/A", "NA", "-"}:
            return None
        try:
            value = cast(raw)
        except ValueError:
            return None
        if value is None:
            return None
        snap = self.snapshots[key]
        edition = {"fotn": f"FOTN {year}", "fiw": f"FIW {year} edition", "vdem": f"V-Dem year {year}",
                   "aigs": "AIGS 2022"}[key]
        return Indicator(name, value, f"{snap.publisher}, {snap.source}", edition, column, snap.id)


def _flag(raw: str) -> bool | None:
    return {"x": True, "N": False}.get(raw)



def _read(spec: DatasetSpec, path: Path) -> dict[str, list[tuple[int, dict[str, str]]]]:
    by_country: dict[str, list[tuple[int, dict[str, str]]]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if spec.key == "vdem":
                code, year = iso2_for_alpha3(row["country_text_id"]), int(row["year"])
            elif spec.key == "aigs":
                code, year = iso2_for_name(row["Country"]), 2022
            else:
                code = (row.get("iso2") or "").strip().upper() or iso2_for_name(row["country"])
                year = int(row["edition"])
            if code:
                by_country.setdefault(code, []).append((year, row))
    return by_country


def iso2_for_alpha3(alpha3: str) -> str | None:
    from redline.licensing.territories import iso2_for_alpha3 as lookup

    return lookup(alpha3)


def load_country_data(data_dir: Path) -> CountryData:
    """Read every country dataset under `data_dir`; cached per file content."""
    stamps = []
    for spec in DATASETS:
        path = data_dir / spec.relpath
        stamps.append((str(path), path.stat().st_mtime_ns if path.exists() else 0))
    return _load(tuple(stamps), str(data_dir))


@lru_cache(maxsize=4)
def _load(stamps: tuple[tuple[str, int], ...], data_dir: str) -> CountryData:
    snapshots: dict[str, Snapshot] = {}
    rows: dict[str, dict[str, list[tuple[int, dict[str, str]]]]] = {}
    for spec in DATASETS:
        path = Path(data_dir) / spec.relpath
        if not path.exists():
            continue  # missing dataset: its indicators are absent (unknown), never low
        by_country = _read(spec, path)
        sha = file_sha256(path)
        snapshots[spec.key] = Snapshot(
            id=f"countries/{spec.key}@{sha[:12]}", source=spec.source, publisher=spec.publisher,
            path=spec.relpath, sha256=sha, rows=sum(len(v) for v in by_country.values()),
            countries=len(by_country), licence=spec.licence,
        )
        rows[spec.key] = by_country
    return CountryData(snapshots=snapshots, rows=rows)
