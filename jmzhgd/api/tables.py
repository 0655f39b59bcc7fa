import django_tables2 as tables

from .models import ApiCredential


class CredentialTable(tables.Table):
    app_key = tables.Column(verbose_name="App Key", attrs={"td": {"class": "font-monospace"}})
    project_names = tables.Column(verbose_name="授权项目", empty_values=(), orderable=False)
    status = tables.Column(verbose_name="状态", accessor="status_label", orderable=False)
    created_by = tables.Column(verbose_name="创建人", default="—")
    created_at = tables.DateTimeColumn(verbose_name="创建时间", format="Y-m-d H:i")
    last_used_at = tables.DateTimeColumn(verbose_name="最后使用", format="Y-m-d H:i", default="从未使用")
    actions = tables.TemplateColumn(
        template_name="api/_credential_actions.html", verbose_name="操作", orderable=False
    )

    class Meta:
        model = ApiCredential
        fields = ["name", "app_key", "project_names", "status", "created_by", "created_at", "last_used_at"]
        empty_text = "暂无接口凭证"

    def __init__(self, *args, visible_project_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_project_ids = visible_project_ids

    def render_project_names(self, record):
        # Only the projects the viewer may see: a shared credential must not reveal other projects.
        names = [p.name for p in record.projects.all() if p.pk in self.visible_project_ids]
        hidden = len(record.projects.all()) - len(names)
        return "、".join(names) + (f" 等（另有 {hidden} 个项目）" if hidden else "")
