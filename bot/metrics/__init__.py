"""What an operator watches: Prometheus metrics (`registry`), one JSON log line per answer and
per delivery (`events`), the correlation id users see (`correlation`), and the hooks that feed
them from Slack's client (`slack_client`), the LLM (`llm`) and tools/ (`sinks`)."""
