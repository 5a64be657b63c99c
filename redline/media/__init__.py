"""Content signatures: hashing, banks, index, livestreams, provenance (C2PA), actions."""
