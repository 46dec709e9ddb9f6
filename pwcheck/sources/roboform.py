"""RoboForm CSV: `Name,Url,MatchUrl,Login,Pwd,Note,Folder,RfFieldsV2` (older: `...,Rf_fields` without MatchUrl).

The last column is not one field: RoboForm writes each saved form field as a field of its
own after `Folder`, so rows are wider than the header (or end at `Folder` when there are
none); the layout's `spill` says so.

`MatchUrl` is the address RoboForm matches on; when it differs from `Url` it is kept as
another URL of the same credential. No change time.
"""

from pwcheck.sources._csv import CsvLayout

FORMAT = CsvLayout(
    name="roboform",
    label="RoboForm CSV",
    carries="title, URL, username, password; no change time",
    export_hint="RoboForm: Menu → Options → Account & Data → Export → CSV",
    manager="RoboForm",
    required=frozenset({"Name", "Url", "Login", "Pwd"}),
    optional=frozenset({"MatchUrl", "Note", "Folder", "RfFieldsV2", "Rf_fields"}),
    # One field per form field from here to the end of the row, or none at all.
    spill=frozenset({"RfFieldsV2", "Rf_fields"}),
    password="Pwd",
    url="Url",
    extra_urls="MatchUrl",
    username="Login",
    title="Name",
)
