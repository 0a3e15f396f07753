"""``python manage.py load_demo``: fill an empty site with the demo content.

Safe to run again: what already exists is left as it is, nothing is duplicated.
"""

import datetime
import io
import os
import random

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

from home.demo import content, health, illustrations, people
from home.models import HomePage, PrivacyPage
from wagtail_iln.applications.forms import CONSENT_VERSION
from wagtail_iln.comments.models import Comment, email_hash
from wagtail_iln.matching import runs as matching
from wagtail_iln.matching.engine import Weights, match
from wagtail_iln.models import (
    DiscussionIndexPage,
    DiscussionTopicPage,
    ImageCredit,
    PhotoCampaign,
    PhotoSubmission,
)
from wagtail_iln.photos import moderation
from wagtail_iln.photos.intake import clean_photo
from wagtail_iln.programme.choices import EnrolmentStatus, PartnershipStatus, RoundStatus
from wagtail_iln.programme.models import (
    Enrolment,
    Participant,
    Partnership,
    PartnershipMember,
    Round,
)


def demo_port():
    """The port ``make demo`` serves on (its ``PORT``): printed, and used in full URLs."""
    return int(os.environ.get("PORT") or 8000)


class Command(BaseCommand):
    help = (
        "Load the demo content: home page, discussion topics, images, translations, "
        "and two rounds of fictional participants."
    )

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
            images = self.images = self.create_images()
            home = self.create_home_page(locales["en"])
            index = self.create_index_page(home)
            topics = self.create_topics(index, images["en"])
            favourite = topics[content.FAVOURITE_FEATURE["en"]["slug"]]
            for code in ("fr", "es"):
                self.translate(home, locales[code], content.HOME[code])
                self.translate(index, locales[code], content.INDEX[code])
                self.translate(
                    favourite, locales[code], content.FAVOURITE_FEATURE[code], images=images[code]
                )
            self.create_privacy_pages(home, locales)
            if not no_superuser:
                self.create_superuser()
            campaigns = self.create_campaign(locales)
            for code, locale in locales.items():
                self.add_photo_blocks(favourite.get_translation(locale), code, campaigns[code])
            self.create_photos(campaigns)
            self.create_comments(favourite, locales)
            rounds = self.create_rounds(locales)
            self.create_people(rounds)
            for code, locale in locales.items():
                self.add_round_blocks(favourite.get_translation(locale), code, rounds["12"][code])

        if verbosity > 0:
            self.summary(rounds["12"]["en"])

    def summary(self, round_to_match):
        """What someone trying the demo needs to know, in a few lines."""
        url = f"http://127.0.0.1:{demo_port()}/"
        if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
            emails = "printed in this terminal"
        else:
            emails = f"written to {getattr(settings, 'EMAIL_FILE_PATH', settings.EMAIL_BACKEND)}"
        self.stdout.write(self.style.SUCCESS(f"The demo is ready: {url}"))
        self.stdout.write(f"  Admin:    {url}admin/  user: admin  password: changeme")
        self.stdout.write(f"  E-mails:  {emails}: open their links to confirm an application,")
        self.stdout.write("            see your data or confirm comment notifications.")
        self.stdout.write(
            f"  Matching: {round_to_match.name} is left to match: Programme › Rounds › "
            f"{round_to_match.name} › Match participants."
        )

    def log(self, message):
        """What was made; shown with --verbosity 2."""
        if self.verbosity > 1:
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
        images = {code: {} for code in content.CREDIT}
        for key, (drawing, texts) in content.IMAGES.items():
            data = None
            for code, (title, description) in texts.items():
                image = Image.objects.filter(collection=collection, title=title).first()
                if image is None:
                    data = data or illustrations.jpeg_bytes(getattr(illustrations, drawing)())
                    image = Image(
                        title=title,
                        collection=collection,
                        file=ImageFile(io.BytesIO(data), name=f"{key}-{code}.jpg"),
                    )
                    if hasattr(image, "description"):
                        image.description = description
                    image._set_image_file_metadata()
                    image.save()
                    self.log(f"Drew image “{title}”")
                ImageCredit.objects.get_or_create(
                    image=image, defaults={"title": title, **content.CREDIT[code]}
                )
                images[code][key] = image
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
        site.hostname, site.port = "127.0.0.1", demo_port()
        site.save()
        return home

    def create_index_page(self, home):
        data = content.INDEX["en"]
        index = DiscussionIndexPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if index is None:
            index = DiscussionIndexPage(
                title=data["title"], slug=data["slug"], intro=data["intro"], show_in_menus=True
            )
            home.add_child(instance=index)
            index.save_revision().publish()
            self.log(f"Created “{index.title}”")
        return index

    def create_privacy_pages(self, home, locales):
        """The privacy notice under each language's home page."""
        data = content.PRIVACY["en"]
        privacy = PrivacyPage.objects.child_of(home).first()
        if privacy is None:
            privacy = PrivacyPage(
                title=data["title"], slug=data["slug"], intro=data["intro"], body=data["body"]
            )
            home.add_child(instance=privacy)
            privacy.save_revision().publish()
            self.log(f"Created “{privacy.title}”")
        for code in ("fr", "es"):
            if privacy.get_translation_or_none(locales[code]) is not None:
                continue
            texts = content.PRIVACY[code]
            translated = privacy.copy_for_translation(locales[code]).specific
            translated.title = translated.draft_title = texts["title"]
            translated.slug, translated.intro, translated.body = (
                texts["slug"],
                texts["intro"],
                texts["body"],
            )
            translated.save_revision().publish()
            self.log(f"Translated “{privacy.title}” into {locales[code].get_display_name()}")

    def create_topics(self, index, images):
        dates = self.round_dates()
        topics = {}
        for texts, hero, hashtags, round_key, day, open_days in content.TOPICS:
            if day is None:
                published = timezone.now()
            else:
                starts_on = dates[round_key]["starts_on"]
                published = datetime.datetime.combine(
                    starts_on + datetime.timedelta(days=day), datetime.time(9), datetime.UTC
                )
            opens = published.date()
            data = texts["en"]
            topic = DiscussionTopicPage.objects.child_of(index).filter(slug=data["slug"]).first()
            if topic is None:
                topic = DiscussionTopicPage(
                    title=data["title"],
                    slug=data["slug"],
                    intro=data["intro"],
                    hero_image=images[hero],
                    body=self.stream(data["body"], images),
                    discussion_opens=opens,
                    discussion_closes=opens + datetime.timedelta(days=open_days),
                )
                index.add_child(instance=topic)
                topic.tags.add(*hashtags)
                topic.first_published_at = published
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
        if getattr(page, "hero_image", None) is not None and images:
            # The same drawing, described and credited in the page's language.
            english = {image.pk: key for key, image in self.images["en"].items()}
            key = english.get(page.hero_image_id)
            if key is not None:
                translated.hero_image = images[key]
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

    # Rounds and people

    def round_dates(self):
        """Round 11 ran for most of last year; round 12 takes applications now."""
        now = timezone.now()
        today = timezone.localdate()
        year = today.year - 1

        def at(month, day):
            return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)

        starts_12 = today + datetime.timedelta(weeks=3)
        return {
            "11": {
                "applications_open_at": at(1, 5),
                "applications_close_at": at(1, 26),
                "starts_on": datetime.date(year, 2, 9),
                "ends_on": datetime.date(year, 7, 31),
                "status": RoundStatus.CLOSED,
            },
            "12": {
                "applications_open_at": now - datetime.timedelta(weeks=2),
                "applications_close_at": now + datetime.timedelta(weeks=2),
                "starts_on": starts_12,
                "ends_on": starts_12 + datetime.timedelta(weeks=22),
                "status": RoundStatus.APPLICATIONS_OPEN,
            },
        }

    def create_rounds(self, locales):
        """Rounds 11 and 12 in English, with their French and Spanish translations."""
        dates = self.round_dates()
        rounds = {}
        for key, texts in content.ROUNDS.items():
            round = Round.objects.filter(locale=locales["en"], name=texts["en"]["name"]).first()
            if round is None:
                round = Round.objects.create(locale=locales["en"], **texts["en"], **dates[key])
                self.log(f"Created the round “{round.name}”")
            rounds[key] = {"en": round}
            for code, locale in locales.items():
                if code == "en":
                    continue
                translated = round.get_translation_or_none(locale)
                if translated is None:
                    translated = round.copy_for_translation(locale)
                    translated.name = texts[code]["name"]
                    translated.description = texts[code]["description"]
                    translated.save()
                    self.log(f"Translated “{round.name}” into {locale.get_display_name()}")
                rounds[key][code] = translated
        return rounds

    def create_people(self, rounds):
        """Fictional participants, their enrolments, and a few partnerships per round."""
        generated = people.generate()
        emails = [person.email for person in generated]
        existing = set(Participant.objects.filter(email__in=emails).values_list("email", flat=True))
        first_round = {person.email: rounds[min(person.enrolments)]["en"] for person in generated}
        new = [
            Participant(
                **person.profile(),
                created_at=first_round[person.email].applications_open_at,
                consent_given_at=first_round[person.email].applications_open_at,
                consent_version=CONSENT_VERSION,
            )
            for person in generated
            if person.email not in existing
        ]
        if new:
            Participant.objects.bulk_create(new)
            self.log(f"Added {len(new)} participants")

        ids = dict(Participant.objects.filter(email__in=emails).values_list("email", "pk"))
        enrolled = set(
            Enrolment.objects.filter(participant_id__in=ids.values()).values_list(
                "participant_id", "round__translation_key"
            )
        )
        enrolments = []
        for number, person in enumerate(generated):
            for key, status in person.enrolments.items():
                round = rounds[key]["en"]
                if (ids[person.email], round.translation_key) in enrolled:
                    continue
                # Spread over the application window, in a repeatable order.
                window = round.applications_close_at - round.applications_open_at
                if key == "12":
                    window = timezone.now() - round.applications_open_at
                applied_at = round.applications_open_at + window * ((number * 37 % 100) / 100)
                enrolments.append(
                    Enrolment(
                        participant_id=ids[person.email],
                        round=round,
                        status=status,
                        applied_at=applied_at,
                    )
                )
        if enrolments:
            Enrolment.objects.bulk_create(enrolments)
            self.log(f"Added {len(enrolments)} enrolments")

        self.create_partnerships(rounds["11"]["en"], PartnershipStatus.ENDED, emails)
        # Round 12 is left to be matched in the admin; round 11's partners are never paired again.
        self.match_round(rounds["11"]["en"])
        added = health.add_check_ins(rounds["11"]["en"])
        if added:
            self.log(f"Added {added} check-in answers")

    def create_partnerships(self, round, status, emails, sizes=(2, 2, 3, 2, 2, 2)):
        """A handful of partnerships of people from different countries."""
        if Partnership.objects.filter(round__translation_key=round.translation_key).exists():
            return
        accepted = list(
            Enrolment.objects.filter(
                round=round,
                status=EnrolmentStatus.ACCEPTED,
                participant__email__in=emails,
            ).order_by("participant__email")
        )
        rng = random.Random(f"{people.SEED}-{round.name}")
        rng.shuffle(accepted)
        groups = []
        for size in sizes:
            group = []
            for enrolment in list(accepted):
                if enrolment.participant.country not in {e.participant.country for e in group}:
                    group.append(enrolment)
                    accepted.remove(enrolment)
                if len(group) == size:
                    break
            groups.append(group)
        started_on = round.starts_on if status == PartnershipStatus.ENDED else None
        partnerships = Partnership.objects.bulk_create(
            [Partnership(round=round, status=status, started_on=started_on) for _group in groups]
        )
        PartnershipMember.objects.bulk_create(
            [
                PartnershipMember(partnership=partnership, enrolment=enrolment)
                for partnership, group in zip(partnerships, groups, strict=True)
                for enrolment in group
            ]
        )
        self.log(f"Added {len(groups)} {status} partnerships to “{round.name}”")

    def match_round(self, round):
        """Partner everyone else accepted in the ended ``round`` with the matching engine."""
        if Partnership.objects.filter(round=round, score__isnull=False).exists():
            return
        people = matching.people_of(round, matching.pool(round))
        result = match(
            list(people.values()),
            rules=matching.matching_rules(),
            weights=Weights(**matching.default_weights()),
            on=round.starts_on,
        )
        partnerships = Partnership.objects.bulk_create(
            [
                Partnership(
                    round=round,
                    status=PartnershipStatus.ENDED,
                    started_on=round.starts_on,
                    ended_on=round.ends_on,
                    score=proposal.score,
                    reasons=matching.reasons_json(proposal.reasons),
                )
                for proposal in result.partnerships
            ]
        )
        PartnershipMember.objects.bulk_create(
            [
                PartnershipMember(partnership=partnership, enrolment_id=member)
                for partnership, proposal in zip(partnerships, result.partnerships, strict=True)
                for member in proposal.members
            ]
        )
        self.log(f"Matched {len(people)} more people of “{round.name}” into ended partnerships")

    def add_round_blocks(self, page, code, round):
        """Put round 12's figures and application form after the topic's first paragraph."""
        present = {block.block_type for block in page.body}
        missing = [
            (block_type, {**value, "round": round})
            for block_type, value in content.ROUND_BLOCKS[code]
            if block_type not in present
        ]
        if not missing:
            return
        for offset, block in enumerate(missing):
            page.body.insert(1 + offset, block)
        page.save_revision().publish()
        self.log(f"Added the round's figures and application form to “{page.title}”")

    # Users

    def create_superuser(self):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            # With a name: Wagtail's account page asks for one before it saves a language.
            User.objects.create_superuser(
                "admin",
                "admin@example.com",
                "changeme",
                first_name="Demo",
                last_name="Coordinator",
            )
            self.log("Created the superuser 'admin'")
