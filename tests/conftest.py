"""Shared fixtures: the local HTTP server, the real model loaded once, a network guard."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

# Offline by construction: nothing in the suite may reach a model hub or any other host.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# the temporary local Prefect API took over 20 s (Prefect's default wait) to start on a loaded 2-core machine
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
# `make test` exports PREFECT_LOGGING_EXTRA_LOGGERS=monitor; library logs outside a flow run must
# then stay local instead of warning that they cannot reach the API.
os.environ["PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW"] = "ignore"

pytest_plugins = ["tests.httpserver"]

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"


class NetworkBlocked(OSError):
    """Raised by the guard when code tries to reach a non-loopback address."""


def _is_loopback(address: object) -> bool:
    if not (isinstance(address, tuple) and address):
        return isinstance(address, (str, bytes))  # AF_UNIX paths are local
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse every outgoing connection that is not to 127.0.0.1/::1 (or a Unix socket)."""
    block_network(monkeypatch)


def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Patch sockets so that only loopback connections and lookups succeed."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: object) -> None:
        if not _is_loopback(address):
            raise NetworkBlocked(f"test blocked a connection to {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        if not _is_loopback(address):
            raise NetworkBlocked(f"test blocked a connection to {address!r}")
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        if host not in (None, "localhost", "127.0.0.1", "::1", b"localhost", b"127.0.0.1"):
            raise NetworkBlocked(f"test blocked a DNS lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(scope="session")
def settings():  # type: ignore[no-untyped-def]
    from monitor import config

    return config.load(CONFIG)


@pytest.fixture(scope="session")
def classifier():  # type: ignore[no-untyped-def]
    """The real bundled encoder and trained head, loaded once for the session."""
    from monitor.stance.classifier import load_classifier

    return load_classifier("bundled", "bundled")


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private PREFECT_HOME and Prefect's test harness (a temporary local API) for flow tests."""
    from prefect.testing.utilities import prefect_test_harness

    home = tmp_path_factory.mktemp("prefect-home")
    old = os.environ.get("PREFECT_HOME")
    os.environ["PREFECT_HOME"] = str(home)
    try:
        with prefect_test_harness(server_startup_timeout=120):
            yield home
    finally:
        if old is None:
            os.environ.pop("PREFECT_HOME", None)
        else:
            os.environ["PREFECT_HOME"] = old


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`monitor demo` run once for the session with the real model, offline (loopback only)."""
    from monitor.desk import cli

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    mp = pytest.MonkeyPatch()
    try:
        block_network(mp)
        assert cli.main(["demo", "--no-prefect", "--db", str(db), "--config", str(CONFIG)]) == 0
    finally:
        mp.undo()
    return db
