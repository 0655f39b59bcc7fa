"""Valid-looking identities for demo data and tests: ID numbers and credit codes with real check digits.

Never used on production data; kept in the package because `manage.py seed_demo` needs it as much
as the test factories do.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .validators import USCC_ALPHABET, id_check_char, uscc_check_char

JIANGMEN_AREAS = ["440703", "440704", "440705", "440781", "440783", "440784", "440785"]
# Where Jiangmen's site workers come from, besides Jiangmen itself: Guangxi, Hunan, Sichuan, Guizhou.
HOME_AREAS = JIANGMEN_AREAS + ["450103", "430102", "510104", "520102", "441302", "445102"]

SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"


def random_id_number(
    rng: random.Random, *, birth: date | None = None, gender: str | None = None, area: str | None = None
) -> str:
    """An 18-digit 居民身份证号码 with a correct check digit. gender: "0" male, "1" female."""
    area = area or rng.choice(HOME_AREAS)
    birth = birth or date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
    sequence = rng.randrange(0, 100)
    gender_digit = rng.randrange(0, 10)
    if gender == "0" and gender_digit % 2 == 0:
        gender_digit += 1
    if gender == "1" and gender_digit % 2 == 1:
        gender_digit -= 1
    first17 = f"{area}{birth:%Y%m%d}{sequence:02d}{gender_digit}"
    return first17 + id_check_char(first17)


def random_credit_code(rng: random.Random, *, area: str | None = None) -> str:
    """A 统一社会信用代码 of an enterprise (登记管理部门 9, 机构类别 1) with a correct check digit."""
    area = area or rng.choice(JIANGMEN_AREAS)
    body = "".join(rng.choice(USCC_ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    first17 = f"91{area}{body}"
    return first17 + uscc_check_char(first17)


def random_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def random_mobile(rng: random.Random) -> str:
    return (
        rng.choice(["13", "15", "18", "17", "19"])
        + str(rng.randrange(1, 10))
        + f"{rng.randrange(0, 10**8):08d}"
    )
