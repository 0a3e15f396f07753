import datetime

import factory
import wagtail_factories
from wagtail.images import get_image_model

from wagtail_iln.models import DiscussionIndexPage, DiscussionTopicPage, ImageCredit


class ImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Reading room {n}")
    file = factory.django.ImageField(width=800, height=600, color="teal")


class ImageCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImageCredit

    image = factory.SubFactory(ImageFactory)
    title = "Start"
    creator = "eko"
    licence = "cc-by-nc-sa-2.0"
    source_url = "https://www.flickr.com/photos/eko/4528528308/"


class DiscussionIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = DiscussionIndexPage

    title = "Discussion"
    slug = factory.Sequence(lambda n: f"discussion-{n}")


def topic_body():
    return [
        ("rich_text", "<p>This fortnight we get to know each other.</p>"),
        (
            "prompt_section",
            {
                "heading": "Your workplace",
                "intro": "Tell your partner where you work.",
                "questions": ["What does your library look like?", "Who uses it?"],
            },
        ),
        (
            "call_to_action",
            {
                "heading": "Share your favourite feature",
                "text": "Post a photo of it.",
                "hashtags": ["favouritefeature", "ILNround"],
                "show_share_links": True,
            },
        ),
    ]


class DiscussionTopicPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = DiscussionTopicPage

    title = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    intro = "Getting to know you and your workplace."
    discussion_opens = factory.LazyFunction(lambda: datetime.date.today())
    discussion_closes = factory.LazyFunction(
        lambda: datetime.date.today() + datetime.timedelta(days=14)
    )
    body = factory.LazyFunction(topic_body)
