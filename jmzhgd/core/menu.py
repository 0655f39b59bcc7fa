"""The manual's menu (docs/requirements.md §11), showing only what the signed-in role may use.

Each entry names its URL; a project user's entries point into its own project, a supervisor's into
the supervisor pages. An entry whose page is not part of the platform yet is left out rather than
shown as a dead link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str
    project_scoped: bool = False


PROJECT_MENU = [
    MenuItem("项目总览", "projects:overview", "speedometer2", project_scoped=True),
    MenuItem("项目库", "projects:card", "building", project_scoped=True),
    MenuItem("企业库", "enterprises:list", "briefcase"),
    MenuItem("参建单位管理", "enterprises:unit_list", "diagram-3", project_scoped=True),
    MenuItem("项目班组管理", "enterprises:team_list", "people", project_scoped=True),
    MenuItem("项目人员花名册", "workforce:roster", "person-vcard", project_scoped=True),
    MenuItem("人员信息修改申请", "workforce:proposals", "person-check", project_scoped=True),
    MenuItem("人证比对", "workforce:face_matches", "bounding-box", project_scoped=True),
    MenuItem("项目考勤", "attendance:month", "calendar-check", project_scoped=True),
    MenuItem("合同管理", "contracts:list", "file-earmark-text", project_scoped=True),
    MenuItem("培训管理", "training:list", "mortarboard", project_scoped=True),
    MenuItem("诚信记录", "credit:project_list", "shield-exclamation", project_scoped=True),
    MenuItem("工资管理", "wages:ledger", "cash-coin", project_scoped=True),
    MenuItem("预警", "alerts:project_list", "exclamation-triangle", project_scoped=True),
    MenuItem("数据对接", "exchange:page", "cloud-upload", project_scoped=True),
    MenuItem("接口凭证", "api_credentials:project_list", "key", project_scoped=True),
    MenuItem("项目档案", "records:dossier", "file-earmark-zip", project_scoped=True),
    MenuItem("审计日志", "core:project_audit_log", "journal-text", project_scoped=True),
    MenuItem("验证签章", "core:verify_seal", "patch-check"),
    MenuItem("技术服务支持", "core:support", "headset"),
]

# A 考勤员 (a project's phone for 移动考勤, docs/geofence.md) has one page.
ATTENDANT_MENU = [
    MenuItem("移动考勤", "attendance:fence_punch", "geo-alt", project_scoped=True),
]

SUPERVISOR_MENU = [
    MenuItem("监管总览", "projects:dashboard", "speedometer2"),
    MenuItem("预警中心", "alerts:center", "exclamation-triangle"),
    MenuItem("申报审核", "projects:review_list", "clipboard-check"),
    MenuItem("项目库", "projects:list", "building"),
    MenuItem("企业库", "enterprises:list", "briefcase"),
    MenuItem("人员信息修改申请", "workforce:city_proposals", "person-check"),
    MenuItem("项目账号", "projects:account_list", "person-badge"),
    MenuItem("工资监管", "wages:arrears", "cash-coin"),
    MenuItem("工资保证金", "deposits:coverage", "safe"),
    MenuItem("诚信与黑名单", "credit:supervise", "shield-exclamation"),
    MenuItem("接口凭证", "api_credentials:list", "key"),
    MenuItem("法律保全", "records:holds", "shield-lock"),
    MenuItem("审计日志", "core:audit_log", "journal-text"),
    MenuItem("验证签章", "core:verify_seal", "patch-check"),
    MenuItem("技术服务支持", "core:support", "headset"),
]


def _resolve(item: MenuItem, project_id: int | None) -> str | None:
    try:
        if item.project_scoped:
            return reverse(item.url_name, kwargs={"project_id": project_id})
        return reverse(item.url_name)
    except NoReverseMatch:
        return None


def menu_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    if user.is_project_user:
        items, project_id = PROJECT_MENU, user.project_id
    elif user.is_attendant:
        items, project_id = ATTENDANT_MENU, user.project_id
    elif user.is_supervisor or user.is_superuser:
        items, project_id = SUPERVISOR_MENU, None
    else:
        return []
    entries = []
    for item in items:
        url = _resolve(item, project_id)
        if url:
            entries.append({"label": item.label, "url": url, "icon": item.icon, "name": item.url_name})
    return entries
