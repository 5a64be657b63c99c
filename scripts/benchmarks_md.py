"""Regenerate BENCHMARKS.md from the per-domain pages under docs/ (run: make benchmarks-md)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("Parties", "docs/benchmarks-parties.md"),
    ("Parties: screen-file at scale", "docs/benchmarks-parties-batch.md"),
    ("Media: hashing, index, robustness", "docs/benchmarks-media.md"),
    ("Media: livestreams", "docs/benchmarks-media-live.md"),
    ("Infrastructure", "docs/benchmarks-infra.md"),
    ("Service (HTTP API)", "docs/benchmarks-api.md"),
    ("Monitoring and scale-out", "docs/benchmarks-monitor.md"),
    ("Exchanges (hash sharing between installations)", "docs/benchmarks-exchange.md"),
]
HEADER = """# Benchmarks

Every figure comes from a script under `benchmarks/` that runs its baseline in the same run. The machine has 2 cores shared with other work while these ran, so absolute timings are noisy; ratios from one run are what to compare. Each section names its command.
"""


def _demoted(lines: list[str]) -> list[str]:
    """Each page's headings one level down, under its section (code blocks left alone)."""
    out, fenced = [], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if line.startswith("#") and not fenced else line)
    return out


def main() -> None:
    parts = [HEADER]
    for title, page in SECTIONS:
        lines = (ROOT / page).read_text(encoding="utf-8").splitlines()
        body = "\n".join(_demoted(lines[1:] if lines and lines[0].startswith("# ") else lines)).strip()
        parts.append(f"\n## {title}\n\n_(from [{page}]({page}))_\n\n{body}\n")
    (ROOT / "BENCHMARKS.md").write_text("".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
