"""Code tables that never change in practice (docs/architecture.md pattern 8).

Codes and names follow the national data standard (全国建筑工人管理服务信息平台数据标准) as recorded in
docs/domain.md §3, so data can be exchanged later without a mapping layer. Lists that
the bureau extends (工种, 管理岗位) are database tables instead: see jmzhgd.core.models.
"""

from __future__ import annotations

from django.db import models


class CorpType(models.TextChoices):
    """参建单位类型 (ProjectSubContractor.corpType), docs/domain.md §3.1."""

    PROFESSIONAL_SUB = "001", "专业分包"
    EQUIPMENT_SUB = "002", "设备分包"
    MATERIAL_SUB = "003", "材料分包"
    LOGISTICS = "004", "后勤服务"
    SPECIAL_EQUIPMENT = "005", "特殊设备"
    LABOUR_SUB = "006", "劳务分包"
    SUPERVISION = "007", "监理"
    BUILDER = "008", "建设单位"
    GENERAL_CONTRACTOR = "009", "总承包单位"
    SURVEY = "010", "勘察"
    DESIGN = "011", "设计单位"
    OTHER = "012", "其它"


# The 管理人员班组 created for every participating unit is named after its type (docs/requirements.md §6).
MANAGEMENT_TEAM_NAMES = {
    CorpType.PROFESSIONAL_SUB: "专业分包项目部",
    CorpType.EQUIPMENT_SUB: "设备分包项目部",
    CorpType.MATERIAL_SUB: "材料分包项目部",
    CorpType.LOGISTICS: "后勤服务项目部",
    CorpType.SPECIAL_EQUIPMENT: "特殊设备项目部",
    CorpType.LABOUR_SUB: "劳务分包项目部",
    CorpType.SUPERVISION: "监理项目部",
    CorpType.BUILDER: "建设单位项目部",
    CorpType.GENERAL_CONTRACTOR: "总承包单位项目部",
    CorpType.SURVEY: "勘察项目部",
    CorpType.DESIGN: "设计单位项目部",
    CorpType.OTHER: "其它单位项目部",
}


class WorkerRole(models.TextChoices):
    """工人类型 workRole, docs/domain.md §3.3."""

    MANAGER = "10", "管理人员"
    WORKER = "20", "建筑工人"


class PersonCategory(models.TextChoices):
    """人员类别 on the roster (docs/requirements.md §7). Maps onto workRole: 管理人员 → 10, the others → 20."""

    WORKER = "worker", "建筑工人"
    OTHER = "other", "其他人员"
    MANAGER = "manager", "管理人员"

    @property
    def worker_role(self) -> str:
        return WorkerRole.MANAGER if self is PersonCategory.MANAGER else WorkerRole.WORKER


class TeamType(models.TextChoices):
    """班组类型 (docs/requirements.md §6)."""

    MANAGEMENT = "management", "管理人员班组"
    WORKER = "worker", "建筑工人班组"
    OTHER = "other", "其他人员班组"


# Which roster category a team type holds.
TEAM_TYPE_FOR_CATEGORY = {
    PersonCategory.WORKER: TeamType.WORKER,
    PersonCategory.OTHER: TeamType.OTHER,
    PersonCategory.MANAGER: TeamType.MANAGEMENT,
}


class IdCardType(models.TextChoices):
    """人员证件类型 idCardType, docs/domain.md §3.4."""

    RESIDENT_ID = "01", "居民身份证"
    OFFICER = "02", "军官证"
    ARMED_POLICE_OFFICER = "03", "武警警官证"
    SOLDIER = "04", "士兵证"
    MILITARY_RETIRED = "05", "军队离退休干部证"
    DISABILITY = "06", "残疾人证"
    DISABLED_SOLDIER = "07", "残疾军人证(1-8级)"
    PASSPORT = "08", "护照"
    HK_MACAO_RETURN = "09", "港澳同胞回乡证"
    HK_MACAO_RESIDENT_PERMIT = "10", "港澳居民来往内地通行证"
    MAINLAND_TO_HK_MACAO = "11", "中华人民共和国往来港澳通行证"
    TAIWAN_RESIDENT_PERMIT = "12", "台湾居民来往大陆通行证"
    MAINLAND_TO_TAIWAN = "13", "大陆居民往来台湾通行证"
    DIPLOMAT = "14", "外交官证"
    CONSULATE = "15", "领事馆证"
    SEAMAN = "16", "海员证"
    HK_ID = "17", "香港身份证"


class PoliticsType(models.TextChoices):
    """政治面貌 politicsType, docs/domain.md §3.5."""

    CPC_MEMBER = "01", "中共党员"
    CPC_PROBATIONARY = "02", "中共预备党员"
    CYL_MEMBER = "03", "共青团员"
    RCCK = "04", "民革党员"
    CDL = "05", "民盟盟员"
    CNDCA = "06", "民建会员"
    CAPD = "07", "民进会员"
    CPWDP = "08", "农工党党员"
    CZGP = "09", "致公党党员"
    JIUSAN = "10", "九三学社社员"
    TDSL = "11", "台盟盟员"
    NON_PARTISAN = "12", "无党派人士"
    MASSES = "13", "群众"


class CultureLevel(models.TextChoices):
    """文化程度 cultureLevelType, docs/domain.md §3.6."""

    PRIMARY = "01", "小学"
    JUNIOR = "02", "初中"
    SENIOR = "03", "高中"
    VOCATIONAL = "04", "中专"
    COLLEGE = "05", "大专"
    BACHELOR = "06", "本科"
    MASTER = "07", "硕士"
    DOCTOR = "08", "博士"
    OTHER = "99", "其他"


class MaritalStatus(models.TextChoices):
    """婚姻状况 maritalStatus (national ProjectWorker)."""

    SINGLE = "01", "未婚"
    MARRIED = "02", "已婚"
    DIVORCED = "03", "离异"
    WIDOWED = "04", "丧偶"


class Gender(models.TextChoices):
    """性别: 0 男, 1 女 (docs/domain.md §3.13)."""

    MALE = "0", "男"
    FEMALE = "1", "女"


# 民族 (GB/T 3304). The national payload sends the name ("汉"), so the stored value is the code and
# `nation_payload_name` gives the short name when exporting.
_NATIONS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 "
    "傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 "
    "毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 "
    "塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()
Nation = models.TextChoices(
    "Nation",
    [(f"N{i:02d}", (f"{i:02d}", name)) for i, name in enumerate(_NATIONS, start=1)]
    + [("N97", ("97", "其他")), ("N98", ("98", "外国血统中国籍人士"))],
)
Nation.__doc__ = "民族 (GB/T 3304), docs/domain.md §3.14."


def nation_payload_name(code: str) -> str:
    """The national platform's form of a 民族 as the ID card writes it: the name without 族 ("汉",
    "蒙古"; docs/domain.md §3.14, the public clients' tests send "汉")."""
    label = dict(Nation.choices).get(code, "")
    return label[:-1] if label.endswith("族") else label


def nation_code_from_text(text: str) -> str | None:
    """Read a 民族 written as a code ("01"), a full name ("汉族") or a short name ("汉")."""
    text = (text or "").strip()
    for code, label in Nation.choices:
        if text in (code, label) or (label.endswith("族") and text == label[:-1]):
            return code
    return None


class EnterpriseRegType(models.TextChoices):
    """企业登记注册类型 (Corp.corpType), docs/domain.md §3.7."""

    DOMESTIC = "100", "内资企业"
    STATE_OWNED = "110", "国有企业"
    COLLECTIVE = "120", "集体企业"
    JOINT_STOCK_COOP = "130", "股份合作企业"
    ASSOCIATED = "140", "联营企业"
    ASSOCIATED_STATE = "141", "国有联营企业"
    ASSOCIATED_COLLECTIVE = "142", "集体联营企业"
    ASSOCIATED_STATE_COLLECTIVE = "143", "国有与集体联营企业"
    ASSOCIATED_OTHER = "149", "其他联营企业"
    LIMITED_LIABILITY = "150", "有限责任公司"
    STATE_SOLE = "151", "国有独资公司"
    OTHER_LIMITED = "159", "其他有限责任公司"
    JOINT_STOCK_LIMITED = "160", "股份有限公司"
    PRIVATE = "170", "私营企业"
    PRIVATE_SOLE = "171", "私营独资企业"
    PRIVATE_PARTNERSHIP = "172", "私营合伙企业"
    PRIVATE_LIMITED = "173", "私营有限责任公司"
    PRIVATE_JOINT_STOCK = "174", "私营股份有限公司"
    OTHER_DOMESTIC = "190", "其他企业"
    HMT = "200", "港、澳、台商投资企业"
    HMT_JOINT_VENTURE = "210", "合资经营企业(港或澳、台资)"
    HMT_COOP = "220", "合作经营企业(港或澳、台资)"
    HMT_SOLE = "230", "港、澳、台商独资经营企业"
    HMT_JOINT_STOCK = "240", "港、澳、台商投资股份有限公司"
    HMT_OTHER = "290", "其他港、澳、台商投资企业"
    FOREIGN = "300", "外商投资企业"
    FOREIGN_JOINT_VENTURE = "310", "中外合资经营企业"
    FOREIGN_COOP = "320", "中外合作经营企业"
    FOREIGN_SOLE = "330", "外资企业"
    FOREIGN_JOINT_STOCK = "340", "外商投资股份有限公司"
    FOREIGN_OTHER = "390", "其他外商投资企业"
    MILITARY = "810", "军队单位"


class ContractType(models.TextChoices):
    """合同类型 (建市〔2022〕59号: 劳动合同 or 用工书面协议)."""

    LABOUR_CONTRACT = "labour", "劳动合同"
    WRITTEN_AGREEMENT = "agreement", "用工书面协议"


class ContractPeriodType(models.TextChoices):
    """合同期限类型 contractPeriodType, docs/domain.md §3.8; 2 is a local extension (劳动合同法)."""

    FIXED = "0", "固定期限"
    TASK = "1", "以完成一定工作任务为期限"
    OPEN_ENDED = "2", "无固定期限"


class MeasureUnit(models.TextChoices):
    """计量单位 for piece-rate contracts (WorkerContract.unit)."""

    METRE = "80", "米"
    SQUARE_METRE = "81", "平方米"
    CUBIC_METRE = "82", "立方米"


class ProjectCategory(models.TextChoices):
    """项目分类 category, docs/domain.md §3.9."""

    BUILDING = "01", "房屋建筑工程"
    MUNICIPAL = "02", "市政公用工程"
    MECHANICAL_ELECTRICAL = "03", "机电安装工程"
    RAILWAY = "04", "铁路工程"
    HIGHWAY = "05", "公路工程"
    PORT = "06", "港口与航道工程"
    WATER = "07", "水利水电工程"
    POWER = "08", "电力工程"
    MINING = "09", "矿山工程"
    SMELTING = "10", "冶炼工程"
    CHEMICAL = "11", "化工石油工程"
    TELECOM = "12", "通信工程"
    OTHER = "99", "其他"


class ProjectStatus(models.TextChoices):
    """项目状态 prjStatus, docs/domain.md §3.10."""

    PREPARING = "001", "筹备"
    APPROVED = "002", "立项"
    UNDER_CONSTRUCTION = "003", "在建"
    COMPLETED = "004", "完工"
    SUSPENDED = "005", "停工"


class ConstructionNature(models.TextChoices):
    """建设性质 propertyNum, docs/domain.md §3.11."""

    NEW = "001", "新建"
    RECONSTRUCTION = "002", "改建"
    EXTENSION = "003", "扩建"
    RESTORATION = "004", "恢复"
    RELOCATION = "005", "迁建"
    DEMOLITION = "006", "拆除"
    OTHER = "099", "其他"


class Direction(models.TextChoices):
    """考勤方向 direction, docs/domain.md §3.12."""

    IN = "01", "入场"
    OUT = "02", "出场"


class AttendType(models.TextChoices):
    """通行方式 attendType, docs/domain.md §3.12."""

    FACE = "001", "人脸识别"
    IRIS = "002", "虹膜识别"
    FINGERPRINT = "003", "指纹识别"
    PALM = "004", "掌纹识别"
    ID_CARD = "005", "身份证识别"
    REAL_NAME_CARD = "006", "实名卡"
    ABNORMAL_CLEARANCE = "007", "异常清退"
    ONE_KEY_GATE = "008", "一键开闸"
    EMERGENCY = "009", "应急通道"
    QR_CODE = "010", "二维码识别"
    OTHER = "011", "其他方式"


class District(models.TextChoices):
    """江门市 区县 (GB/T 2260), docs/domain.md §6.4."""

    PENGJIANG = "440703", "蓬江区"
    JIANGHAI = "440704", "江海区"
    XINHUI = "440705", "新会区"
    TAISHAN = "440781", "台山市"
    KAIPING = "440783", "开平市"
    HESHAN = "440784", "鹤山市"
    ENPING = "440785", "恩平市"


JIANGMEN_AREA_CODE = "440700"


class Bank(models.TextChoices):
    """银行代码 payRollTopBankCode / payBankCode, docs/domain.md §3.13: the banks that hold wage
    accounts and cards in Jiangmen, by their 3-digit 行别代码 (the national table has ~90 rows)."""

    ICBC = "102", "中国工商银行"
    ABC = "103", "中国农业银行"
    BOC = "104", "中国银行"
    CCB = "105", "中国建设银行"
    BOCOM = "301", "交通银行"
    CITIC = "302", "中信银行"
    CEB = "303", "中国光大银行"
    HXB = "304", "华夏银行"
    CMBC = "305", "中国民生银行"
    CGB = "306", "广发银行"
    PAB = "307", "平安银行"
    CMB = "308", "招商银行"
    CIB = "309", "兴业银行"
    SPDB = "310", "上海浦东发展银行"
    CITY = "313", "城市商业银行"
    RURAL_COMMERCIAL = "314", "农村商业银行"
    RURAL_CREDIT = "402", "农村信用合作社"
    PSBC = "403", "中国邮政储蓄银行"
