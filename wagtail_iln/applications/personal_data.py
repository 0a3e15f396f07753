"""What applications hold about a person: what they typed into the application form."""

from django.utils.translation import gettext

from ..privacy.registry import register, when, with_email
from .models import Application


def applications_for(email):
    return with_email(Application.objects.all(), email)


def export(email):
    return {
        "applications": [
            {
                "round": application.round.name,
                "data": application.data,
                "created_at": when(application.created_at),
                "confirmed_at": when(application.confirmed_at),
                "consent_version": application.consent_version,
            }
            for application in applications_for(email).select_related("round")
        ]
    }


def pending(email):
    return applications_for(email).filter(confirmed_at__isnull=True)


def withdraw(email):
    pending(email).delete()


def withdrawing(email):
    return [
        gettext("Your application to %(round)s, not yet confirmed, is deleted.")
        % {"round": application.round.localized.name}
        for application in pending(email).select_related("round").order_by("created_at", "pk")
    ]


def erase(email):
    applications_for(email).delete()


def context(email):
    applications = list(pending(email).select_related("round"))
    return {"applications": applications} if applications else None


register(
    "applications",
    export=export,
    withdraw=withdraw,
    withdrawing=withdrawing,
    erase=erase,
    template="wagtail_iln/applications/_my_data.html",
    context=context,
)
