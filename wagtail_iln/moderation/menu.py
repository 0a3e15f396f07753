"""The "Moderation" menu: each queue labelled with how many items wait, and the total."""

from django.utils.translation import gettext
from wagtail.admin.menu import MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem, SubMenuItem


def label_with_count(label, count):
    if not count:
        return label
    return gettext("%(label)s (%(count)s)") % {"label": label, "count": count}


class QueueMenuItem(MenuItem):
    """A moderation queue in the menu, its label ending with how many items wait: "Photos (3)"."""

    def get_count(self, request):
        """How many items wait; override. Counted once per request."""
        return 0

    def count_for(self, request):
        counts = request.__dict__.setdefault("_wagtail_iln_queue_counts", {})
        if self.name not in counts:
            counts[self.name] = self.get_count(request)
        return counts[self.name]

    def render_component(self, request):
        return LinkMenuItem(
            self.name,
            label_with_count(self.label, self.count_for(request)),
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class QueuesMenuItem(SubmenuMenuItem):
    """The "Moderation" submenu, labelled with what waits in the queues this user sees."""

    def render_component(self, request):
        shown = self.menu.menu_items_for_request(request)
        count = sum(item.count_for(request) for item in shown if isinstance(item, QueueMenuItem))
        return SubMenuItem(
            self.name,
            label_with_count(self.label, count),
            self.menu.render_component(request),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )
