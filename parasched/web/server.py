"""Run the web app with uvicorn (``parasched serve``)."""

from __future__ import annotations

import ipaddress
import socket

from parasched.scheduler.errors import InputError, Issue


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: addresses only this computer can reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """Refuse a port already in use (or not ours to bind) with a message, before uvicorn starts."""
    if not 1 <= port <= 65535:
        raise InputError([Issue(f"'{port}' is not a port; expected 1-65535, e.g. 8000", "--port")])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            raise InputError(
                [
                    Issue(
                        f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                        f"try another --port, e.g. --port {port + 1}",
                        "--port",
                    )
                ]
            ) from None


def address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def run(host: str, port: int, *, time_limit: float, workers: int) -> None:
    """Serve until Ctrl-C; every session's temporary folder is removed on the way out."""
    import uvicorn

    from .app import LOOPBACK_HOSTS, create_app

    app = create_app(
        time_limit=time_limit, workers=workers, allowed_hosts=LOOPBACK_HOSTS if is_loopback(host) else None
    )
    # access logs are off: they would list every request of the session, nothing a coordinator needs
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning", access_log=False)
