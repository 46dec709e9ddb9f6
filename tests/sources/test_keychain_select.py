"""Which keychain enumerator runs: keyring's configured backend, else the platform; only it is imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pwcheck.model.errors import InputError
from pwcheck.sources import keychain
from pwcheck.sources.keychain import KeychainRequest, configured_backend, enumerator_for, read_keychain


@pytest.mark.parametrize(
    "backend,platform,expected",
    [
        (None, "linux", keychain.SECRET_SERVICE),
        (None, "darwin", keychain.MACOS),
        (None, "win32", keychain.WINDOWS),
        ("keyring.backends.SecretService.Keyring", "linux", keychain.SECRET_SERVICE),
        ("keyring.backends.kwallet.DBusKeyring", "linux", keychain.SECRET_SERVICE),
        ("keyring.backends.macOS.Keyring", "linux", keychain.MACOS),
        ("keyring.backends.Windows.WinVaultKeyring", "darwin", keychain.WINDOWS),
        ("keyring.backends.chainer.ChainerBackend", "darwin", keychain.MACOS),
        ("keyring.backends.fail.Keyring", "freebsd13", keychain.SECRET_SERVICE),
    ],
)
def test_enumerator_table(backend: str | None, platform: str, expected: str) -> None:
    assert enumerator_for(backend, platform) == expected


def test_unknown_platform_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no keychain reader for this platform"):
        enumerator_for(None, "sunos5")


def test_configured_backend_from_env_then_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    assert configured_backend() is None
    (tmp_path / "python_keyring").mkdir()
    (tmp_path / "python_keyring" / "keyringrc.cfg").write_text("[backend]\ndefault-keyring=keyring.backends.macOS.Keyring\n")
    assert configured_backend() == "keyring.backends.macOS.Keyring"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.Windows.WinVaultKeyring")
    assert configured_backend() == "keyring.backends.Windows.WinVaultKeyring"


@pytest.mark.parametrize(
    "backend,loaded",
    [("", "keychain_secretservice"), ("keyring.backends.macOS.Keyring", "keychain_macos"),
     ("keyring.backends.Windows.WinVaultKeyring", "keychain_windows")],
)
def test_only_the_chosen_platform_module_is_imported(backend: str, loaded: str, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pwcheck.sources.keychain import configured_backend, enumerator_for, load_enumerator\n"
        "load_enumerator(enumerator_for(configured_backend(), 'linux'))\n"
        "print(sorted(m.rsplit('.', 1)[-1] for m in sys.modules if m.startswith('pwcheck.sources.keychain_')))\n"
    )
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND": backend}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60, check=True).stdout
    assert out.decode().strip() == str([loaded])


def test_missing_python_package_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keychain, "configured_backend", lambda: "keyring.backends.SecretService.Keyring")
    monkeypatch.delitem(sys.modules, "pwcheck.sources.keychain_secretservice", raising=False)
    monkeypatch.setitem(sys.modules, "secretstorage", None)
    with pytest.raises(InputError) as caught:
        list(read_keychain(KeychainRequest()))
    assert str(caught.value) == "keychain: cannot read the keychain: Python package 'secretstorage' is not installed"
