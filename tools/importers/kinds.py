"""The registry of file kinds an export folder may hold, beyond the record files of specs.py.

Each kind names the columns it needs and the columns it is known to have; a file is the kind,
record spec included, that knows most of its columns (every required one present). Kinds are
added with `register_kind`, so a new file type is one registration, not a new branch.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tools.importers.specs import FileSpec, Source, detect, norm


class Role(enum.StrEnum):
    RECORDS = "records"  # accounts, contacts, deals, activities, tasks (specs.py)
    USERS = "users"  # people: salesbot users (tools/team)
    RATES = "rates"  # exchange rates (tools/currency_rates.py)
    STAGE_HISTORY = "stage history"  # deal stage changes as they happened
    FIELD_HISTORY = "field history"  # deal amount, close date, next step changes
    UNUSED = "unused"  # a known export file salesbot has no place for: listed as skipped


@dataclass(frozen=True)
class FolderKind:
    name: str
    sources: frozenset[Source]
    role: Role
    required: frozenset[str]
    known: frozenset[str]

    def fits(self, columns: set[str]) -> bool:
        return self.required <= columns

    def score(self, columns: set[str]) -> int:
        return len(self.known & columns)


_REGISTRY: list[FolderKind] = []


def register_kind(kind: FolderKind) -> FolderKind:
    _REGISTRY.append(kind)
    return kind


def kind(name: str, sources: str, role: Role, required: str, known: str = "") -> FolderKind:
    """Register a kind; columns are API or header names, compared like specs.py's."""
    need = frozenset(norm(c) for c in required.split("|"))
    return register_kind(
        FolderKind(
            name,
            frozenset(Source(s) for s in sources.split()),
            role,
            need,
            need | frozenset(norm(c) for c in known.split("|") if c),
        )
    )


@dataclass(frozen=True)
class Classified:
    kind: FolderKind | None  # None: a record file of `spec`
    spec: FileSpec | None

    @property
    def name(self) -> str:
        return self.kind.name if self.kind else self.spec.kind if self.spec else "unknown"

    @property
    def role(self) -> Role | None:
        if self.kind is not None:
            return self.kind.role
        return Role.RECORDS if self.spec is not None else None


def classify(source: Source, header: list[str]) -> Classified:
    """The kind knowing most of the header's columns, record specs included."""
    columns = {norm(h) for h in header}
    spec = detect(source, header)
    best = max(
        (k for k in _REGISTRY if source in k.sources and k.fits(columns)),
        key=lambda k: (k.score(columns), len(k.required)),
        default=None,
    )
    if best is None:
        return Classified(None, spec)
    if spec is not None and spec.score(header) >= best.score(columns):
        return Classified(None, spec)
    return Classified(best, None)


SF, H, CSV = "salesforce", "hubspot", "csv"
kind("CurrencyType", SF, Role.RATES, "IsoCode|ConversionRate|IsCorporate", "IsActive|DecimalPlaces")
kind("DatedConversionRate", SF, Role.RATES, "IsoCode|ConversionRate|StartDate", "NextStartDate")
kind(
    "OpportunityHistory",
    SF,
    Role.STAGE_HISTORY,
    "OpportunityId|StageName|CreatedDate",
    "Id|CreatedById|Amount|ExpectedRevenue|CloseDate|Probability|ForecastCategory"
    "|SystemModstamp|IsDeleted|PrevAmount|PrevCloseDate|FromForecastCategory|FromOpportunityStageName",
)
kind(
    "OpportunityFieldHistory",
    SF,
    Role.FIELD_HISTORY,
    "OpportunityId|Field|CreatedDate",
    "Id|IsDeleted|CreatedById|DataType|OldValue|NewValue",
)
kind("deal_stage_history", CSV, Role.STAGE_HISTORY, "deal_id|stage|changed_at", "from_stage")
kind(
    "deal_field_history",
    CSV,
    Role.FIELD_HISTORY,
    "deal_id|field|changed_at",
    "old_value|new_value",
)
kind("rates", CSV, Role.RATES, "from|to|rate", "valid_from")
kind(
    "users",
    CSV,
    Role.USERS,
    "email|manager_email",
    "name|role|timezone|active",
)

# Objects of a Data Export salesbot knows and does not use: recognised, so that (say) a
# Campaign file is never taken for an Account one, and listed as skipped by name.
for _name, _required, _known in (
    (
        "Campaign",
        "Id|Name|Status|StartDate",
        "Type|ParentId|EndDate|BudgetedCost|ActualCost"
        "|ExpectedResponse|NumberSent|NumberOfLeads|NumberOfContacts|NumberOfOpportunities|IsActive",
    ),
    (
        "Lead",
        "Id|LastName|Company|Status",
        "FirstName|Email|LeadSource|IsConverted|Rating"
        "|ConvertedAccountId|ConvertedContactId|ConvertedOpportunityId|ConvertedDate|Industry",
    ),
    (
        "Case",
        "Id|CaseNumber|Status",
        "Origin|Priority|Subject|ContactId|AccountId|IsEscalated|ClosedDate|IsClosed|Reason|Type",
    ),
    (
        "OpportunityLineItem",
        "Id|OpportunityId|Quantity",
        "Product2Id|UnitPrice|TotalPrice|PricebookEntryId|ListPrice|ServiceDate|Discount",
    ),
    ("OpportunityContactRole", "Id|OpportunityId|ContactId|Role", "IsPrimary"),
    ("Product2", "Id|Name|ProductCode", "Family|IsActive|QuantityUnitOfMeasure|Description"),
    ("PricebookEntry", "Id|Pricebook2Id|Product2Id|UnitPrice", "UseStandardPrice|IsActive"),
):
    kind(_name, SF, Role.UNUSED, _required, _known)
