import pytest

from jxc.api import selectors
from jxc.kernel.errors import AppError
from tests.api.conftest import KEYS, ME, auth, make_key


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Authentication credentials were not provided."), ("zh-hans", "身份认证信息未提供。")],
)
def test_401_message_in_the_callers_language(client_a, language, message):
    response = client_a.get(ME, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": message}


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "The API key is invalid, revoked or expired."), ("zh-hans", "API 密钥无效、已吊销或已过期。")],
)
def test_own_messages_are_translated(client_a, language, message):
    response = client_a.get(ME, HTTP_AUTHORIZATION="Api-Key abc.def", HTTP_ACCEPT_LANGUAGE=language)

    assert response.json() == {"code": "api_key_invalid", "message": message}


@pytest.mark.parametrize(("language", "message"), [("en", "Not found."), ("zh-hans", "未找到。")])
def test_unknown_api_path_is_json_404(client_a, language, message):
    response = client_a.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "message": message}


def test_method_not_allowed_is_json(client_a, tenant_a):
    _api_key, secret = make_key(tenant_a, ["read", "write"])

    response = client_a.delete(ME, HTTP_ACCEPT_LANGUAGE="en", **auth(secret))

    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": 'Method "DELETE" not allowed.'}


@pytest.mark.parametrize(("language", "message"), [("en", "This field is required."), ("zh-hans", "该字段是必填项。")])
def test_validation_errors_name_the_field(owner_client_a, language, message):
    response = owner_client_a.post(
        KEYS, {"scopes": ["read"]}, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "message": message,
        "field": "name",
        "errors": {"name": [message]},
    }


def test_app_errors_keep_code_field_and_status(owner_client_a, monkeypatch):
    def refuse(**_kwargs):
        raise AppError("plan_limit", "Your plan allows no more keys.", field="name", status=402)

    monkeypatch.setattr("jxc.api.services.api_key_create", refuse)

    response = owner_client_a.post(KEYS, {"name": "x", "scopes": ["read"]}, content_type="application/json")

    assert response.status_code == 402
    assert response.json() == {"code": "plan_limit", "message": "Your plan allows no more keys.", "field": "name"}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Something went wrong on our side. Please try again later."),
        ("zh-hans", "我们这边出了点问题，请稍后再试。"),
    ],
)
def test_crash_is_json_500_without_html(owner_client_a, monkeypatch, language, message):
    def crash():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "api_key_list", crash)

    response = owner_client_a.get(KEYS, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "server_error", "message": message}
    assert b"secret internals" not in response.content
