"""The sequential peer, `pwnedpasswords` (PyPI), run as its users run it: one `check()` a password.

`python -m benchmarks._peer BASE_URL FILE` checks every line of FILE (one password each)
against BASE_URL instead of api.pwnedpasswords.com (its URL builder is patched, nothing
else), then prints what it found as JSON so the benchmark can check the answers.
"""

from __future__ import annotations

import json
import sys
import urllib.parse


def main() -> None:
    base, path = sys.argv[1], sys.argv[2]
    import pwnedpasswords
    from pwnedpasswords.pwnedpasswords import PwnedPasswordsAPI

    def url(*components: str, **kwargs: str) -> str:
        value = base.rstrip("/") + "/" + "/".join(components)
        return value + ("?" + urllib.parse.urlencode(kwargs) if kwargs else "")

    PwnedPasswordsAPI.url = staticmethod(url)  # type: ignore[method-assign]
    checked = pwned = total = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            count = pwnedpasswords.check(line.rstrip("\n"))
            checked += 1
            pwned += bool(count)
            total += count
    print(json.dumps({"checked": checked, "pwned": pwned, "total": total}))


if __name__ == "__main__":
    main()
