"""Reference data for attribution: IP ranges, hostname patterns, fingerprints, provider registry."""

from redline.infra.reference.loader import ReferenceData, load_reference

__all__ = ["ReferenceData", "load_reference"]
