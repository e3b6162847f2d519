from django.test import RequestFactory, override_settings

from jxc.kernel.net import client_ip


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_proxies_forwarded_for_is_ignored():
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_last_forwarded_entry_is_the_client():
    # The client claims 1.2.3.4; the load balancer appended the address it really saw.
    assert client_ip(request("10.0.0.5", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_with_too_few_entries_falls_back_to_the_socket_address():
    assert client_ip(request("10.0.0.5", "198.51.100.7")) == "10.0.0.5"
