"""`python -m bot` runs the same CLI as the `salesbot` console script."""

from bot.cli.app import app

app()
