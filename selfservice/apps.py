from django.apps import AppConfig


class SelfServiceConfig(AppConfig):
    name = "selfservice"
    verbose_name = "工人自助查询"

    def ready(self) -> None:
        from jmzhgd.core import panels

        panels.register("project_overview", _poster_link)


def _poster_link(request, project=None, **context) -> str:
    from django.template.loader import render_to_string

    return render_to_string("selfservice/_poster_link.html", {"project": project}, request=request)
