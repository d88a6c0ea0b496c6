"""robots.txt, security.txt and Permissions-Policy (issue 17, #11)."""

import re

from django.urls import reverse

from palmares.security import PERMISSIONS_POLICY


def test_robots_txt_keeps_the_private_areas_out_and_the_palmares_in(visitor, db):
    response = visitor.get("/robots.txt")
    lines = response.content.decode().splitlines()

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *"
    assert "Disallow: /organisation/" in lines and "Disallow: /admin-technique/" in lines
    assert "Disallow: /palmares/" not in lines and "Disallow: /" not in lines


def test_security_txt_names_a_contact_and_an_expiry(visitor, db, settings):
    settings.SECURITY_CONTACT = "mailto:securite@palmares.example.org"

    text = visitor.get("/.well-known/security.txt").content.decode()

    assert "Contact: mailto:securite@palmares.example.org\n" in text
    assert re.search(r"^Expires: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", text, re.MULTILINE)


def test_every_answer_carries_permissions_policy(visitor, organiser_client, db):
    for response in (
        visitor.get("/"),
        visitor.get("/robots.txt"),
        visitor.get("/une-page-qui-n-existe-pas/"),
        organiser_client.get(reverse("contests:dashboard")),
    ):
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in PERMISSIONS_POLICY and "geolocation=()" in PERMISSIONS_POLICY
