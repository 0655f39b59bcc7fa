"""The declared list page of a project: a class names its template, title, filterset, table and
scoped queryset, and the view does the rest the same way on every list (docs/architecture.md pattern 1 for the
scope): the project is resolved for the caller (another project's is a 404), the rows are filtered,
sorted and paginated with ?per_page clamped (`paginate_table`), and, where the list declares an
`export_action`, `export_view()` serves the whole filtered table as .xlsx and audits the export.

A list is a few declared lines and `get_queryset` (enterprises.views_units.UnitListView, say).
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from . import audit
from .access import can_write_project, project_for, require_supervisor
from .actor import Actor
from .excel import Sheet, xlsx_response
from .tables import paginate_table

PAGE_ONLY_COLUMNS = ("actions",)  # buttons on the page, not data in the file


def table_xlsx(actor: Actor, project, table, *, title: str, action: str):
    """The whole filtered table (not one page) as .xlsx; the export itself is audit-logged."""
    values = table.as_values(exclude_columns=PAGE_ONLY_COLUMNS)
    header = next(values)
    sheet = Sheet(
        name=title,
        title=f"{project.name} {title}（{timezone.localdate():%Y-%m-%d} 导出）",
        header=header,
        rows=values,
        column_widths=[24] * len(header),
    )
    audit.record(actor, action, project, project=project, summary=f"导出{title}")
    return xlsx_response(f"{project.code}_{title}_{timezone.localdate():%Y%m%d}.xlsx", [sheet])


class DeclaredListView(LoginRequiredMixin, View):
    """A list page: declare the class attributes and `get_queryset`; `open_scope` says whose rows they
    are: ProjectListView for one project's, SupervisorListView for a supervisor's scope."""

    template_name: str
    title: str
    filterset_class = None
    table_class = None
    per_page: int | None = None  # None: settings.PAGE_SIZE
    export_action = ""  # the audit action of the .xlsx export; "" when the list has none
    exporting = False  # set by export_view()

    def open_scope(self, request, **kwargs) -> dict:
        """Check the caller may see the list (404 otherwise) and return the scope's context. Here: any
        signed-in user, whose rows `get_queryset` scopes (the shared 企业库)."""
        return {}

    def get_queryset(self):
        raise NotImplementedError

    def filterset_kwargs(self) -> dict:
        return {}

    def get_filterset(self):
        return self.filterset_class(self.request.GET, queryset=self.get_queryset(), **self.filterset_kwargs())

    def get_table(self, filterset):
        return self.table_class(filterset.qs)

    def known_count(self, filterset) -> int | None:
        """The rows' total when the page already knows it (spares the paginator its COUNT)."""
        return None

    def extra_context(self) -> dict:
        """What the page shows beside its list (tabs, counts)."""
        return {}

    def export(self, table):
        raise NotImplementedError

    def get(self, request, **kwargs):
        scope = self.open_scope(request, **kwargs)
        filterset = self.get_filterset()
        table = self.get_table(filterset)
        if self.exporting:
            return self.export(table)
        paginate_table(request, table, self.per_page, count=self.known_count(filterset))
        context = {**scope, "filter": filterset, "table": table, "title": self.title}
        return render(request, self.template_name, {**context, **self.extra_context()})

    @classmethod
    def export_view(cls):
        assert cls.export_action, f"{cls.__name__} declares no export_action"
        return cls.as_view(exporting=True)


class ProjectListView(DeclaredListView):
    """A list under /projects/<project_id>/…: the project's rows (another project's is a 404)."""

    def open_scope(self, request, *, project_id) -> dict:
        self.project = project_for(request, project_id)
        return {"project": self.project, "can_write": can_write_project(request.user, self.project)}

    def export(self, table):
        actor = Actor.from_request(self.request)
        return table_xlsx(actor, self.project, table, title=self.title, action=self.export_action)


class SupervisorListView(DeclaredListView):
    """A supervisor's list over his scope (anyone else gets a 404)."""

    def open_scope(self, request) -> dict:
        require_supervisor(request.user)
        return {}
