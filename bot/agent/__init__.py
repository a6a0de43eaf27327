"""The agent: model choice, the offline planner and the answer; imports LangChain, never Slack."""
