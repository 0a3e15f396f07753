from django.utils.html import urlize
from django.utils.safestring import mark_safe


def linkify(text):
    """``text`` escaped, with its links made, and the number of links made.

    What a comment shows as links and what the link hold counts
    (``COMMENT_MAX_LINKS``) are both decided here: bare domains
    (``example.com``), ``www.`` addresses, full URLs and e-mail addresses.
    """
    html = urlize(text, nofollow=True, autoescape=True)
    # The text is escaped first: every "<a " left is a link urlize made.
    return html, html.count("<a ")


def count_links(text):
    """How many links ``text`` shows as once rendered."""
    return linkify(text)[1]


def render_comment(text):
    """Escaped text with its line breaks, and links that pass no reputation on."""
    html, _ = linkify(text)
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
