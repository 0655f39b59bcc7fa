from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jmzhgd.core.validators import (
    normalise_document_number,
    parse_id_number,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
    validate_phone,
)


@pytest.mark.parametrize("number", ["11010519491231002X", "360426199101010071", "11010519491231002x"])
def test_known_good_id_numbers_are_accepted(number):
    assert validate_id_number(number) == number.upper()


def test_id_number_facts_give_birth_date_and_gender():
    facts = parse_id_number("11010519491231002X")
    assert facts.birth_date == date(1949, 12, 31)
    assert facts.gender == "1"  # sequence 002: even → female
    male = parse_id_number("360426199101010071")
    assert male.gender == "0"  # 007: odd → male
    assert male.age_on(date(2026, 11, 23)) == 35


def test_full_width_and_spaces_are_normalised():
    assert validate_id_number(" １１０１０５１９４９１２３１００２Ｘ ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010519491231002", "应为18位"),
        ("110105194912310021", "校验位不正确"),
        ("11010519491331002X", "不是有效日期"),
        ("1101051949123100AX", "前17位必须是数字"),
        ("110105491231002", "15位旧身份证"),
        ("", "请填写"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(number, message):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(number)
    assert message in caught.value.messages[0]


def test_id_number_with_a_birth_date_in_the_future_is_refused():
    first17 = "44070320991231001"
    from jmzhgd.core.validators import id_check_char

    with pytest.raises(ValidationError) as caught:
        parse_id_number(first17 + id_check_char(first17), today=date(2026, 11, 23))
    assert "晚于今天" in caught.value.messages[0]


@pytest.mark.parametrize("code", ["91110000600037341L", "91440700MA4UH6X06K", "51440700MJL2112345"])
def test_credit_codes_with_correct_check_digits_are_accepted(code):
    from jmzhgd.core.validators import uscc_check_char

    # The second and third vectors are given their correct check character here, which exercises
    # letters in positions 9-17 and a 5x (民政) registering authority.
    code = code[:17] + uscc_check_char(code[:17])
    assert validate_credit_code(code.lower()) == code


def test_known_good_credit_code():
    assert validate_credit_code("91110000600037341L") == "91110000600037341L"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341M", "校验位不正确"),
        ("9111000060003734", "应为18位"),
        ("91110000600037341I", "不允许的字符"),
        ("9111OOOO600037341L", "不允许的字符"),
        ("91AB0000600037341L", "行政区划"),
    ],
)
def test_bad_credit_codes_say_what_is_wrong(code, message):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert message in caught.value.messages[0]


@pytest.mark.parametrize("phone", ["13750017262", "+8613750017262", "137 5001 7262"])
def test_mobile_numbers_are_accepted_and_normalised(phone):
    assert validate_mobile(phone) == "13750017262"


@pytest.mark.parametrize("phone", ["12750017262", "1375001726", "0750-8270518", "abc"])
def test_bad_mobile_numbers_are_refused(phone):
    with pytest.raises(ValidationError) as caught:
        validate_mobile(phone)
    assert "手机号码" in caught.value.messages[0]


def test_landline_is_a_valid_contact_phone_but_not_a_mobile():
    assert validate_phone("0750-8270518") == "0750-8270518"
    with pytest.raises(ValidationError):
        validate_phone("8270518")


def test_other_document_types_have_no_check_digit_but_a_clean_format():
    assert normalise_document_number("08", " e1234567 ") == "E1234567"
    with pytest.raises(ValidationError):
        normalise_document_number("08", "E12 34;567")
    with pytest.raises(ValidationError):
        normalise_document_number("01", "110105194912310021")
