"""Public lists downloaded whole and kept in a private cache: the shared fetch (`fetch.py`),
the 2FA Directory (`twofactor.py`), the Passkeys Directory (`passkeys.py`), and what one
audit gets of both (`gather.py`). The breach catalogue (`pwcheck.breaches`) is fetched
through the same `fetch.py`."""
