"""What the discussion holds about a person: their comments and the threads they follow."""

from django.db.models import Q
from django.utils.translation import gettext, ngettext

from ..privacy.registry import register, when
from .accounts import linked_accounts
from .models import Comment, CommentSubscription, email_hashes
from .moderation import erase_commenter


def comments_for(email):
    return Comment.objects.filter(
        Q(email_hash__in=email_hashes(email)) | Q(user__email__iexact=email.strip())
    )


def subscriptions_for(email):
    return CommentSubscription.objects.filter(email_hash__in=email_hashes(email))


def export(email):
    return {
        "comments": [
            {
                "name": comment.name,
                "body": comment.body,
                "status": comment.status,
                "written_at": when(comment.created_at),
            }
            for comment in comments_for(email)
        ],
        "comment_subscriptions": [
            {"created_at": when(s.created_at), "confirmed_at": when(s.confirmed_at)}
            for s in subscriptions_for(email)
        ],
    }


def anonymise(email):
    """Keep the comments without the name and the address; stop the thread e-mails."""
    erase_commenter(email, anonymise=True)


def withdrawing(email):
    changes = []
    count = comments_for(email).count()
    if count:
        changes.append(
            ngettext(
                "Your comment stays, without your name.",
                "Your %(count)d comments stay, without your name.",
                count,
            )
            % {"count": count}
        )
    if subscriptions_for(email).exists():
        changes.append(gettext("New comments in discussions no longer reach you by e-mail."))
    return changes


def stop_comment_emails(email, data):
    """The section's button: no new comment reaches the person by e-mail any more."""
    if subscriptions_for(email).delete()[0] == 0:
        return None
    return gettext("New comments in discussions no longer reach you by e-mail.")


def context(email):
    comments = list(comments_for(email).select_related("page"))
    subscriptions = subscriptions_for(email).count()
    if not comments and not subscriptions:
        return None
    return {"comments": comments, "subscriptions": subscriptions}


register(
    "comments",
    export=export,
    withdraw=anonymise,
    withdrawing=withdrawing,
    erase=anonymise,
    template="wagtail_iln/comments/_my_data.html",
    context=context,
    actions={"stop_comment_emails": stop_comment_emails},
)


def export_accounts(email):
    return {
        "sign_in_accounts": [
            {
                "provider": account.provider,
                "uid": account.uid,
                "last_login": when(account.last_login),
                "date_joined": when(account.date_joined),
            }
            for account in linked_accounts(email)
        ]
    }


def erase_accounts(email):
    """Unlink the provider accounts: the site keeps nothing the provider told it of them."""
    for account in linked_accounts(email):
        account.delete()


register("sign_in_accounts", export=export_accounts, erase=erase_accounts)
