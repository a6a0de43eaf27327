"""Every SQL query of the CRM. Each function takes the session first, then the principal."""
