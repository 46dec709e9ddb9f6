"""Process-level protections for a program that holds every password a person has."""

from __future__ import annotations


def disable_core_dumps() -> bool:
    """No core file may carry plaintext from memory. Returns False where the OS won't say."""
    try:
        import resource
    except ImportError:  # Windows
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        return False
    return True


# The one secret pwcheck takes from its environment (a `.kdbx` password, for scripts).
KDBX_PASSWORD_ENV = "PWCHECK_KDBX_PASSWORD"


def take_from_environment(name: str) -> str | None:
    """The variable's value, removed from this process's environment in the same step.

    For secrets: every child process (gpg, notify-send, sendmail, systemctl, ...) inherits
    the environment, so a secret read from it must not stay there. Set to "" is a value
    (""), unset is None. Call it once: a second call finds nothing.
    """
    import os

    return os.environ.pop(name, None)
