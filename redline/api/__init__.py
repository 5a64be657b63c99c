"""Redline as an HTTP service: yente-compatible screening, HMA-compatible media, and /v1 routes.

`create_app(context)` builds the FastAPI app over a Context; `redline serve` runs it on uvicorn."""

from redline.api.app import create_app

__all__ = ["create_app"]
