"""Active content in an uploaded PDF, found by reading the PDF's objects (docs/security.md, 5.2.2).

Scanned contracts and declaration attachments are PDFs that the platform stores and shows. A PDF
can carry JavaScript, launch actions, embedded files and the like; none belongs in a scan, so a
PDF holding any of them is refused. The PDF is parsed (pypdf) and every object reachable from its
trailer is looked at, so a name hidden in a compressed object stream, or written with #xx escapes
(/J#61vaScript), is seen as what it is; stream contents (page drawings, images) are never decoded.
"""

from __future__ import annotations

import io

# Names that only active content uses: scripts, launching programs, embedded files, rich media and
# XML forms. A scan has none of them.
ACTIVE_NAMES = frozenset(
    {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
# A scan has a few objects per page; a PDF with more than this many is not one, and walking it
# would cost the request more than it is worth.
MAX_OBJECTS = 100_000


class UnreadablePdf(Exception):
    """The PDF cannot be read (damaged, encrypted with a password, or far too complex)."""


def active_content(data: bytes) -> str | None:
    """The first active-content name found in the PDF `data`, or None. Raises UnreadablePdf."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("encrypted")
        pending, seen, visited = [reader.trailer], set(), 0
        while pending:
            node = pending.pop()
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                node = node.get_object()
            visited += 1
            if visited > MAX_OBJECTS:
                raise UnreadablePdf("too many objects")
            if isinstance(node, NameObject):
                if node in ACTIVE_NAMES:
                    return str(node)
            elif isinstance(node, DictionaryObject):  # a stream's dictionary too
                for name, value in node.items():
                    if name in ACTIVE_NAMES:
                        return str(name)
                    pending.append(value)
            elif isinstance(node, ArrayObject):
                pending.extend(node)
    except UnreadablePdf:
        raise
    except Exception as exc:  # noqa: BLE001 — whatever a crafted file makes the parser raise: unreadable
        raise UnreadablePdf(f"{type(exc).__name__}: {exc}") from exc
    return None
