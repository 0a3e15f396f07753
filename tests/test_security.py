"""The security review, as tests: every endpoint of the app, found by walking the URLs.

Nothing here lists the app's views by hand. The public endpoints are the
patterns of the ``wagtail_iln`` namespace; the admin views are the patterns
under ``admin/`` whose view comes from the app (its module, its model or its
viewset's namespace), and the bulk actions the app registers. A view added
later is covered as soon as it is routed: the admin checks run on it at once,
and a public endpoint must be declared in ``PUBLIC_ENDPOINTS`` (what a GET does,
whether it is exempt from CSRF) before the suite passes again.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.models import Page

from tests.factories import (
    DiscussionIndexPageFactory,
    DiscussionTopicPageFactory,
    EnrolmentFactory,
    ImageCreditFactory,
    ParticipantFactory,
    PartnershipFactory,
    PhotoCampaignFactory,
    PhotoSubmissionFactory,
    RoundFactory,
    jpeg_bytes,
)
from tests.helpers import stored_files
from wagtail_iln.applications.confirm import confirm_token
from wagtail_iln.applications.forms import CONSENT_VERSION
from wagtail_iln.applications.models import Application
from wagtail_iln.comments.models import BlockedAccount, Comment, CommentSubscription, email_hash
from wagtail_iln.comments.moderation import subscription_token
from wagtail_iln.conf import DEFAULTS
from wagtail_iln.health.links import check_in_token
from wagtail_iln.mailin.emails import confirm_token as mail_confirm_token
from wagtail_iln.mailin.models import InboundMessage, MailedPhoto
from wagtail_iln.mailings.follow import confirm_token as follow_confirm_token
from wagtail_iln.mailings.follow import leave_token
from wagtail_iln.mailings.models import Follower
from wagtail_iln.mailings.sending import unsubscribe_token
from wagtail_iln.photos.models import PhotoSubmission
from wagtail_iln.photos.views import withdraw_token
from wagtail_iln.privacy import data_rights
from wagtail_iln.programme.choices import CheckInAnswer

APP_LABEL = "wagtail_iln"
PUBLIC_NAMESPACE = "wagtail_iln"
ADMIN_PREFIX = "admin/"

# Discovery


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str
    pattern: URLPattern

    @property
    def callback(self):
        return self.pattern.callback

    @property
    def converters(self):
        return self.pattern.pattern.converters

    @property
    def model(self):
        """The model the view works on, as its viewset or class says."""
        initkwargs = getattr(self.callback, "view_initkwargs", None) or {}
        view_class = getattr(self.callback, "view_class", None)
        model = initkwargs.get("model") or getattr(view_class, "model", None)
        # Some views compute their model per request (a cached_property on the class).
        if isinstance(model, type) and issubclass(model, models.Model):
            return model
        # Else the viewset's namespace names it: "wagtailsnippets_wagtail_iln_round".
        namespace = self.name.rpartition(":")[0]
        for model in apps.get_app_config(APP_LABEL).get_models():
            if namespace.endswith(f"{APP_LABEL}_{model._meta.model_name}"):
                return model
        return None

    def __str__(self):
        return self.name


def _walk(resolver, prefix="", namespaces=()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            name = ":".join((*namespaces, entry.name or ""))
            yield Endpoint(prefix + str(entry.pattern), name, entry)


def _is_the_apps(endpoint):
    module = getattr(endpoint.callback, "__module__", "") or ""
    model = endpoint.model
    namespace = endpoint.name.rpartition(":")[0]
    return (
        module.split(".")[0] == APP_LABEL
        or (model is not None and model._meta.app_label == APP_LABEL)
        or APP_LABEL in namespace
    )


def app_endpoints():
    """Every URL pattern of the test project that belongs to the app."""
    return [e for e in _walk(get_resolver()) if _is_the_apps(e)]


def public_endpoints():
    return [e for e in app_endpoints() if e.name.split(":")[0] == PUBLIC_NAMESPACE]


def admin_endpoints():
    return [e for e in app_endpoints() if e.route.startswith(ADMIN_PREFIX)]


def app_bulk_actions():
    """(app label, model name, action) of every bulk action registered for the app's models."""
    found = set()
    for action in hooks.get_hooks("register_bulk_action"):
        for model in getattr(action, "models", []):
            if model._meta.app_label == APP_LABEL:
                found.add((APP_LABEL, model._meta.model_name, action.action_type))
    return sorted(found)


# What each public endpoint does with a GET, and the objects its URL needs.
# "refused": 405 and nothing else; "shows": 200, a page or a file, and nothing changes;
# "redirects": 302 to a page of the site (a form's URL sends a GET to the form's page).
# A new endpoint fails test_every_public_endpoint_is_declared until it is listed here.


@dataclass(frozen=True)
class Public:
    #: What a GET does: "refused" (405), "shows" (200, a page or a file) or "redirects" (302).
    get: str
    #: world -> the URL's kwargs.
    kwargs: object
    #: Whether its answers may show someone's data (what they typed, what is held about
    #: them): then every answer says ``Cache-Control: private, no-store``.
    personal: bool
    #: Whether a POST of ``post_data`` acts (withdraws, confirms, erases...) once past CSRF.
    post_acts: bool = False
    post_data: dict = field(default_factory=dict)
    #: Exempt from CSRF on purpose: why. Such a POST must change nothing without a valid token.
    csrf_exempt_because: str = ""
    get_queries: tuple = ("",)
    #: world -> queries with which a GET redirects to the page the form is on.
    redirect_queries: object = lambda w: ()


PUBLIC_ENDPOINTS = {
    "topics_rss": Public("shows", lambda w: {"index_id": w.index.pk}, personal=False),
    "topics_atom": Public("shows", lambda w: {"index_id": w.index.pk}, personal=False),
    "topic_search": Public("shows", lambda w: {}, personal=False, get_queries=("", "?q=topic")),
    "photo_submit": Public(
        "shows",
        lambda w: {"pk": w.campaign.pk},
        personal=True,
        redirect_queries=lambda w: (f"?page={w.topic.pk}",),
    ),
    "photo_withdraw": Public(
        "shows", lambda w: {"token": withdraw_token(w.submission)}, personal=True, post_acts=True
    ),
    # The application's own page, reached from a topic's link.
    "round_apply": Public("shows", lambda w: {"pk": w.round.pk}, personal=True),
    "round_apply_confirm": Public(
        "shows", lambda w: {"token": confirm_token(w.application)}, personal=True, post_acts=True
    ),
    "my_data_request": Public("shows", lambda w: {}, personal=True),
    "my_data": Public(
        "shows",
        lambda w: {"token": data_rights.data_token(w.participant.email)},
        personal=True,
        post_acts=True,
        post_data={"action": "erase"},
        get_queries=("", "?format=json", "?step=erase"),
    ),
    "comment_post": Public("redirects", lambda w: {"pk": w.topic.pk}, personal=True),
    "like": Public(
        "refused", lambda w: {"kind": "topic", "pk": w.topic.pk}, personal=False, post_acts=True
    ),
    "comment_confirm": Public(
        "shows",
        lambda w: {"token": subscription_token(w.subscription)},
        personal=True,
        post_acts=True,
    ),
    "check_in": Public(
        "shows",
        lambda w: {
            "token": check_in_token(w.partnership.pk, w.participant.pk, 0),
            "answer": CheckInAnswer.IN_TOUCH,
        },
        personal=True,
        post_acts=True,
    ),
    "comment_unsubscribe": Public(
        "shows",
        lambda w: {"token": subscription_token(w.subscription)},
        personal=True,
        post_acts=True,
        csrf_exempt_because="RFC 8058 one-click unsubscribe: mail clients post without a token",
    ),
    "follow": Public(
        "shows",
        lambda w: {"pk": w.index.pk},
        personal=True,
        # The form may be placed on any page; a GET goes to the page it is on.
        redirect_queries=lambda w: (f"?page={w.topic.pk}",),
    ),
    "mail_photo_confirm": Public(
        "shows",
        lambda w: {"token": mail_confirm_token(w.inbound_message.pk)},
        personal=True,
        post_acts=True,
        post_data={"credit_name": "Ana", "licence": "cc-by-4.0", "consent": "on"},
    ),
    "follow_confirm": Public(
        "shows",
        lambda w: {"token": follow_confirm_token(w.follower.pk)},
        personal=True,
        post_acts=True,
    ),
    "follow_leave": Public(
        "shows",
        lambda w: {"token": leave_token(w.follower.pk)},
        personal=True,
        post_acts=True,
        csrf_exempt_because="RFC 8058 one-click unsubscribe: mail clients post without a token",
    ),
    "topic_unsubscribe": Public(
        "shows",
        lambda w: {"token": unsubscribe_token(w.participant.pk)},
        personal=True,
        post_acts=True,
        csrf_exempt_because="RFC 8058 one-click unsubscribe: mail clients post without a token",
    ),
}


# The state of everything the app keeps


def snapshot(media_root):
    """Every row of the app's models and of the image model, the stored files and the e-mails.

    Renditions are left out: Wagtail makes them on first view, a cache of the image.
    """
    models = [*apps.get_app_config(APP_LABEL).get_models(), get_image_model(), Page]
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values()) for model in models
    }
    renditions = str(Path(media_root) / "images")
    files = [path for path in stored_files(media_root) if not path.startswith(renditions)]
    return rows, files, len(mail.outbox)


# A world with one of everything


@dataclass
class World:
    index: Page
    topic: Page
    campaign: object
    submission: object
    round: object
    application: object
    participant: object
    enrolment: object
    partnership: object
    credit: object
    comment: object
    subscription: object
    blocked_account: object
    follower: object
    inbound_message: object

    def instance_of(self, model):
        for value in vars(self).values():
            if type(value) is model or (isinstance(value, Page) and type(value.specific) is model):
                return value
        raise LookupError(f"No {model.__name__} in the world: add one to the world fixture.")


@pytest.fixture
def world(site_root):
    now = timezone.now()
    campaign = PhotoCampaignFactory(name="#favouritefeature")
    round = RoundFactory(
        name="2026 round",
        applications_open_at=now - datetime.timedelta(days=1),
        applications_close_at=now + datetime.timedelta(days=20),
        # Still to run: a round whose end date has passed is closed.
        starts_on=now.date() + datetime.timedelta(days=30),
        ends_on=now.date() + datetime.timedelta(days=150),
    )
    index = DiscussionIndexPageFactory(parent=site_root, title="Discussion", slug="discussion")
    topic = DiscussionTopicPageFactory(
        parent=index,
        title="Your #favouritefeature",
        slug="favourite-feature",
        body=[
            ("photo_submission_form", {"campaign": campaign, "heading": "Send your photo"}),
            ("photo_gallery", {"campaign": campaign, "heading": "Your photos"}),
            ("round_application_form", {"round": round, "heading": "Apply now"}),
        ],
    )
    topic.save_revision().publish()
    topic = Page.objects.get(pk=topic.pk).specific
    participant = ParticipantFactory(email="ana@example.org")
    enrolment = EnrolmentFactory(participant=participant, round=round)
    other = EnrolmentFactory(round=round, participant__country="BR")
    comment = Comment.objects.create(
        thread_key=topic.translation_key,
        page=topic,
        language="en",
        name="Ana",
        email="ana@example.org",
        email_hash=email_hash("ana@example.org"),
        body="Our library has a rooftop garden.",
    )
    subscription = CommentSubscription.objects.create(
        thread_key=topic.translation_key,
        email="ana@example.org",
        email_hash=email_hash("ana@example.org"),
        language="en",
    )
    application = Application.objects.create(
        round=round,
        email="ana@example.org",
        data={"name": "Ana Souza", "country": "BR"},
        language="en",
        form_key="6f1c4f4e-8d4b-4c4e-9a57-3b1c1c1c1c1c",
        consent_version=CONSENT_VERSION,
        consent_given_at=now,
    )
    return World(
        index=index,
        topic=topic,
        campaign=campaign,
        submission=PhotoSubmissionFactory(campaign=campaign, email="ana@example.org"),
        round=round,
        application=application,
        participant=participant,
        enrolment=enrolment,
        partnership=PartnershipFactory(round=round, members=[enrolment, other]),
        credit=ImageCreditFactory(),
        comment=comment,
        subscription=subscription,
        blocked_account=BlockedAccount.objects.create(
            user=get_user_model().objects.create_user("spammer", "spam@example.org", None),
            reason="Spam",
        ),
        follower=Follower.objects.create(
            index=index,
            email="ana@example.org",
            language="en",
            form_key="7f1c4f4e-8d4b-4c4e-9a57-3b1c1c1c1c1c",
        ),
        inbound_message=mailed_photo(campaign).message,
    )


def mailed_photo(campaign):
    """A photo e-mailed by Ana, waiting for her to confirm it."""
    message = InboundMessage.objects.create(
        key="0" * 64,
        message_id="<photo@phone.example.org>",
        sender="ana@example.org",
        campaign=campaign,
        language="en",
        outcome=InboundMessage.Outcome.ACCEPTED,
    )
    submission = PhotoSubmissionFactory(
        campaign=campaign, email="ana@example.org", licence="", consent_given_at=None
    )
    return MailedPhoto.objects.create(message=message, submission=submission, position=0)


def public_url(world, endpoint):
    declared = PUBLIC_ENDPOINTS[endpoint.pattern.name]
    return reverse(endpoint.name, kwargs=declared.kwargs(world))


# A value for a URL argument no object matches: the permission check must refuse first.
PLACEHOLDERS = {
    IntConverter: "2147483000",
    StringConverter: "placeholder",
    SlugConverter: "placeholder",
    PathConverter: "placeholder",
    UUIDConverter: "00000000-0000-4000-8000-000000000000",
}


def admin_url(world, endpoint):
    """The view's URL: ``pk`` is a real item of its model, anything else a placeholder."""
    kwargs = {}
    for name, converter in endpoint.converters.items():
        if name == "pk" and endpoint.model is not None:
            kwargs[name] = world.instance_of(endpoint.model).pk
        else:
            kwargs[name] = PLACEHOLDERS[type(converter)]
    return reverse(endpoint.name, kwargs=kwargs)


def bulk_url(world, app_label, model_name, action):
    instance = world.instance_of(apps.get_model(app_label, model_name))
    path = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
    return f"{path}?id={instance.pk}"


ADMIN = admin_endpoints()
PUBLIC = public_endpoints()
BULK = app_bulk_actions()


# Discovery works


def test_discovery_finds_the_apps_views_and_nothing_else():
    names = {e.name for e in ADMIN}
    # A broken discovery must not pass quietly with an empty or tiny list.
    assert len(ADMIN) >= 60, names
    assert len(PUBLIC) >= 10
    assert len(BULK) >= 7, BULK
    assert {
        "wagtail_iln_photos:index",
        "wagtail_iln_photos:approve",
        "wagtail_iln_comments:spam",
        "wagtailsnippets_wagtail_iln_participant:erase",
        "wagtailsnippets_wagtail_iln_participant:import",
        "wagtailsnippets_wagtail_iln_round:edit",
        "wagtailsnippetchoosers_wagtail_iln_participant:choose",
        "wagtailsnippets_wagtail_iln_imagecredit:delete",
    } <= names
    assert not any("wagtailimages" in name or name.startswith("wagtailadmin") for name in names)
    # Everything of the app is either public or behind the admin's login.
    assert {e.name for e in app_endpoints()} == names | {e.name for e in PUBLIC}


def test_every_public_endpoint_is_declared():
    assert {e.pattern.name for e in PUBLIC} == set(PUBLIC_ENDPOINTS)


def test_only_the_declared_public_endpoints_are_exempt_from_csrf():
    exempt = {e.pattern.name for e in PUBLIC if getattr(e.callback, "csrf_exempt", False)}
    declared = {name for name, p in PUBLIC_ENDPOINTS.items() if p.csrf_exempt_because}
    assert exempt == declared


# The public endpoints: GET changes nothing, POST needs the CSRF token


@pytest.mark.parametrize("endpoint", PUBLIC, ids=str)
def test_a_get_to_a_public_endpoint_changes_nothing(endpoint, world, media_root):
    declared = PUBLIC_ENDPOINTS[endpoint.pattern.name]
    url = public_url(world, endpoint)
    before = snapshot(media_root)
    expected = {"refused": 405, "shows": 200, "redirects": 302}[declared.get]
    for query in declared.get_queries:
        response = Client().get(url + query)
        assert response.status_code == expected, query
    for query in declared.redirect_queries(world):
        response = Client().get(url + query)
        assert response.status_code == 302, query
        assert response["Location"].startswith(world.topic.url), query
    assert snapshot(media_root) == before


@pytest.mark.parametrize("endpoint", PUBLIC, ids=str)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(endpoint, world, media_root):
    declared = PUBLIC_ENDPOINTS[endpoint.pattern.name]
    if declared.csrf_exempt_because:
        pytest.skip(declared.csrf_exempt_because)
    url = public_url(world, endpoint)
    client = Client(enforce_csrf_checks=True)
    client.get(url)  # a visitor's browser holds the CSRF cookie, just not the form's token
    before = snapshot(media_root)

    response = client.post(url, declared.post_data)

    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content
    assert snapshot(media_root) == before
    if declared.post_acts:
        # The same post with the token acts: the refusal above was the CSRF check's.
        Client().post(url, declared.post_data)
        assert snapshot(media_root) != before


def never_stored(response):
    """Whether a response tells every cache, shared or the browser's, not to keep it."""
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize(
    "endpoint", [e for e in PUBLIC if PUBLIC_ENDPOINTS[e.pattern.name].personal], ids=str
)
def test_no_cache_keeps_a_page_that_shows_personal_data(endpoint, world):
    """Every answer: the page, its JSON download, its steps, a post, an invalid or spent link."""
    declared = PUBLIC_ENDPOINTS[endpoint.pattern.name]
    url = public_url(world, endpoint)
    client = Client()
    answers = [client.get(url + query) for query in declared.get_queries]
    # A form sent back with its errors shows what was typed: an address, a name.
    answers.append(client.post(url, {"email": "ana@example.org", "name": "Ana"}))
    answers.append(client.post(url, declared.post_data))
    answers.append(client.get(url))  # used or withdrawn since
    kwargs = declared.kwargs(world)
    if "token" in kwargs:
        answers.append(client.get(reverse(endpoint.name, kwargs={**kwargs, "token": "forged"})))
    wrong = [
        (a.request["REQUEST_METHOD"], a.status_code, a.get("Cache-Control"))
        for a in answers
        if not never_stored(a)
    ]
    assert wrong == []


def test_the_one_click_unsubscribe_takes_posts_without_csrf_but_only_with_a_signed_token(
    world, media_root
):
    url = reverse("wagtail_iln:comment_unsubscribe", args=["forged-token"])
    client = Client(enforce_csrf_checks=True)
    before = snapshot(media_root)
    for token in ("forged-token", subscription_token(world.subscription) + "x", "1"):
        url = reverse("wagtail_iln:comment_unsubscribe", args=[token])
        # Not refused for its missing CSRF token: answered as a link that is not valid.
        assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404
    assert snapshot(media_root) == before
    assert CommentSubscription.objects.filter(pk=world.subscription.pk).exists()

    url = reverse("wagtail_iln:comment_unsubscribe", args=[subscription_token(world.subscription)])
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not CommentSubscription.objects.filter(pk=world.subscription.pk).exists()


# Markup typed into a form never comes back as markup

PAYLOAD = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
INJECTED = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
LINK_PAYLOAD = 'javascript:alert(1) http://example.org/"onmouseover="alert(1)'


def assert_not_injected(response):
    """The response carries no markup of the payloads; returns its HTML."""
    if "html" not in response.get("Content-Type", ""):
        return ""
    html = response.content.decode()
    for raw in INJECTED:
        assert raw not in html, f"{raw!r} reflected unescaped in {response.request['PATH_INFO']}"
    soup = BeautifulSoup(html, "html.parser")
    handlers = [
        (tag.name, name)
        for tag in soup.find_all(True)
        for name, value in tag.attrs.items()
        if name.startswith("on") and "alert(1)" in str(value)
    ]
    assert handlers == []
    assert [s for s in soup.find_all("script") if "alert(1)" in s.get_text()] == []
    assert [a["href"] for a in soup.select("a[href^='javascript:']")] == []
    return html


@pytest.fixture
def generous_limits(settings):
    """Rate limits out of the way: these tests post many times from one address."""
    settings.WAGTAIL_ILN = {name: (10_000, 60) for name in DEFAULTS if name.endswith("RATE_LIMIT")}


def post_forms(html):
    """(action, [(name, type, value)]) of every form of a page that posts."""
    forms = []
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        fields = []
        for tag in form.find_all(["input", "textarea", "select", "button"]):
            name = tag.get("name")
            if name and name != "csrfmiddlewaretoken":
                kind = tag.get("type", "text") if tag.name == "input" else tag.name
                fields.append((name, kind, tag.get("value", "")))
        forms.append((form.get("action") or "", fields))
    return forms


def with_payload(fields, hidden_too):
    """The payload in every field a visitor types into, and in hidden ones too if asked."""
    data = {}
    for name, kind, value in fields:
        if kind in ("hidden", "submit", "button") and not hidden_too:
            data[name] = value
        elif kind == "file":
            data[name] = SimpleUploadedFile(f"{PAYLOAD}.jpg", b"not a photo", "image/jpeg")
        else:
            data[name] = PAYLOAD
    return data


def pages_with_forms(world):
    return [world.topic.url] + [
        public_url(world, e) for e in PUBLIC if PUBLIC_ENDPOINTS[e.pattern.name].get == "shows"
    ]


@pytest.mark.parametrize("hidden_too", [False, True], ids=["typed", "tampered"])
def test_markup_posted_to_any_public_form_comes_back_escaped(world, generous_limits, hidden_too):
    client = Client()
    posted = 0
    for page in pages_with_forms(world):
        shown = client.get(page)
        if "html" not in shown["Content-Type"]:
            continue  # a feed
        for action, fields in post_forms(shown.content.decode()):
            response = client.post(action or page, with_payload(fields, hidden_too))
            posted += 1
            assert response.status_code < 500
            html = assert_not_injected(response)
            if response.status_code == 400 and not hidden_too:
                assert escape(PAYLOAD) in html  # the form is shown again, the text escaped
            if response.status_code == 302:
                assert_not_injected(client.get(response["Location"]))
    # The topic's photo, application and comment forms, the data request, and the links' buttons.
    assert posted >= 8


URL_PAYLOAD = '"><svg onload=alert(1)>'


def test_markup_in_links_and_query_strings_is_never_reflected(world, generous_limits):
    """Forged tokens in the signed links, and markup in any query parameter a page might echo."""
    client = Client()
    query = urlencode(
        dict.fromkeys(["tag", "page", "q", "next", "step", "format", "iln-comment"], URL_PAYLOAD)
    )
    urls = [world.index.url, *pages_with_forms(world)]
    for endpoint in PUBLIC:
        kwargs = PUBLIC_ENDPOINTS[endpoint.pattern.name].kwargs(world)
        forged = {
            name: URL_PAYLOAD if isinstance(converter, StringConverter) else kwargs[name]
            for name, converter in endpoint.converters.items()
        }
        urls.append(reverse(endpoint.name, kwargs=forged))
    for url in urls:
        for response in (client.get(f"{url}?{query}"), client.post(url)):
            assert response.status_code < 500, url
            assert "<svg onload=alert(1)>" not in response.content.decode(), url
            assert_not_injected(response)


def test_a_photo_with_markup_is_escaped_in_the_form_the_queue_the_gallery_and_the_credits(
    world, admin_client, generous_limits
):
    client = Client()
    action, fields = next(
        form
        for form in post_forms(client.get(world.topic.url).content.decode())
        if "/photos/" in form[0]
    )
    data = {name: value for name, kind, value in fields if kind == "hidden"}
    data.update(
        photo=SimpleUploadedFile("photo.jpg", jpeg_bytes(800, 600, label="xss"), "image/jpeg"),
        title=PAYLOAD,
        story=PAYLOAD,
        credit_name=PAYLOAD,
        email="mia@example.org",
        country="NO",
        workplace=PAYLOAD,
        licence="cc-by-4.0",
        consent="on",
    )
    response = client.post(action, data)
    assert response.status_code == 302
    assert_not_injected(client.get(response["Location"]))
    submission = PhotoSubmission.objects.get(title=PAYLOAD)

    for name in ("wagtail_iln_photos:index", "wagtail_iln_photos:inspect"):
        args = [submission.pk] if name.endswith("inspect") else []
        assert escape(PAYLOAD) in assert_not_injected(admin_client.get(reverse(name, args=args)))
    response = admin_client.post(
        reverse("wagtail_iln_photos:approve", args=[submission.pk]), follow=True
    )
    assert_not_injected(response)
    submission.refresh_from_db()
    assert submission.status == PhotoSubmission.Status.APPROVED

    assert escape(PAYLOAD) in assert_not_injected(client.get(world.topic.url))
    credits = admin_client.get(reverse(f"wagtailsnippets_{APP_LABEL}_imagecredit:list"))
    assert escape(PAYLOAD) in assert_not_injected(credits)
    assert_not_injected(admin_client.get(reverse("wagtailimages:index")))
    withdraw = reverse("wagtail_iln:photo_withdraw", args=[withdraw_token(submission)])
    assert_not_injected(client.get(withdraw))


def test_a_comment_with_markup_is_escaped_in_the_queue_and_on_the_page(
    world, admin_client, generous_limits
):
    client = Client()
    action, fields = next(
        form
        for form in post_forms(client.get(world.topic.url).content.decode())
        if "/comments/" in form[0]
    )
    data = {name: value for name, kind, value in fields if kind == "hidden"}
    data.update(name=PAYLOAD, email="mia@example.org", body=f"{PAYLOAD}\n{LINK_PAYLOAD}")
    response = client.post(action, data)
    assert response.status_code == 302
    assert_not_injected(client.get(response["Location"]))
    comment = Comment.objects.get(name=PAYLOAD)

    for name in ("wagtail_iln_comments:index", "wagtail_iln_comments:inspect"):
        args = [comment.pk] if name.endswith("inspect") else []
        assert escape(PAYLOAD) in assert_not_injected(admin_client.get(reverse(name, args=args)))
    response = admin_client.post(
        reverse("wagtail_iln_comments:approve", args=[comment.pk]), follow=True
    )
    assert_not_injected(response)

    page = assert_not_injected(client.get(world.topic.url))
    assert escape(PAYLOAD) in page
    body = BeautifulSoup(page, "html.parser").select_one(
        f"#comment-{comment.pk} .iln-comment__body"
    )
    # The address is linked up to the quote, the rest is text; javascript: is never a link.
    links = [(a["href"], a["rel"]) for a in body.find_all("a")]
    assert links == [("http://example.org/", ["nofollow", "ugc", "noopener"])]


def test_an_application_with_markup_is_escaped_on_confirmation_in_the_admin_and_in_my_data(
    world, admin_client, generous_limits, django_capture_on_commit_callbacks
):
    client = Client()
    topic = BeautifulSoup(client.get(world.topic.url).content, "html.parser")
    apply_url = topic.select_one("a[data-iln-apply-link]")["href"]
    action, fields = next(
        form for form in post_forms(client.get(apply_url).content.decode()) if "/rounds/" in form[0]
    )
    data = {name: value for name, kind, value in fields if kind == "hidden"}
    text = ["name", "city", "workplace", "role", "day_to_day", "career_path", "hopes_career"]
    data.update(dict.fromkeys([*text, "hopes_partnership"], PAYLOAD))
    data.update(
        email="mia@example.org",
        country="NO",
        time_zone="Europe/Oslo",
        languages=["en"],
        workplace_kind="public",
        contact_frequency="fortnightly",
        consent="on",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, data)
    assert response.status_code == 302
    assert_not_injected(client.get(response["Location"]))
    application = Application.objects.get(email="mia@example.org")

    confirm = reverse("wagtail_iln:round_apply_confirm", args=[confirm_token(application)])
    assert escape(PAYLOAD) in assert_not_injected(client.get(confirm))
    assert_not_injected(client.post(confirm))
    participant = type(world.participant).objects.get(email="mia@example.org")
    assert participant.name == PAYLOAD

    snippets = f"wagtailsnippets_{APP_LABEL}"
    for name, args in [
        (f"{snippets}_participant:list", []),
        (f"{snippets}_participant:inspect", [participant.pk]),
        (f"{snippets}_participant:edit", [participant.pk]),
        (f"{snippets}_participant:erase", [participant.pk]),
        (f"{snippets}_enrolment:list", []),
    ]:
        assert escape(PAYLOAD) in assert_not_injected(admin_client.get(reverse(name, args=args)))
    my_data = reverse("wagtail_iln:my_data", args=[data_rights.data_token("mia@example.org")])
    assert escape(PAYLOAD) in assert_not_injected(client.get(my_data))


# The admin: nobody without the app's permissions gets in


@pytest.fixture
def editor(django_user_model):
    """Someone who may use the admin, and nothing of the app's: not staff, one permission."""
    group = Group.objects.create(name="Admin access only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    user.groups.add(group)
    return user


# Wagtail opens a snippet's chooser to every admin user, so that page editors can
# pick a round or a campaign for a block. The app keeps that for what its public
# pages show anyway, and closes the choosers of people (PrivateSnippetChooserViewSet).
OPEN_CHOOSERS = {
    "round": "page editors choose the round of an application form or stats block",
    "photocampaign": "page editors choose the campaign of a photo form or gallery block",
    "imagecredit": "credits are printed under every image on the public site",
}
CHOOSING_VIEWS = {"choose", "choose_results", "chosen", "chosen_multiple"}


def is_open_chooser(endpoint):
    namespace, _, view = endpoint.name.partition(":")
    prefix = f"wagtailsnippetchoosers_{APP_LABEL}_"
    return (
        namespace.startswith(prefix)
        and namespace.removeprefix(prefix) in OPEN_CHOOSERS
        and view in CHOOSING_VIEWS
    )


def refusals(url, editor, open_to_editors=False):
    """What is wrong with the answers to anonymous users and to the editor, GET and POST."""
    anonymous, editor_client = Client(), Client()
    editor_client.force_login(editor)
    login = f"{reverse('wagtailadmin_login')}?next="
    home = reverse("wagtailadmin_home")
    wrong = []
    for method in ("get", "post"):
        response = getattr(anonymous, method)(url)
        if response.status_code != 302 or not response["Location"].startswith(login):
            wrong.append(f"anonymous {method.upper()} {url}: {response.status_code}")
        response = getattr(editor_client, method)(url, {"id": "1"} if method == "post" else {})
        if open_to_editors:
            refused = method == "post" or response.status_code == 200
        else:
            refused = response.status_code == 403 or (
                response.status_code == 302 and response["Location"] == home
            )
        if not refused:
            wrong.append(f"editor {method.upper()} {url}: {response.status_code}")
    return wrong


def admin_groups():
    """The admin views by viewset (URL namespace), and the bulk actions by model."""
    groups = {}
    for endpoint in ADMIN:
        groups.setdefault(endpoint.name.rpartition(":")[0], []).append(endpoint)
    for app_label, model_name, action in BULK:
        groups.setdefault(f"bulk-{model_name}", []).append((app_label, model_name, action))
    return groups


ADMIN_GROUPS = admin_groups()


@pytest.mark.parametrize("group", sorted(ADMIN_GROUPS))
def test_every_admin_view_refuses_outsiders_and_changes_nothing_on_get(
    group, world, editor, admin_client, media_root
):
    before = snapshot(media_root)
    wrong = []
    for item in ADMIN_GROUPS[group]:
        if isinstance(item, Endpoint):
            url, is_open = admin_url(world, item), is_open_chooser(item)
        else:
            url, is_open = bulk_url(world, *item), False
        wrong += refusals(url, editor, open_to_editors=is_open)
        # And a GET changes nothing, even for a superuser: confirmation pages only ask.
        response = admin_client.get(url)
        if response.status_code >= 500 or snapshot(media_root) != before:
            wrong.append(f"superuser GET {url}: {response.status_code}, changed something")
    assert wrong == []
    assert snapshot(media_root) == before


def test_choosers_of_people_show_nobody_to_editors_without_permission(world, editor):
    client = Client()
    client.force_login(editor)
    for model in ("participant", "enrolment", "partnership"):
        response = client.get(
            reverse(f"wagtailsnippetchoosers_{APP_LABEL}_{model}:choose"),
            headers={"x-requested-with": "XMLHttpRequest"},  # as the chooser modal asks
        )
        assert response.status_code == 403
        assert world.participant.name not in response.content.decode()
    # Editors still choose rounds and campaigns for their blocks.
    response = client.get(
        reverse(f"wagtailsnippetchoosers_{APP_LABEL}_round:choose"),
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert world.round.name in response.json()["html"]


def test_bulk_actions_name_nobody_to_editors_without_permission(world, editor):
    client = Client()
    client.force_login(editor)
    for model, action in [("participant", "delete"), ("enrolment", "accept")]:
        response = client.get(bulk_url(world, APP_LABEL, model, action), follow=True)
        assert world.participant.name not in response.content.decode()
        assert "you do not have permission" in response.content.decode().lower()


def test_people_choosers_and_bulk_actions_still_serve_those_with_permission(world, editor):
    editor.user_permissions.add(
        Permission.objects.get(codename="view_participant"),
        Permission.objects.get(codename="change_enrolment"),
    )
    client = Client()
    client.force_login(editor)
    response = client.get(reverse(f"wagtailsnippetchoosers_{APP_LABEL}_participant:choose"))
    assert world.participant.name in response.json()["html"]
    world.enrolment.status = "applied"
    world.enrolment.save()
    response = client.post(bulk_url(world, APP_LABEL, "enrolment", "withdraw"))
    assert response.status_code == 302
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == "withdrawn"
    # Deleting needs its own permission.
    response = client.post(bulk_url(world, APP_LABEL, "participant", "delete"))
    assert response["Location"] == reverse("wagtailadmin_home")
    assert type(world.participant).objects.filter(pk=world.participant.pk).exists()


@pytest.mark.parametrize(
    "model, action",
    [
        ("comment", "approve"),
        ("comment", "spam"),
        ("photosubmission", "approve"),
        ("photosubmission", "reject"),
        ("enrolment", "accept"),
        ("enrolment", "withdraw"),
        ("round", "delete"),
        ("participant", "delete"),
    ],
)
@pytest.mark.parametrize("made_up", ["abc", "1.5", "9" * 40, "-1"])
def test_a_bulk_action_on_a_made_up_id_is_not_found_and_changes_nothing(
    admin_client, model, action, made_up
):
    url = reverse("wagtail_bulk_action", args=["wagtail_iln", model, action])
    assert admin_client.get(f"{url}?id={made_up}").status_code == 404
    assert admin_client.post(f"{url}?id={made_up}").status_code == 404
    assert mail.outbox == []
