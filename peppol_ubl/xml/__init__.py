"""XML at the bottom of the library: namespaces, safe parsing of untrusted input, element paths.

Owns every namespace URI (:mod:`.namespaces`), the one hardened parse of untrusted bytes
with its ``PU-INPUT-…`` findings (:mod:`.safe`) and the limits it holds documents to
(:mod:`.limits`), and the one element-path form every report uses (:mod:`.paths`). It may import only :mod:`peppol_ubl.errors` and
:mod:`peppol_ubl.findings`; everything else imports it. Its modules are internal.
"""
