"""The adapters, by the name an exchange is configured with."""

from __future__ import annotations

from redline.exchange.adapters.base import Adapter
from redline.exchange.adapters.filedrop import FileDropAdapter
from redline.exchange.adapters.redline import RedlineAdapter
from redline.exchange.adapters.tat import TatAdapter
from redline.exchange.adapters.threatexchange import ThreatExchangeAdapter

ADAPTERS: dict[str, type[Adapter]] = {a.name: a for a in (RedlineAdapter, ThreatExchangeAdapter, TatAdapter, FileDropAdapter)}
