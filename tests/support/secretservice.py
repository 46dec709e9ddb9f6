"""A real Secret Service for tests: a private D-Bus bus and gnome-keyring-daemon, headless.

Each instance has its own bus (a config with no service directories, so nothing is
D-Bus-activated behind the test's back), its own HOME and XDG dirs, and a login keyring
unlocked with a password on stdin. It works the same under `.ci/run`'s
`dbus-run-session` and under a plain `pytest`: the outer session bus is never used.

A locked collection is made without any prompt: one daemon run creates a keyring under
another password and exits; its file is copied into the next instance's keyring dir,
where the daemon loads it locked. Tests never call unlock.
"""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

BINARIES = ("dbus-daemon", "gnome-keyring-daemon", "secret-tool")
LOGIN_PASSWORD = "test-unlock"
READY_WAIT_S = 30.0

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={socket_dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def missing_binaries() -> list[str]:
    return [name for name in BINARIES if shutil.which(name) is None]


class PrivateBus:
    """A dbus-daemon of our own; `address` is its DBUS_SESSION_BUS_ADDRESS."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.process: subprocess.Popen[bytes] | None = None
        self.address = ""

    def start(self) -> "PrivateBus":
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.root / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket_dir=self.root))
        self.process = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        self.address = _read_line(self.process, READY_WAIT_S).strip()
        if not self.address:
            self.stop()
            raise RuntimeError("dbus-daemon did not print its address")
        return self

    def stop(self) -> None:
        _end(self.process)
        self.process = None


class SecretService:
    """gnome-keyring-daemon (secrets component) on a private bus with a fresh HOME."""

    def __init__(self, root: Path, password: str = LOGIN_PASSWORD, extra_keyrings: dict[str, Path] | None = None) -> None:
        self.root = root
        self.password = password
        self.extra_keyrings = extra_keyrings or {}
        self.bus = PrivateBus(root / "bus")
        self.daemon: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {}

    @property
    def keyrings_dir(self) -> Path:
        return self.root / "home" / ".local" / "share" / "keyrings"

    def start(self) -> "SecretService":
        home = self.root / "home"
        runtime = self.root / "run"
        for directory in (home, runtime, self.keyrings_dir, home / ".config", home / ".cache"):
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        for name, source in self.extra_keyrings.items():
            shutil.copyfile(source, self.keyrings_dir / f"{name}.keyring")
        self.bus.start()
        self.env = {
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "DBUS_SESSION_BUS_ADDRESS": self.bus.address,
        }
        self.daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self.full_env(),
        )
        assert self.daemon.stdin is not None
        self.daemon.stdin.write(self.password.encode())
        self.daemon.stdin.close()
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        _end(self.daemon)
        self.daemon = None
        self.bus.stop()

    def full_env(self, **extra: str) -> dict[str, str]:
        """The process environment with this service's bus and dirs (for subprocesses)."""
        env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")}
        env.update(self.env)
        env.update(extra)
        return env

    def secret_tool_store(self, label: str, attributes: dict[str, str], secret: bytes) -> None:
        """Store an item as `secret-tool store` does (secret on stdin, exact bytes)."""
        args = ["secret-tool", "store", f"--label={label}"]
        for key, value in attributes.items():
            args += [key, value]
        subprocess.run(args, input=secret, env=self.full_env(), check=True, timeout=60, capture_output=True)

    def _wait_ready(self) -> None:
        """Until the service owns its name and the login collection is unlocked (a start-up wait)."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        deadline = time.monotonic() + READY_WAIT_S
        login = DBusAddress("/org/freedesktop/secrets/collection/login", "org.freedesktop.secrets",
                            "org.freedesktop.DBus.Properties")
        with open_dbus_connection(self.bus.address) as connection:
            while time.monotonic() < deadline:
                if self.daemon is not None and self.daemon.poll() is not None:
                    raise RuntimeError(f"gnome-keyring-daemon exited with {self.daemon.returncode}")
                message = new_method_call(login, "Get", "ss", ("org.freedesktop.Secret.Collection", "Locked"))
                reply = connection.send_and_get_reply(message, timeout=5)
                if reply.header.message_type.name == "method_return" and reply.body[0][1] is False:
                    return
                time.sleep(0.05)
        raise RuntimeError("gnome-keyring-daemon did not come up with an unlocked login keyring")


def make_locked_keyring(root: Path, label: str) -> Path:
    """A keyring file protected by a password the test never gives, holding one item."""
    import secretstorage

    service = SecretService(root, password="a-password-no-test-knows").start()
    try:
        connection = _connect(service.bus.address)
        try:
            collection = secretstorage.Collection(connection, "/org/freedesktop/secrets/collection/login")
            collection.set_label(label)
            collection.create_item("hidden", {"service": "locked.example.com", "username": "x"}, b"pw-in-a-locked-keyring")
        finally:
            connection.close()
    finally:
        service.stop()
    path = service.keyrings_dir / "login.keyring"
    if not path.exists():
        raise RuntimeError("gnome-keyring-daemon did not write the keyring file")
    return path


def short_tempdir(prefix: str) -> Path:
    """A short path: unix socket paths are limited to about 100 bytes."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))


def _connect(address: str):  # type: ignore[no-untyped-def]
    from jeepney.io.blocking import open_dbus_connection

    return open_dbus_connection(address)


def _read_line(process: subprocess.Popen[bytes], timeout: float) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        return ""
    return process.stdout.readline().decode()


def _end(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
