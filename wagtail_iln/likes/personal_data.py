"""What likes hold about a person: the likes of their account. Anonymous likes name no one."""

from ..privacy.registry import register, when, with_email
from .models import Like


def likes_for(email):
    return with_email(Like.objects.filter(user__isnull=False), email, field="user__email")


def export(email):
    return {
        "likes": [
            {"kind": like.kind, "liked": like.target, "liked_at": when(like.created_at)}
            for like in likes_for(email).order_by("created_at", "pk")
        ]
    }


def erase(email):
    Like.objects.filter(pk__in=list(likes_for(email).values_list("pk", flat=True))).delete()


register("likes", export=export, erase=erase)
