from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.models import Site

from .. import fragments, tracking
from ..conf import get_setting
from ..credits.rendering import alt_text, credit_html, get_credit
from ..likes.rendering import topic_like_button as topic_like_context
from ..topics.calendar import calendar_context
from ..widgets import render_field
from ..words import datetime_in_sentence, language_name

register = template.Library()


@register.simple_tag
def image_credit(image):
    """Render the credit line of an image, or nothing when it has no credit.

    ``{% image_credit page.hero_image %}``; the markup comes from
    ``wagtail_iln/includes/_image_credit.html``, which a site may override.
    """
    credit = get_credit(image)
    if credit is None:
        return ""
    html = render_to_string(
        "wagtail_iln/includes/_image_credit.html",
        {"credit": credit, "credit_line": credit_html(credit)},
    )
    return mark_safe(html.strip())


@register.simple_tag
def iln_field(field):
    """One field of a public form with its label, help and errors (``widgets.render_field``)."""
    return render_field(field)


@register.filter
def iln_alt(image):
    """Alternative text for an image: its description, its credit's title or its title."""
    return alt_text(image)


@register.simple_tag
def iln_rendition(image, setting_name):
    """The rendition of an image for the filter a ``WAGTAIL_ILN`` setting names.

    ``{% iln_rendition page.hero_image "HERO_IMAGE_FILTER" as hero %}``
    """
    if image is None:
        return None
    return image.get_rendition(get_setting(setting_name))


@register.inclusion_tag("wagtail_iln/includes/_error_summary.html")
def iln_error_summary(form, form_id):
    """The summary at the top of a form handed back with errors: one link to each field in error.

    ``{% iln_error_summary form form_id %}``; renders nothing for a form without errors.
    """
    from ..pageforms import error_summary

    return {"errors": error_summary(form), "form_id": form_id}


@register.simple_tag(takes_context=True)
def comment_thread(context, page=None):
    """The open discussion of a page: approved comments, replies under them, and the form.

    ``{% comment_thread %}`` uses the page in the context; one query whatever the
    number of comments. The thread is rendered once for every reader until a
    comment changes (``wagtail_iln.fragments``); a reply, a thank-you or a form
    sent back with errors is rendered for its reader.
    """
    from ..comments import accounts
    from ..comments.models import Comment, thread_scope
    from ..comments.views import POSTED_PARAMETER, accepts_comments

    page = page or context.get("page")
    request = context.get("request")
    accepts = accepts_comments(page)
    commenter = accounts.signed_in_commenter(request) if request else None

    def render_html(for_cache=False):
        thread = _thread_context(page, request, context, accepts, commenter)
        if for_cache:
            thread = fragments.for_cache_context(thread)
            fragments.fragment_form_key(thread["form"], thread)
        return render_to_string("wagtail_iln/comments/_thread.html", thread)

    personal = {"reply_to", POSTED_PARAMETER} & set(request.GET) if request else True
    if personal or commenter is not None or not fragments.cacheable(request):
        return mark_safe(render_html())  # noqa: S308 - rendered by the template
    providers = [button.id for button in accounts.providers(request, "")]
    parts = ["comment thread", page.pk, page.translation_key, accepts, providers]
    # Approved comments only: held ones leave the cached thread as it is.
    scope = thread_scope(page.translation_key, Comment.Status.APPROVED)
    # Dated comments, no relative dates: the thread outlives midnight (``accepts`` is in parts).
    return fragments.render(request, parts, [(Comment, scope)], render_html, page, dated=False)


def _thread_context(page, request, context, accepts, commenter=None):
    from ..comments import accounts
    from ..comments.models import Comment
    from ..comments.rendering import build_thread
    from ..comments.views import POSTED_PARAMETER, CommentPostView, comment_form
    from ..pageforms import bound_form

    comments = list(
        Comment.objects.in_thread(page)
        .approved()
        .only("pk", "parent_id", "name", "body", "language", "created_at", "account_provider")
    )
    form = bound_form(request, "comment", page.translation_key) if request else None
    back = f"{page.get_url(request)}#comment-form" if request else ""
    reply_to = request.GET.get("reply_to") if request else None
    return {
        "request": request,
        "page": page,
        "comments": build_thread(comments),
        # The comment a reply answers, named above the form (only a top-level one takes replies).
        "replying_to": next(
            (c for c in comments if c.parent_id is None and str(c.pk) == reply_to), None
        ),
        "comment_count": len(comments),
        "form": form or comment_form(request, page),
        "commenter": commenter,
        "sign_in_providers": accounts.providers(request, back) if commenter is None else [],
        "sign_out_url": accounts.logout_url() if commenter is not None else "",
        "back_url": back,
        "accepts_comments": accepts,
        "posted": request.GET.get(POSTED_PARAMETER) if request else None,
        "csrf_token": context.get("csrf_token"),
        **CommentPostView.form_context(page, page),
    }


@register.filter
def iln_label(text):
    """``text`` and a colon, as the active language writes it: "Country:", "Pays :"."""
    # Translators: a label before its value; French puts a (non-breaking) space before ":".
    return gettext("%(label)s:") % {"label": text}


@register.filter
def iln_comment_body(text):
    """A comment's text: escaped, line breaks kept, links with rel="nofollow ugc noopener"."""
    from ..comments.rendering import render_comment

    return render_comment(text)


@register.simple_tag
def iln_current_topic(round):
    """This fortnight's topic of ``round``: ``{% iln_current_topic round as topic %}``."""
    if round is None:
        return None
    return calendar_context(round)["current_topic"]


@register.simple_tag
def iln_topic_calendar(round):
    """The calendar of ``round``'s topics: ``{% iln_topic_calendar round %}``.

    Its markup comes from ``wagtail_iln/topics/_calendar.html``, which a site may override.
    """
    if round is None:
        return ""
    html = render_to_string("wagtail_iln/topics/_calendar.html", calendar_context(round))
    return mark_safe(html.strip())  # noqa: S308 - rendered by the template


@register.filter(expects_localtime=True)
def iln_datetime(value):
    """A date and time in a sentence, with its time zone: "Dec. 19, 2026, 1:28 a.m. UTC".

    ``{% blocktranslate with closes=round.applications_close_at|iln_datetime %}``
    """
    return datetime_in_sentence(value)


@register.filter
def iln_language_name(code):
    """A language's name in the middle of a sentence: "écrit en anglais", "written in English"."""
    return language_name(code)


@register.simple_tag(takes_context=True)
def topic_like_button(context, page=None):
    """The like button of a topic page: how many people like it, and a form to like it too.

    ``{% topic_like_button %}`` for the page being shown, or ``{% topic_like_button topic %}``.
    """
    page = page or context.get("page")
    request = context.get("request")
    html = render_to_string(
        "wagtail_iln/likes/_topic_like.html",
        {"like": topic_like_context(request, page)},
        request=request,
    )
    return mark_safe(html.strip())


@register.simple_tag(takes_context=True)
def iln_follow_form(context, index=None):
    """The form to follow a discussion index by e-mail: ``{% iln_follow_form %}`` on its page."""
    from ..mailings.follow import FollowForm, FollowView
    from ..pageforms import bound_form

    index = index or context.get("page")
    request = context.get("request")
    if index is None or request is None:
        return ""
    form = bound_form(request, FollowView.form_kind, index.pk) or FollowForm(index)
    return render_to_string(
        "wagtail_iln/mailings/_follow_form.html",
        {
            "index": index,
            "page": index,
            "form": form,
            "sent": request.GET.get(FollowView.thank_you_parameter) == str(index.pk),
            **FollowView.form_context(index, index),
        },
        request=request,
    )


@register.inclusion_tag("wagtail_iln/navigation/_language_switcher.html", takes_context=True)
def iln_language_switcher(context, page=None):
    """Links to the page in each of the site's languages, for any page of the site.

    ``{% iln_language_switcher %}`` uses the page in the context (a Wagtail page,
    or none on the app's own pages); a language the page is not translated into
    links to that language's home page and says so, in that language. A view
    may give its own links as ``iln_language_links`` in the context (the app's
    form pages do: they speak the language of the page they were reached from).
    """
    from ..navigation import language_links

    if page is None and context.get("iln_language_links") is not None:
        return {"languages": context["iln_language_links"]}
    request = context.get("request")
    return {"languages": language_links(request, page or context.get("page"))}


@register.simple_tag
def iln_privacy_policy_url():
    """The privacy notice's URL in the active language (``PRIVACY_POLICY_URL``), or ""."""
    from ..privacy.notice import privacy_policy_url

    return privacy_policy_url()


@register.inclusion_tag("wagtail_iln/navigation/_breadcrumbs.html", takes_context=True)
def iln_breadcrumbs(context, title=None, page=None):
    """Where the page read sits in the site: home, the pages above, the page.

    ``{% iln_breadcrumbs %}`` on a Wagtail page (the page in the context);
    ``{% iln_breadcrumbs title %}`` on the app's own pages, under the home page
    of the reader's language, or ``{% iln_breadcrumbs title page=other %}``
    under ``other`` (the page the reader came from). A ``nav`` named
    "Breadcrumb", the page read marked ``aria-current="page"``.
    """
    from ..navigation import breadcrumbs

    request = context.get("request")
    if title is None:
        page = page or context.get("page")
    return {"crumbs": breadcrumbs(request, page, title)}


def _topic_fragment(context, name, page, template, make_context, dependencies):
    """A topic's part, cached for every reader until one of ``dependencies(page)`` changes."""
    from ..topics.models import DiscussionTopicPage

    request = context.get("request")

    def render_html(for_cache=False):
        return render_to_string(template, make_context(page, request), request=request)

    if not isinstance(page, DiscussionTopicPage):
        return ""
    if not fragments.cacheable(request):
        return mark_safe(render_html())  # noqa: S308 - rendered by the template
    # The site the reader asked (its links and addresses), whichever of its host names.
    site = Site.find_for_request(request)
    parts = [name, page.pk, page.locale_id, getattr(site, "pk", None)]
    # Nothing in a topic's pager or sharing card changes with the day.
    html = fragments.render(request, parts, dependencies(page), render_html, page, dated=False)
    return mark_safe(html)  # noqa: S308 - rendered by the template


def _sharing_context(page, request):
    from ..topics.cards import sharing_meta

    return {"meta": sharing_meta(page, request)}


def _sharing_dependencies(page):
    """The topics (the page and its translations), the hero image and its credit.

    A topic's hero image changes with the topic; other images and credits
    (a photo approved for a gallery) leave the card as it is.
    """
    from ..credits.models import ImageCredit, image_scope
    from ..topics.models import DiscussionTopicPage

    if page.hero_image_id is None:
        return [DiscussionTopicPage]
    return [
        DiscussionTopicPage,
        (get_image_model(), tracking.row_scope(page.hero_image_id)),
        (ImageCredit, image_scope(page.hero_image_id)),
    ]


def _pager_context(page, request):
    from ..topics.navigation import neighbours

    previous, next_topic = neighbours(page)
    return {"previous": previous, "next": next_topic, "request": request}


def _pager_dependencies(page):
    """The topics: the pager shows its neighbours' titles and links, no image."""
    from ..topics.models import DiscussionTopicPage

    return [DiscussionTopicPage]


@register.simple_tag(takes_context=True)
def iln_sharing_meta(context, page=None):
    """The Open Graph and Twitter-card meta of a topic page, for the ``<head>``.

    ``{% iln_sharing_meta %}`` in the site's base template; nothing on other pages.
    Cached for every reader until a topic, the hero image or its credit changes.
    """
    page = page or context.get("page")
    template = "wagtail_iln/topics/_sharing_meta.html"
    return _topic_fragment(
        context, "sharing card", page, template, _sharing_context, _sharing_dependencies
    )


@register.simple_tag(takes_context=True)
def iln_topic_pager(context, page=None):
    """Links to the previous and the next topic of the same discussion index.

    ``{% iln_topic_pager %}``; the topic page's template shows it under the article.
    Cached for every reader until a topic (any translation, any sibling) is saved,
    published, unpublished or deleted.
    """
    page = page or context.get("page")
    template = "wagtail_iln/topics/_pager.html"
    return _topic_fragment(
        context, "topic pager", page, template, _pager_context, _pager_dependencies
    )


@register.inclusion_tag("wagtail_iln/topics/_search_form.html")
def iln_search_form(form_id="iln-search"):
    """A form that searches the topics of the reader's language: ``{% iln_search_form %}``."""
    return {"form_id": form_id}
