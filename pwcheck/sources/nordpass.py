"""NordPass CSV: one wide table for every item kind, told apart by `type`.

Folder, note, card and identity rows are skipped by their `type` (the oldest exports have
no `type`: their folder rows have no password and are skipped for that); `additional_urls` is
a JSON array whose addresses are kept after the first `url`. No change time.
"""

from pwcheck.sources._csv import CsvLayout, Row, json_list

# Every NordPass version writes these; `type` came later, then `additional_urls`, `pin`, `custom_fields`.
COLUMNS = (
    "name,url,username,password,note,cardholdername,cardnumber,cvc,expirydate,"
    "zipcode,folder,full_name,phone_number,email,address1,address2,city,country,state"
)
LATER_COLUMNS = "type,additional_urls,pin,custom_fields"


def _skip_non_password(row: Row) -> str | None:
    kind = row.get("type", "")
    if kind in ("", "password"):
        return None
    return {"credit_card": "card", "note": "secure note"}.get(kind, kind.replace("_", " "))


FORMAT = CsvLayout(
    name="nordpass",
    label="NordPass CSV",
    carries="title, every URL, username, password; no change time",
    export_hint="NordPass: Settings → Export Items → CSV",
    manager="NordPass",
    required=frozenset(COLUMNS.split(",")),
    optional=frozenset(LATER_COLUMNS.split(",")),
    password="password",
    url="url",
    extra_urls="additional_urls",
    split_extra_urls=json_list,
    username="username",
    title="name",
    skip_row=_skip_non_password,
)
