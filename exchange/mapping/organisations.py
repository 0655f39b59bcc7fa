"""Corp.Upload, Project.Add and ProjectSubContractor.Add (docs/domain.md §2.2)."""

from __future__ import annotations

from enterprises.models import Enterprise, ParticipatingUnit

from .base import Mapper, as_datetime, compact


class CorpMapper(Mapper):
    method = "Corp.Upload"
    rank = 10
    label = "企业"
    required = {"corpCode": "统一社会信用代码", "corpName": "企业名称"}

    def rows(self, project):
        return Enterprise.objects.filter(participations__project=project).distinct()

    def describe(self, obj):
        return obj.name

    def item(self, obj, ctx):
        return compact(
            {
                "corpCode": obj.credit_code,
                "corpName": obj.name,
                "corpType": obj.reg_type,
                "areaCode": obj.district,
                "address": obj.address,
                "legalMan": obj.legal_rep,
                "regCapital": str(obj.registered_capital) if obj.registered_capital is not None else "",
                "capitalCurrencyType": "CNY" if obj.registered_capital is not None else "",
                "establishDate": obj.established_on.isoformat() if obj.established_on else "",
                "linkMan": obj.contact_name,
                "linkPhone": obj.contact_phone,
            }
        )


class ProjectMapper(Mapper):
    method = "Project.Add"
    update_method = "Project.PartUpdate"
    rank = 20
    label = "项目"
    required = {
        "projectCode": "项目编码",
        "name": "项目名称",
        "category": "项目分类",
        "areaCode": "项目所在地",
        "address": "项目地址",
        "contractorCorpCode": "总承包单位统一社会信用代码",
        "contractorCorpName": "总承包单位名称",
        "buildCorpCode": "建设单位统一社会信用代码",
        "buildCorpName": "建设单位名称",
        "prjStatus": "项目状态",
    }

    def changed(self, project, since):
        if since is None or project.updated_at > since:
            yield str(project.pk), project

    def load(self, project, keys):
        return {str(project.pk): project} if str(project.pk) in set(keys) else {}

    def describe(self, obj):
        return obj.name

    def item(self, obj, ctx):
        return compact(
            {
                "projectCode": obj.code,
                "name": obj.name,
                "description": obj.description,
                "category": obj.category,
                "areaCode": obj.district,
                "address": obj.address,
                "contractorCorpCode": obj.contractor_code,
                "contractorCorpName": obj.contractor_name,
                "buildCorpCode": obj.builder_code,
                "buildCorpName": obj.builder_name,
                "propertyNum": obj.nature,
                "prjStatus": obj.status,
                "invest": str(obj.total_investment) if obj.total_investment is not None else "",
                "buildingArea": str(obj.building_area) if obj.building_area is not None else "",
                "startDate": obj.start_date.isoformat() if obj.start_date else "",
                "completeDate": obj.completion_date.isoformat() if obj.completion_date else "",
                "linkMan": obj.contact_name,
                "linkPhone": obj.contact_phone,
                "lng": str(obj.lng) if obj.lng is not None else "",
                "lat": str(obj.lat) if obj.lat is not None else "",
                "builderLicenses": [
                    {"prjName": p.scope_name or obj.name, "builderLicenseNum": p.number}
                    for p in obj.permits.all()
                ],
            }
        )


class SubContractorMapper(Mapper):
    method = "ProjectSubContractor.Add"
    update_method = "ProjectSubContractor.Update"
    rank = 30
    label = "参建单位"
    required = {
        "projectCode": "项目编码",
        "corpCode": "统一社会信用代码",
        "corpName": "企业名称",
        "corpType": "参建类型",
        "entryTime": "进场时间",
    }

    def rows(self, project):
        return ParticipatingUnit.objects.filter(project=project).select_related("enterprise", "project")

    def describe(self, obj):
        return f"{obj.enterprise.name}（{obj.get_corp_type_display()}）"

    def requires(self, obj):
        return [("Project.Add", str(obj.project_id)), ("Corp.Upload", str(obj.enterprise_id))]

    def item(self, obj, ctx):
        return compact(
            {
                "projectCode": obj.project.code,
                "corpCode": obj.enterprise.credit_code,
                "corpName": obj.enterprise.name,
                "corpType": obj.corp_type,
                "entryTime": as_datetime(obj.entry_date),
                "exitTime": as_datetime(obj.exit_date),
                "pmName": obj.pm_name,
                "pmIDCardType": "01" if obj.pm_id_number else "",
                "pmIDCardNumber": ctx.secret(obj.pm_id_number),
                "pmPhone": obj.pm_phone,
            }
        )
