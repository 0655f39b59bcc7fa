from django.urls import path

from . import views, views_entry, views_face, views_offline, views_persons, views_proposals

app_name = "workforce"

P = "projects/<int:project_id>/"

# The roster list, its export and the person page: jmzhgd.portal.urls (they read contracts too).
urlpatterns = [
    path(P + "roster/<int:entry_id>/exit/", views.exit_entry, name="exit"),
    path(P + "roster/batch-exit/", views.batch_exit, name="batch_exit"),
    path(P + "roster/enter/", views_entry.enter_select, name="enter"),
    path(P + "roster/enter/details/", views_entry.enter_details, name="enter_details"),
    path(P + "roster/enter/options/", views_entry.entry_options, name="entry_options"),
    path(P + "persons/new/", views_persons.person_create, name="person_create"),
    path(P + "persons/<int:person_id>/edit/", views_persons.person_edit, name="person_edit"),
    path(P + "persons/<int:person_id>/image/<str:image_kind>/", views.person_image, name="person_image"),
    path(P + "collect/", views_persons.collect, name="collect"),
    path(P + "face-matches/", views_face.face_matches, name="face_matches"),
    path(P + "face-matches/<int:match_id>/", views_face.face_match, name="face_match"),
    path(
        P + "face-matches/<int:match_id>/<str:image_kind>/",
        views_face.face_match_image,
        name="face_match_image",
    ),
    # The offline 采集 app (docs/offline-collection.md): its queue's endpoint, manifest and service worker.
    path(P + "collect/records/", views_offline.collect_record, name="collect_record"),
    path(P + "collect/manifest.webmanifest", views_offline.collect_manifest, name="collect_manifest"),
    path(P + "collect/sw.js", views_offline.collect_service_worker, name="collect_sw"),
    path(P + "persons/proposals/", views_proposals.project_proposals, name="proposals"),
    path(P + "persons/proposals/<int:proposal_id>/", views_proposals.project_proposal, name="proposal"),
    path(P + "persons/proposals/<int:proposal_id>/decide/", views_proposals.decide, name="proposal_decide"),
    path("persons/proposals/", views_proposals.city_proposals, name="city_proposals"),
    path("persons/proposals/<int:proposal_id>/", views_proposals.city_proposal, name="city_proposal"),
]

# 批量人员进场 (docs/requirements.md §7)
from .urls_import import urlpatterns as import_urlpatterns  # noqa: E402

urlpatterns += import_urlpatterns
