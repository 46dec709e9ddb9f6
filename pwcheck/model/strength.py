"""The strength threshold every stage shares, alone so that reading it costs nothing.

`pwcheck/cli/options.py` shows it as `--weak-below`'s default in every `--help`; taking it
from `model/entry.py` imported the credential model and OpenSSL's hashlib for one integer.
"""

from __future__ import annotations

# A strength score (zxcvbn, 0-4) below this is weak unless `check.weak_below` says otherwise:
# zxcvbn calls 0-2 "too", "very" and "somewhat" guessable, and 3 "safely unguessable" online.
DEFAULT_WEAK_BELOW = 3
