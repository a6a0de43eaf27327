"""Billing: Stripe customers, invoices, payments and subscriptions, and the revenue figures.

`stripe_csv` reads the dashboard exports, `stripe_api` lists the same objects with the official
`stripe` library; both give `records`, which `matching` ties to accounts (mapping file, contact
email, contact domain; never a guess) and `store` upserts by Stripe id. `figures` and `lifetime`
compute every figure in SQL, in the reporting currency, filtered by `scope`.
"""
