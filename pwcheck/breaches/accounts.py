"""Optional account checks: which breaches each e-mail username appears in (HIBP, keyed).

Off unless an API key is stored (`pwcheck config set-api-key`). Each distinct e-mail
address is sent in full to `breachedaccount/{account}` with the key in the
`hibp-api-key` header: that is a disclosure the person chose by storing a key. Requests
go one at a time, because keys are limited per minute; a 429 is honoured by waiting its
`retry-after` seconds (up to a cap) and asking again. Each request, answer included, has an
overall deadline (`request_deadline`): past it the checks stop and the rest are not checked;
an answer is read up to MAX_ACCOUNT_BODY, past which that account is not checked. An account whose check failed is
None ("not checked"), never an empty list.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Callable, Sequence
from urllib.parse import quote

from pwcheck.model.breach import AccountChecks
from pwcheck.model.errors import PwcheckError
from pwcheck.net.defaults import DEFAULT_TIMEOUT

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_RETRY_AFTER = 60.0
MAX_RATE_LIMITED = 20
# One account's answer with truncateResponse: a name per breach (~20 bytes), a few KB for the
# most exposed address. More is not an answer: that account is not checked.
MAX_ACCOUNT_BODY = 1024 * 1024


def email_accounts(usernames: Sequence[str | None]) -> list[str]:
    """Distinct e-mail usernames (case-insensitive), in first-seen order."""
    seen: dict[str, str] = {}
    for username in usernames:
        if username and EMAIL.match(username):
            seen.setdefault(username.casefold(), username)
    return list(seen.values())


def account_api_base(breaches_url: str) -> str:
    """The API base beside the catalogue URL: `.../api/v3/breaches` -> `.../api/v3`."""
    base = breaches_url.split("?", 1)[0].rstrip("/")
    return base[: -len("/breaches")] if base.endswith("/breaches") else base


async def check_accounts(
    accounts: Sequence[str], api_key: str, api_base: str, timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int], None] | None = None,
) -> AccountChecks:
    """Look up every account in turn; stops early (rest not checked) on a rejected key or a long wait."""
    from pwcheck.net.http import ClientSettings, RetryPolicy, make_http_client, request_deadline

    result = AccountChecks({account.casefold(): None for account in accounts})
    settings = ClientSettings(api_url=api_base, concurrency=1, read_timeout=timeout)
    policy = RetryPolicy()
    deadline = request_deadline(timeout)
    async with make_http_client(settings, padding=False) as client:
        for account in accounts:
            if result.problem is not None:
                break
            names = await _check_one(client, account, api_key, api_base, policy, result, deadline)
            result.results[account.casefold()] = names
            if progress:
                progress(1)
    return result


async def _check_one(client, account: str, api_key: str, api_base: str, policy, result: AccountChecks, deadline: float):  # type: ignore[no-untyped-def]
    from pwcheck.net.http import in_time

    url = f"{api_base}/breachedaccount/{quote(account, safe='')}?truncateResponse=true"
    headers = {"hibp-api-key": api_key, "Accept": "application/json"}
    failures = rate_limited = 0
    while failures < policy.attempts and rate_limited < MAX_RATE_LIMITED:
        result.requests += 1
        try:
            done, response = await in_time(deadline, _get(client, url, headers))
        except Exception:  # noqa: BLE001 - transport failure: retried, then "not checked"
            failures += 1
            await asyncio.sleep(policy.delay(failures))
            continue
        if not done:  # a server that trickles its answers: asking again, or for the next account, would wait as long
            result.problem = f"account checks stopped: the API gave no complete answer within {deadline:g} s"
            return None
        assert response is not None
        status, retry_header, body = response
        if status == 404:
            return ()
        if status == 200:
            return _names(body)
        if status == 429:
            rate_limited += 1
            wait = _seconds(retry_header)
            if wait > MAX_RETRY_AFTER:
                result.problem = f"account checks stopped: the API asked to wait {wait:.0f}s (rate limit of the key)"
                return None
            await asyncio.sleep(wait)
            continue
        if status in (401, 403):
            result.problem = f"account checks stopped: the HIBP API key was refused (HTTP {status}); see `pwcheck config set-api-key`"
            return None
        failures += 1
        if status < 500:
            break
        await asyncio.sleep(policy.delay(failures))
    return None


class _TooLarge(PwcheckError):
    """An account's answer past MAX_ACCOUNT_BODY (it is then not checked)."""


async def _get(client, url: str, headers: dict[str, str]) -> tuple[int, str | None, bytes | None]:  # type: ignore[no-untyped-def]
    """(status, retry-after, body): the body of a 200 read up to MAX_ACCOUNT_BODY (None past it), no other body read."""
    from pwcheck.net.http import read_capped

    async with client.stream("GET", url, headers=headers) as response:
        status: int = response.status_code
        if status != 200:
            return status, response.headers.get("retry-after"), None
        try:
            return status, None, await read_capped(response, MAX_ACCOUNT_BODY, _TooLarge)
        except _TooLarge:
            return status, None, None


def _names(body: bytes | None) -> tuple[str, ...] | None:
    if body is None:
        return None
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    if not isinstance(doc, list):
        return None
    return tuple(item["Name"] for item in doc if isinstance(item, dict) and isinstance(item.get("Name"), str))


def _seconds(value: str | None) -> float:
    """HIBP sends whole seconds; a missing or odd value waits 2 s (one request per ~2 s is every tier's floor)."""
    try:
        return max(0.0, float(value)) if value is not None else 2.0
    except ValueError:
        return 2.0
