"""What the environment says about the network: the CA bundle to trust and the proxy to use.

Both transports (`h1_client.H1Client` for HTTP/1.1, httpx for `--http2`) take these from
here, resolved once per client, so the two read the variables alike: TLS verified against
SSL_CERT_FILE / SSL_CERT_DIR or else certifi's bundle, and the proxy HTTPS_PROXY /
HTTP_PROXY / NO_PROXY choose. No HTTP library's `trust_env` is ever on: aiohttp's and
requests' would also read `~/.netrc` and send its login to every host.
"""

from __future__ import annotations

import os
import ssl
import sys


def ssl_context() -> ssl.SSLContext:
    """A verifying context from SSL_CERT_FILE / SSL_CERT_DIR, else certifi's CA bundle.

    Built only for `https://` URLs: loading a CA bundle costs OpenSSL 3 tens of milliseconds.
    """
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def ca_problem() -> str | None:
    """What is wrong with SSL_CERT_FILE / SSL_CERT_DIR (one line naming the variable), or None.

    Both transports load them when a client is made; a bad value raises there (an OSError
    or ssl.SSLError), and the command line (`pwcheck/cli/group.py`) asks this to say why.
    """
    for variable in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        value = os.environ.get(variable)
        if value:
            try:
                if variable == "SSL_CERT_FILE":
                    ssl.create_default_context(cafile=value)
                else:
                    ssl.create_default_context(capath=value)
            except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
                return f"{variable}={value}: no usable CA certificates ({type(exc).__name__})"
    return None


def proxy_for(url: str) -> str | None:
    """The proxy HTTPS_PROXY / HTTP_PROXY / NO_PROXY choose for `url` (urllib's reading of them), or None.

    Resolved here, once per client, never by an HTTP library's `trust_env`: aiohttp's also
    reads `~/.netrc` and sends its login (a `default` entry matches every host) as
    `Authorization` to the API and as `Proxy-Authorization` to the proxy. Nothing here
    reads `.netrc`; a proxy's own credentials come only from its URL (`http://user:pw@proxy:3128`).
    """
    if sys.platform not in ("darwin", "win32") and not any(name.lower().endswith("_proxy") for name in os.environ):
        return None  # what urllib reads on Linux, without importing it (~10 ms: http.client, email)
    import urllib.request
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme.lower())
    if not proxy or (parts.hostname and urllib.request.proxy_bypass(parts.hostname)):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"  # `proxy:3128`, as curl and requests read it
