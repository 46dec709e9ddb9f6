"""Text from outside, made safe to show: control characters visible, no password in a URL.

Usernames, titles and URLs come from exports, keychains and the breach catalogue; file
names and server answers end up in messages. Any of them can hold terminal control
sequences (`ESC [2J` clears the screen, OSC 52 writes the clipboard, OSC 8 makes a
hidden link) or a URL with a user name and password in it (`https://alice:pw@host/`).
Everything a person reads passes through `shown` at one place per output: the stderr
lines (`system.console`), the debug log (`system.logs`) and each report format's one
escaping function.

- `visible`: every C0 control (U+0000-U+001F, tab and newline included), DEL (U+007F)
  and C1 control (U+0080-U+009F) is written as `\\xNN`, so the person sees that something
  was there and the terminal never acts on it. Nothing is deleted.
- `without_userinfo`: `scheme://user:password@host` -> `scheme://host`, wherever a URL
  stands in a text. `display_url` does the same for a URL field that has no scheme
  (`user:password@host/path`, which pwcheck reads as that host). One exception: Chrome's
  Android logins, `android://<base64 signing-key hash>@<package>/`, keep their hash: it
  is the public fingerprint that names the app, not a credential (no `:`, only base64).

Display only: a password and what gets hashed never pass through here.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# A scheme, `//` (or a backslash pair, which browsers read as `//`), then the userinfo: the
# authority up to its last `@` before the path, query, fragment or a space.
_USERINFO = re.compile(r"(?i)([a-z][a-z0-9+.\-]*:[/\\]{2})([^/?#\\\s]*)@")
# A URL field's own authority: the userinfo is everything up to its last `@` (spaces too).
_LEADING_USERINFO = re.compile(r"(?i)^([a-z][a-z0-9+.\-]*:[/\\]{2})?([^/?#\\]*)@")
_APP_SIGNATURE = re.compile(r"[A-Za-z0-9+/_\-]{16,}={0,2}")  # base64 of an Android signing-key hash


def visible(text: str) -> str:
    """`text` with every C0 and C1 control character and DEL written as `\\xNN`."""
    if text.isprintable() or _CONTROL.search(text) is None:  # isprintable: no control character, fast
        return text
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def without_userinfo(text: str) -> str:
    """`text` with the user name and password of every `scheme://user:pw@host` in it removed."""
    return _USERINFO.sub(_drop_userinfo, text) if "@" in text and ":" in text else text


def display_url(url: str) -> str:
    """A URL field as shown: no userinfo, with or without a scheme (`a:b@host/x` -> `host/x`)."""
    if "@" not in url:
        return url
    return without_userinfo(_LEADING_USERINFO.sub(_drop_userinfo, url))


def _drop_userinfo(match: re.Match[str]) -> str:
    scheme = match.group(1) or ""
    if scheme[:8].lower() == "android:" and _APP_SIGNATURE.fullmatch(match.group(2)):
        return match.group()  # an app's public signing-key hash, not a credential
    return scheme


def shown(text: str) -> str:
    """What may reach a person: no URL userinfo, every control character visible."""
    return visible(without_userinfo(text))
