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
