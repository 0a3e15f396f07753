"""A topic's message to many people: encoded once per language, then copied for each one.

The email package takes most of the time of sending a message with an HTML
and a text part: it encodes both parts again for every recipient, although
only the address, the unsubscribe link, the date and the Message-ID differ.
A :class:`TopicMessage` builds its MIME tree by copying the tree of its
language's :class:`Prototype` and putting those in, when it can; anything the
copy could get wrong (an address that needs encoding, a part the email package
encoded) is built the usual way.
"""

import copy
from email import policy
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME

# Where the prototype of a language's message holds the recipient's address.
ADDRESS_MARK = "iln-recipient@example.invalid"


class TopicMessage(EmailMultiAlternatives):
    """An HTML and text message to one person, with their own unsubscribe link."""

    def __init__(self, *args, unsubscribe_url="", prototype=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unsubscribe_url = unsubscribe_url
        self.prototype = prototype

    def message(self):
        address = self.to[0] if len(self.to) == 1 else ""
        if (
            self.prototype is None
            or not address.isascii()
            or "\n" in address
            or "\r" in address
            or self.cc
            or self.bcc
            or self.reply_to
        ):
            return super().message()
        return self.prototype.build(address, self.unsubscribe_url)


class Prototype:
    """The MIME tree of one language's message, marks in place of a recipient's parts."""

    def __init__(self, tree, link_mark):
        self.tree = tree
        self.link_mark = link_mark

    @classmethod
    def make(cls, message, link_mark):
        """The prototype of ``message`` (sent to ``ADDRESS_MARK``), or None when the tree
        cannot be copied safely: each part must hold the link as it was written."""
        tree = message.message()
        if tree.policy is not policy.compat32:
            return None
        for part in tree.walk():
            if part.is_multipart():
                continue
            encoding = part.get("Content-Transfer-Encoding", "7bit")
            if encoding not in ("7bit", "8bit") or link_mark not in part.get_payload():
                return None
        return cls(tree, link_mark)

    def __deepcopy__(self, memo):
        return self  # shared by the messages of a language, never changed

    def build(self, address, url):
        headers = {
            "To": address,
            "Date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            "Message-ID": make_msgid(domain=DNS_NAME),
            "List-Unsubscribe": f"<{url}>",
        }
        return self._copy(self.tree, headers, url)

    def _copy(self, part, headers, url):
        new = copy.copy(part)
        new._headers = [(name, headers.get(name, value)) for name, value in part._headers]
        payload = part._payload
        if isinstance(payload, list):
            new._payload = [self._copy(child, {}, url) for child in payload]
        else:
            new._payload = payload.replace(self.link_mark, url)
        return new
