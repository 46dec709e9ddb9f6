"""Shared fixtures: a real range server on 127.0.0.1 and the fixture exports."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Iterator

import pytest

from pwcheck.corpus.memory import MemoryCorpus
from tests.support import fixture_data
from tests.support.rangeserver import RangeServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt to a non-loopback address, or DNS lookup of a name other than
    localhost, raises AssertionError in the test process.

    Subprocesses are not covered by the socket guard, so the environment they inherit
    points every default endpoint at loopback: the breach catalogue and the 2FA and Passkeys
    directories at a closed port (tests that want one pass `--breaches-url` etc.; set in `_private_user_dirs`, after its sweep
    of PWCHECK_* variables) and `keyring` at its null backend (no key, so no account checks, and no desktop prompt).
    """
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("::1", "localhost")) and self.family != socket.AF_UNIX:
            raise AssertionError(f"test tried to reach {host}: tests use loopback only")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    real_getaddrinfo = socket.getaddrinfo

    def guarded_lookup(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name not in ("", "localhost") and not _is_ip_literal(name):
            raise AssertionError(f"test tried to look up {name}: tests use loopback only")
        return real_getaddrinfo(host, *args, **kwargs)

    # A lookup is already a message to the network (and says which service pwcheck is about to use).
    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
    monkeypatch.delenv("PWCHECK_API_URL", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def _is_ip_literal(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True)
def _core_limit_untouched() -> Iterator[None]:
    """pwcheck's `main()` lowers the hard core-file limit for good; run in this process (a bare
    `CliRunner`) it would make tests/cli/test_interrupt_and_hardening.py's core checks vacuous
    in this worker. `tests.support.cli.invoke` keeps it off; this catches any other way."""
    try:
        import resource
    except ImportError:  # Windows: no core limit
        yield
        return
    before = resource.getrlimit(resource.RLIMIT_CORE)
    yield
    after = resource.getrlimit(resource.RLIMIT_CORE)
    assert after == before, f"the test changed this process's core limit {before} -> {after}: run pwcheck through invoke()"


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """pwcheck's config, state and cache dirs point into a fresh temp dir: tests never read
    or write the developer's own config, findings state or range cache."""
    home = tmp_path_factory.mktemp("userdirs")
    for variable in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.split("_")[1].lower()))
    for name in [n for n in os.environ if n.startswith("PWCHECK_")]:
        monkeypatch.delenv(name)
    # After the sweep above: subprocess audits must never reach the real breach catalogue.
    monkeypatch.setenv("PWCHECK_BREACHES_URL", "http://127.0.0.1:9/api/v3/breaches")
    # ... nor the public 2FA and Passkeys directories (tests that want them pass --twofactor-url / --passkeys-url).
    monkeypatch.setenv("PWCHECK_TWOFACTOR_URL", "http://127.0.0.1:9/v3/totp.json")
    monkeypatch.setenv("PWCHECK_PASSKEYS_URL", "http://127.0.0.1:9/v1/supported.json")
    return home


@pytest.fixture
def range_server() -> Iterator[RangeServer]:
    server = RangeServer(MemoryCorpus.from_lines(fixture_data.corpus_lines()), stall_seconds=5.0).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="module")
def secret_service_factory():  # type: ignore[no-untyped-def]
    """Starts real gnome-keyring Secret Services on private buses; all stopped after the module.

    Skips (with the reason) only when the binaries are not installed; `.ci/run` installs them.
    """
    from tests.support.secretservice import SecretService, make_locked_keyring, missing_binaries, short_tempdir

    missing = missing_binaries()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: dbus, gnome-keyring, libsecret-tools)")
    started: list[SecretService] = []
    roots: list[Path] = []

    def start(locked: dict[str, str] | None = None) -> SecretService:
        root = short_tempdir("pwk")
        roots.append(root)
        keyrings = {name: make_locked_keyring(root / f"make-{name}", label) for name, label in (locked or {}).items()}
        service = SecretService(root / "svc", extra_keyrings=keyrings).start()
        started.append(service)
        return service

    yield start
    import shutil

    for service in started:
        service.stop()
    for root in roots:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium_user_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user-data dir made by the real Chromium once per session, with logins written in
    as Chromium encrypts them (`tests/support/chromium_profile.py`). Skips only when
    chromium is not installed (`.ci/run` installs it)."""
    import shutil

    from tests.support.chromium_profile import build

    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        pytest.skip("needs chromium (Debian: apt-get install chromium)")
    return build(tmp_path_factory.mktemp("chromium-profiles"))
