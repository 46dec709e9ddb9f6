"""pwcheck: find which of your stored credentials appear in known breaches.

Passwords are hashed as soon as they are read; only the first five hex characters
of each SHA-1 ever leave the machine (Have I Been Pwned's k-anonymity range API).
"""

__version__ = "0.1.0"
USER_AGENT = f"pwcheck/{__version__}"
