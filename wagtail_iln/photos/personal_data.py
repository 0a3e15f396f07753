"""What photo campaigns hold about a person: the photos they sent, with their name and story."""

from django.utils.translation import ngettext

from ..privacy.registry import register, when, with_email
from .models import PhotoSubmission
from .moderation import withdraw as withdraw_submission


def photo_submissions_for(email):
    return with_email(PhotoSubmission.objects.all(), email)


def export(email):
    return {
        "photo_submissions": [
            {
                "title": submission.title,
                "story": submission.story,
                "credit_name": submission.credit_name,
                "country": submission.country.code,
                "workplace": submission.workplace,
                "licence": submission.licence,
                "status": submission.status,
                "submitted_at": when(submission.submitted_at),
            }
            for submission in photo_submissions_for(email)
        ]
    }


def withdraw(email):
    """Take every photo of the person down: files, and images if approved, removed."""
    submissions = photo_submissions_for(email).exclude(status=PhotoSubmission.Status.WITHDRAWN)
    for submission in submissions:
        withdraw_submission(submission)


def withdrawing(email):
    count = photo_submissions_for(email).exclude(status=PhotoSubmission.Status.WITHDRAWN).count()
    if not count:
        return []
    return [
        ngettext(
            "Your photo is taken down and its file deleted.",
            "Your %(count)d photos are taken down and their files deleted.",
            count,
        )
        % {"count": count}
    ]


def erase(email):
    withdraw(email)
    photo_submissions_for(email).update(credit_name="", email="", story="")


def context(email):
    submissions = list(photo_submissions_for(email))
    return {"photo_submissions": submissions} if submissions else None


register(
    "photo_submissions",
    export=export,
    withdraw=withdraw,
    withdrawing=withdrawing,
    erase=erase,
    template="wagtail_iln/photos/_my_data.html",
    context=context,
)
