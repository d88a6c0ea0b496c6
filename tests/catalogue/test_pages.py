"""The frame every page shares, and the accessibility and legal pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db


def test_accessibility_statement_renders_its_sections(visitor):
    response = visitor.get(reverse("catalogue:accessibility"))

    assert response.status_code == 200
    assertContains(response, "<title>Déclaration d'accessibilité · Palmarès</title>")
    assertContains(response, "<h1>Déclaration d'accessibilité</h1>", html=True)
    for heading in [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d'information et contact",
        "Voies de recours",
    ]:
        assertContains(response, f"<h2>{heading}</h2>", html=True)
    # Computed from catalogue/accessibility/rgaa.csv (tests/catalogue/test_accessibility_grid.py).
    assertContains(response, "<strong>partiellement conforme</strong>", html=True)
    assertContains(
        response,
        "<p><strong>51,2 %</strong> des critères du RGAA applicables au site sont respectés.</p>",
        html=True,
    )
    assertContains(
        response,
        "<li>37 critères pas encore vérifiés, comptés comme non respectés ;</li>",
        html=True,
    )
    assertContains(response, "<dd>7 décembre 2026</dd>", html=True)


def test_accessibility_statement_lists_each_failing_criterion_with_its_workaround(visitor):
    response = visitor.get(reverse("catalogue:accessibility"))

    assertContains(
        response,
        "<p>Critère 12.1 : Chaque ensemble de pages dispose-t-il de deux systèmes de navigation "
        "différents, au moins (hors cas particuliers) ?</p>",
        html=True,
    )
    assertContains(response, "Pour y remédier en attendant : Le menu principal, en haut de")
    assertContains(response, "<p>Aucune dérogation n'est demandée.</p>", html=True)


def test_accessibility_statement_links_each_topic_instead_of_the_whole_grid(visitor):
    response = visitor.get(reverse("catalogue:accessibility"))

    assertContains(
        response,
        '<li><a href="/accessibilite/criteres/10/">10. Présentation de l\'information</a>'
        " (14 critères)</li>",
        html=True,
    )
    assertContains(
        response,
        '<li><a href="/accessibilite/criteres/2/">2. Cadres</a> (2 critères)</li>',
        html=True,
    )
    assertContains(response, 'href="/accessibilite/criteres/', count=13)
    # The 106 rows are on the topics' pages: this one stays light (EcoIndex A).
    assertNotContains(response, "<table")


def test_accessibility_topic_page_gives_its_criteria_only(visitor):
    response = visitor.get(reverse("catalogue:accessibility_topic", kwargs={"topic": 10}))

    assert response.status_code == 200
    assertContains(
        response, "<h1>Critères du thème 10 : Présentation de l'information</h1>", html=True
    )
    assertContains(response, '<th scope="row">10.', count=14)
    assertContains(response, '<th scope="row">10.11 ')
    assertNotContains(response, '<th scope="row">11.')
    assertContains(
        response,
        '<a href="/accessibilite/criteres/10/" aria-current="page">10. Présentation de '
        "l'information</a>",
        html=True,
    )
    assertContains(response, 'href="/accessibilite/criteres/', count=13)


def test_accessibility_topic_pages_together_give_every_criterion_and_its_tests(visitor):
    pages = [
        visitor.get(reverse("catalogue:accessibility_topic", kwargs={"topic": topic})).content
        for topic in range(1, 14)
    ]

    assert sum(page.count(b'<th scope="row">') for page in pages) == 106
    assert (
        sum(page.count(b"<code>tests/browser/test_pages.py::test_page</code>") for page in pages)
        == 16
    )


@pytest.mark.parametrize("topic", [0, 14])
def test_accessibility_topic_page_of_no_topic_is_not_found(visitor, topic):
    response = visitor.get(reverse("catalogue:accessibility_topic", kwargs={"topic": topic}))

    assert response.status_code == 404


def test_accessibility_statement_gives_the_configured_contact(visitor, settings):
    settings.ACCESSIBILITY_ENTITY = "L'association des labels"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "accessibilite@labels.example"
    settings.ACCESSIBILITY_CONTACT_ADDRESS = "1 rue du Label, 75001 Paris"

    response = visitor.get(reverse("catalogue:accessibility"))

    assertContains(
        response,
        "<p>L'association des labels s'engage à rendre le site Palmarès accessible conformément "
        "à l'article 47 de la loi n° 2005-102 du 11 février 2005.</p>",
        html=True,
    )
    assertContains(
        response,
        '<a href="mailto:accessibilite@labels.example">accessibilite@labels.example</a>',
        html=True,
    )
    assertContains(response, "<dd>1 rue du Label, 75001 Paris</dd>", html=True)
    assertNotContains(response, "Aucun moyen de contact n'est encore configuré")


def test_accessibility_statement_without_contact_says_so_and_keeps_the_recourse(visitor, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    settings.ACCESSIBILITY_CONTACT_URL = ""
    settings.ACCESSIBILITY_CONTACT_ADDRESS = ""
    settings.ACCESSIBILITY_RECOURSE_FORM_URL = "https://recours.example/formulaire/"

    response = visitor.get(reverse("catalogue:accessibility"))

    assertContains(response, "Aucun moyen de contact n'est encore configuré sur ce site")
    assertNotContains(response, "mailto:")
    assertContains(
        response,
        '<a href="https://recours.example/formulaire/">écrire un message au Défenseur des droits '
        "(formulaire en ligne)</a>",
        html=True,
    )
    assertContains(response, "Libre réponse 71120, 75342 Paris CEDEX 07.")


def test_legal_page_renders_its_sections_and_cookie_lifetimes(visitor):
    response = visitor.get(reverse("catalogue:legal"))

    assert response.status_code == 200
    assertContains(response, "<h1>Mentions légales et données personnelles</h1>", html=True)
    for heading in [
        "Éditeur",
        "Hébergement",
        "Logiciel et police de caractères",
        "Aucun traceur",
    ]:
        assertContains(response, f"<h2>{heading}</h2>", html=True)
    assertContains(response, '<h2 id="donnees-personnelles">Données personnelles</h2>', html=True)
    assertContains(response, '<h2 id="cookies">Cookies</h2>', html=True)
    # Django's defaults: two weeks for the session, 364 days for the CSRF cookie.
    assertContains(response, "garde votre connexion ouverte (14 jours au plus)")
    assertContains(response, "contre l'envoi par un autre site (364 jours)")


def test_placeholders_are_marked_never_invented(visitor):
    response = visitor.get(reverse("catalogue:legal"))

    assertContains(
        response, '<span class="placeholder">à compléter par l\'association</span>', count=8
    )


def test_frame_has_language_skip_link_landmarks_and_footer(visitor):
    response = visitor.get(reverse("catalogue:home"))

    assertContains(response, '<html lang="fr">')
    assertContains(response, '<a class="skip-link" href="#contenu">Aller au contenu</a>', html=True)
    assertContains(response, '<main id="contenu" class="container" tabindex="-1">')
    assertContains(response, '<nav class="site-nav" aria-label="Navigation principale">')
    assertContains(response, '<a href="/" aria-current="page">Accueil</a>', html=True)
    assertContains(
        response, '<a href="/accessibilite/">Accessibilité : partiellement conforme</a>', html=True
    )
    assertContains(
        response,
        '<a href="/mentions-legales/">Mentions légales et données personnelles</a>',
        html=True,
    )
    assertContains(
        response,
        '<button type="submit" name="language" value="en" lang="en">English</button>',
        html=True,
    )


def test_language_switch_to_english_changes_the_page_language(visitor):
    response = visitor.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assertContains(response, '<html lang="en">')
    assertContains(
        response,
        '<button type="submit" name="language" value="fr" lang="fr">Français</button>',
        html=True,
    )


def test_language_stays_french_without_a_switch(visitor):
    response = visitor.get(reverse("catalogue:home"))

    assertNotContains(response, '<html lang="en">')
    assertNotContains(response, 'value="fr" lang="fr"')


def test_visitor_is_offered_to_sign_in_not_the_account(visitor):
    response = visitor.get(reverse("catalogue:home"))

    assertContains(response, f'<a href="{reverse("accounts:login")}">Se connecter</a>', html=True)
    assertNotContains(response, "Mon compte")
    assertNotContains(response, "Se déconnecter")
    assertNotContains(response, "Espace organisateur")


def test_signed_in_applicant_sees_account_and_logout_not_the_organiser_space(applicant_client):
    response = applicant_client.get(reverse("catalogue:home"))

    assertContains(response, f'<a href="{reverse("accounts:account")}">Mon compte</a>', html=True)
    assertContains(response, f'<form class="inline-form" action="{reverse("accounts:logout")}"')
    assertContains(response, "Se déconnecter")
    assertNotContains(response, "Se connecter")
    assertNotContains(response, "Espace organisateur")


def test_organiser_sees_the_organiser_space(organiser_client):
    try:
        dashboard = reverse("contests:dashboard")
    except NoReverseMatch:
        pytest.skip("contests:dashboard is not routed yet")

    response = organiser_client.get(reverse("catalogue:home"))

    assertContains(response, f'<a href="{dashboard}">Espace organisateur</a>', html=True)


def test_messages_are_announced_politely_and_errors_as_alerts():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    request._messages.add(constants.SUCCESS, "Édition enregistrée.")
    request._messages.add(constants.ERROR, "Corrigez les erreurs.")

    html = render_to_string("catalogue/accessibility.html", request=request)

    assert '<p class="message message-success" role="status">Édition enregistrée.</p>' in html
    assert '<p class="message message-error" role="alert">Corrigez les erreurs.</p>' in html


def test_unknown_page_gets_the_site_frame(visitor):
    response = visitor.get("/nulle-part/")

    assert response.status_code == 404
    assertContains(response, "<h1>Page introuvable</h1>", status_code=404, html=True)
    assertContains(response, '<main id="contenu"', status_code=404)
