"""Manager analytics: pipeline review, forecast and its backtest, rep KPIs, deal risks, 1:1 briefs.

Every figure is computed in SQL here; tools/analytics_tools.py exposes them to the agent.
"""
