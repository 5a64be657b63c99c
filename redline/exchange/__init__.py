"""Exchanges: configured sources and destinations of shared signals (Hasher-Matcher-Actioner's concept).

An exchange has an adapter (a peer Redline installation, a ThreatExchange privacy group, the Tech
Against Terrorism hash list, a folder of hash files), its own bank, a checkpoint, credentials kept
outside the database's plain columns, and a fetch status. See docs/exchange.md."""
