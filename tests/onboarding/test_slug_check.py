import pytest
from django.test import Client

from onboarding.selectors import slug_suggest_available


@pytest.mark.parametrize(
    "slug,status,reason",
    [
        ("gamma-shop", "available", "This shop address is available."),
        ("alpha", "taken", "This shop address is already taken."),
        ("beta", "taken", "This shop address is already taken."),
        ("console", "reserved", "This shop address is reserved; please choose another."),
        ("www", "reserved", "This shop address is reserved; please choose another."),
        ("ab", "invalid", "The shop address must be 3–30 lower-case letters, digits or hyphens"),
        ("a_b", "invalid", "The shop address must be 3–30 lower-case letters, digits or hyphens"),
        ("x" * 31, "invalid", "The shop address must be 3–30 lower-case letters, digits or hyphens"),
    ],
)
def test_check_slug_fragment_says_available_taken_reserved_or_invalid(public_client, slug, status, reason):
    response = public_client.get(
        "/signup/check-slug/", {"slug": slug}, HTTP_ACCEPT_LANGUAGE="en", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-status="{status}"' in body
    assert reason in body
    assert "<html" not in body  # a fragment for htmx, not a page


def test_check_slug_normalises_case_and_spaces(public_client):
    body = public_client.get("/signup/check-slug/", {"slug": "  ALPHA "}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-status="taken"' in body


def test_check_slug_explains_in_chinese_by_default(public_client):
    body = public_client.get("/signup/check-slug/", {"slug": "alpha"}).content.decode()
    assert "此店铺地址已被占用" in body


def test_check_slug_empty_is_an_empty_status(public_client):
    response = public_client.get("/signup/check-slug/")
    assert response.status_code == 200
    assert "data-status" not in response.content.decode()


def test_check_slug_is_rate_limited_per_ip(public_client, settings):
    settings.SLUG_CHECK_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert public_client.get("/signup/check-slug/", {"slug": "gamma"}).status_code == 200
    limited = public_client.get("/signup/check-slug/", {"slug": "gamma"}, HTTP_ACCEPT_LANGUAGE="en")
    assert limited.status_code == 429
    assert 'data-status="rate_limited"' in limited.content.decode()
    other = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.0.0.7")
    assert other.get("/signup/check-slug/", {"slug": "gamma"}).status_code == 200


def test_suggest_slug_from_a_chinese_name(public_client):
    response = public_client.get("/signup/suggest-slug/", {"company_name": "上海好邻居便利店", "slug": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="shanghaihaolinjubianlidian"' in body
    assert 'name="slug_suggested" value="shanghaihaolinjubianlidian"' in body
    assert 'data-status="available"' in body


def test_suggest_slug_skips_taken_addresses(db):
    assert slug_suggest_available(name="Alpha") == "alpha-2"
    assert slug_suggest_available(name="Admin") == "admin-2"


def test_suggest_slug_keeps_what_the_visitor_typed(public_client):
    response = public_client.get(
        "/signup/suggest-slug/", {"company_name": "好邻居", "slug": "my-own", "slug_suggested": "haolin"}
    )
    assert 'value="my-own"' in response.content.decode()


def test_suggest_slug_replaces_its_own_previous_suggestion(public_client):
    response = public_client.get(
        "/signup/suggest-slug/", {"company_name": "好邻居", "slug": "hao", "slug_suggested": "hao"}
    )
    assert 'value="haolinju"' in response.content.decode()
