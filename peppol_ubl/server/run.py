"""Run the server: one uvicorn process on the configured address, until SIGINT or SIGTERM.

On a signal uvicorn stops taking connections, lets the requests in flight finish (for up
to ``shutdown_seconds``, then ends them), and runs the application's shutdown: the pool
stops and the idempotency store closes, every record already on disk.
"""

from __future__ import annotations

import uvicorn

from .app import create_app
from .config import ServerConfig

__all__ = ["serve"]


def serve(config: ServerConfig) -> None:
    """Serve ``config`` until the process is told to stop."""
    server = uvicorn.Server(uvicorn.Config(
        create_app(config), host=config.host, port=config.port, lifespan="on",
        timeout_graceful_shutdown=config.shutdown_seconds, log_level="info"))
    server.run()
