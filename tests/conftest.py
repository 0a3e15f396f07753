import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from wagtail.models import Page, Site


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes its files to a fresh temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_caches():
    """Rate-limit counts and other cached values do not leak from one test to the next."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """A request to a /fr/ or /es/ URL leaves its language active in the thread: reset it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def site_root(db):
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def index_page(site_root):
    from tests.factories import DiscussionIndexPageFactory

    return DiscussionIndexPageFactory(parent=site_root, title="Discussion", slug="discussion")


@pytest.fixture
def campaign(db):
    """A photo campaign taking photos, #favouritefeature."""
    from wagtail_iln.models import PhotoCampaign

    return PhotoCampaign.objects.create(name="#favouritefeature", hashtags="#favouritefeature")


@pytest.fixture
def gallery_page(index_page, campaign):
    """A topic showing the campaign's gallery, 12 photos a page."""
    from tests.factories import DiscussionTopicPageFactory

    block = {"campaign": campaign, "heading": "Favourites", "per_page": 12, "layout": "grid"}
    return DiscussionTopicPageFactory(
        parent=index_page, slug="gallery", body=[("photo_gallery", block)]
    )


@pytest.fixture
def topic_page(index_page):
    from tests.factories import DiscussionTopicPageFactory, ImageCreditFactory

    credit = ImageCreditFactory()
    topic = DiscussionTopicPageFactory(
        parent=index_page,
        title="Getting to know you and your #favouritefeature",
        slug="getting-to-know-you",
        hero_image=credit.image,
    )
    topic.tags.add("favouritefeature", "ILNround")
    topic.save_revision().publish()
    return Page.objects.get(pk=topic.pk).specific


# What makes a test transactional (pytest-django): it commits, then empties the database.
TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items):
    """Browser tests are slow tests too: ``-m "not slow"`` is the fast set.

    Transactional tests are ``serial``: they empty the database when they end,
    and in a process that ran other tests first, the ones after the live
    server's first test found Wagtail's site gone. ``make test``
    and CI run them apart: ``-m "not serial"`` (on every core in CI), then
    ``-m serial``.
    """
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
        if is_transactional(item):
            item.add_marker(pytest.mark.serial)
