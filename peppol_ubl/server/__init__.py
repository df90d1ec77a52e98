"""``peppol-ubl serve``: the library as a warm HTTP service (the ``server`` extra).

One ASGI process (Starlette on uvicorn) answers every request; validation and pre-flight
run in a pool of validation processes behind it (:mod:`.pool`, :mod:`.worker`), each of
which compiles the rule sets at start, so no request pays Saxon's start-up and none runs
Saxon on the event loop. The process owns the one idempotency store (:mod:`.store`,
:mod:`.idempotency`), the metrics (:mod:`.metrics`) and the bearer token check
(:mod:`.auth`); :mod:`.routes` has the endpoints, :mod:`.app` puts them together and
:mod:`.run` starts uvicorn. Every problem a request can meet is a JSON body with a
``PU-SERVER-…`` code (:mod:`.problems`).

This package sits above :mod:`peppol_ubl.batch` (whose output formats it uses) and below
the command line. Its modules are internal; importing them needs the ``server`` extra.
"""
