"""Many documents at once: the batch runner and the output formats of a run.

:mod:`.runner` validates documents one by one or in a pool of processes and records what
became of each (:class:`~.runner.Batch`); :mod:`.formats` writes a batch as text, JSON,
JUnit XML or SARIF. This package sits above :mod:`peppol_ubl.validation` (it calls
``validate`` per document) and below the command line. Its modules are internal.
"""
