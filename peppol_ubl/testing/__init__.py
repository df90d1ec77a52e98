"""Testing helpers for users of peppol-ubl (public): hypothesis strategies for contract invoices
(:mod:`.strategies`), ``assert_valid`` (:mod:`.assertions`) and the pytest fixture
``assert_peppol_valid`` (:mod:`.plugin`). Install the ``testing`` extra for hypothesis.
It sits on top and imports the public layers it tests."""
