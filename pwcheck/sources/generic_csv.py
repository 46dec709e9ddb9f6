"""Any other CSV with recognisable columns, named as Chromium's importer accepts them.

Case-insensitive aliases: url = url/website/origin/hostname/login_uri, username =
username/user/login/account/email/login_username, password = password/login_password.
It is the fallback: tried only after every known format (exact or with extra columns)
refused, so it never takes a file a specific reader understands better.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="generic-csv",
    label="generic CSV (url, username, password columns)",
    carries="title, URL, username, password from the usual column names",
    export_hint="any other tool: a CSV with a header naming url/username/password columns",
    manager="Generic CSV",
    required=frozenset(),
    password=("password", "login_password"),
    url=("url", "website", "origin", "hostname", "login_uri"),
    username=("username", "user", "login", "account", "email", "login_username"),
    title=("name", "title"),
    needs=(("password",), ("url", "username")),
    open_header=True,
    case_sensitive=False,
    fallback=True,
)
