"""`salesbot mcp`: the MCP server on stdin/stdout, for a client that starts it (Claude Desktop)."""

from __future__ import annotations

from typing import Any

import anyio
from mcp.server.stdio import stdio_server


def run_stdio(server: Any) -> None:
    """Serve one client until it closes stdin. stdout is the protocol: nothing else goes there."""

    async def main() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(main)
