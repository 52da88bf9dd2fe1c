"""Limits on uploaded workbooks before anything parses them: an XLSX (or any zip) may not
unpack to more than MAX_UNPACKED bytes or hold more than MAX_ENTRIES files, so a small zip
bomb is refused in milliseconds instead of filling the server's memory."""

import io
import zipfile

from django.utils.translation import gettext as _

MAX_UPLOAD = 10 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ENTRIES = 1000


class TooLarge(ValueError):
    """The upload is larger than the platform reads; the message says the limit."""


def check(data: bytes) -> None:
    if len(data) > MAX_UPLOAD:
        raise TooLarge(_("The file is too large: at most %(mb)s MB.") % {"mb": MAX_UPLOAD >> 20})
    if not data.startswith(b"PK"):
        return
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return  # the reader that follows says the file cannot be read
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED:
        raise TooLarge(
            _("The workbook unpacks to more than %(mb)s MB, more than the platform reads.")
            % {"mb": MAX_UNPACKED >> 20}
        )
