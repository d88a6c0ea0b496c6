from django.test import RequestFactory

from accounts.throttling import client_address


def test_client_address_is_remote_addr_without_proxy(settings):
    settings.BEHIND_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "203.0.113.7"


def test_client_address_is_last_forwarded_hop_behind_proxy(settings):
    settings.BEHIND_PROXY = True
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9"
    )
    assert client_address(request) == "198.51.100.9"


def test_client_address_falls_back_to_remote_addr_when_header_missing(settings):
    settings.BEHIND_PROXY = True
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == "127.0.0.1"
