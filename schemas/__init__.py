"""Our manifest of the pinned UBL 2.1 XSDs (data only; installed as peppol_ubl._pins.schemas)."""
