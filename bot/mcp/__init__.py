"""The agent's tools over the Model Context Protocol (official `mcp` SDK): `catalog` turns the
LangChain tools into MCP tools, `auth` resolves a personal token to a principal, `server` is the
MCP server, `stdio` runs it for `salesbot mcp`, `http` mounts it at /mcp in `salesbot serve`."""
