"""Onboarding a team without SQL: users, managers, quotas, Slack links and book reassignment."""
