"""Bitwarden's "File format: .zip (with attachments)" export, laid out as its exporter writes it.

bitwarden/clients `individual-vault-export.service.ts` (`getDecryptedExportZip`, JSZip):
`data.json` (the unencrypted JSON export) at the root, then the folder `attachments/` and,
for each item with attachments, `attachments/<item id>/` holding each file under its own
name (JSZip writes the folders as entries of their own). Proton Pass's importer reads the
same layout (ProtonMail/WebClients `bitwarden.archive.reader.ts`). Stored, not deflated, and
with a fixed time, so the same inputs give the same bytes (the committed fixture is checked so).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

REAL_JSON = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "keepassxc-bitwarden_export.json"
# The login of the real JSON export and a file attached to it: the committed fixture's contents.
LOGIN_ID = "dddddddd-dddd-dddd-dddd-dddddddddddd"
ATTACHMENTS = {LOGIN_ID: {"recovery-codes.txt": b"attached text, not an export\n"}}
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "constructed" / "bitwarden-attachments.zip"
WHEN = (2024, 6, 1, 12, 0, 0)


def build(path: Path, data_json: bytes, attachments: dict[str, dict[str, bytes]], *, data_name: str = "data.json") -> Path:
    """Write a Bitwarden ZIP export: `data_json` as `data_name`, each item's files under `attachments/<id>/`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo(data_name, WHEN), data_json)
        archive.writestr(zipfile.ZipInfo("attachments/", WHEN), b"")
        for item_id, files in attachments.items():
            archive.writestr(zipfile.ZipInfo(f"attachments/{item_id}/", WHEN), b"")
            for name, content in files.items():
                archive.writestr(zipfile.ZipInfo(f"attachments/{item_id}/{name}", WHEN), content)
    return path


if __name__ == "__main__":  # python -m tests.support.bitwarden_zip: (re)write the committed fixture
    build(FIXTURE, REAL_JSON.read_bytes(), ATTACHMENTS)
