"""What the workbench tests share (not a conftest, so that test modules import it by a name of
its own): a store with a real list (the US DoD 1260H list) and the hand-written UK sanctions fixture
imported, and workbench keys: two analysts and a reader of no organisation, an analyst of "acme"
and one of "other". Shared by the tests of a module."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redline import keys
from redline.config import Settings
from redline.context import Context, set_context

FIXTURE_LISTS = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
KEYS = {"ana": ("analyst", None), "bea": ("analyst", None), "rita": ("reader", None), "cur": ("curator", None),
        "acme-ana": ("analyst", "acme"), "other-ana": ("analyst", "other")}
REAL_HIT = "Hangzhou Hikvision Digital Technology"  # on the 1260H list, owned by a listed group
SANCTIONED = "Beijing Testsec Surveillance Technology Co., Ltd"  # invented, in the UK fixture: four-eyes


@dataclass
class Bench:
    home: Path
    context: Context
    keys: dict[str, str]  # name -> secret

    def bearer(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[name]}"}


def make_bench(home: Path, data_dir: Path) -> Bench:
    from redline.parties import api as parties
    from redline.parties.snapshots import import_paths

    settings = Settings(home=home, data_dir=data_dir, db_url=f"sqlite:///{home / 'redline.db'}", user="tester")
    context = Context(settings)
    results, _ = import_paths(context.store, [data_dir / "lists" / "us_dod_1260h", FIXTURE_LISTS / "uk_fcdo"])
    assert results and all(r.status == "imported" for r in results), results
    secrets = {name: keys.create_key(context.store, context.ledger, name, role, org=org)["key"]
               for name, (role, org) in KEYS.items()}
    set_context(context)
    parties.get_screener()  # writes the screener cache, which a served process loads instead of building
    return Bench(home, context, secrets)


def upload_for_review(context: Context, data_dir: Path, account: str = "acct-7") -> dict:
    """A real upload held for review: a bank with the PDQ hash of a photo and a label no policy rule
    names (so the default policy's action is review), then a slightly blurred copy matched and acted on."""
    from redline.media import banks, hashing
    from redline.media.actions import Enforcement
    from redline.media.matcher import Matcher

    pictures = data_dir / "media" / "pdq"
    original = hashing.pdq_of_image(hashing.open_image(pictures / "dih" / "bridge-1-original.jpg"))
    if not any(b.name == "ui-test-bank" for b in banks.list_banks(context.store)):
        banks.create_bank(context.store, "ui-test-bank", labels=["x-held-for-review"], actor="tester", ledger=context.ledger)
        banks.add_signals(context.store, "ui-test-bank", [banks.SignalRecord("pdq", original.hex, content_id="bridge-1")],
                          actor="tester", ledger=context.ledger)
    upload = (pictures / "bridge-mods" / "blur-a-little.jpg").resolve()
    found = Matcher(context).match_file(upload, record=False)
    assert found.matches, found
    acted = Enforcement(context.store, context.ledger, "uploads").act(str(upload), account, found.matches)
    assert acted["action"] == "review" and acted["review_id"], acted
    return acted
