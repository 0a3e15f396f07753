"""A topic going live is e-mailed: published now, or by ``publish_scheduled`` on its day."""

from wagtail.signals import page_published


def topic_published(sender, instance, **kwargs):
    from .sending import start_mailing

    # Wagtail sends the signal for a revision scheduled to go live later, too.
    if instance.live:
        start_mailing(instance)


def connect():
    from ..topics.models import DiscussionTopicPage

    page_published.connect(
        topic_published, sender=DiscussionTopicPage, dispatch_uid="wagtail_iln_topic_mailing"
    )
