"""pwcheck: find which of your stored credentials appear in known breaches.

Passwords are hashed as soon as they are read; only the first five hex characters
of each SHA-1 ever leave the machine (Have I Been Pwned's k-anonymity range API).
"""

__version__ = "0.1.0"
USER_AGENT = f"pwcheck/{__version__}"
# The name to `pip install`: `pwcheck` on PyPI is an unrelated project. The command and the
# import package are `pwcheck`. Every install hint names this (tests/layout/test_distribution.py).
DISTRIBUTION = "pwcheck-hibp"


def install_hint(extra: str) -> str:
    """How to add an optional extra: to the installed distribution, or in a clone of the repository."""
    return f"pip install '{DISTRIBUTION}[{extra}]' (in a clone: pip install '.[{extra}]')"
