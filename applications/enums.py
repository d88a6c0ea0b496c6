from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    """The lifecycle of a dossier (docs/architecture.md). Every change goes through
    `applications.domain.set_application_state`.

    The groupings below are the only lists of states the code uses: editable, in competition,
    dropped out and concluded split the lifecycle; the others narrow or join them.
    """

    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    REOPENED = "reopened", _("Rouvert pour modification")
    WITHDRAWN = "withdrawn", _("Retiré")
    INELIGIBLE = "ineligible", _("Irrecevable")
    ELIMINATED = "eliminated", _("Éliminé")
    SHORTLISTED = "shortlisted", _("Retenu pour l'audition")
    AUDITIONED = "auditioned", _("Auditionné")
    AWARDED = "awarded", _("Labellisé")
    NOT_AWARDED = "not_awarded", _("Non labellisé")

    @classmethod
    def editable(cls) -> frozenset["ApplicationState"]:
        """States in which the applicants may change the dossier: not (re)submitted yet, so
        also the dossiers reminded before the deadline."""
        return frozenset({cls.DRAFT, cls.REOPENED})

    @classmethod
    def withdrawable(cls) -> frozenset["ApplicationState"]:
        """States from which the applicants may withdraw (until deliberation)."""
        return frozenset({cls.DRAFT, cls.SUBMITTED, cls.REOPENED, cls.SHORTLISTED, cls.AUDITIONED})

    @classmethod
    def in_competition(cls) -> frozenset["ApplicationState"]:
        """Dossiers still competing: submitted and not concluded yet. Jurors are assigned to
        them, and publication concludes each of them (awarded, not awarded or eliminated)."""
        return frozenset({cls.SUBMITTED, cls.SHORTLISTED, cls.AUDITIONED})

    @classmethod
    def awaiting_audition(cls) -> frozenset["ApplicationState"]:
        """Dossiers of an audition round not heard yet: their applicants may still give their
        availabilities and the timetable places them (the auditioned ones keep their slot)."""
        return frozenset({cls.SUBMITTED, cls.SHORTLISTED})

    @classmethod
    def dropped_out(cls) -> frozenset["ApplicationState"]:
        """Dossiers that left the competition before its conclusion (withdrawn by the
        applicants, or declared ineligible): still entries of the rounds they were in, but no
        score or level concerns them any more."""
        return frozenset({cls.WITHDRAWN, cls.INELIGIBLE})

    @classmethod
    def eligibility_open(cls) -> frozenset["ApplicationState"]:
        """States in which the organisers may take or correct the eligibility decision:
        submitted, or declared ineligible (a correction puts it back to submitted). Once the
        dossier moved on (shortlisted, withdrawn, concluded), its eligibility no longer changes."""
        return frozenset({cls.SUBMITTED, cls.INELIGIBLE})

    @classmethod
    def concluded(cls) -> frozenset["ApplicationState"]:
        """The outcomes publication gives to every dossier still in competition (each one's
        applicants are told theirs)."""
        return frozenset({cls.AWARDED, cls.NOT_AWARDED, cls.ELIMINATED})

    @classmethod
    def reached_auditions(cls) -> frozenset["ApplicationState"]:
        """Dossiers counted as auditioned in an edition that held auditions, by their state
        alone: the auditioned ones, and the laureates (there, chosen among the dossiers heard).
        An auditioned dossier not labelled afterwards keeps the trace in its transitions only."""
        return frozenset({cls.AUDITIONED, cls.AWARDED})

    @classmethod
    def submitted_states(cls) -> frozenset["ApplicationState"]:
        """Dossiers that count as received by the organisers."""
        return frozenset(
            {
                cls.SUBMITTED,
                cls.INELIGIBLE,
                cls.ELIMINATED,
                cls.SHORTLISTED,
                cls.AUDITIONED,
                cls.AWARDED,
                cls.NOT_AWARDED,
            }
        )


class ProjectStage(models.TextChoices):
    IDEA = "idea", _("Idée")
    PILOT = "pilot", _("Expérimentation")
    DEPLOYED = "deployed", _("Déployé")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Texte court")
    LONG_TEXT = "long_text", _("Texte long")
    SINGLE_CHOICE = "single_choice", _("Choix unique")
    MULTIPLE_CHOICE = "multiple_choice", _("Choix multiple")
    NUMBER = "number", _("Nombre")
    FILE = "file", _("Fichier")


class QuestionVisibility(models.TextChoices):
    JURY = "jury", _("Visible du jury seulement")
    PUBLISHED = "published", _("Publiée avec le label")


class VideoKind(models.TextChoices):
    NONE = "", _("Pas de vidéo")
    UPLOAD = "upload", _("Fichier déposé")
    LINK = "link", _("Lien")
