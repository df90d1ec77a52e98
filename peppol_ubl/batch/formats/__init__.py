"""The output formats of a batch: :mod:`.text` for people, :mod:`.json` (one documented
schema, ``peppol_ubl/report.schema.json``, :func:`peppol_ubl.report_schema`), :mod:`.junit` for CI test viewers and
:mod:`.sarif` (SARIF 2.1.0) for code-scanning dashboards. Each reads a
:class:`~peppol_ubl.batch.runner.Batch` and imports nothing above it."""
