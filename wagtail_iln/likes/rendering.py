"""What the like button of a topic or a photo shows."""

from django.http import QueryDict
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .counts import LIKED_PARAMETER, like_counts, like_label, liked_by
from .models import Like


def button_texts(kind):
    """``(to like, liked)``: what a topic's or a photo's button says before and after.

    A topic's button names the topic: it sits under the whole page, after the
    last photo of a gallery, where a bare "Like" read as the photo's.
    """
    if kind == Like.Kind.TOPIC:
        return gettext("Like this topic"), gettext("You like this topic")
    return gettext("Like"), gettext("You like this")


def like_button(kind, pk, count, liked=False, next_url="", described_by=""):
    """The context of ``wagtail_iln/likes/_like.html`` for one topic or photo.

    ``described_by``: the id of what the button likes (a photo's title), for
    readers who hear one "Like" button after another.
    """
    text, liked_text = button_texts(kind)
    return {
        "action": reverse("wagtail_iln:like", args=[kind, pk]),
        "label": like_label(count),
        "liked": liked,
        "next": next_url,
        "text": text,
        "liked_text": liked_text,
        "described_by": described_by,
    }


def page_path(request, without=(LIKED_PARAMETER,)):
    """The path and query of the page a reader is on, less the thank-you parameter."""
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in without:
            query.setlist(key, values)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def topic_like_button(request, topic):
    """A topic's like button: the count of all its translations, and whether this reader does."""
    key = str(topic.translation_key)
    count = like_counts(Like.Kind.TOPIC, [key])[key]
    liked = key in liked_by(request, Like.Kind.TOPIC, [key]) if request is not None else False
    return like_button(Like.Kind.TOPIC, topic.pk, count, liked)


def photo_like_buttons(request, photos, for_cache):
    """Give each photo of a gallery page its like button, with one query for the whole page.

    A rendering kept in the cache is the same for every reader: it says only
    whether the reader was just sent back from liking that photo.
    """
    counts = like_counts(Like.Kind.PHOTO, [photo.pk for photo in photos])
    just_liked = request.GET.get(LIKED_PARAMETER, "") if request is not None else ""
    next_url = page_path(request) if request is not None else ""
    for photo in photos:
        photo.like = like_button(
            Like.Kind.PHOTO,
            photo.pk,
            counts[str(photo.pk)],
            liked=not for_cache and just_liked == f"iln-photo-{photo.pk}",
            next_url=next_url,
            described_by=f"iln-photo-{photo.pk}-title",
        )


LIKE_TEMPLATE = "wagtail_iln/likes/_like.html"
# Stand for a button's action and described element in a rendering shared by the buttons
# that differ in nothing else.
ACTION_MARKER = "wagtaililnlikeaction"
DESCRIBED_BY_MARKER = "wagtaililnlikedescribedby"


def render_like_buttons(items, context):
    """Give each of ``items`` (photos with a ``like``) its button's HTML as ``like_html``.

    The buttons of a gallery page differ in their action, and most of them in
    nothing else (no one, or the same few people, like each photo): the
    template is rendered once per distinct rest, with a marker for the action,
    which each button then replaces with its own, escaped. The first button of
    each kind is rendered in full too, and the shared rendering is used only
    where it gives that button's HTML exactly (a template that transforms the
    action renders every button on its own).
    """
    template = get_template(LIKE_TEMPLATE)

    def render(like):
        return template.render({**context, "like": like})

    def filled(html, like):
        html = html.replace(ACTION_MARKER, escape(like["action"]))
        return html.replace(DESCRIBED_BY_MARKER, escape(like.get("described_by", "")))

    shared = {}
    for item in items:
        like = item.like
        key = (str(like["label"]), like["liked"], like["next"])
        if key not in shared:
            html = render(like)
            marked = render({**like, "action": ACTION_MARKER, "described_by": DESCRIBED_BY_MARKER})
            shared[key] = marked if filled(marked, like) == html else None
        elif shared[key] is not None:
            html = filled(shared[key], like)
        else:
            html = render(like)
        item.like_html = mark_safe(html)  # noqa: S308 - the template's output
