"""Restricted-party lists and screening."""
