"""Active content in an uploaded PDF, found by reading the PDF's objects (docs/security.md, 5.2.2).

Scanned contracts and declaration attachments are PDFs that the platform stores and shows. A PDF
can carry JavaScript, launch actions, embedded files and the like; none belongs in a scan, so a
PDF holding any of them is refused. The PDF is parsed (pypdf) and every object reachable from its
trailer is looked at, so a name hidden in a compressed object stream, or written with #xx escapes
(/J#61vaScript), is seen as what it is; stream contents (page drawings, images) are never decoded.
"""

from __future__ import annotations

import io

# Names that only active content uses, with the reason given to the uploader: scripts, launching
# programs, embedded files, rich media, XML forms, and the actions that send the form or fetch
# data or another file (a /GoToR to \\host\share makes Windows hand the user's NTLM hash to that
# host). A scan has none of them.
ACTIVE_NAMES = {
    "/JavaScript": "脚本（JavaScript）",
    "/JS": "脚本（JavaScript）",
    "/Launch": "启动程序的动作（Launch）",
    "/EmbeddedFile": "嵌入文件",
    "/EmbeddedFiles": "嵌入文件",
    "/RichMedia": "多媒体内容（RichMedia）",
    "/XFA": "XFA 表单",
    "/SubmitForm": "提交表单的动作（SubmitForm）",
    "/ImportData": "导入数据的动作（ImportData）",
    "/GoToR": "打开其他文件的动作（GoToR）",
    "/GoToE": "打开嵌入文件的动作（GoToE）",
}
# Keys whose actions run by themselves: on opening the document, or on opening a page, focusing a
# field and the like (/AA, "additional actions"). A link the reader clicks is fine; a web address
# visited merely by opening the file (a tracking beacon) is not.
AUTOMATIC_ACTION_KEYS = ("/OpenAction", "/AA")
OPEN_URI = "打开时访问网址的动作（URI）"
SCRIPT_URI = "javascript: 链接"
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
# A scan has a few objects per page; a PDF with more than this many is not one, and walking it
# would cost the request more than it is worth.
MAX_OBJECTS = 100_000


class UnreadablePdf(Exception):
    """The PDF cannot be read (damaged, encrypted with a password, or far too complex)."""


def active_content(data: bytes) -> str | None:
    """Why the PDF `data` is refused (the first active content found, in Chinese), or None.

    Raises UnreadablePdf."""
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
                    return ACTIVE_NAMES[node]
            elif isinstance(node, DictionaryObject):  # a stream's dictionary too
                reason = _dictionary_reason(node)
                if reason:
                    return reason
                pending.extend(node.values())
            elif isinstance(node, ArrayObject):
                pending.extend(node)
    except UnreadablePdf:
        raise
    except Exception as exc:  # noqa: BLE001 — whatever a crafted file makes the parser raise: unreadable
        raise UnreadablePdf(f"{type(exc).__name__}: {exc}") from exc
    return None


def _dictionary_reason(node) -> str | None:
    """Active content that a dictionary holds in its keys or its values' text."""
    for name in node:
        if name in ACTIVE_NAMES:
            return ACTIVE_NAMES[name]
    if _text(node.get("/URI")).startswith(SCRIPT_SCHEMES):
        return SCRIPT_URI
    for key in AUTOMATIC_ACTION_KEYS:
        if key in node and _runs_uri(node[key]):
            return OPEN_URI
    return None


def _text(value) -> str:
    """A PDF string as the reader would act on it: without blanks and control characters, lowercase."""
    from pypdf.generic import IndirectObject

    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if ch > " ").lower()


def _runs_uri(value, depth: int = 0) -> bool:
    """Whether an /OpenAction, or one of the actions under /AA, is (or chains via /Next to) a /URI."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if depth > 32:  # a chain this long is no document's; the walk in active_content still sees it all
        return True
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, ArrayObject):  # /OpenAction as a destination array, or a /Next list
        return any(_runs_uri(item, depth + 1) for item in value if not _is_page(item))
    if not isinstance(value, DictionaryObject):
        return False
    if value.get("/S") == "/URI":
        return True
    if "/S" not in value:  # /AA: a dictionary of triggers, each an action
        return any(_runs_uri(action, depth + 1) for action in value.values())
    return "/Next" in value and _runs_uri(value["/Next"], depth + 1)


def _is_page(item) -> bool:
    from pypdf.generic import IndirectObject

    if isinstance(item, IndirectObject):
        item = item.get_object()
    return getattr(item, "get", lambda _key: None)("/Type") == "/Page"
