import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet


class StatusFilter(django_filters.ChoiceFilter):
    """One status, pending unless another is asked for, or "all" of them."""

    ALL = "all"

    def __init__(self, choices, default="pending", **kwargs):
        self.default = default
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("initial", default)
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(choices=[*choices, (self.ALL, _("All"))], **kwargs)

    def filter(self, qs, value):
        if value == self.ALL:
            return qs
        return qs.filter(**{self.field_name: value or self.default})


class ModerationFilterSet(WagtailFilterSet):
    """A queue's filters; its ``status`` filter, a ``StatusFilter``, shows what waits by default."""

    def __init__(self, data=None, *args, **kwargs):
        status = self.base_filters.get("status")
        if data is not None and isinstance(status, StatusFilter) and not data.get("status"):
            data = data.copy()
            data["status"] = status.default
        super().__init__(data, *args, **kwargs)
