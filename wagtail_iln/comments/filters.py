"""Filters of the comment moderation queue."""

import django_filters
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import words
from ..moderation.filters import ModerationFilterSet, StatusFilter
from .models import Comment

Status = Comment.Status
HeldReason = Comment.HeldReason


def language_name(code):
    """The name of language ``code`` in the admin's language, as a column or a choice shows it."""
    return capfirst(words.language_name(code))


class CommentFilterSet(ModerationFilterSet):
    status = StatusFilter(Status.choices, default=Status.PENDING, label=capfirst(_("status")))
    held_reason = django_filters.ChoiceFilter(
        label=capfirst(_("why it was held")),
        choices=[(value, label) for value, label in HeldReason.choices if value],
        widget=forms.Select,
    )
    language = django_filters.ChoiceFilter(
        label=capfirst(_("language")), choices=[], widget=forms.Select
    )

    class Meta:
        model = Comment
        fields = ["status", "held_reason", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        written_in = Comment.objects.order_by("language").values_list("language", flat=True)
        self.filters["language"].extra["choices"] = [
            (code, language_name(code)) for code in written_in.distinct()
        ]
