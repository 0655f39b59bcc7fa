"""Initial rows of the editable code tables (工种, 管理岗位), used by the data migration.

工种: the national 2019 list (docs/domain.md §3.2) plus 390 杂工 and 1000 其它; 900 管理人员 is left
out because managers carry a 岗位, not a 工种. 管理岗位: docs/domain.md §3.15, each with the
参建单位类型 it is offered for (an empty list = every type).
"""

WORK_TYPES = [
    ("010", "砌筑工"),
    ("020", "钢筋工"),
    ("030", "架子工"),
    ("040", "混凝土工"),
    ("050", "模板工"),
    ("060", "机械设备安装工"),
    ("070", "通风工"),
    ("080", "安装起重工"),
    ("090", "安装钳工"),
    ("100", "电气设备安装调试工"),
    ("110", "管道工"),
    ("120", "变电安装工"),
    ("130", "建筑电工"),
    ("140", "司泵工"),
    ("150", "挖掘铲运和桩工机械司机"),
    ("160", "桩机操作工"),
    ("170", "起重信号工"),
    ("180", "建筑起重机械安装拆卸工"),
    ("190", "装饰装修工"),
    ("200", "室内成套设施安装工"),
    ("210", "建筑门窗幕墙安装工"),
    ("220", "幕墙制作工"),
    ("230", "防水工"),
    ("240", "木工"),
    ("250", "石工"),
    ("270", "电焊工"),
    ("280", "爆破工"),
    ("290", "除尘工"),
    ("300", "测量放线工"),
    ("310", "线路架设工"),
    ("320", "古建筑传统石工"),
    ("330", "古建筑传统瓦工"),
    ("340", "古建筑传统彩画工"),
    ("350", "古建筑传统木工"),
    ("360", "古建筑传统油工"),
    ("380", "金属工"),
    ("390", "杂工"),
    ("1000", "其它"),
]

_CONSTRUCTION = ["001", "002", "003", "004", "005", "006", "009", "012"]  # enterprises that build
_SUPERVISION = ["007"]
_BUILDER = ["008"]

# The key post the wage rules look for: the unit's 劳资专管员 (条例 art. 28), found by this code everywhere.
WAGE_CLERK_POST = "P05"

MANAGEMENT_POSTS = [
    # code, name, corp types
    ("P01", "项目经理", _CONSTRUCTION),
    ("P02", "技术负责人", _CONSTRUCTION),
    ("P03", "安全负责人", _CONSTRUCTION),
    ("P04", "质量负责人", _CONSTRUCTION),
    (WAGE_CLERK_POST, "劳资专管员", _CONSTRUCTION),
    ("P11", "施工员", _CONSTRUCTION),
    ("P12", "质量员", _CONSTRUCTION),
    ("P13", "安全员", _CONSTRUCTION),
    ("P14", "标准员", _CONSTRUCTION),
    ("P15", "材料员", _CONSTRUCTION),
    ("P16", "机械员", _CONSTRUCTION),
    ("P17", "劳务员", _CONSTRUCTION),
    ("P18", "资料员", []),
    ("P21", "总监理工程师", _SUPERVISION),
    ("P22", "总监代表", _SUPERVISION),
    ("P23", "专业监理工程师", _SUPERVISION),
    ("P24", "监理员", _SUPERVISION),
    ("P31", "建设单位项目负责人", _BUILDER),
    ("P32", "建设单位现场代表", _BUILDER),
    ("P41", "勘察项目负责人", ["010"]),
    ("P42", "设计项目负责人", ["011"]),
    ("P99", "其他管理人员", []),
]


def seed_code_tables(work_type_model=None, post_model=None) -> None:
    """Insert or update the rows above. The data migration passes its historical models; tests call it
    with none (the current models) to restore what a transactional test's flush removed."""
    if work_type_model is None or post_model is None:
        from .models import ManagementPost, WorkType

        work_type_model, post_model = WorkType, ManagementPost
    for order, (code, name) in enumerate(WORK_TYPES):
        work_type_model.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (code, name, corp_types) in enumerate(MANAGEMENT_POSTS):
        post_model.objects.update_or_create(
            code=code, defaults={"name": name, "corp_types": corp_types, "sort_order": order}
        )
