"""Code tables and rules of the person's certificates (the national standard's PersonalCertifications).

No national code list of 证书种类/证书类型 was found (the standard names the record, not its tables), so
these are local tables after the law that sets them: 建筑施工特种作业人员管理规定 (住建部 建质〔2008〕75号:
建筑电工, 建筑架子工, 建筑起重信号司索工, 建筑起重机械司机, 建筑起重机械安装拆卸工, 高处作业吊篮安装拆卸工)
and 特种作业人员安全技术培训考核管理规定 (应急管理部: 焊接与热切割作业, 电工作业).
"""

from __future__ import annotations

from datetime import date

from django.db import models


class CertificateKind(models.TextChoices):
    """证书种类."""

    CONSTRUCTION_SPECIAL = "01", "建筑施工特种作业操作资格证书"
    SAFETY_SPECIAL = "02", "特种作业操作证"
    SKILL = "03", "职业技能等级证书"
    POST = "04", "岗位证书"
    SAFETY_EXAM = "05", "安全生产考核合格证书"
    OTHER = "99", "其他"


class CertificateType(models.TextChoices):
    """证书类型 (the 特种作业 a certificate allows)."""

    ELECTRICIAN = "01", "建筑电工"
    SCAFFOLDER = "02", "建筑架子工"
    SIGNALLER = "03", "建筑起重信号司索工"
    TOWER_CRANE_DRIVER = "04", "建筑起重机械司机（塔式起重机）"
    HOIST_DRIVER = "05", "建筑起重机械司机（施工升降机）"
    MATERIAL_HOIST_DRIVER = "06", "建筑起重机械司机（物料提升机）"
    CRANE_INSTALLER = "07", "建筑起重机械安装拆卸工"
    GONDOLA_INSTALLER = "08", "高处作业吊篮安装拆卸工"
    WELDER = "09", "焊接与热切割作业"
    ELECTRICAL_WORK = "10", "电工作业"
    OTHER = "99", "其他"


class CertificateGrade(models.TextChoices):
    """等级 (a skill certificate's level; 特种作业 certificates have none)."""

    JUNIOR = "5", "初级工"
    MIDDLE = "4", "中级工"
    SENIOR = "3", "高级工"
    TECHNICIAN = "2", "技师"
    SENIOR_TECHNICIAN = "1", "高级技师"


class CertificateStatus(models.TextChoices):
    """状态 as recorded (有效/注销/暂扣/过期); a 有效 one past its date is 过期 all the same (`is_valid_on`)."""

    VALID = "1", "有效"
    CANCELLED = "2", "注销"
    SUSPENDED = "3", "暂扣"
    EXPIRED = "4", "过期"


EXPIRING_DAYS = 30

# 工种 (national workType) → the certificate type its work needs, seeded into WorkTypeCertificate
# (editable in the admin like the 工种 table itself).
SEEDED_REQUIREMENTS = {
    "030": CertificateType.SCAFFOLDER,  # 架子工
    "130": CertificateType.ELECTRICIAN,  # 建筑电工
    "170": CertificateType.SIGNALLER,  # 起重信号工
    "180": CertificateType.CRANE_INSTALLER,  # 建筑起重机械安装拆卸工
    "270": CertificateType.WELDER,  # 电焊工
}


def is_valid_on(status: str, valid_until: date | None, day: date) -> bool:
    return status == CertificateStatus.VALID and (valid_until is None or valid_until >= day)
