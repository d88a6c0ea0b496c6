"""The logo of who awards a contest: checked by its content, bounded, served publicly."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from contests.models import Contest

from .test_contest_pages import contest_post

URL = reverse("contests:contest_update", args=["start-up-interconnectee"])


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def image(format_: str = "PNG", size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=format_)
    return buffer.getvalue()


def post_logo(client, name: str, content: bytes, content_type: str = "image/png"):
    data = contest_post(name="Start-up Interconnectée")
    data.pop("slug")
    data["awarder_logo"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(URL, data)


def test_a_png_logo_is_kept_and_served_publicly(organiser_client, client):
    response = post_logo(organiser_client, "logo de l'asso.PNG", image())

    contest = Contest.objects.get(slug="start-up-interconnectee")
    served = client.get(reverse("logos:contest", args=[contest.slug]))
    assert response.status_code == 302
    assert contest.awarder_logo.name.startswith("contests/logos/")
    assert contest.awarder_logo.name.endswith(".png")
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert b"".join(served.streaming_content) == image()
    page = organiser_client.get(reverse("contests:contest_detail", args=[contest.slug]))
    assert f'src="{reverse("logos:contest", args=[contest.slug])}"' in page.content.decode()


def test_a_jpeg_named_png_is_stored_as_what_it_is(organiser_client):
    post_logo(organiser_client, "logo.png", image("JPEG"))

    assert Contest.objects.get(slug="start-up-interconnectee").awarder_logo.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "n'est pas une image"),
        ("logo.gif", image("GIF"), "Le logo doit être une image PNG, JPEG ou WebP."),
        ("logo.png", image(size=(2001, 10)), "Le logo dépasse 2000 pixels de côté"),
        ("logo.png", b"\x89PNG" + b"0" * 600_000, "Le logo pèse plus de 500 Ko"),
    ],
)
def test_a_logo_that_is_not_a_bounded_image_is_refused(organiser_client, name, content, message):
    response = post_logo(organiser_client, name, content)

    assert response.status_code == 200
    errors = response.context["form"].errors["awarder_logo"]
    assert len(errors) == 1 and message in errors[0]
    assert not Contest.objects.get(slug="start-up-interconnectee").awarder_logo


def test_a_contest_without_logo_serves_none(client, db):
    assert (
        client.get(reverse("logos:contest", args=["label-territoire-innovant"])).status_code == 404
    )
