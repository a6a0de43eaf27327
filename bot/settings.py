"""Configuration: one Settings class, read once in the entry point, mirrored by .env.example."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Every setting salesbot reads, from the environment or a `.env` file."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    database_url: str = Field("sqlite:///data/salesbot.db", alias="DATABASE_URL")
    chroma_path: str = Field("data/chroma", alias="CHROMA_PATH")
    chroma_host: str | None = Field(None, alias="CHROMA_HOST")
    chroma_port: int = Field(8000, alias="CHROMA_PORT", ge=1, le=65535)
    chroma_ssl: bool = Field(False, alias="CHROMA_SSL")
    chroma_auth_token: str | None = Field(None, alias="CHROMA_AUTH_TOKEN")
    chroma_auth_header: str = Field("Authorization", alias="CHROMA_AUTH_HEADER")
    embeddings: Literal["local", "openai"] = Field("local", alias="EMBEDDINGS")
    embedding_cache_dir: str = Field("data/models", alias="EMBEDDING_CACHE_DIR")
    openai_api_key: str | None = Field(None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4o-mini", alias="OPENAI_MODEL")
    openai_embedding_model: str = Field("text-embedding-3-small", alias="OPENAI_EMBEDDING_MODEL")
    llm_timeout_seconds: float = Field(30.0, alias="LLM_TIMEOUT_SECONDS")
    llm_max_retries: int = Field(2, alias="LLM_MAX_RETRIES")
    llm_deadline_seconds: float = Field(60.0, alias="LLM_DEADLINE_SECONDS", gt=0)
    agent_max_steps: int = Field(8, alias="AGENT_MAX_STEPS")
    agent_timeout_seconds: float = Field(60.0, alias="AGENT_TIMEOUT_SECONDS")
    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    slack_app_id: str | None = Field(None, alias="SLACK_APP_ID")
    slack_allow_guests: bool = Field(False, alias="SLACK_ALLOW_GUESTS")
    slack_workers: int = Field(8, alias="SLACK_WORKERS")
    slack_queue_limit: int = Field(200, alias="SLACK_QUEUE_LIMIT", gt=0)
    shutdown_grace_seconds: float = Field(30.0, alias="SHUTDOWN_GRACE_SECONDS", ge=0)
    db_pool_size: int = Field(5, alias="DB_POOL_SIZE", gt=0)
    db_max_overflow: int = Field(10, alias="DB_MAX_OVERFLOW", ge=0)
    db_pool_recycle_seconds: int = Field(1800, alias="DB_POOL_RECYCLE_SECONDS")
    port: int = Field(3000, alias="PORT", ge=0, le=65535)
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    log_content: bool = Field(False, alias="LOG_CONTENT")
    salesbot_token: str | None = Field(None, alias="SALESBOT_TOKEN")
    nudge_time: str = Field("08:30", alias="NUDGE_TIME", pattern=_HHMM)
    nudge_cutoff: str = Field("12:00", alias="NUDGE_CUTOFF", pattern=_HHMM)
    nudge_send_rate: float = Field(1.0, alias="NUDGE_SEND_RATE", gt=0)
    nudge_lease_seconds: int = Field(300, alias="NUDGE_LEASE_SECONDS", gt=0)
    scheduler_enabled: bool = Field(True, alias="SCHEDULER_ENABLED")
    reporting_currency: str = Field("USD", alias="REPORTING_CURRENCY")
    # A large scope's slow analytics answer (an admin's deal risks at a million deals) is kept
    # and read back for this long, refreshed in the background; 0 computes everything live.
    analytics_snapshot_minutes: float = Field(15.0, alias="ANALYTICS_SNAPSHOT_MINUTES", ge=0)
    # Answer as of this day (YYYY-MM-DD) from the data known then (tools/as_of.py); empty: today.
    as_of: date | None = Field(None, alias="SALESBOT_AS_OF")

    @field_validator("as_of", mode="before")
    @classmethod
    def _blank_is_today(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    imap_host: str | None = Field(None, alias="IMAP_HOST")
    imap_port: int = Field(993, alias="IMAP_PORT", ge=1, le=65535)
    imap_ssl: bool = Field(True, alias="IMAP_SSL")
    imap_user: str | None = Field(None, alias="IMAP_USER")
    imap_password: str | None = Field(None, alias="IMAP_PASSWORD")
    imap_folder: str = Field("INBOX", alias="IMAP_FOLDER")
    stripe_api_key: str | None = Field(None, alias="STRIPE_API_KEY")
    stripe_api_base: str | None = Field(None, alias="STRIPE_API_BASE")

    @field_validator("reporting_currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        code = value.strip().upper()
        if not (len(code) == 3 and code.isascii() and code.isalpha()):
            raise ValueError("is not a three-letter currency code such as USD or EUR")
        return code

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"is not a log level: use one of {', '.join(LOG_LEVELS)}")
        return level

    @property
    def llm_configured(self) -> bool:
        """An LLM is used when a key or an OpenAI-compatible base URL is set."""
        return bool(self.openai_api_key or self.openai_base_url)
