"""The public side of the open discussion: posting, and the e-mail links."""

from django.core import signing
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from ..conf import get_setting
from ..links import is_id
from ..pageforms import DuplicatePost, PageFormView
from .accounts import signed_in_commenter
from .commenters import remember_commenter
from .forms import AccountCommentForm, CommentForm
from .models import BlockedAccount, Comment, CommentSubscription, email_hash
from .moderation import SUBSCRIPTION_SALT, notify_subscribers, subscribe
from .rules import decide

POSTED_PARAMETER = "iln-comment"


def accepts_comments(page):
    """Whether a page takes new comments: its own switch and its discussion window."""
    accepts = getattr(page, "accepts_comments", None)
    return accepts() if accepts else True


def comment_form(request, page, data=None):
    """The comment form for this reader: under their account when signed in through a provider."""
    thread = Comment.objects.in_thread(page)
    commenter = signed_in_commenter(request)
    if commenter is None:
        return CommentForm(data, thread=thread)
    blocked = BlockedAccount.objects.filter(user=commenter.user).exists()
    return AccountCommentForm(data, thread=thread, commenter=commenter, blocked=blocked)


class CommentPostView(PageFormView):
    """Receive a comment; the page is shown again with the form's errors when it is not valid.

    Returns to the page: with the comment shown when it is approved at once,
    or with a note that a moderator will see it. 403 when the page takes no
    comments, 429 when the client has posted too much.
    """

    form_kind = "comment"
    rate_limit_scope = "comments"
    rate_limit_setting = "COMMENT_RATE_LIMIT"
    url_name = "wagtail_iln:comment_post"

    @classmethod
    def anchor(cls, page):
        return "comments"

    @classmethod
    def form_id(cls, page):
        return "comment-form"

    @classmethod
    def action(cls, page, source):
        # The page is in the URL itself.
        return f"{reverse(cls.url_name, args=[page.pk])}#{cls.form_id(page)}"

    def get_target(self, pk):
        return super().get_target(pk).specific

    def get_target_queryset(self):
        return Page.objects.live().public()

    def get_page(self):
        return self.target

    def is_open(self):
        return accepts_comments(self.target)

    def get_form(self, data=None, files=None):
        return comment_form(self.request, self.target, data)

    def is_replay(self, form):
        # Known by the form key once the form is valid: see save().
        return False

    def block_key(self):
        return self.target.translation_key

    def save(self, form):
        data = form.cleaned_data
        page = self.target
        if Comment.objects.filter(form_key=data["form_key"]).exists():
            raise DuplicatePost
        comment = Comment(
            thread_key=page.translation_key,
            page=page,
            language=page.locale.language_code,
            parent=data["parent"],
            name=data["name"],
            email=data["email"],
            email_hash=email_hash(data["email"]) if data["email"] else "",
            body=data["body"],
            form_key=data["form_key"],
        )
        commenter = getattr(form, "commenter", None)
        if commenter is not None:
            comment.user = commenter.user
            comment.account_provider = commenter.provider
        decide(comment, self.request)
        if comment.status == Comment.Status.APPROVED:
            # Shown at once: there is nothing to tell the author later.
            comment.email = ""
        comment.save()
        if data["notify"] and comment.status != Comment.Status.SPAM:
            subscribe(comment, data["email"])
        if comment.status == Comment.Status.APPROVED:
            notify_subscribers(comment)
        return comment

    def thank_you_url(self, comment):
        url = self.target.get_url(self.request)
        if comment is None:
            return f"{url}?{POSTED_PARAMETER}=sent#comments"
        if comment.status == Comment.Status.APPROVED:
            return f"{url}?{POSTED_PARAMETER}=shown#comment-{comment.pk}"
        return f"{url}?{POSTED_PARAMETER}=held#comments"


def _subscription_id(token):
    """The subscription id a link was signed for, or None for a link this site did not make."""
    try:
        pk = signing.loads(token, salt=SUBSCRIPTION_SALT)
    except signing.BadSignature:
        return None
    return pk if is_id(pk) else None


def _subscription(token):
    pk = _subscription_id(token)
    return CommentSubscription.objects.filter(pk=pk).first() if pk is not None else None


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
    """Stop the e-mails of a thread: one click on the page, or the mail client's button.

    A link the site signed whose subscription is gone (stopped already, or its
    person erased) says the e-mails have stopped, which is true; a link it did
    not sign, mangled by a mail client or made up, says it is not valid.
    """
    if _subscription_id(token) is None:
        return _respond(request, "unsubscribe", None, False, status=404)
    subscription = _subscription(token)
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return _respond(request, "unsubscribe", subscription, True)
    return _respond(request, "unsubscribe", subscription, subscription is None)
