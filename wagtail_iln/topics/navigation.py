"""Ways from one topic to another: the previous and next topic, and topic search."""

import re

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from ..conf import get_setting
from .models import DiscussionTopicPage

MAX_QUERY_LENGTH = 200


def neighbours(page):
    """``(previous, next)``: the topics published just before and just after ``page``.

    Within the same discussion index, hence the same locale; live and public
    topics only, ordered as the index lists them (by first publication).
    Either is ``None`` at the ends; each is a ``Page`` (its title and URL).
    """
    if page.first_published_at is None:
        return None, None
    # The siblings in order, then the two neighbours: an index holds a few hundred
    # topics, and this costs a third of finding both in one query with subqueries,
    # whose compiling took longer than running it.
    siblings = (
        DiscussionTopicPage.objects.sibling_of(page, inclusive=False)
        .live()
        .public()
        .order_by("first_published_at", "pk")
        .values_list("first_published_at", "pk")
    )
    here = (page.first_published_at, page.pk)
    previous_pk = next_pk = None
    for sibling in siblings:
        if sibling < here:
            previous_pk = sibling[1]
        else:
            next_pk = sibling[1]
            break
    wanted = [pk for pk in (previous_pk, next_pk) if pk is not None]
    found = {topic.pk: topic for topic in Page.objects.filter(pk__in=wanted)} if wanted else {}
    return found.get(previous_pk), found.get(next_pk)


def search_topics(query, locale=None):
    """The live, public topics of ``locale`` (the active one) that match ``query``, best first.

    Wagtail search: on PostgreSQL its database backend uses full-text search.
    """
    # Words only: punctuation means query syntax to some backends (SQLite's FTS5 fails on it).
    words = " ".join(re.findall(r"\w+", query))
    if not words:
        return DiscussionTopicPage.objects.none()
    locale = locale or Locale.get_active()
    topics = DiscussionTopicPage.objects.live().public().filter(locale=locale)
    return topics.search(words)


@require_GET
def topic_search(request):
    """The topic search page: ``?q=`` words; the results in the reader's language.

    ``SEARCH_PAGE_SIZE`` results a page, ``?page=`` the page; a page number
    out of range or not a number shows the nearest page (the last, or the first).
    """
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = page = None
    if query:
        paginator = Paginator(search_topics(query), get_setting("SEARCH_PAGE_SIZE"))
        page = paginator.get_page(request.GET.get("page"))
        results = list(page.object_list)
    context = {
        "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
        "query": query,
        "results": results,
        "results_page": page,
        "page_numbers": (
            list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
            if page is not None and page.has_other_pages()
            else []
        ),
        "ellipsis": Paginator.ELLIPSIS,
    }
    return TemplateResponse(request, "wagtail_iln/topics/search.html", context)
