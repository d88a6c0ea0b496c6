"""The domain of « Mes données »: the archive streams in bounded pieces; a deleted address keeps
one pseudonym; refusals say why in French."""

import hashlib
import io
import os
import zipfile

from django.core.files.base import ContentFile

from accounts.archive import CHUNK_BYTES, stream_archive
from accounts.models import ErasedAccount
from accounts.personal_data import erase_account, pseudonym_for
from applications.models import Attachment
from tests.factories import ApplicationFactory, UserFactory

from .test_my_data import media  # noqa: F401 - the fixture


def test_the_archive_streams_a_large_file_in_bounded_pieces(db, media):  # noqa: F811
    user = UserFactory()
    content = os.urandom(5 * CHUNK_BYTES + 123)
    Attachment.objects.create(
        application=ApplicationFactory(created_by=user),
        token="f" * 32,
        file=ContentFile(content, name="grand.pdf"),
        original_name="grand.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )

    pieces = list(stream_archive(user))

    assert max(len(piece) for piece in pieces) < CHUNK_BYTES + 1024
    assert len([piece for piece in pieces if len(piece) >= CHUNK_BYTES]) == 5
    archive = zipfile.ZipFile(io.BytesIO(b"".join(pieces)))
    (name,) = [n for n in archive.namelist() if n.startswith("fichiers/")]
    assert archive.read(name) == content


def test_an_address_deleted_twice_keeps_one_pseudonym(db):
    first = erase_account(UserFactory(email="revenant@exemple.fr"))

    second = erase_account(UserFactory(email="Revenant@exemple.fr".lower()))

    assert second == first
    assert ErasedAccount.objects.count() == 1
    assert pseudonym_for("REVENANT@exemple.fr") == first.name
    assert pseudonym_for("autre@exemple.fr") is None
