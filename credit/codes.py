"""Code tables of the 诚信 records (docs/credit.md §2).

The national data standard names the tables (WorkerGoodRecords, WorkerBadRecords, WorkerBlackList,
SubContractorBlackList) but the platform holds no published dictionary for their categories; these
short tables follow the grounds the law gives (保障农民工工资支付条例 art. 48, 人社部令第45号 art. 6,
建筑工人实名制管理办法 art. 15) and are documented in docs/credit.md §2.
"""

from __future__ import annotations

from django.db import models


class RecordKind(models.TextChoices):
    GOOD = "good", "良好记录"
    BAD = "bad", "不良记录"
    BLACKLIST = "blacklist", "黑名单"
    JOINT = "joint", "失信联合惩戒对象名单"


LIST_KINDS = (RecordKind.BLACKLIST, RecordKind.JOINT)


class BadCategory(models.TextChoices):
    """不良行为类别."""

    WAGE_ARREARS = "B01", "拖欠、克扣农民工工资"
    NO_CONTRACT = "B02", "未按规定签订或履行劳动合同"
    SAFETY = "B03", "违章作业、违反安全生产规定"
    UNLAWFUL_CLAIM = "B04", "以非法手段讨要工资"
    FALSIFIED = "B05", "提供虚假实名制信息、证件或考勤"
    SUBCONTRACTING = "B06", "违法分包、转包、挂靠"
    OTHER = "B99", "其他不良行为"


class GoodCategory(models.TextChoices):
    """奖励类别."""

    COMMENDATION = "G01", "政府部门表彰奖励"
    SKILL_CONTEST = "G02", "职业技能竞赛获奖"
    GOOD_DEED = "G03", "见义勇为、好人好事"
    EXEMPLARY = "G04", "优秀班组、优秀企业"
    OTHER = "G99", "其他良好行为"


CATEGORY_LABELS = {**dict(BadCategory.choices), **dict(GoodCategory.choices)}


class RecordStatus(models.TextChoices):
    PROPOSED = "proposed", "待确认"
    ACTIVE = "active", "有效"
    REJECTED = "rejected", "未采纳"
    ENDED = "ended", "已移出/已终止"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待答复"
    UPHELD = "upheld", "申诉成立（记录已撤销）"
    DISMISSED = "dismissed", "维持原记录"
