"""Following a discussion by e-mail: the public form, its confirmation link, leaving.

Anyone types their address under a discussion index; the answer is the same
whether the address already follows it or not (one pending row is stored for
every post, and the e-mail task decides once the answer has been sent). The
e-mailed link, in the language of the page, confirms; every topic e-mail then
carries a one-click link to leave.
"""

import uuid

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..conf import get_setting
from ..links import EXPIRED, VALID, read_id
from ..mail import absolute_link, base_url, email_task, enqueue_after_commit, send
from ..pageforms import DuplicatePost, FormKeyField, PageFormView, PublicFormMixin, email_errors
from ..topics.models import DiscussionIndexPage
from .bounces import is_undeliverable
from .models import Follower

CONFIRM_SALT = "wagtail_iln.mailings.follow_confirm"
LEAVE_SALT = "wagtail_iln.mailings.follow_leave"
CONFIRM_TEMPLATE = "wagtail_iln/mailings/emails/follow_confirm"


def confirm_token(follower_id):
    return signing.dumps(follower_id, salt=CONFIRM_SALT)


def leave_token(follower_id):
    return signing.dumps(follower_id, salt=LEAVE_SALT)


def followers_of(index):
    """The confirmed followers of ``index`` and of its translations."""
    return Follower.objects.filter(
        index__translation_key=index.translation_key, confirmed_at__isnull=False
    )


class FollowForm(PublicFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages=email_errors(_("Enter the e-mail address to send the topics to.")),
    )
    # Left empty by people; filled in by robots that fill every field.
    # Out of the keyboard's way, as in the other public forms: people never reach the honeypot.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_key = FormKeyField()

    def __init__(self, index, *args, **kwargs):
        self.index = index
        super().__init__(*args, **kwargs)
        self.fields["form_key"].initial = uuid.uuid4()

    def get_id_prefix(self):
        return f"iln-follow-{self.index.pk}"

    def is_replay(self):
        try:
            key = uuid.UUID(str(self.data.get("form_key", "")))
        except ValueError:
            return False
        return Follower.objects.filter(form_key=key).exists()

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Your request could not be accepted."), code="honeypot")
        return ""


class FollowView(PageFormView):
    """The form under a discussion index: follow its new topics by e-mail."""

    form_kind = "follow"
    form_class = FollowForm
    rate_limit_scope = "follow"
    rate_limit_setting = "FOLLOW_RATE_LIMIT"
    thank_you_parameter = "following"
    own_template = "wagtail_iln/mailings/follow_page.html"
    url_name = "wagtail_iln:follow"
    anchor_prefix = "iln-follow"

    def get_target_queryset(self):
        return DiscussionIndexPage.objects.live().public()

    def get_language(self):
        return self.target.locale.language_code

    def get_own_page_context(self, form):
        return {"index": self.target}

    def save(self, form):
        follower = Follower(
            index=self.target,
            email=form.cleaned_data["email"],
            language=self.get_language(),
            form_key=form.cleaned_data["form_key"],
        )
        try:
            with transaction.atomic():
                follower.save()
        except IntegrityError as error:
            raise DuplicatePost from error
        enqueue_after_commit(send_follow_confirmation, follower.pk, base_url(self.request))
        return follower


@email_task
def send_follow_confirmation(follower_id, base):
    """Ask the owner of the address to confirm; nothing when it already follows the index."""
    follower = Follower.objects.filter(pk=follower_id, confirmed_at__isnull=True).first()
    if follower is None:
        return
    if followers_of(follower.index).filter(email__iexact=follower.email).exists():
        follower.delete()  # following already: the pending copy is forgotten
        return
    if is_undeliverable(follower.email):
        return  # the address bounced: nothing more goes to it
    send(
        CONFIRM_TEMPLATE,
        {
            "index": follower.index,
            "confirm_url": absolute_link(
                base, "wagtail_iln:follow_confirm", confirm_token(follower.pk)
            ),
            "days": get_setting("FOLLOW_CONFIRM_DAYS"),
        },
        to=[follower.email],
        language=follower.language,
    )


def _answer(request, follower, state, status=200):
    """The page of a follow link: ``state`` is "ask", "done", "invalid" or "expired"."""
    context = {
        "index": follower.index if follower else None,
        "state": state,
        "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
    }
    if state == "followed" and follower.pk is not None:
        # Leaving needs no wait for the first topic e-mail and its link.
        context["leave_url"] = reverse("wagtail_iln:follow_leave", args=[leave_token(follower.pk)])
    response = TemplateResponse(
        request, "wagtail_iln/mailings/follow_link.html", context, status=status
    )
    language = follower.language if follower else translation.get_language()
    with translation.override(language):
        return response.render()


@never_cache  # shows which discussion an address follows
@require_http_methods(["GET", "POST"])
def confirm_follow(request, token):
    """The link in the confirmation e-mail: confirm with one button."""
    max_age = get_setting("FOLLOW_CONFIRM_DAYS") * 24 * 3600
    pk, status = read_id(token, CONFIRM_SALT, max_age)
    if status == EXPIRED:
        return _answer(request, None, "expired", status=400)
    follower = Follower.objects.filter(pk=pk).first() if status == VALID else None
    if follower is None:
        return _answer(request, None, "invalid", status=400)
    if request.method == "POST" and follower.confirmed_at is None:
        with transaction.atomic():
            if followers_of(follower.index).filter(email__iexact=follower.email).exists():
                follower.delete()
            else:
                follower.confirmed_at = timezone.now()
                follower.save(update_fields=["confirmed_at"])
    if request.method == "POST" or follower.confirmed_at is not None:
        return _answer(request, follower, "followed")
    return _answer(request, follower, "confirm")


@never_cache
@csrf_exempt  # signed link; mail clients post to it directly (RFC 8058 one-click)
@require_http_methods(["GET", "POST"])
def leave(request, token):
    """The link in every topic e-mail to a follower: stop following with one click."""
    # No expiry: the link in a year-old e-mail still works.
    pk, status = read_id(token, LEAVE_SALT, max_age=None)
    if status != VALID:
        return _answer(request, None, "invalid", status=400)
    follower = Follower.objects.filter(pk=pk).first()
    if follower is None:  # left already
        return _answer(request, None, "left")
    if request.method == "POST":
        follower.delete()
        return _answer(request, follower, "left")
    return _answer(request, follower, "leave")
