from tests.exchange.fake_province import province, province_client  # noqa: F401  (fixtures)
