"""``python manage.py prepare_load``: ready a demo site for ``benchmarks/load.py``.

After ``load_demo``: fills the first page of the #favouritefeature gallery with
approved photos (so the topic page does not grow while it is measured), makes
a plain ``BarePage`` showing the same images at the same renditions as that
topic, and prints what the load needs as one line of JSON. Safe to run again.
"""

import json

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Locale

from home.models import BarePage, HomePage
from home.sample_images import generated_jpeg
from wagtail_iln.models import DiscussionTopicPage, PhotoSubmission
from wagtail_iln.photos import moderation
from wagtail_iln.photos.gallery import approved_photos
from wagtail_iln.photos.intake import clean_photo

BARE_SLUG = "load-baseline"


class Command(BaseCommand):
    help = "Ready the demo content for the load benchmark and print what it needs as JSON."

    def handle(self, *args, **options):
        english = Locale.objects.get(language_code="en")
        topic = self.topic(english)
        gallery = next(block for block in topic.body if block.block_type == "photo_gallery")
        campaign = gallery.value["campaign"]
        form = next(block for block in topic.body if block.block_type == "photo_submission_form")
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            self.fill_gallery(campaign, gallery.value["per_page"])
            photos = list(approved_photos(campaign)[: gallery.value["per_page"]])
            bare = self.bare_page(english, topic, photos)
        self.stdout.write(
            json.dumps(
                {
                    "topic_url": topic.url,
                    "topic_id": topic.pk,
                    "bare_url": bare.url,
                    "campaign_id": form.value["campaign"].pk,
                    "gallery_photos": len(photos),
                }
            )
        )

    def topic(self, locale):
        for topic in DiscussionTopicPage.objects.live().filter(locale=locale).specific():
            kinds = {block.block_type for block in topic.body}
            if {"photo_gallery", "photo_submission_form"} <= kinds:
                return topic
        raise CommandError("No topic with a photo form and gallery: run load_demo first.")

    def fill_gallery(self, campaign, count):
        moderator = get_user_model().objects.filter(is_superuser=True).first()
        if moderator is None:
            raise CommandError("No superuser to approve photos: run load_demo first.")
        missing = count - approved_photos(campaign).count()
        for number in range(missing):
            seed = f"prepare-load-{campaign.pk}-{timezone.now().isoformat()}-{number}"
            photo = clean_photo(SimpleUploadedFile("photo.jpg", generated_jpeg(seed), "image/jpeg"))
            submission = PhotoSubmission(
                campaign=campaign,
                sha256=photo.sha256,
                width=photo.width,
                height=photo.height,
                title=f"Reading corner {number + 1}",
                story="A quiet corner where everyone can read.",
                credit_name="Demo participant",
                email="participant@example.com",
                country="NZ",
                workplace="Demo library",
                licence=campaign.licence_choices[0][0],
                consent_given_at=timezone.now(),
                language="en",
            )
            submission.file.save(f"photo.{photo.extension}", ContentFile(photo.content), save=False)
            submission.save()
            moderation.approve(submission, moderator)

    def bare_page(self, locale, topic, photos):
        body = [
            ("image", block.value["image"])
            for block in topic.body
            if block.block_type == "image" and block.value["image"] is not None
        ] + [("gallery_image", photo.image) for photo in photos]
        bare = BarePage.objects.filter(locale=locale, slug=BARE_SLUG).first()
        if bare is None:
            home = HomePage.objects.get(locale=locale)
            bare = BarePage(title="The same images, bare", slug=BARE_SLUG)
            home.add_child(instance=bare)
        bare.hero_image = topic.hero_image
        bare.body = body
        bare.save_revision().publish()
        return bare
