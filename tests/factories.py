import datetime
import hashlib
import io

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

from wagtail_iln.models import (
    DiscussionIndexPage,
    DiscussionTopicPage,
    Enrolment,
    ImageCredit,
    Participant,
    Partnership,
    PartnershipMember,
    PhotoCampaign,
    PhotoSubmission,
    Round,
)


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


def jpeg_bytes(width=640, height=480, color=(40, 120, 160), label=""):
    """A real JPEG, as the intake stores it; a ``label`` drawn on it makes it unique."""
    image = Image.new("RGB", (width, height), color)
    if label:
        ImageDraw.Draw(image).text((10, 10), label, fill="white")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


class PhotoCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhotoCampaign

    name = factory.Sequence(lambda n: f"#favouritefeature {n}")
    hashtags = "#favouritefeature #ILNround"
    moderator_emails = factory.LazyFunction(lambda: ["moderator@example.org"])


class PhotoSubmissionFactory(factory.django.DjangoModelFactory):
    """A pending submission whose photo is a real JPEG in the pending storage."""

    class Meta:
        model = PhotoSubmission

    class Params:
        # A different label drawn on each, so each photo has its own checksum.
        photo = factory.Sequence(lambda n: jpeg_bytes(label=f"photo {n}"))

    campaign = factory.SubFactory(PhotoCampaignFactory)
    # Saved through the model's FileField, so it lands in the pending storage.
    file = factory.LazyAttribute(lambda o: ContentFile(o.photo, name="photo.jpg"))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.photo).hexdigest())
    width = 640
    height = 480
    title = factory.Sequence(lambda n: f"The reading room window {n}")
    story = "Morning light over the harbour, every day."
    credit_name = "Ana Souza"
    email = "ana@example.org"
    country = "BR"
    workplace = "Biblioteca Municipal"
    licence = "cc-by-4.0"
    consent_given_at = factory.LazyFunction(timezone.now)
    source_url = "http://testserver/discussion/favourite-feature/"
    language = "en"


# People: rounds, participants, enrolments, partnerships.


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    name = factory.Sequence(lambda n: f"Round {n}")
    description = "Four months, one topic a fortnight."
    starts_on = factory.Sequence(
        lambda n: datetime.date(2020, 3, 1) + datetime.timedelta(days=200 * n)
    )
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=120))
    status = "planning"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    country = "AU"
    city = "Sydney"
    time_zone = "Australia/Sydney"
    languages = factory.LazyFunction(lambda: ["en"])
    workplace = "State Library"
    workplace_kind = "national"
    workplace_size = "big"
    role = "Reference librarian"
    contact_frequency = "fortnightly"
    contact_methods = factory.LazyFunction(lambda: ["email", "video_call"])


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    participant = factory.SubFactory(ParticipantFactory)
    round = factory.SubFactory(RoundFactory)
    status = "accepted"


class PartnershipFactory(factory.django.DjangoModelFactory):
    """A partnership; pass ``members=[enrolment, ...]`` to fill it."""

    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    status = "active"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for enrolment in extracted or []:
            PartnershipMember.objects.create(partnership=self, enrolment=enrolment)
