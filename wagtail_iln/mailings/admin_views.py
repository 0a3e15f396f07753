"""A topic's e-mail in the admin: preview it in each language, send a test, see it sent."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from ..mail import enqueue_after_commit
from ..topics.models import DiscussionIndexPage, DiscussionTopicPage
from .follow import followers_of
from .models import Follower, TopicMailing
from .sending import LINK_MARK, recipients, render_content, send_test, undeliverable_count


class EditablePageMixin:
    """A view about one page of ``model``, ``self.page``: 404 if none, 403 if not editable."""

    model = DiscussionTopicPage

    def dispatch(self, request, pk):
        self.page = get_object_or_404(self.model, pk=pk)
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()


def chosen_language(value):
    codes = [code for code, _name in settings.LANGUAGES]
    return value if value in codes else settings.LANGUAGE_CODE


class TopicEmailView(EditablePageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_iln/mailings/admin/topic_email.html"
    page_title = gettext_lazy("Topic e-mail")
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]), "label": self.page},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        language = chosen_language(self.request.GET.get("language", ""))
        content = render_content(self.page, language)
        content.html = content.html.replace(LINK_MARK, "#")
        content.text = content.text.replace(LINK_MARK, "#")
        mailing = TopicMailing.objects.filter(topic_key=self.page.translation_key).first()
        return super().get_context_data(
            topic=self.page,
            mailing=mailing,
            recipients=0 if mailing else recipients(self.page).count(),
            followers=followers_of(index).count() if (index := self.page.get_index()) else 0,
            undeliverable=undeliverable_count(self.page),
            language=language,
            languages=settings.LANGUAGES,
            content=content,
            test_url=reverse("wagtail_iln_topic_email_test", args=[self.page.pk]),
            **kwargs,
        )


class SendTestView(EditablePageMixin, View):
    """Queue the topic's e-mail, in the chosen language, to the coordinator's own address."""

    http_method_names = ["post"]

    def post(self, request, pk):
        topic = self.page
        language = chosen_language(request.POST.get("language", ""))
        url = reverse("wagtail_iln_topic_email", args=[topic.pk]) + f"?language={language}"
        if not request.user.email:
            messages.error(
                request, gettext("Your account has no e-mail address to send a test to.")
            )
            return redirect(url)
        enqueue_after_commit(send_test, topic.pk, request.user.pk, language)
        messages.success(
            request,
            gettext("A test of this e-mail is on its way to %(address)s.")
            % {"address": request.user.email},
        )
        return redirect(url)


class FollowersView(EditablePageMixin, WagtailAdminTemplateMixin, TemplateView):
    """How many people follow a discussion by e-mail (their addresses are not shown)."""

    model = DiscussionIndexPage
    template_name = "wagtail_iln/mailings/admin/followers.html"
    page_title = gettext_lazy("Followers by e-mail")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        pending = Follower.objects.filter(index=self.page, confirmed_at__isnull=True)
        return super().get_context_data(
            index=self.page,
            followers=followers_of(self.page).count(),
            pending=pending.count(),
            **kwargs,
        )


def admin_urls():
    return [
        path(
            "iln/discussions/<int:pk>/followers/",
            FollowersView.as_view(),
            name="wagtail_iln_followers",
        ),
        path(
            "iln/topics/<int:pk>/email/",
            TopicEmailView.as_view(),
            name="wagtail_iln_topic_email",
        ),
        path(
            "iln/topics/<int:pk>/email/test/",
            SendTestView.as_view(),
            name="wagtail_iln_topic_email_test",
        ),
    ]


def header_buttons(page, user, view_name, next_url=None):
    """A "Topic e-mail" item in a topic's header menu, "Followers by e-mail" in a
    discussion's, for those who may edit it."""
    kind = page.specific_class or object
    if not issubclass(kind, (DiscussionTopicPage, DiscussionIndexPage)):
        return
    if not page.permissions_for_user(user).can_edit():
        return
    if issubclass(kind, DiscussionIndexPage):
        yield Button(
            gettext("Followers by e-mail"),
            reverse("wagtail_iln_followers", args=[page.pk]),
            icon_name="mail",
            priority=62,
        )
        return
    yield Button(
        gettext("Topic e-mail"),
        reverse("wagtail_iln_topic_email", args=[page.pk]),
        icon_name="mail",
        priority=62,
    )
