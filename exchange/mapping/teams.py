"""Team.Add (docs/domain.md §2.2): a team waits for its 参建单位; the province answers teamSysNo."""

from __future__ import annotations

from enterprises.models import Team

from .base import Mapper, as_datetime, compact


class TeamMapper(Mapper):
    method = "Team.Add"
    update_method = "Team.Update"
    rank = 40
    label = "班组"
    required = {
        "projectCode": "项目编码",
        "corpCode": "统一社会信用代码",
        "corpName": "企业名称",
        "teamName": "班组名称",
        "entryTime": "进场时间",
    }

    def rows(self, project):
        return Team.objects.filter(project=project).select_related("project", "unit__enterprise")

    def describe(self, obj):
        return obj.name

    def requires(self, obj):
        return [("ProjectSubContractor.Add", str(obj.unit_id))]

    def for_update(self, obj, ctx, header, item):
        # Team.Update names the team by the number the province gave it.
        return header, {**item, "teamSysNo": ctx.team_no(obj.pk)}

    def item(self, obj, ctx):
        return compact(
            {
                "projectCode": obj.project.code,
                "corpCode": obj.unit.enterprise.credit_code,
                "corpName": obj.unit.enterprise.name,
                "teamName": obj.name,
                "teamLeaderName": obj.leader_name,
                "teamLeaderPhone": obj.leader_phone,
                "teamLeaderIDCardType": "01" if obj.leader_id_number else "",
                "teamLeaderIDNumber": ctx.secret(obj.leader_id_number),
                "responsiblePersonName": obj.responsible_name,
                "responsiblePersonPhone": obj.responsible_phone,
                "responsiblePersonIDCardType": "01" if obj.responsible_id_number else "",
                "responsiblePersonIDNumber": ctx.secret(obj.responsible_id_number),
                "remark": obj.remark,
                "entryTime": as_datetime(obj.entry_date),
                "exitTime": as_datetime(obj.exit_date),
            }
        )
