"""The public side of the open discussion: posting, and the e-mail links."""

from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from ..conf import get_setting
from ..links import is_id
from ..mail import after_response
from ..pageforms import render_page_with_form
from ..ratelimit import is_rate_limited
from .commenters import remember_commenter
from .forms import CommentForm
from .models import Comment, CommentSubscription, email_hash
from .moderation import SUBSCRIPTION_SALT, notify_subscribers, subscribe
from .rules import decide

POSTED_PARAMETER = "iln-comment"


def accepts_comments(page):
    """Whether a page takes new comments: its own switch and its discussion window."""
    accepts = getattr(page, "accepts_comments", None)
    return accepts() if accepts else True


@never_cache  # a form sent back shows what the visitor typed
@after_response  # the answer takes as long whatever the e-mails do
@require_POST
def post_comment(request, page_id):
    """Receive a comment; the page is shown again with the form's errors when it is not valid."""
    page = get_object_or_404(Page.objects.live().public(), pk=page_id).specific
    with translation.override(page.locale.language_code):
        response = _post_comment(request, page)
        if isinstance(response, TemplateResponse):
            response.render()
    return response


def _post_comment(request, page):
    thread = Comment.objects.in_thread(page)
    if not accepts_comments(page):
        return render_page_with_form(request, page, "comment", page.translation_key, None, 403)
    form = CommentForm(request.POST, thread=thread)
    if is_rate_limited(request, "comments", get_setting("COMMENT_RATE_LIMIT")):
        form.rate_limited = True
        return render_page_with_form(request, page, "comment", page.translation_key, form, 429)
    if not form.is_valid():
        return render_page_with_form(request, page, "comment", page.translation_key, form, 400)
    data = form.cleaned_data
    url = page.get_url(request)
    if Comment.objects.filter(form_key=data["form_key"]).exists():
        return HttpResponseRedirect(f"{url}?{POSTED_PARAMETER}=sent#comments")
    comment = Comment(
        thread_key=page.translation_key,
        page=page,
        language=page.locale.language_code,
        parent=data["parent"],
        name=data["name"],
        email=data["email"],
        email_hash=email_hash(data["email"]),
        body=data["body"],
        form_key=data["form_key"],
    )
    decide(comment, request)
    if comment.status == Comment.Status.APPROVED:
        # Shown at once: there is nothing to tell the author later.
        comment.email = ""
    comment.save()
    if data["notify"] and comment.status != Comment.Status.SPAM:
        subscribe(comment, data["email"])
    if comment.status == Comment.Status.APPROVED:
        notify_subscribers(comment)
        return HttpResponseRedirect(f"{url}?{POSTED_PARAMETER}=shown#comment-{comment.pk}")
    return HttpResponseRedirect(f"{url}?{POSTED_PARAMETER}=held#comments")


def _subscription(token):
    try:
        pk = signing.loads(token, salt=SUBSCRIPTION_SALT)
    except signing.BadSignature:
        return None
    return CommentSubscription.objects.filter(pk=pk).first() if is_id(pk) else None


def _respond(request, template, subscription, done, status=200):
    context = {
        "subscription": subscription,
        "done": done,
        "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
    }
    language = subscription.language if subscription else translation.get_language()
    response = TemplateResponse(
        request, f"wagtail_iln/comments/{template}.html", context, status=status
    )
    with translation.override(language):
        return response.render()


@never_cache  # shows personal data: no shared or browser cache keeps it
@require_http_methods(["GET", "POST"])
def confirm_subscription(request, token):
    """The link in the confirmation e-mail: confirm with one button."""
    subscription = _subscription(token)
    if subscription is None:
        return _respond(request, "confirm", None, False, status=404)
    if request.method == "POST" and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    response = _respond(request, "confirm", subscription, subscription.confirmed_at is not None)
    if request.method == "POST":
        # Following the e-mailed link proved the address: this browser may speak for it.
        remember_commenter(request, response, subscription.email)
    return response


@never_cache  # shows personal data: no shared or browser cache keeps it
@csrf_exempt  # signed link; mail clients post to it directly (RFC 8058 one-click)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop the e-mails of a thread: one click on the page, or the mail client's button."""
    subscription = _subscription(token)
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return _respond(request, "unsubscribe", subscription, True)
    if subscription is None:
        return _respond(request, "unsubscribe", None, True)
    return _respond(request, "unsubscribe", subscription, False)
