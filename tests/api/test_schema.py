import re

import yaml
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema


def test_openapi_schema_is_valid_and_lists_our_paths(client_a):
    response = client_a.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert {"/api/v1/me", "/api/v1/api-keys", "/api/v1/api-keys/{prefix}/revoke"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/api-keys"]) == {"get", "post"}
    assert schema["paths"]["/api/v1/me"]["get"]["operationId"] == "me"
    post_parameters = schema["paths"]["/api/v1/api-keys"]["post"]["parameters"]
    assert {"name": "Idempotency-Key", "in": "header"}.items() <= post_parameters[0].items()
    assert (
        "ApiKeyAuthentication" in str(schema["components"]["securitySchemes"])
        or schema["components"]["securitySchemes"]
    )


def test_schema_yaml_needs_no_credentials_and_is_the_same_on_every_host(client_a, client_b):
    alpha = client_a.get("/api/schema/")
    beta = client_b.get("/api/schema/")

    assert alpha.status_code == 200
    assert yaml.safe_load(alpha.content)["info"]["title"] == "ShopLedger API"
    assert alpha.content == beta.content


def test_docs_page_is_swagger_ui_served_without_any_external_asset(client_a):
    response = client_a.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "SwaggerUIBundle" in html
    # Swagger UI comes from drf-spectacular-sidecar's static files, never from a CDN.
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == []
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js") is not None
    assert "/api/schema/" in html
