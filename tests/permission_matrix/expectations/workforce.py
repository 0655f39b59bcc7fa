"""人员库 and 花名册 URLs (SPEC §7). Builders create an on-site roster entry, and a person with a photo
who is on the roster of the given project."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image

from tests import factories

from ..spec import PROJECT_FORM, PROJECT_PAGE, Expect

EXPECTATIONS = {
    "workforce:roster": PROJECT_PAGE,
    "workforce:roster_export": PROJECT_PAGE,
    "workforce:exit": PROJECT_FORM,
    # An empty batch-exit post goes back to the roster with a message.
    "workforce:batch_exit": Expect(method="POST", supervisor=403, own=302),
    "workforce:enter": PROJECT_FORM,
    # Step 2 without a selection sends the project back to step 1.
    "workforce:enter_details": Expect(supervisor=403, own=302),
    "workforce:entry_options": PROJECT_PAGE,
    "workforce:person_create": PROJECT_FORM,
    "workforce:person_detail": PROJECT_PAGE,
    "workforce:person_edit": PROJECT_FORM,
    # Revealing the full ID number is allowed to whoever may read the project (audited).
    "workforce:person_reveal": Expect(method="POST", supervisor=200, own=200),
    "workforce:person_image": PROJECT_PAGE,
    "workforce:collect": PROJECT_FORM,
}


def _entry(project):
    return factories.RosterEntryFactory(team__unit__project=project)


def _person_with_photo(project) -> int:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), "gray").save(out, "JPEG")
    entry = _entry(project)
    entry.person.photo.save("face.jpg", ContentFile(out.getvalue()))
    return entry.person_id


KWARGS = {
    "entry_id": lambda project: _entry(project).pk,
    "person_id": _person_with_photo,
    "image_kind": lambda project: "photo",
}
