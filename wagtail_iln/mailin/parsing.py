"""Reading an e-mail that brings photos: who sent it, to which address, in which language,
and its attachments.

Nothing here trusts the message: headers that do not parse are left out, a
part whose transfer encoding is broken is taken as it decodes, and anything
else that goes wrong makes the whole message ``malformed`` (it is then
recorded and never read again) rather than stopping the mailbox.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

logger = logging.getLogger(__name__)

# Parts taken as photos besides image/*: files sent as plain bytes with a photo's name.
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
# Where a message's recipients are written, by mail clients and by delivering servers.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
SUBJECT_LENGTH = 120
STORY_LENGTH = 2000


@dataclass
class Attachment:
    name: str
    data: bytes


@dataclass
class Parsed:
    """What the handler needs of a message."""

    key: str
    message_id: str = ""
    sender: str = ""
    recipients: list = field(default_factory=list)
    language: str = ""
    subject: str = ""
    text: str = ""
    attachments: list = field(default_factory=list)
    automatic: bool = False
    malformed: bool = False


def message_key(message_id, raw):
    """What a message is recorded under: its Message-ID, else its bytes, hashed."""
    basis = message_id.strip().lower().encode() if message_id else b"raw:" + raw
    return hashlib.sha256(basis).hexdigest()


def parse(raw, headers_only=False):
    """Read ``raw`` (the message's bytes, or only its header when ``headers_only``)."""
    parser = BytesParser(policy=policy.compat32)
    try:
        message = parser.parsebytes(raw, headersonly=headers_only)
        message_id = _header(message, "Message-ID")[:255]
    except Exception as error:
        logger.warning("An e-mail could not be parsed: %r", error)
        return Parsed(key=message_key("", raw), malformed=True)
    parsed = Parsed(key=message_key(message_id, raw), message_id=message_id)
    try:
        parsed.sender = _address(_header(message, "From"))
        parsed.recipients = _recipients(message)
        parsed.language = _language(_header(message, "Content-Language"))
        parsed.subject = " ".join(_header(message, "Subject").split())[:SUBJECT_LENGTH]
        parsed.automatic = _automatic(message)
        if not headers_only:
            _read_parts(message, parsed)
    except Exception as error:
        logger.warning("The e-mail %s could not be read: %r", message_id or parsed.key, error)
        parsed.malformed = True
    return parsed


def _header(message, name):
    """A header as text, encoded words decoded; empty when absent or unreadable."""
    value = message.get(name)
    if value is None:
        return ""
    try:
        return str(policy.default.header_factory(name, str(value)))
    except Exception:
        return str(value)


def _address(value):
    _name, address = parseaddr(value)
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address.lower()


def _recipients(message):
    values = []
    for name in RECIPIENT_HEADERS:
        values.extend(str(value) for value in message.get_all(name, []))
    addresses = []
    for _name, address in getaddresses(values):
        address = address.strip().lower()
        if address and address not in addresses:
            addresses.append(address)
    return addresses


def _language(value):
    """The first language of a Content-Language header the site speaks, else ""."""
    codes = {code.lower(): code for code, _name in settings.LANGUAGES}
    for tag in value.replace(";", ",").split(","):
        tag = tag.strip().lower()
        for candidate in (tag, tag.split("-")[0]):
            if candidate in codes:
                return codes[candidate]
    return ""


def _automatic(message):
    """Auto-replies, bounces and list mail: never answered, so that no loop starts."""
    auto = _header(message, "Auto-Submitted").strip().lower()
    precedence = _header(message, "Precedence").strip().lower()
    return (
        (auto not in ("", "no"))
        or precedence in ("bulk", "junk", "list")
        or message.get_content_type() == "multipart/report"
    )


def _read_parts(message, parsed):
    """Every photo attachment, inline ones and those of forwarded messages included."""
    for part in message.walk():
        if part.is_multipart():
            continue  # containers, and message/rfc822 whose parts walk() visits next
        content_type = part.get_content_type()
        name = _filename(part)
        if content_type.startswith("image/") or (
            content_type == "application/octet-stream" and name.lower().endswith(PHOTO_EXTENSIONS)
        ):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                parsed.attachments.append(Attachment(name or content_type, data))
        elif content_type == "text/plain" and not parsed.text and not name:
            parsed.text = _text(part)
            # Mail clients often write the language on the text rather than the message.
            parsed.language = parsed.language or _language(_header(part, "Content-Language"))


def _filename(part):
    try:
        name = part.get_filename() or ""
    except Exception:
        return ""
    name = str(policy.default.header_factory("X-Name", name)) if "=?" in name else name
    # Only the last part of a path, without control characters: it is shown in the reply.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:100]


def _text(part):
    data = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = data.decode(charset, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    return text.strip()[:STORY_LENGTH]
