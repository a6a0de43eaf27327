"""The export formats we read: which header columns feed which field, per file kind.

Each spec lists, for every field, the header names it accepts (the first is the documented
one). Headers are compared case- and punctuation-insensitively, so `Owner.Email`, `owner email`
and `OWNER_EMAIL` are the same column. A file's kind is the spec whose required fields all
have a column; the most specific one wins.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Source(enum.StrEnum):
    HUBSPOT = "hubspot"
    SALESFORCE = "salesforce"
    CSV = "csv"
    STRIPE = "stripe"  # billing exports: tools/billing/, not the CRM importer


class Entity(enum.StrEnum):
    ACCOUNT = "account"
    CONTACT = "contact"
    DEAL = "deal"
    ACTIVITY = "activity"
    TASK = "task"
    OWNER = "owner"  # a Salesforce User export: read to match OwnerId to emails, never imported


# Apply order: a record's references are written before it.
ENTITY_ORDER = (Entity.ACCOUNT, Entity.CONTACT, Entity.DEAL, Entity.ACTIVITY, Entity.TASK)


def norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


@dataclass(frozen=True)
class FileSpec:
    source: Source
    kind: str  # what the file is, in the source's words ("Opportunity", "deals")
    entity: Entity  # what its rows become (activity files may also yield tasks)
    required: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]

    def column_map(self, headers: list[str]) -> dict[str, int]:
        """Field -> index of the first header that names it."""
        positions = {norm(h): i for i, h in reversed(list(enumerate(headers)))}
        found: dict[str, int] = {}
        for field, aliases in self.columns.items():
            for alias in aliases:
                if norm(alias) in positions:
                    found[field] = positions[norm(alias)]
                    break
        return found

    def matches(self, headers: list[str]) -> bool:
        return set(self.required) <= set(self.column_map(headers))

    def known(self) -> frozenset[str]:
        """Every column this kind of file is known to have: the ones read, and its signature."""
        aliases = {norm(a) for names in self.columns.values() for a in names}
        return frozenset(aliases | {norm(c) for c in SIGNATURES.get((self.source, self.kind), ())})

    def score(self, headers: list[str]) -> int:
        """How many of the file's columns this kind knows: the best match of all its columns."""
        return len(self.known() & {norm(h) for h in headers})


def _spec(source: Source, label: str, entity: Entity, required: str, /, **columns: str) -> FileSpec:
    cols = {field: tuple(a.strip() for a in names.split("|")) for field, names in columns.items()}
    return FileSpec(source, label, entity, tuple(required.split()), cols)


H, SF, CSV = Source.HUBSPOT, Source.SALESFORCE, Source.CSV

# fmt: off
SPECS: tuple[FileSpec, ...] = (
    # HubSpot: CRM > (object) > Export, "all properties" or the default columns.
    _spec(
        H, "companies", Entity.ACCOUNT, "id name",
        id="Record ID|Company ID|hs_object_id",
        name="Company name|Name",
        industry="Industry",
        owner="Company owner|HubSpot owner|Owner",
        created_at="Create Date|Created Date|createdate",
    ),
    _spec(
        H, "contacts", Entity.CONTACT, "id email first_name",
        id="Record ID|Contact ID|hs_object_id",
        first_name="First Name|firstname",
        last_name="Last Name|lastname",
        email="Email",
        title="Job Title|jobtitle",
        account="Associated Company IDs (Primary)|Associated Company IDs|Associated Company ID"
        "|Company ID|associatedcompanyid",
        account_name="Associated Company|Company Name",
    ),
    _spec(
        H, "deals", Entity.DEAL, "id name stage",
        id="Record ID|Deal ID|hs_object_id",
        name="Deal Name|dealname",
        stage="Deal Stage|dealstage",
        amount="Amount",
        currency="Currency|Deal currency code|Currency code",
        close_date="Close Date|closedate",
        owner="Deal owner|HubSpot owner|Owner",
        created_at="Create Date|Created Date|createdate",
        next_step="Next step|hs_next_step",
        account="Associated Company IDs (Primary)|Associated Company IDs|Associated Company ID"
        "|Company ID",
        account_name="Associated Company|Associated Company (Primary)|Company name",
    ),
    _spec(
        H, "activities", Entity.ACTIVITY, "id kind occurred_at",
        id="Record ID|Activity ID|Engagement ID|hs_object_id",
        kind="Activity type|Engagement type|Type|hs_engagement_type",
        occurred_at="Activity date|Timestamp|hs_timestamp|Create Date",
        subject="Subject|Activity title|Call title|Meeting name|Email subject|Task title",
        body="Body|Activity body|Call notes|Note body|Meeting description|Email body|Notes"
        "|Task notes",
        owner="Activity assigned to|Assigned to|Activity owner|HubSpot owner|Created by",
        account="Associated Company IDs|Associated Company ID|Company ID",
        deal="Associated Deal IDs|Associated Deal ID|Deal ID",
        contact="Associated Contact IDs|Associated Contact ID|Contact ID",
        status="Task status|Status",
        due_date="Due date|Task due date",
    ),
    # Salesforce: Setup > Data Export, or Data Loader; API field names.
    _spec(
        SF, "Account", Entity.ACCOUNT, "id name",
        id="Id",
        name="Name",
        industry="Industry",
        owner="Owner.Email|Owner Email|OwnerId",
        created_at="CreatedDate",
    ),
    _spec(
        SF, "Contact", Entity.CONTACT, "id account last_name",
        id="Id",
        account="AccountId",
        first_name="FirstName",
        last_name="LastName",
        email="Email",
        title="Title",
    ),
    _spec(
        SF, "Opportunity", Entity.DEAL, "id name stage close_date",
        id="Id",
        name="Name",
        account="AccountId",
        stage="StageName",
        amount="Amount",
        currency="CurrencyIsoCode",
        close_date="CloseDate",
        owner="Owner.Email|Owner Email|OwnerId",
        created_at="CreatedDate",
        next_step="NextStep",
        is_closed="IsClosed",
        is_won="IsWon",
    ),
    _spec(
        SF, "Task", Entity.ACTIVITY, "id subject status",
        id="Id",
        subject="Subject",
        body="Description",
        status="Status",
        is_closed="IsClosed",
        subtype="TaskSubtype",
        type="Type",
        due_date="ActivityDate",
        occurred_at="CompletedDateTime|ActivityDate|CreatedDate",
        created_at="CreatedDate",
        owner="Owner.Email|Owner Email|OwnerId",
        account="AccountId",
        what="WhatId",
        contact="WhoId",
    ),
    _spec(
        SF, "Event", Entity.ACTIVITY, "id subject occurred_at",
        id="Id",
        subject="Subject",
        body="Description",
        occurred_at="StartDateTime|ActivityDateTime",
        owner="Owner.Email|Owner Email|OwnerId",
        account="AccountId",
        what="WhatId",
        contact="WhoId",
    ),
    _spec(
        SF, "User", Entity.OWNER, "id email username",
        id="Id",
        email="Email",
        username="Username",
    ),
    # Our own generic format: one file per record type, lower_snake_case headers.
    _spec(
        CSV, "accounts", Entity.ACCOUNT, "id name",
        id="account_id",
        name="name",
        industry="industry",
        owner="owner_email",
        created_at="created_at",
    ),
    _spec(
        CSV, "contacts", Entity.CONTACT, "id account name",
        id="contact_id",
        account="account_id",
        name="name",
        email="email",
        title="title",
    ),
    _spec(
        CSV, "deals", Entity.DEAL, "id account name stage close_date",
        id="deal_id",
        account="account_id",
        name="name",
        owner="owner_email",
        stage="stage",
        amount="amount",
        currency="currency",
        close_date="close_date",
        created_at="created_at",
        next_step="next_step",
    ),
    _spec(
        CSV, "activities", Entity.ACTIVITY, "id kind occurred_at subject",
        id="activity_id",
        account="account_id",
        deal="deal_id",
        contact="contact_id",
        owner="owner_email",
        kind="kind",
        occurred_at="occurred_at",
        subject="subject",
        body="body",
    ),
    _spec(
        CSV, "tasks", Entity.TASK, "id owner title",
        id="task_id",
        owner="owner_email",
        deal="deal_id",
        title="title",
        due_date="due_date",
        completed_at="completed_at",
        created_at="created_at",
    ),
)
# fmt: on


def specs_for(source: Source) -> tuple[FileSpec, ...]:
    return tuple(s for s in SPECS if s.source == source)


def detect(source: Source, headers: list[str]) -> FileSpec | None:
    """The spec this header belongs to: every required field found, and of those the one that
    knows most of the file's columns (a full Salesforce User.csv also has AccountId and
    LastName, yet is no Contact file); then the most specific."""
    fitting = [s for s in specs_for(source) if s.matches(headers)]
    if not fitting:
        return None
    return max(fitting, key=lambda s: (s.score(headers), len(s.required)))


# Columns that mark a Salesforce object's export beyond the ones salesbot reads (API names).
SIGNATURES: dict[tuple[Source, str], tuple[str, ...]] = {
    (Source.SALESFORCE, "User"): tuple(
        [
            "Username",
            "Alias",
            "CommunityNickname",
            "TimeZoneSidKey",
            "LocaleSidKey",
            "EmailEncodingKey",
            "ProfileId",
            "UserRoleId",
            "LanguageLocaleKey",
            "IsActive",
            "ManagerId",
            "UserType",
            "FederationIdentifier",
            "CallCenterId",
            "DelegatedApproverId",
            "LastLoginDate",
            "ReceivesInfoEmails",
            "DefaultCurrencyIsoCode",
            "EmployeeNumber",
            "CompanyName",
        ]
    ),
    (Source.SALESFORCE, "Contact"): tuple(
        [
            "Salutation",
            "MailingStreet",
            "MailingCity",
            "MailingState",
            "MailingPostalCode",
            "MailingCountry",
            "ReportsToId",
            "LeadSource",
            "Birthdate",
            "MobilePhone",
            "HomePhone",
            "OtherStreet",
            "AssistantName",
            "EmailBouncedReason",
            "HasOptedOutOfEmail",
            "DoNotCall",
        ]
    ),
    (Source.SALESFORCE, "Account"): tuple(
        [
            "Type",
            "ParentId",
            "BillingStreet",
            "BillingCity",
            "BillingCountry",
            "ShippingStreet",
            "Website",
            "NumberOfEmployees",
            "AnnualRevenue",
            "AccountSource",
            "Phone",
            "AccountNumber",
        ]
    ),
    (Source.SALESFORCE, "Opportunity"): tuple(
        [
            "Probability",
            "ExpectedRevenue",
            "ForecastCategory",
            "ForecastCategoryName",
            "LeadSource",
            "CampaignId",
            "Type",
            "FiscalQuarter",
            "FiscalYear",
            "Fiscal",
            "HasOpportunityLineItem",
            "Pricebook2Id",
            "TotalOpportunityQuantity",
        ]
    ),
    (Source.SALESFORCE, "Task"): tuple(
        [
            "Priority",
            "WhoId",
            "WhatId",
            "TaskSubtype",
            "CallType",
            "CallDurationInSeconds",
            "IsHighPriority",
            "ReminderDateTime",
            "IsReminderSet",
        ]
    ),
    (Source.SALESFORCE, "Event"): tuple(
        [
            "StartDateTime",
            "EndDateTime",
            "DurationInMinutes",
            "Location",
            "IsAllDayEvent",
            "ShowAs",
            "EventSubtype",
        ]
    ),
}
