import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..conf import get_setting
from ..pageforms import FormKeyField, OneLineField, PublicFormMixin, email_errors


class CommentForm(PublicFormMixin, forms.Form):
    rate_limited_message = _(
        "You have posted many comments in a short time. Please try again later."
    )
    id_prefix = "iln-comment"

    name = OneLineField(
        label=_("Name"),
        max_length=80,
        error_messages={"required": _("Enter the name to show with your comment.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Never shown. Used to recognise you next time."),
        error_messages=email_errors(_("Enter your e-mail address: it is never shown.")),
    )
    notify = forms.BooleanField(
        label=_("E-mail me when someone else comments here (we ask you to confirm first)"),
        required=False,
    )
    parent = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": _("The comment you replied to is not in this discussion.")},
    )
    # Left empty by people; filled by robots that fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_key = FormKeyField()

    def __init__(self, *args, thread=None, **kwargs):
        # Ids of their own: a page may hold several forms with an e-mail field.
        kwargs.setdefault("auto_id", "iln-comment-%s")
        super().__init__(*args, **kwargs)
        self.thread = thread
        self.fields["form_key"].initial = uuid.uuid4()
        # The length limit is a setting, so the field is made per form.
        self.fields["body"] = forms.CharField(
            label=_("Comment"),
            max_length=get_setting("COMMENT_MAX_LENGTH"),
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"required": _("Write your comment.")},
        )
        self.order_fields(["name", "email", "body", "notify"])

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = self.thread.approved().filter(pk=parent_id, parent__isnull=True).first()
        if parent is None:
            raise ValidationError(_("The comment you replied to is not in this discussion."))
        return parent

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(_("Your comment could not be accepted."), code="honeypot")
        return cleaned


class AccountCommentForm(CommentForm):
    """The form of a reader signed in through a provider: their account says who they are.

    No name or address is asked; replies are e-mailed only when the account has
    an address. A blocked account's comments are refused.
    """

    def __init__(self, *args, commenter=None, blocked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.commenter = commenter
        self.blocked = blocked
        del self.fields["name"]
        del self.fields["email"]
        if not (commenter and commenter.email):
            del self.fields["notify"]

    def clean(self):
        cleaned = super().clean()
        if self.blocked:
            raise ValidationError(
                _("This account may no longer comment here."), code="blocked_account"
            )
        cleaned["name"] = self.commenter.name
        cleaned["email"] = self.commenter.email
        cleaned.setdefault("notify", False)
        return cleaned
