"""A JSON response encoded with orjson (FastAPI's own ORJSONResponse is deprecated)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


def encode(content: Any) -> bytes:
    return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS, default=str)


class Json(JSONResponse):
    def render(self, content: Any) -> bytes:
        return encode(content)
