from django.utils.html import urlize
from django.utils.safestring import mark_safe


def render_comment(text):
    """Escaped text with its line breaks, and links that pass no reputation on."""
    html = urlize(text, nofollow=True, autoescape=True)
    html = html.replace(' rel="nofollow"', ' rel="nofollow ugc noopener"')
    return mark_safe(html.replace("\r\n", "\n").replace("\n", "<br>\n"))


def build_thread(comments):
    """Top-level comments oldest first, each with ``thread_replies`` under it."""
    top, replies = [], {}
    for comment in comments:
        if comment.parent_id is None:
            top.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in top:
        comment.thread_replies = replies.get(comment.pk, [])
    return top
