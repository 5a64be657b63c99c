"""Dispositions of screening hits: the review queue, decisions with reasons, four-eyes (docs/review.md)."""

from redline.review.core import (
    DECISIONS,
    ItemNotFound,
    ReviewProblem,
    decide,
    get_item,
    list_items,
    record_screening,
)

__all__ = ["DECISIONS", "ItemNotFound", "ReviewProblem", "decide", "get_item", "list_items", "record_screening"]
