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


def pytest_collection_modifyitems(items):
    """Browser tests are slow tests too: ``-m "not slow"`` is the fast set."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
