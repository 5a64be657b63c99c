"""Redline: screen technology trade and online content against human-rights red lines."""

__version__ = "0.1.0"
