"""Slug rules and suggestions: pure functions, no database."""

import pytest

from tenants.slugs import RESERVED_SLUGS, schema_name_for, slug_problem, slug_suggest


@pytest.mark.parametrize("slug", ["abc", "shop-1", "a" * 30, "haolinju", "x9-y8-z7"])
def test_acceptable_slugs(slug):
    assert slug_problem(slug) is None


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "ab",
        "a" * 31,
        "Shop",
        "SHOP",
        "shop_1",
        "-shop",
        "shop-",
        "a--b",
        "9shop",
        "shop.x",
        "shöp",
        "sh op",
        "好邻居",
    ],
)
def test_invalid_slugs(slug):
    assert slug_problem(slug) == "slug_invalid"


@pytest.mark.parametrize("slug", ["www", "api", "console", "admin", "static", "mail", "media", "public", "metrics"])
def test_reserved_slugs(slug):
    assert slug in RESERVED_SLUGS
    assert slug_problem(slug) == "slug_reserved"


@pytest.mark.parametrize(
    "name,slug",
    [
        ("上海好邻居便利店", "shanghaihaolinjubianlidian"),
        ("ABC Trading Co.", "abc-trading-co"),
        ("好邻居Mart", "haolinjumart"),
        ("Café Ütf", "cafe-utf"),
        ("123", "shop-123"),
        ("  ", "shop"),
        ("上海市浦东新区张江高科技园区好邻居便利店连锁有限公司", "shanghaishipudongxinquzhangjia"),
    ],
)
def test_suggestions_are_valid_slugs(name, slug):
    assert slug_suggest(name) == slug
    assert slug_problem(slug) is None


def test_schema_names_never_collide_between_slugs():
    # Slugs hold no underscore, so mapping hyphens to underscores is one-to-one.
    assert schema_name_for("a-b") == "t_a_b"
    assert slug_problem("a_b") == "slug_invalid"
