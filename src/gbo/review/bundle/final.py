"""The released bundle: the approved bundle's files unchanged, plus the review record.

``review-record.json`` (format ``gbo-review-record``, version 1; names in
:mod:`gbo.bundle.format`) says which content hash was
released, by whom and when, the quorum, and every counted decision (reviewer, outcome, hash,
time). The approved ``bundle.json`` is kept byte for byte, so its content hash can still be
checked against the files; the record sits beside it and is not listed in it, and
:func:`gbo.bundle.verify_bundle` checks that it names the same content hash.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import IO, Any

from gbo.bundle.format import REVIEW_RECORD_JSON
from gbo.review.bundle.archive import MB, read_member


def write_final_bundle(approved: IO[bytes], record: dict[str, Any]) -> bytes:
    """The final zip: every member of the approved bundle, then ``review-record.json``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(approved) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename == REVIEW_RECORD_JSON:
                continue
            data = read_member(source, info, 1024 * MB)
            target.writestr(info.filename, data)
        target.writestr(REVIEW_RECORD_JSON, json.dumps(record, indent=2, sort_keys=True) + "\n")
    return out.getvalue()
