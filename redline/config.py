"""Settings from the environment.

REDLINE_HOME   state: the SQLite store, caches (default ~/.redline)
REDLINE_DATA   reference data (default ../shared/data beside the project, when it exists)
REDLINE_DB     store URL (default sqlite:///$REDLINE_HOME/redline.db); postgresql+psycopg://… for a server
REDLINE_USER   who runs commands, as written to the audit ledger (default: the login name)
REDLINE_LEDGER_KEY  the Ed25519 key that signs ledger checkpoints (default $REDLINE_HOME/keys/ledger-ed25519.pem)
REDLINE_PDQ_IVF_FROM  PDQ hashes from which the media index turns approximate (faiss IVF; unset: always exact)
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    home: Path
    data_dir: Path | None
    db_url: str
    user: str

    @cached_property
    def cache_dir(self) -> Path:
        path = self.home / "cache"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def ledger_key(self) -> Path:
        """Kept outside the database, so that whoever can write the store cannot forge checkpoints."""
        configured = os.environ.get("REDLINE_LEDGER_KEY")
        return Path(configured).expanduser() if configured else self.home / "keys" / "ledger-ed25519.pem"

    def data(self, *parts: str) -> Path:
        """A path under REDLINE_DATA; a clear error when no reference data is configured."""
        if self.data_dir is None:
            raise ConfigError(
                "no reference data: set REDLINE_DATA to the folder that holds lists/, countries/, infra/, media/"
            )
        return self.data_dir.joinpath(*parts)


def _default_data_dir() -> Path | None:
    for candidate in (PROJECT_ROOT.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    return None


def load_settings() -> Settings:
    home = Path(os.environ.get("REDLINE_HOME") or Path.home() / ".redline").expanduser()
    home.mkdir(parents=True, exist_ok=True)
    data_env = os.environ.get("REDLINE_DATA")
    data_dir = Path(data_env).expanduser() if data_env else _default_data_dir()
    db_url = os.environ.get("REDLINE_DB") or f"sqlite:///{home / 'redline.db'}"
    user = os.environ.get("REDLINE_USER") or _login_name()
    return Settings(home=home, data_dir=data_dir, db_url=db_url, user=user)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
