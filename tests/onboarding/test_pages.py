def test_landing_page_explains_the_product_in_both_languages(public_client):
    response = public_client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "进销存" in body
    assert "One ledger for purchasing, sales, stock and finance" in body
    assert 'href="/signup/"' in body


def test_terms_page(public_client):
    response = public_client.get("/terms/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Terms of service" in response.content.decode()


def test_signup_page_renders_the_form_in_chinese_by_default(public_client):
    response = public_client.get("/signup/")
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("company_name", "slug", "email", "password", "accept_terms"):
        assert f'name="{name}"' in body
    assert "开" in body  # zh-hans is the default language


def test_signup_page_in_english(public_client):
    response = public_client.get("/signup/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Open your shop" in response.content.decode()


def test_public_pages_do_not_exist_on_a_shop_host(client_a, client_b):
    for path in ("/signup/", "/signup/check-slug/?slug=gamma", "/signup/suggest-slug/?company_name=x", "/terms/"):
        assert client_a.get(path).status_code == 404, path
        assert client_b.get(path).status_code == 404, path
    assert client_a.post("/signup/", {"company_name": "x"}).status_code in (403, 404)
