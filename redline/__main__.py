"""`python -m redline`: the same command as `redline`."""

from redline.cli import app

app(prog_name="redline")
