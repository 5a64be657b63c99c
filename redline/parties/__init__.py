"""Restricted-party lists and screening."""

from redline.native import guard

guard()
