"""Testing helpers for users of peppol-ubl: hypothesis strategies (``pip install peppol-ubl[test]``)."""
