"""Filters of the photo moderation queue."""

import django_filters
from django import forms
from django.db.models import Min
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.filters import WagtailFilterSet

from .models import PhotoCampaign, PhotoSubmission

Status = PhotoSubmission.Status


class StatusFilter(django_filters.ChoiceFilter):
    """Pending photos unless another status, or all of them, is asked for."""

    ALL = "all"
    DEFAULT = Status.PENDING

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [*Status.choices, (self.ALL, _("All"))])
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("initial", self.DEFAULT)
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value == self.ALL:
            return qs
        return qs.filter(**{self.field_name: value or self.DEFAULT})


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


class PhotoSubmissionFilterSet(WagtailFilterSet):
    status = StatusFilter(label=_("status"))
    campaign = CampaignFilter(label=_("campaign"), queryset=one_campaign_per_translation)
    country = django_filters.ChoiceFilter(label=_("country"), choices=[], widget=forms.Select)

    class Meta:
        model = PhotoSubmission
        fields = ["status", "campaign", "country"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = StatusFilter.DEFAULT
        super().__init__(data, *args, **kwargs)
        sent_from = set(
            PhotoSubmission.objects.order_by().values_list("country", flat=True).distinct()
        )
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in sent_from
        ]
