"""Delta monitoring against a full re-screen, on the real UN snapshots: `python benchmarks/monitor_delta.py --rows N`.

A synthetic book of N rows (generated person and company names, plus planted names that the
2026-02-27 UN snapshot adds) is run once on the 2024-11-30 snapshot (a first run: whole book),
then the 2026 snapshot is imported and the book run again (the delta run). The same book is then
imported under another name and run whole against the 2026 lists (the full re-screen). Prints the
times, the speed-up and whether the delta run found every planted name the full run found.
Uses its own REDLINE_HOME under a temporary folder."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GIVEN = ["Maria", "John", "Wei", "Olga", "Ahmed", "Priya", "Lukas", "Sofia", "Kenji", "Amara", "Diego", "Hana",
         "Ivan", "Fatima", "Noah", "Elena", "Omar", "Chen", "Lea", "Tomas", "Ingrid", "Rahul", "Mei", "Pedro"]
FAMILY = ["Gonzalez", "Smith", "Zhang", "Petrova", "Haddad", "Sharma", "Becker", "Rossi", "Tanaka", "Okafor",
          "Silva", "Novak", "Larsen", "Kowalski", "Moreau", "Jansen", "Costa", "Nguyen", "Fischer", "Ortega"]
WORDS = ["Northwind", "Blue", "Harbor", "Granite", "Silver", "Pine", "Summit", "Atlas", "Cedar", "Nova", "Orbit",
         "Lumen", "Vertex", "Maple", "Falcon", "Harvest", "Beacon", "Crescent", "Meridian", "Tidal"]
KINDS = ["Traders Ltd", "Logistics GmbH", "Foods SA", "Systems Inc", "Textiles Co", "Holdings BV", "Software AB"]
PLANTED = ["Fereidoun Abbasi-Davani", "Kempes Sanon", "Dimitri Herard", "Dawood Agha-Jani", "Azim Aghajani",
           "Ali Akbar Ahmadian"]
PLANTED_ORGS = ["Amin Industrial Complex", "Gran Grif", "Viv Ansansm", "7th of Tir"]


def book(path: Path, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("id,name,schema,country\n")
        for n in range(rows):
            if n % 2:
                out.write(f"r{n},{rnd.choice(GIVEN)} {rnd.choice(GIVEN)} {rnd.choice(FAMILY)},Person,\n")
            else:
                out.write(f"r{n},{rnd.choice(WORDS)} {rnd.choice(WORDS)} {rnd.choice(KINDS)},Company,\n")
        for i, name in enumerate(PLANTED):
            out.write(f"p{i},{name},Person,\n")
        for i, name in enumerate(PLANTED_ORGS):
            out.write(f"o{i},{name},Organization,\n")


def redline(*args: str) -> dict:
    exe = Path(sys.executable).with_name("redline")
    done = subprocess.run([str(exe), *args, "--json"], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    lists = Path(os.environ.get("REDLINE_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")) / "lists" / "un_sc"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REDLINE_HOME"] = tmp
        path = Path(tmp) / "book.csv"
        book(path, args.rows)
        redline("parties", "import", str(lists / "2024-11-30"))
        t = time.perf_counter()
        redline("parties", "book", "import", str(path), "--book", "b")
        import_s = time.perf_counter() - t
        first = redline("monitor", "run", "--book", "b")
        redline("parties", "import", str(lists / "2026-02-27"))
        delta = redline("monitor", "run", "--book", "b")
        redline("parties", "book", "import", str(path), "--book", "full")
        full = redline("monitor", "run", "--book", "full")
    planted = {a["book_id"] for a in full["alerts"] if a["book_id"][0] in "po"}
    found = {a["book_id"] for a in delta["alerts"] if a["book_id"][0] in "po"}
    d, f = delta["books"][0], full["books"][0]
    print(json.dumps({
        "rows": args.rows + len(PLANTED) + len(PLANTED_ORGS), "import_s": round(import_s, 2),
        "first_run_s": first["books"][0]["seconds"], "delta_run_s": d["seconds"], "full_rescreen_s": f["seconds"],
        "speedup": round(f["seconds"] / d["seconds"], 1), "delta_rows_screened": d["rows_screened_for_delta"],
        "listings_added": d["listings"]["added"], "listings_changed": d["listings"]["changed"],
        "planted_alerts_full": len(planted), "planted_alerts_delta": len(found), "missed": sorted(planted - found),
        "delta_alerts": len(delta["alerts"]), "full_alerts": len(full["alerts"]),
    }, indent=2))


if __name__ == "__main__":
    main()
