"""A Salesforce Data Export folder as it comes: ISO-8859-1 files with the full column sets,
rates, history, files salesbot does not read, a deal without a create date, a duplicate user
email and an owner missing from User.csv."""

from __future__ import annotations

from pathlib import Path

from support.team_files import write_rows, write_salesforce_users

OPP_HEADER = [
    "Id",
    "IsDeleted",
    "AccountId",
    "IsPrivate",
    "Name",
    "Description",
    "StageName",
    "Amount",
    "Probability",
    "ExpectedRevenue",
    "TotalOpportunityQuantity",
    "CloseDate",
    "Type",
    "NextStep",
    "LeadSource",
    "IsClosed",
    "IsWon",
    "ForecastCategory",
    "ForecastCategoryName",
    "CurrencyIsoCode",
    "CampaignId",
    "HasOpportunityLineItem",
    "Pricebook2Id",
    "OwnerId",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "LastActivityDate",
    "FiscalQuarter",
    "FiscalYear",
    "Fiscal",
]
ACCOUNT_HEADER = [
    "Id",
    "IsDeleted",
    "MasterRecordId",
    "Name",
    "Type",
    "ParentId",
    "BillingStreet",
    "BillingCity",
    "BillingState",
    "BillingPostalCode",
    "BillingCountry",
    "Phone",
    "Website",
    "Industry",
    "AnnualRevenue",
    "NumberOfEmployees",
    "OwnerId",
    "CreatedDate",
    "CreatedById",
    "CurrencyIsoCode",
]
JOSE, ZOE, OLD_JOSE, GHOST = (
    "0055e000001BBBB",
    "0055e000001CCCC",
    "0055e000001DDDD",
    "0055e000001ZZZZ",
)
# id, account, name, stage, amount, currency, close, owner, created
OPPS = [
    (
        "0065e01",
        "0015e01",
        "Cementos - Planta",
        "Closed Won",
        "3900000",
        "MXN",
        "2017-03-15",
        JOSE,
        "2017-01-10T15:00:00.000Z",
    ),
    (
        "0065e02",
        "0015e02",
        "Café Andino - ERP",
        "Closed Lost",
        "120000000",
        "COP",
        "2017-04-01",
        ZOE,
        "2017-02-01T09:30:00.000Z",
    ),
    (
        "0065e03",
        "0015e01",
        "Cementos - Fase 2",
        "Proposal/Price Quote",
        "35000",
        "USD",
        "2017-05-30",
        JOSE,
        "",
    ),
    (
        "0065e04",
        "0015e02",
        "Café Andino - Lima",
        "Prospecting",
        "290000",
        "PEN",
        "2017-06-30",
        OLD_JOSE,
        "2017-03-01T12:00:00.000Z",
    ),
    (
        "0065e05",
        "0015e02",
        "Café Andino - Cusco",
        "Prospecting",
        "1000",
        "PEN",
        "2017-06-30",
        GHOST,
        "2017-03-02T12:00:00.000Z",
    ),
]
# OpportunityId, StageName, CreatedDate: the stages as they happened
STAGE_HISTORY = [
    ("0065e01", "Prospecting", "2017-01-10T15:00:00.000Z"),
    ("0065e01", "Proposal/Price Quote", "2017-02-01T10:00:00.000Z"),
    ("0065e01", "Proposal/Price Quote", "2017-02-20T10:00:00.000Z"),  # an amount change only
    ("0065e01", "Closed Won", "2017-03-15T18:00:00.000Z"),
    ("0065e02", "Prospecting", "2017-02-01T09:30:00.000Z"),
    ("0065e02", "Negotiation/Review", "2017-03-01T11:00:00.000Z"),
    ("0065e02", "Closed Lost", "2017-04-01T08:00:00.000Z"),
]


def _opp(row: tuple[str, ...]) -> list[str]:
    oid, acc, name, stage, amount, cur, close, owner, created = row
    closed = stage.startswith("Closed")
    cells = dict.fromkeys(OPP_HEADER, "")
    cells.update(
        Id=oid,
        IsDeleted="0",
        AccountId=acc,
        Name=name,
        StageName=stage,
        Amount=amount,
        CloseDate=close,
        IsClosed=str(int(closed)),
        IsWon=str(int(stage == "Closed Won")),
        CurrencyIsoCode=cur,
        OwnerId=owner,
        CreatedDate=created,
        FiscalYear=close[:4],
        Probability="10",
    )
    return [cells[h] for h in OPP_HEADER]


def write_export_folder(folder: Path) -> Path:
    """The folder, ISO-8859-1 like Salesforce's default export encoding."""
    enc = "iso-8859-1"
    write_salesforce_users(folder, enc)
    accounts = [
        ["0015e01", "0", "", "Cementos del Norte", "Customer"],
        ["0015e02", "0", "", "Café Andino", "Prospect"],
    ]
    write_rows(
        folder / "Account.csv",
        ACCOUNT_HEADER,
        [a + [""] * (len(ACCOUNT_HEADER) - 5) for a in accounts],
        enc,
    )
    write_rows(folder / "Opportunity.csv", OPP_HEADER, [_opp(o) for o in OPPS], enc)
    history = [
        "Id",
        "OpportunityId",
        "CreatedById",
        "CreatedDate",
        "StageName",
        "Amount",
        "ExpectedRevenue",
        "CloseDate",
        "Probability",
        "ForecastCategory",
        "SystemModstamp",
        "IsDeleted",
        "PrevAmount",
        "PrevCloseDate",
    ]
    rows = [
        [f"0085e{i:02d}", o, JOSE, at, s, "", "", "", "", "", at, "0", "", ""]
        for i, (o, s, at) in enumerate(STAGE_HISTORY)
    ]
    write_rows(folder / "OpportunityHistory.csv", history, rows, enc)
    write_rows(
        folder / "OpportunityFieldHistory.csv",
        [
            "Id",
            "IsDeleted",
            "OpportunityId",
            "CreatedById",
            "CreatedDate",
            "Field",
            "DataType",
            "OldValue",
            "NewValue",
        ],
        [
            [
                "0175e01",
                "0",
                "0065e01",
                JOSE,
                "2017-02-20T10:00:00.000Z",
                "Amount",
                "Currency",
                "3500000",
                "3900000",
            ],
            [
                "0175e02",
                "0",
                "0065e01",
                JOSE,
                "2017-02-21T10:00:00.000Z",
                "Owner",
                "EntityId",
                "x",
                "y",
            ],
        ],
        enc,
    )
    write_rows(
        folder / "CurrencyType.csv",
        ["Id", "IsoCode", "ConversionRate", "DecimalPlaces", "IsActive", "IsCorporate"],
        [
            ["01L1", "USD", "1", "2", "1", "1"],
            ["01L2", "MXN", "18.5", "2", "1", "0"],
            ["01L3", "COP", "3000", "2", "1", "0"],
            ["01L4", "PEN", "3.3", "2", "1", "0"],
        ],
        enc,
    )
    write_rows(
        folder / "DatedConversionRate.csv",
        ["Id", "IsoCode", "StartDate", "NextStartDate", "ConversionRate"],
        [["04w1", "MXN", "2017-01-01", "2018-01-01", "19.0"]],
        enc,
    )
    write_rows(
        folder / "Lead.csv",
        ["Id", "LastName", "Company", "Status", "Email"],
        [["00Q1", "Pérez", "Acme", "Open", "p@acme.test"]],
        "utf-16",
    )
    write_rows(
        folder / "Campaign.csv",
        ["Id", "Name", "Type", "Status", "StartDate", "EndDate"],
        [["7015", "Expo", "Event", "Planned", "2017-05-01", "2017-05-03"]],
        enc,
    )
    (folder / "README.txt").write_text("Export of 2017-06-01\n")
    return folder
