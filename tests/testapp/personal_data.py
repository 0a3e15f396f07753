"""The test site's workshop bookings, registered as personal data the way a site does it."""

from wagtail_iln.privacy.registry import register, when, with_email

from .models import WorkshopBooking


def bookings_for(email):
    return with_email(WorkshopBooking.objects.all(), email)


def export(email):
    return {
        "workshop_bookings": [
            {
                "workshop": booking.workshop,
                "name": booking.name,
                "booked_at": when(booking.booked_at),
            }
            for booking in bookings_for(email)
        ]
    }


def erase(email):
    bookings_for(email).delete()


def context(email):
    bookings = list(bookings_for(email))
    return {"bookings": bookings} if bookings else None


register(
    "workshop_bookings",
    export=export,
    withdraw=erase,
    erase=erase,
    template="testapp/_my_data.html",
    context=context,
)
