"""Filters of the photo moderation queue."""

import django_filters
from django import forms
from django.db.models import Min
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..moderation.filters import ModerationFilterSet, StatusFilter
from .models import PhotoCampaign, PhotoSubmission

Status = PhotoSubmission.Status


class CampaignFilter(django_filters.ModelChoiceFilter):
    """A campaign in whichever language its photos were sent."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(campaign__translation_key=value.translation_key)


def one_campaign_per_translation(request=None):
    first_of_each = (
        PhotoCampaign.objects.order_by().values("translation_key").annotate(first=Min("pk"))
    )
    return PhotoCampaign.objects.filter(pk__in=first_of_each.values("first")).order_by("name")


class PhotoSubmissionFilterSet(ModerationFilterSet):
    status = StatusFilter(Status.choices, default=Status.PENDING, label=capfirst(_("status")))
    campaign = CampaignFilter(label=capfirst(_("campaign")), queryset=one_campaign_per_translation)
    country = django_filters.ChoiceFilter(
        label=capfirst(_("country")), choices=[], widget=forms.Select
    )

    class Meta:
        model = PhotoSubmission
        fields = ["status", "campaign", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sent_from = set(
            PhotoSubmission.objects.order_by().values_list("country", flat=True).distinct()
        )
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in sent_from
        ]
