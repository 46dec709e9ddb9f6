"""Defaults of every network setting, written once: the public addresses, concurrency, timeout.

Each can be pointed elsewhere (a mirror, `pwcheck serve`, a test server) with a flag, a
`PWCHECK_*` variable or the config file; nothing else in the code names these hosts.
Here, not in the client modules, so the command line can show them without importing
the HTTP clients.
"""

DEFAULT_API_URL = "https://api.pwnedpasswords.com"
DEFAULT_BREACHES_URL = "https://haveibeenpwned.com/api/v3/breaches"
# The public directories (`pwcheck.lists`): downloaded whole, so nothing about an account is sent.
# The 2FA Directory's TOTP list is the one Bitwarden's "inactive two-step login" report uses;
# the Passkeys Directory publishes its API v1 on GitHub Pages behind this name.
DEFAULT_TWOFACTOR_URL = "https://api.2fa.directory/v3/totp.json"
DEFAULT_PASSKEYS_URL = "https://passkeys-api.2fa.directory/v1/supported.json"
# Range requests in flight at once. N distinct prefixes take about ceil(N / C) round trips:
# 500 passwords at 25 ms are 0.2 s at 64 against 0.4 s at 32 (benchmarks/, audit area).
# The range API has no rate limit and sits behind a CDN; HIBP's own downloader's examples
# use 64 threads.
DEFAULT_CONCURRENCY = 64
MAX_CONCURRENCY = 512  # the mirror's ceiling; one bound for every command that takes --concurrency
DEFAULT_TIMEOUT = 20.0  # seconds to wait for a response
# Hours a cached range is used before it is revalidated: under a day, so a nightly run
# revalidates (cheap 304s) rather than trusting old data.
DEFAULT_CACHE_TTL_HOURS = 20.0
