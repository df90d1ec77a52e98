"""The output formats of a batch: :mod:`.text` for people, :mod:`.json` (one documented
schema, ``fixtures/report.schema.json``), :mod:`.junit` for CI test viewers and
:mod:`.sarif` (SARIF 2.1.0) for code-scanning dashboards. Each reads a
:class:`~peppol_ubl.batch.runner.Batch` and imports nothing above it."""
