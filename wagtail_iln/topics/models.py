from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model, get_image_model_string
from wagtail.models import Page
from wagtail.search import index

from ..comments.models import Comment
from ..conf import get_setting
from ..fields import optional_link_field
from ..per_request import remember_locale
from ..warming import ServedRestrictionsMixin
from .blocks import TopicBodyBlock


class BaseTemplateMixin:
    """Gives page templates the base template they extend (``BASE_TEMPLATE``)."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["wagtail_iln_base_template"] = get_setting("BASE_TEMPLATE")
        return context


class TopicTag(TaggedItemBase):
    content_object = ParentalKey(
        "wagtail_iln.DiscussionTopicPage",
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )

    class Meta:
        verbose_name = _("topic hashtag")
        verbose_name_plural = _("topic hashtags")


class DiscussionIndexPage(BaseTemplateMixin, ServedRestrictionsMixin, Page):
    """Lists its discussion topics, newest first, with RSS and Atom feeds."""

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    subpage_types = ["wagtail_iln.DiscussionTopicPage"]
    template = "wagtail_iln/topics/discussion_index_page.html"

    class Meta:
        verbose_name = _("discussion index page")
        verbose_name_plural = _("discussion index pages")

    def route(self, request, path_components):
        # One query for the topic with its locale and hero image (and the image's
        # credit), where Wagtail's would fetch the page, then its specific page,
        # then each of the others as the template reads them.
        if path_components:
            topic = (
                DiscussionTopicPage.objects.child_of(self)
                .select_related("locale", "hero_image__iln_credit")
                .filter(slug=path_components[0])
                .first()
            )
            if topic is not None:
                topic._cached_parent_obj = self
                return topic.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_topics(self, tag=None):
        """The live, public topics under this index, newest first.

        Override to change which topics are listed or their order.
        """
        topics = (
            DiscussionTopicPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-first_published_at", "-pk")
        )
        if tag:
            topics = topics.filter(tags__slug=tag)
        return topics

    def with_list_data(self, topics):
        """Fetch what a list of topics shows in a constant number of queries."""
        images = (
            get_image_model()
            .objects.select_related("iln_credit")
            .prefetch_renditions(get_setting("CARD_IMAGE_FILTER"))
        )
        comment_count = (
            Comment.objects.approved()
            .filter(thread_key=OuterRef("translation_key"))
            .order_by()
            .values("thread_key")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return topics.annotate(comment_count=Coalesce(Subquery(comment_count), 0)).prefetch_related(
            Prefetch("hero_image", queryset=images), "tags"
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip() or None
        topics = self.with_list_data(self.get_topics(tag=tag))
        paginator = Paginator(topics, get_setting("INDEX_PAGE_SIZE"))
        context["topics"] = paginator.get_page(request.GET.get("page"))
        context["paginator"] = paginator
        context["current_tag"] = tag
        return context


class DiscussionTopicPage(BaseTemplateMixin, ServedRestrictionsMixin, Page):
    """A discussion topic: prompts for the fortnight, hashtags, a discussion window."""

    intro = models.TextField(
        _("intro"),
        blank=True,
        help_text=_("A short summary, shown in lists and feeds."),
    )
    hero_image = optional_link_field(get_image_model_string(), _("hero image"))
    body = StreamField(TopicBodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(
        through=TopicTag,
        blank=True,
        verbose_name=_("hashtags"),
        help_text=_("Without the #, e.g. favouritefeature."),
    )
    discussion_opens = models.DateField(_("discussion opens"), null=True, blank=True)
    discussion_closes = models.DateField(_("discussion closes"), null=True, blank=True)
    # The round whose topic calendar planned this topic (wagtail_iln.topics.calendar).
    round = optional_link_field(
        "wagtail_iln.Round",
        _("round"),
        related_name="topics",
        help_text=_("The round whose topic calendar this topic belongs to."),
    )
    comments_enabled = models.BooleanField(
        _("comments enabled"),
        default=True,
        help_text=_("Comments are taken while this is on and the discussion window is open."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("discussion_opens"), FieldPanel("discussion_closes")]),
                FieldPanel("comments_enabled"),
            ],
            heading=_("Discussion window"),
        ),
        FieldPanel("round"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtail_iln.DiscussionIndexPage"]
    subpage_types = []
    template = "wagtail_iln/topics/discussion_topic_page.html"

    class Meta:
        verbose_name = _("discussion topic page")
        verbose_name_plural = _("discussion topic pages")

    def clean(self):
        super().clean()
        if (
            self.discussion_opens
            and self.discussion_closes
            and self.discussion_closes < self.discussion_opens
        ):
            raise ValidationError(
                {"discussion_closes": _("The closing date cannot be before the opening date.")}
            )

    @property
    def discussion_status(self):
        """``"upcoming"``, ``"open"`` or ``"closed"``, by today's date."""
        today = timezone.localdate()
        if self.discussion_opens and today < self.discussion_opens:
            return "upcoming"
        if self.discussion_closes and today > self.discussion_closes:
            return "closed"
        return "open"

    @property
    def discussion_is_open(self):
        return self.discussion_status == "open"

    def accepts_comments(self):
        """Whether new comments are taken now. Override to add conditions."""
        return self.comments_enabled and self.discussion_is_open

    def get_index(self):
        """The discussion index this topic belongs to."""
        # Routing through the index keeps it as the parent (as Wagtail's route does).
        parent = getattr(self, "_cached_parent_obj", None)
        if isinstance(parent, DiscussionIndexPage):
            return parent
        return DiscussionIndexPage.objects.parent_of(self).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self._meta.get_field("locale").is_cached(self):
            remember_locale(self.locale)
        context["index_page"] = self.get_index()
        return context
