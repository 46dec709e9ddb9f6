"""Files that are another kind of document than a password export, named for what they are.

When no reader takes a file, "binary data" or "ZIP archive without a recognised export" tells
the person nothing they can act on. A spreadsheet the export was opened and saved in, a PDF
printout, a GnuPG-encrypted export or a password-protected Office file are recognisable from
their first bytes or their ZIP members; each is named with how to get a file pwcheck reads.
Nothing here reads their content beyond what names them (an ODF `mimetype` member, at most
`MIMETYPE_BYTES`), and nothing here is ever read as credentials: the error is exit 2.

A spreadsheet is not read even though it holds the table: opening a CSV in one can change
passwords (a leading `=` or `+` taken for a formula, digits for a number, text for a date),
so the exact passwords are only in a fresh export from the manager.
"""

from __future__ import annotations

from pwcheck.model.errors import InputError
from pwcheck.sources._input import InputFile
from pwcheck.sources._zip import member_names, read_member

PDF_MAGIC = b"%PDF-"
# Microsoft's Compound File Binary format (OLE2): Excel 97-2003, Word 97-2003, and any Office
# file saved with a password (its `EncryptionInfo` and `EncryptedPackage` streams).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MIMETYPE_BYTES = 200

AGAIN = "export the passwords again from the password manager as CSV, audit that file, then delete both"
SPREADSHEET = ("spreadsheet ({}), not a password export; a spreadsheet may have changed passwords "
               "(formulas, numbers, dates): " + AGAIN)
OFFICE = "{}, not a password export: " + AGAIN
PDF = "PDF document, not a password export (a printout cannot be read exactly): " + AGAIN.replace(" again", "")
PGP = ("PGP-encrypted file: decrypt it straight into pwcheck without writing it to disk "
       "(pwcheck audit <(gpg -d FILE)), or export again without encryption, audit it, then delete it")

# ODF `mimetype` -> what the document is.
ODF_KINDS = {
    "application/vnd.oasis.opendocument.spreadsheet": SPREADSHEET.format("OpenDocument .ods"),
    "application/vnd.oasis.opendocument.text": OFFICE.format("text document (OpenDocument .odt)"),
}
# UTF-16LE stream names in an OLE2 file's directory -> what the file is (first found wins).
OLE2_STREAMS = (
    ("EncryptedPackage", OFFICE.format("password-protected Office document (such as a spreadsheet saved with a "
                                       "password), which pwcheck cannot open")),
    ("Workbook", SPREADSHEET.format("Excel 97-2003 .xls")),
    ("Book", SPREADSHEET.format("Excel 5 .xls")),
    ("WordDocument", OFFICE.format("Word 97-2003 document (.doc)")),
)
# OpenPGP packets an encrypted message starts with: tag 1 (public-key encrypted session key,
# versions 3 and 6) and tag 3 (symmetric-key encrypted session key, versions 4 to 6).
PGP_VERSIONS = {1: (3, 6), 3: (4, 5, 6)}


def named(inp: InputFile) -> str | None:
    """What `inp` is when it is recognisably another kind of document, with what to do; else None."""
    head = inp.head
    if head.startswith(PDF_MAGIC):
        return PDF
    if head.startswith(OLE2_MAGIC):
        return _ole2(head)
    if inp.kind == "pgp" or _openpgp_binary(head):
        return PGP
    if inp.kind == "zip":
        return _zip_document(inp)
    return None


def _ole2(head: bytes) -> str:
    for stream, message in OLE2_STREAMS:
        if stream.encode("utf-16-le") + b"\x00\x00" in head:
            return message
    return OFFICE.format("Microsoft Office document (OLE2 compound file)")


def _zip_document(inp: InputFile) -> str | None:
    names = member_names(inp)
    if "mimetype" in names:
        try:
            kind = read_member(inp, "mimetype", cap=MIMETYPE_BYTES).decode("ascii", errors="replace").strip()
        except InputError:  # broken, or longer than any ODF mimetype: the archive is not named
            return None
        return ODF_KINDS.get(kind, OFFICE.format("OpenDocument file") if kind.startswith("application/vnd.oasis") else None)
    if "[Content_Types].xml" in names:
        if any(name.startswith("xl/") for name in names):
            return SPREADSHEET.format("Excel .xlsx")
        if any(name.startswith("word/") for name in names):
            return OFFICE.format("Word document (.docx)")
        return OFFICE.format("Office Open XML document")
    return None


def _openpgp_binary(head: bytes) -> bool:
    """Whether `head` starts with the session-key packet of a binary OpenPGP message (`gpg -e` without `-a`)."""
    if len(head) < 8:
        return False
    first = head[0]
    if first & 0xC0 == 0x80:  # old packet format: tag in bits 5-2, length type in bits 1-0
        tag, length_type = (first >> 2) & 0x0F, first & 0x03
        if length_type == 3:
            return False
        version_at = 1 + (1, 2, 4)[length_type]
    elif first & 0xC0 == 0xC0:  # new packet format: tag in bits 5-0, then a 1, 2 or 5 octet length
        tag, length = first & 0x3F, head[1]
        if 224 <= length < 255:
            return False  # a partial length: never a session-key packet
        version_at = 2 if length < 192 else 3 if length < 224 else 6
    else:
        return False
    return head[version_at] in PGP_VERSIONS.get(tag, ())
