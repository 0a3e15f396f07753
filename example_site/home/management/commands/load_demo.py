"""``python manage.py load_demo``: fill an empty site with the demo content.

Safe to run again: what already exists is left as it is, nothing is duplicated.
"""

import datetime
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from home.demo import content, illustrations
from home.models import HomePage
from wagtail_iln.comments.models import Comment, email_hash
from wagtail_iln.models import (
    DiscussionIndexPage,
    DiscussionTopicPage,
    ImageCredit,
    PhotoCampaign,
    PhotoSubmission,
)
from wagtail_iln.photos import moderation
from wagtail_iln.photos.intake import clean_photo

DEMO_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Load the demo content: home page, discussion topics, images and translations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-superuser",
            action="store_true",
            help="Do not create the 'admin' superuser.",
        )

    def handle(self, *args, no_superuser=False, verbosity=1, **options):
        self.verbosity = verbosity
        # The demo's photo submitters are fictional: approving their photos writes to no one.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            locales = self.create_locales()
            images = self.create_images()
            home = self.create_home_page(locales["en"])
            index = self.create_index_page(home)
            topics = self.create_topics(index, images)
            favourite = topics[content.FAVOURITE_FEATURE["en"]["slug"]]
            for code in ("fr", "es"):
                self.translate(home, locales[code], content.HOME[code])
                self.translate(index, locales[code], content.INDEX[code])
                self.translate(
                    favourite, locales[code], content.FAVOURITE_FEATURE[code], images=images
                )
            if not no_superuser:
                self.create_superuser()
            campaigns = self.create_campaign(locales)
            for code, locale in locales.items():
                self.add_photo_blocks(favourite.get_translation(locale), code, campaigns[code])
            self.create_photos(campaigns)
            self.create_comments(favourite, locales)

        self.stdout.write(self.style.SUCCESS("The demo is ready."))
        self.stdout.write(f"  Site:  {DEMO_URL}  (run: python manage.py runserver)")
        self.stdout.write(f"  Admin: {DEMO_URL}admin/  user: admin  password: changeme")

    def log(self, message):
        if self.verbosity > 0:
            self.stdout.write(message)

    # Locales, collection and images

    def create_locales(self):
        locales = {}
        for code, _name in settings.LANGUAGES:
            locales[code], created = Locale.objects.get_or_create(language_code=code)
            if created:
                self.log(f"Created locale {code}")
        return locales

    def create_images(self):
        Image = get_image_model()
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name="Demo").first()
        if collection is None:
            collection = root.add_child(name="Demo")
            self.log("Created the Demo collection")
        images = {}
        for key, (drawing, title, description) in content.IMAGES.items():
            image = Image.objects.filter(collection=collection, title=title).first()
            if image is None:
                data = illustrations.jpeg_bytes(getattr(illustrations, drawing)())
                image = Image(
                    title=title,
                    collection=collection,
                    file=ImageFile(io.BytesIO(data), name=f"{key}.jpg"),
                )
                if hasattr(image, "description"):
                    image.description = description
                image._set_image_file_metadata()
                image.save()
                self.log(f"Drew image “{title}”")
            ImageCredit.objects.get_or_create(
                image=image, defaults={"title": title, **content.CREDIT}
            )
            images[key] = image
        return images

    # Pages

    def create_home_page(self, locale):
        site = Site.objects.filter(is_default_site=True).first()
        home = HomePage.objects.filter(depth=2, locale=locale).first()
        if site is not None and site.root_page.specific_class is HomePage:
            return site.root_page.specific
        root = Page.get_first_root_node()
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True, root_page=root)
        old_root = site.root_page
        site.root_page = root
        site.save()
        if old_root.depth == 2 and old_root.specific_class is Page and not old_root.numchild:
            # Wagtail's "Welcome to your new Wagtail site!" page.
            old_root.delete()
            self.log("Removed Wagtail's welcome page")
        if home is None:
            data = content.HOME["en"]
            slug = data["slug"]
            if root.get_children().filter(slug=slug).exists():
                slug = f"demo-{slug}"  # The old root page was kept: it has content.
            home = HomePage(title=data["title"], slug=slug, intro=data["intro"])
            root.add_child(instance=home)
            home.save_revision().publish()
            self.log("Created the home page")
        site.root_page = home
        site.site_name = content.SITE_NAME
        # Full URLs (feeds, share links) then point at the demo server.
        site.hostname, site.port = "127.0.0.1", 8000
        site.save()
        return home

    def create_index_page(self, home):
        data = content.INDEX["en"]
        index = DiscussionIndexPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if index is None:
            index = DiscussionIndexPage(title=data["title"], slug=data["slug"], intro=data["intro"])
            home.add_child(instance=index)
            index.save_revision().publish()
            self.log(f"Created “{index.title}”")
        return index

    def create_topics(self, index, images):
        now = timezone.now()
        today = timezone.localdate()
        topics = {}
        for texts, hero, hashtags, weeks_ago, (opens, closes) in content.TOPICS:
            data = texts["en"]
            topic = DiscussionTopicPage.objects.child_of(index).filter(slug=data["slug"]).first()
            if topic is None:
                topic = DiscussionTopicPage(
                    title=data["title"],
                    slug=data["slug"],
                    intro=data["intro"],
                    hero_image=images[hero],
                    body=self.stream(data["body"], images),
                    discussion_opens=today + datetime.timedelta(days=opens),
                    discussion_closes=today + datetime.timedelta(days=closes),
                )
                index.add_child(instance=topic)
                topic.tags.add(*hashtags)
                topic.first_published_at = now - datetime.timedelta(weeks=weeks_ago)
                topic.save_revision().publish()
                self.log(f"Created topic “{topic.title}”")
            topics[data["slug"]] = topic
        return topics

    def stream(self, body, images):
        """The body with image keys replaced by the images themselves."""
        blocks = []
        for block_type, value in body:
            if block_type == "image":
                value = {**value, "image": images[value["image"]]}
            blocks.append((block_type, value))
        return blocks

    def translate(self, page, locale, data, images=None):
        """Publish a translation of ``page`` in ``locale`` with the given texts."""
        if page.get_translation_or_none(locale) is not None:
            return
        translated = page.copy_for_translation(locale).specific
        translated.title = data["title"]
        translated.draft_title = data["title"]
        translated.slug = data["slug"]
        translated.intro = data["intro"]
        if "body" in data:
            translated.body = self.stream(data["body"], images)
        if isinstance(page, DiscussionTopicPage):
            translated.tags.set(page.tags.all())
        translated.first_published_at = page.first_published_at
        translated.save_revision().publish()
        self.log(f"Translated “{page.title}” into {locale.get_display_name()}")

    # The #favouritefeature photo campaign

    def create_campaign(self, locales):
        """The campaign in English, with its French and Spanish translations."""
        data = content.CAMPAIGN
        campaign = PhotoCampaign.objects.filter(
            locale=locales["en"], name=data["en"]["name"]
        ).first()
        if campaign is None:
            now = timezone.now()
            campaign = PhotoCampaign.objects.create(
                locale=locales["en"],
                name=data["en"]["name"],
                hashtags=data["hashtags"],
                prompt=data["en"]["prompt"],
                opens_at=now - datetime.timedelta(weeks=1),
                closes_at=now + datetime.timedelta(weeks=4),
                moderator_emails=data["moderator_emails"],
            )
            self.log(f"Created the photo campaign “{campaign.name}”")
        campaigns = {"en": campaign}
        for code, locale in locales.items():
            if code == "en":
                continue
            translated = campaign.get_translation_or_none(locale)
            if translated is None:
                translated = campaign.copy_for_translation(locale)
                translated.name = data[code]["name"]
                translated.prompt = data[code]["prompt"]
                translated.save()
                self.log(f"Translated the photo campaign into {locale.get_display_name()}")
            campaigns[code] = translated
        return campaigns

    def add_photo_blocks(self, page, code, campaign):
        """Add the photo form and gallery to a #favouritefeature page that lacks them."""
        present = {block.block_type for block in page.body}
        missing = [
            (block_type, {**value, "campaign": campaign})
            for block_type, value in content.PHOTO_BLOCKS[code]
            if block_type not in present
        ]
        if not missing:
            return
        for block in missing:
            page.body.append(block)
        page.save_revision().publish()
        self.log(f"Added the photo form and gallery to “{page.title}”")

    def create_photos(self, campaigns):
        """Photos from fictional participants: some approved, one waiting for a moderator."""
        moderator = get_user_model().objects.filter(is_superuser=True).first()
        for drawing, code, approved, fields in content.PHOTOS:
            campaign = campaigns[code]
            if PhotoSubmission.objects.filter(
                campaign__translation_key=campaign.translation_key, title=fields["title"]
            ).exists():
                continue
            data = illustrations.jpeg_bytes(getattr(illustrations, drawing)())
            # Through the same intake as a photo sent with the form.
            photo = clean_photo(SimpleUploadedFile(f"{drawing}.jpg", data, "image/jpeg"))
            submission = PhotoSubmission(
                campaign=campaign,
                sha256=photo.sha256,
                width=photo.width,
                height=photo.height,
                consent_given_at=timezone.now(),
                language=code,
                **fields,
            )
            submission.file.save(f"photo.{photo.extension}", ContentFile(photo.content), save=False)
            submission.save()
            if approved:
                moderation.approve(submission, moderator)
            state = "approved" if approved else "pending"
            self.log(f"Added the {state} photo “{submission.title}”")

    # The open discussion

    def create_comments(self, topic, locales):
        """A few approved comments, a reply, and one held for the moderators."""
        created = {}
        for key, code, parent, approved, name, email, body in content.COMMENTS:
            page = topic.get_translation(locales[code])
            existing = Comment.objects.in_thread(topic).filter(name=name, body=body).first()
            if existing:
                created[key] = existing
                continue
            created[key] = Comment.objects.create(
                thread_key=topic.translation_key,
                page=page,
                language=code,
                parent=created.get(parent),
                name=name,
                email_hash=email_hash(email),
                email="" if approved else email,
                body=body,
                status=Comment.Status.APPROVED if approved else Comment.Status.PENDING,
                held_reason="" if approved else Comment.HeldReason.LINKS,
            )
            self.log(f"Added a comment by {name}")

    # People

    def create_superuser(self):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.com", "changeme")
            self.log("Created the superuser 'admin'")
