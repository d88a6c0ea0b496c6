"""Checks shared by the models, the deliberation and publication."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_award_grounds(level, distinctions: Sequence) -> None:
    """An award must carry a level, at least one distinction, or both (« an award may be a
    distinction alone »); neither is refused."""
    if level is None and not distinctions:
        raise ValidationError(
            _("Un label décerné doit avoir un niveau, au moins une distinction, ou les deux."),
            code="no_level_nor_distinction",
        )
