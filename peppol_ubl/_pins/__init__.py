"""Package-data home of our artefact manifests (``schemas/`` and ``schematron/``)."""
