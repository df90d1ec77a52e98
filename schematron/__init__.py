"""Our manifests of the pinned Schematron rule sets and code lists (data only; installed as peppol_ubl._pins.schematron)."""
