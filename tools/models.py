"""The CRM schema: SQLAlchemy 2.0 typed ORM, identical on SQLite and PostgreSQL."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from tools.emails import normalize_email


class Base(DeclarativeBase):
    """Declarative base for every CRM table."""


class Role(enum.StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class Stage(enum.StrEnum):
    PROSPECTING = "prospecting"
    QUALIFICATION = "qualification"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    CLOSED_WON = "closed_won"
    CLOSED_LOST = "closed_lost"


OPEN_STAGES: tuple[Stage, ...] = (
    Stage.PROSPECTING,
    Stage.QUALIFICATION,
    Stage.PROPOSAL,
    Stage.NEGOTIATION,
)
CLOSED_STAGES: tuple[Stage, ...] = (Stage.CLOSED_WON, Stage.CLOSED_LOST)


class ActivityKind(enum.StrEnum):
    EMAIL = "email"
    CALL = "call"
    MEETING = "meeting"
    NOTE = "note"
    LINKEDIN = "linkedin"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings with a CHECK constraint: portable and readable in raw SQL.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def _email_key_default(context: DefaultExecutionContext) -> str:
    # Core and bulk inserts (the demo seed) give only `email`; the key is derived per row.
    return normalize_email(str(context.get_current_parameters()["email"]))


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    # normalize_email(email), kept in step by the validator below: the only column identity is
    # ever matched on (with ==). Unique, so one address can never name two users. Nullable in
    # the schema only because SQLite cannot add NOT NULL without rebuilding `users` (see
    # migration 0007); every insert fills it, and a NULL key would match nobody.
    email_key: Mapped[str] = mapped_column(
        String(255), unique=True, index=True, nullable=True, default=_email_key_default
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(
        _enum(Role, "user_role"), default=Role.REP, server_default=Role.REP.value
    )
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # False once deactivated (0011): no nudges, no questions; the book stays with the manager.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    # When Slack last confirmed (users.info) that slack_user_id still has this user's email.
    slack_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    manager: Mapped[User | None] = relationship(remote_side="User.id", back_populates="reports")
    reports: Mapped[list[User]] = relationship(back_populates="manager")

    @validates("email")
    def _keep_email_key(self, _key: str, email: str) -> str:
        self.email_key = normalize_email(email)
        return email


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)

    owner: Mapped[User | None] = relationship()
    contacts: Mapped[list[Contact]] = relationship(back_populates="account")
    deals: Mapped[list[Deal]] = relationship(back_populates="account")


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)

    account: Mapped[Account] = relationship(back_populates="contacts")


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (
        Index("ix_deals_owner_stage_close", "owner_id", "stage", "close_date"),
        # An admin's page and close-date ranges; pipeline and win-rate scans by stage (0006).
        Index("ix_deals_close_date_id", "close_date", "id"),
        Index("ix_deals_stage_close", "stage", "close_date"),
        # The currencies in use, read by skipping through it (tools/crm/currency.py; 0100).
        Index("ix_deals_currency", "currency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stage: Mapped[Stage] = mapped_column(_enum(Stage, "deal_stage"))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    close_date: Mapped[date] = mapped_column(Date)
    # None when the export had no create date (0011): such a deal is in no "new" figure.
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_step: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)

    account: Mapped[Account] = relationship(back_populates="deals")
    owner: Mapped[User] = relationship()
    stage_history: Mapped[list[DealStageHistory]] = relationship(
        back_populates="deal", order_by="DealStageHistory.changed_at"
    )


class DealStageHistory(Base):
    __tablename__ = "deal_stage_history"
    # Win rates and days-in-stage read the history from this index alone (0006).
    __table_args__ = (
        Index("ix_deal_stage_history_deal_stage", "deal_id", "to_stage", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    from_stage: Mapped[Stage | None] = mapped_column(_enum(Stage, "deal_stage_from"))
    to_stage: Mapped[Stage] = mapped_column(_enum(Stage, "deal_stage_to"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    deal: Mapped[Deal] = relationship(back_populates="stage_history")


class DealFieldHistory(Base):
    """Changes of close date, amount and next step, so slips and pushes can be computed."""

    __tablename__ = "deal_field_history"
    # The pipeline review's "slipped" and "pushed" read one field's changes since a date.
    __table_args__ = (Index("ix_deal_field_history_field_changed", "field", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_deal_occurred", "deal_id", "occurred_at"),
        Index("ix_activities_account_occurred", "account_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(_enum(ActivityKind, "activity_kind"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)

    account: Mapped[Account] = relationship()
    deal: Mapped[Deal | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    user: Mapped[User | None] = relationship()


class InteractionVector(Base):
    """An interaction's embedding as the search index holds it, kept beside the row as well:
    a rep's or manager's search reads its scope's vectors in the same statement that finds the
    scope, and ranks them exactly (tools/search/exact.py), whatever the store's size."""

    __tablename__ = "interaction_vectors"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(16), primary_key=True)  # the model's digest
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)

    owner: Mapped[User] = relationship()
    deal: Mapped[Deal | None] = relationship()


class Quota(Base):
    __tablename__ = "quotas"
    __table_args__ = (UniqueConstraint("user_id", "period_start", name="uq_quotas_user_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))


class CurrencyRate(Base):
    """One exchange rate: 1 `from_currency` is worth `rate` `to_currency`.

    `valid_from` is the first day a dated rate applies (Salesforce DatedConversionRate, or
    `salesbot currency set --from`); None is the undated rate (CurrencyType, or a plain `set`),
    used where no dated rate has begun. Conversion lives in tools/crm/currency.py.
    """

    __tablename__ = "currency_rates"
    __table_args__ = (
        Index("ix_currency_rates_pair_from", "from_currency", "to_currency", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_currency: Mapped[str] = mapped_column(String(3))
    to_currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(28, 12))
    valid_from: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(40))  # salesforce, csv, cli
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StageRateBaseline(Base):
    """The company-wide stage figures of one week, frozen when first computed.

    Every rep's and manager's win rates and stage-stay percentiles are their own history
    shrunk toward these, so another team's deals can only move them once a week, when the next
    week's row is written (tools/crm/baseline.py).
    """

    __tablename__ = "stage_rate_baselines"

    # The Monday the figures are for; they cover history before midnight UTC that day.
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    stage: Mapped[Stage] = mapped_column(_enum(Stage, "baseline_stage"), primary_key=True)
    reached: Mapped[int] = mapped_column(Integer)  # closed deals that passed through the stage
    won: Mapped[int] = mapped_column(Integer)
    win_rate: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    stays: Mapped[int] = mapped_column(Integer)  # finished stays in the stage counted
    p75_days: Mapped[int | None] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Meta(Base):
    """Small key/value facts about the database itself (e.g. which demo seed it holds)."""

    __tablename__ = "salesbot_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, object]] = mapped_column(JSON)


class ProcessedEvent(Base):
    """An inbound event already handled; the primary key makes a repeat delivery a no-op."""

    __tablename__ = "processed_events"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnsweredThread(Base):
    """A conversation thread the bot has answered in, so follow-ups need no new mention."""

    __tablename__ = "answered_threads"

    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DeliveryStatus(enum.StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


class AuditSurface(enum.StrEnum):
    SLACK = "slack"
    CLI = "cli"
    SCHEDULER = "scheduler"
    IMPORT = "import"


class WriteStatus(enum.StrEnum):
    PROPOSED = "proposed"
    APPLIED = "applied"
    CANCELLED = "cancelled"
    UNDONE = "undone"
    EXPIRED = "expired"


class PendingWrite(Base):
    """A change the model proposed and the user has not yet confirmed (or has, and may undo).

    The code writes only what is stored here, and only on a conditional status change, so a
    confirmation delivered twice applies once.
    """

    __tablename__ = "pending_writes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    before: Mapped[dict[str, object] | None] = mapped_column(JSON)
    result: Mapped[dict[str, object] | None] = mapped_column(JSON)
    status: Mapped[WriteStatus] = mapped_column(_enum(WriteStatus, "write_status"))
    surface: Mapped[AuditSurface] = mapped_column(_enum(AuditSurface, "write_surface"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undo_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    message_ts: Mapped[str | None] = mapped_column(String(32))


class NudgeSettings(Base):
    """A user's own nudge schedule; no row means the defaults (NUDGE_TIME, Monday to Friday)."""

    __tablename__ = "nudge_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    # "HH:MM" in the user's timezone; NULL follows the configured NUDGE_TIME.
    send_time: Mapped[str | None] = mapped_column(String(5))
    working_days: Mapped[str] = mapped_column(String(40), default="mon,tue,wed,thu,fri")
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NudgeDelivery(Base):
    """The ledger of scheduled messages: one row per user, local day and kind, claimed first."""

    __tablename__ = "nudge_deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date", "kind", name="uq_nudge_deliveries_key"),
        Index("ix_nudge_deliveries_local_date", "local_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    local_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[DeliveryStatus] = mapped_column(_enum(DeliveryStatus, "delivery_status"))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claim_token: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    items: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


class NudgeSnooze(Base):
    """An item a user asked not to see again before `until` (it comes back on that day)."""

    __tablename__ = "nudge_snoozes"
    __table_args__ = (UniqueConstraint("user_id", "item_key", name="uq_nudge_snoozes_user_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    item_key: Mapped[str] = mapped_column(String(255))
    until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    """Who changed what, from where, with the values before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, object] | None] = mapped_column(JSON)
    after: Mapped[dict[str, object] | None] = mapped_column(JSON)
    surface: Mapped[AuditSurface] = mapped_column(_enum(AuditSurface, "audit_surface"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The same request retried (a Slack button clicked twice) is written once.
    request_key: Mapped[str | None] = mapped_column(String(255), unique=True)


class ApiToken(Base):
    """A personal token an MCP client (or any API caller) acts as its user with.

    Only a SHA-256 of the token is stored; `prefix` (the first characters, not secret) lets the
    owner tell their tokens apart and revoke one. Every token expires.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CapturedMessage(Base):
    """An email, meeting or call already captured, by its key (Message-ID, event UID + start,
    or the transcript's hash): the primary key makes capturing it again a no-op."""

    __tablename__ = "captured_messages"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("capture_reviews.id"))
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaptureReview(Base):
    """A captured item no account could be matched to without guessing: it waits for a person."""

    __tablename__ = "capture_reviews"
    __table_args__ = (Index("ix_capture_reviews_status_by", "status", "captured_by_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActivityKind] = mapped_column(_enum(ActivityKind, "capture_review_kind"))
    captured_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    addresses: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, resolved, dismissed
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ImapSyncState(Base):
    """How far one mailbox folder has been captured: its UIDVALIDITY and the last UID seen."""

    __tablename__ = "imap_sync_state"

    mailbox: Mapped[str] = mapped_column(String(300), primary_key=True)  # user@host/folder
    # Both are 32-bit unsigned in IMAP: past PostgreSQL's INTEGER.
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BillingCustomer(Base):
    """A Stripe customer and the account it was matched to (NULL: unmatched, never guessed)."""

    __tablename__ = "billing_customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_id: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(200))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    matched_by: Mapped[str | None] = mapped_column(String(20))  # mapping, email or domain
    created: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Invoice(Base):
    """A Stripe invoice: `amount` due, `amount_paid` so far, in its own currency."""

    __tablename__ = "invoices"
    __table_args__ = (
        Index("ix_invoices_account_issued", "account_id", "issued"),
        Index("ix_invoices_status_due", "status", "due"),
        Index("ix_invoices_customer", "customer_stripe_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_id: Mapped[str] = mapped_column(String(64), unique=True)
    number: Mapped[str | None] = mapped_column(String(64))
    customer_stripe_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))  # draft, open, paid, void, uncollectible
    issued: Mapped[date] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    paid: Mapped[date | None] = mapped_column(Date)
    created: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Payment(Base):
    """Money received: one row per paid invoice (its charge id, else the invoice's)."""

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_account_paid", "account_id", "paid"),
        Index("ix_payments_customer", "customer_stripe_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_id: Mapped[str] = mapped_column(String(64), unique=True)
    invoice_stripe_id: Mapped[str | None] = mapped_column(String(64))
    customer_stripe_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    paid: Mapped[date] = mapped_column(Date)


class Subscription(Base):
    """A Stripe subscription: its monthly recurring revenue, renewal and cancellation."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        Index("ix_subscriptions_account", "account_id"),
        Index("ix_subscriptions_renewal", "renewal"),
        Index("ix_subscriptions_customer", "customer_stripe_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_id: Mapped[str] = mapped_column(String(64), unique=True)
    customer_stripe_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    plan: Mapped[str | None] = mapped_column(String(200))
    mrr: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))  # active, past_due, trialing, canceled...
    started: Mapped[date] = mapped_column(Date)
    renewal: Mapped[date | None] = mapped_column(Date)  # current period end
    cancel_at: Mapped[date | None] = mapped_column(Date)  # a cancellation scheduled
    canceled: Mapped[date | None] = mapped_column(Date)
    created: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SubscriptionChange(Base):
    """A subscription's MRR (or plan) as a later load found it changed: upgrades, added seats and
    downgrades, which Stripe's current-state exports would otherwise overwrite."""

    __tablename__ = "subscription_changes"
    __table_args__ = (
        Index("ix_subscription_changes_account_day", "account_id", "changed_on"),
        Index("ix_subscription_changes_subscription", "subscription_stripe_id", "changed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_stripe_id: Mapped[str] = mapped_column(String(64))
    customer_stripe_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    changed_on: Mapped[date] = mapped_column(Date)  # the day of the load that saw the change
    old_mrr: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    new_mrr: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    old_plan: Mapped[str | None] = mapped_column(String(200))
    new_plan: Mapped[str | None] = mapped_column(String(200))


class AnalyticsSnapshot(Base):
    """An analytics answer computed for a large scope (a whole company's deal risks, forecast,
    KPIs or pipeline review), kept so the next asker of the same scope and question reads it
    rather than waiting seconds to minutes; refreshed on a schedule
    (tools/analytics/precomputed.py)."""

    __tablename__ = "analytics_snapshots"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # tool, args, scope, day
    tool: Mapped[str] = mapped_column(String(40))
    args: Mapped[str] = mapped_column(Text)  # the call's arguments, JSON: a refresh repeats it
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    artifact: Mapped[str] = mapped_column(Text)  # tools/artifact_json.py
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    millis: Mapped[int] = mapped_column(Integer)  # how long computing it took
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A refresh in progress (by any instance) until then: the others leave it alone.
    refreshing_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
