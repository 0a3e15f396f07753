"""A topic's e-mail in the admin: preview it in each language, send a test, see it sent."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from ..mail import enqueue_after_commit
from ..topics.models import DiscussionTopicPage
from .models import TopicMailing
from .sending import LINK_MARK, recipients, render_content, send_test


def editable_topic(request, page_id):
    """The topic ``page_id``, when the user may edit it; else 404 or 403."""
    topic = get_object_or_404(DiscussionTopicPage, pk=page_id)
    if not topic.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return topic


def chosen_language(value):
    codes = [code for code, _name in settings.LANGUAGES]
    return value if value in codes else settings.LANGUAGE_CODE


class TopicEmailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_iln/mailings/admin/topic_email.html"
    page_title = gettext_lazy("Topic e-mail")
    header_icon = "mail"

    def dispatch(self, request, page_id):
        self.topic = editable_topic(request, page_id)
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.topic.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_pages:edit", args=[self.topic.pk]), "label": self.topic},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        language = chosen_language(self.request.GET.get("language", ""))
        content = render_content(self.topic, language)
        content.html = content.html.replace(LINK_MARK, "#")
        content.text = content.text.replace(LINK_MARK, "#")
        mailing = TopicMailing.objects.filter(topic_key=self.topic.translation_key).first()
        return super().get_context_data(
            topic=self.topic,
            mailing=mailing,
            recipients=0 if mailing else recipients(self.topic).count(),
            language=language,
            languages=settings.LANGUAGES,
            content=content,
            test_url=reverse("wagtail_iln_topic_email_test", args=[self.topic.pk]),
            **kwargs,
        )


@require_POST
def send_test_view(request, page_id):
    """Queue the topic's e-mail, in the chosen language, to the coordinator's own address."""
    topic = editable_topic(request, page_id)
    language = chosen_language(request.POST.get("language", ""))
    url = reverse("wagtail_iln_topic_email", args=[topic.pk]) + f"?language={language}"
    if not request.user.email:
        messages.error(request, gettext("Your account has no e-mail address to send a test to."))
        return redirect(url)
    enqueue_after_commit(send_test, topic.pk, request.user.pk, language)
    messages.success(
        request,
        gettext("A test of this e-mail is on its way to %(address)s.")
        % {"address": request.user.email},
    )
    return redirect(url)


def admin_urls():
    return [
        path(
            "iln/topics/<int:page_id>/email/",
            TopicEmailView.as_view(),
            name="wagtail_iln_topic_email",
        ),
        path(
            "iln/topics/<int:page_id>/email/test/",
            send_test_view,
            name="wagtail_iln_topic_email_test",
        ),
    ]


def header_buttons(page, user, view_name, next_url=None):
    """A "Topic e-mail" item in a topic's header menu, for those who may edit it."""
    if not issubclass(page.specific_class or object, DiscussionTopicPage):
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        gettext("Topic e-mail"),
        reverse("wagtail_iln_topic_email", args=[page.pk]),
        icon_name="mail",
        priority=62,
    )
