"""Who works here and who they sell to: team, company, contact and product names."""

from __future__ import annotations

import random

DOMAIN = "demo.salesbot.dev"

# (name, mailbox at DOMAIN, IANA timezone). Reps list Morgan's team first, then Priya's.
ADMIN = ("Alex Admin", "admin", "America/New_York")
MANAGERS = (
    ("Morgan Lee", "morgan", "America/Chicago"),
    ("Priya Raman", "priya", "Europe/London"),
)
REPS_PER_MANAGER = 5
REPS = (
    ("Dana Whitfield", "dana", "America/New_York"),
    ("Marcus Bell", "marcus", "America/Chicago"),
    ("Sofia Alvarez", "sofia", "America/Los_Angeles"),
    ("Ethan Brooks", "ethan", "America/New_York"),
    ("Hannah Kim", "hannah", "America/Los_Angeles"),
    ("Lukas Becker", "lukas", "Europe/Berlin"),
    ("Olivia Hughes", "olivia", "Europe/London"),
    ("Jamal Carter", "jamal", "America/New_York"),
    ("Chloe Martin", "chloe", "Europe/London"),
    ("Ravi Patel", "ravi", "America/Chicago"),
)

FAMOUS_ACCOUNTS = (
    ("Acme Corp", "Manufacturing"),
    ("Globex", "Technology"),
    ("Initech", "Software"),
    ("Umbrella Health", "Healthcare"),
    ("Stark Industries", "Aerospace & Defense"),
    ("Wayne Enterprises", "Conglomerate"),
    ("Hooli", "Internet"),
    ("Soylent", "Food & Beverage"),
    ("Vandelay Industries", "Logistics"),
    ("Wonka Foods", "Food & Beverage"),
)
NAME_PREFIXES = (
    "Northwind", "Bluepeak", "Ironclad", "Brightline", "Cobalt", "Evergreen", "Summit", "Harbor",
    "Keystone", "Lumen", "Meridian", "Nimbus", "Orchard", "Pinnacle", "Quarry", "Redwood",
    "Silverline", "Tidewater", "Vertex", "Willow", "Atlas", "Beacon", "Cascade", "Driftwood",
    "Ember", "Falcon", "Granite", "Horizon", "Juniper", "Kestrel", "Larkspur", "Maple", "Nova",
    "Oakridge", "Prairie", "Ridgeway", "Sterling", "Trident", "Upland", "Vantage", "Alder",
    "Bramble", "Copperleaf", "Delta Bay", "Eastgate", "Foxglove", "Goldcrest", "Highmark",
    "Ivory Coast", "Jetstream", "Kingsbridge", "Lighthouse", "Mosaic", "Northstar", "Oxbow",
    "Pioneer", "Quicksilver", "Riverbend", "Saltmarsh", "Thornbury",
)  # fmt: skip
NAME_SUFFIXES = (
    ("Logistics", "Logistics"), ("Freight", "Logistics"), ("Analytics", "Software"),
    ("Systems", "Software"), ("Health", "Healthcare"), ("Clinics", "Healthcare"),
    ("Bank", "Financial Services"), ("Capital", "Financial Services"),
    ("Foods", "Food & Beverage"), ("Brewing", "Food & Beverage"),
    ("Manufacturing", "Manufacturing"), ("Robotics", "Manufacturing"),
    ("Energy", "Energy"), ("Solar", "Energy"), ("Labs", "Biotech"), ("Pharma", "Pharmaceuticals"),
    ("Retail", "Retail"), ("Outfitters", "Retail"), ("Insurance", "Insurance"), ("Media", "Media"),
    ("Telecom", "Telecommunications"), ("Networks", "Telecommunications"),
    ("Construction", "Construction"), ("Motors", "Automotive"),
    ("Aerospace", "Aerospace & Defense"), ("Security", "Cybersecurity"),
    ("Partners", "Professional Services"), ("Consulting", "Professional Services"),
    ("Hotels", "Hospitality"), ("Learning", "Education"),
)  # fmt: skip

FIRST_NAMES = (
    "Jane", "Tom", "Aisha", "Carlos", "Mei", "Oliver", "Fatima", "Liam", "Sara", "Kenji", "Nora",
    "David", "Elena", "Samuel", "Ines", "Victor", "Zoe", "Anders", "Leila", "Patrick", "Yuki",
    "Grace", "Omar", "Ingrid", "Benjamin", "Lucia", "Hiro", "Rachel", "Tariq", "Emily", "Jonas",
    "Amara", "Felix", "Maya", "George", "Anika", "Diego", "Claire", "Wei", "Bianca",
)  # fmt: skip
LAST_NAMES = (
    "Thompson", "Nguyen", "Okafor", "Schmidt", "Garcia", "Walsh", "Kowalski", "Haddad", "Park",
    "Sullivan", "Rossi", "Andersson", "Mensah", "Dubois", "Tanaka", "Murphy", "Silva", "Novak",
    "Chen", "Fischer", "Oduya", "Brennan", "Iyer", "Lindqvist", "Moreau", "Shapiro", "Costa",
    "Hartmann", "Abara", "Whitaker",
)  # fmt: skip
TITLES = (
    "CFO", "VP Sales", "Head of IT", "Procurement Manager", "CISO", "CTO", "VP Operations",
    "Director of RevOps", "Legal Counsel", "COO", "VP Marketing", "IT Manager", "Controller",
    "Head of Customer Success",
)  # fmt: skip
PRODUCTS = (
    "Platform Expansion", "New Logo", "Enterprise Upgrade", "Annual Renewal", "Multi-year Renewal",
    "Analytics Add-on", "EMEA Rollout", "Pilot", "Security Suite", "Seat Expansion",
    "Data Migration", "Premium Support", "API Access", "CRM Replacement", "Forecasting Module",
    "APAC Rollout", "Sales Team Rollout", "Services Bundle", "Compliance Pack", "SSO & Audit Logs",
    "Marketing Seats", "Partner Portal", "Sandbox Environment", "Training Package",
)  # fmt: skip


def company_names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """`n` distinct generated (company, industry) pairs; a prefix is used at most twice."""
    taken = {name for name, _ in FAMOUS_ACCOUNTS}
    uses: dict[str, int] = {}
    out: list[tuple[str, str]] = []
    while len(out) < n:
        prefix = rng.choice(NAME_PREFIXES)
        suffix, industry = rng.choice(NAME_SUFFIXES)
        name = f"{prefix} {suffix}"
        if name in taken or uses.get(prefix, 0) >= 2:
            continue
        taken.add(name)
        uses[prefix] = uses.get(prefix, 0) + 1
        out.append((name, industry))
    return out


def slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())
