"""E-mails as phones and mail clients send them, built as real MIME bytes."""

import io
from email.message import EmailMessage
from email.utils import make_msgid

from PIL import Image

ADDRESS = "photos@iln.example.org"
SENDER = "ana@example.org"


def small_jpeg(seed=0, size=(420, 420), exif=None):
    """A small JPEG whose pixels differ with ``seed`` (so each is a new photo)."""
    image = Image.new("RGB", size, (seed * 37 % 256, seed * 91 % 256, seed * 53 % 256))
    # The seed's bits as white squares: photos of different seeds stay different once
    # re-encoded (a one-pixel difference may not).
    for bit in range(12):
        if seed >> bit & 1:
            image.paste((255, 255, 255), (bit * 30, 0, bit * 30 + 24, 24))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def photo_email(
    *attachments,
    sender=SENDER,
    to=ADDRESS,
    subject="My favourite feature",
    text="The reading room at dawn.",
    language=None,
    message_id=None,
    inline=(),
    headers=None,
):
    """A message with ``attachments`` ((filename, bytes, content type) or bytes) and
    ``inline`` images in a multipart/related HTML body."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="phone.example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if language:  # on the text, as mail clients write it (set_content drops it from the top)
        message["Content-Language"] = language
    if inline:
        message.add_alternative(
            "<p>Look: " + "".join(f'<img src="cid:photo{i}">' for i in range(len(inline))) + "</p>",
            subtype="html",
        )
        html = message.get_payload()[1]
        for i, data in enumerate(inline):
            html.add_related(data, "image", "jpeg", cid=f"<photo{i}>", disposition="inline")
    for number, attachment in enumerate(attachments):
        if isinstance(attachment, bytes):
            attachment = (f"IMG_{number:04}.jpg", attachment, "image/jpeg")
        name, data, content_type = attachment
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def forwarded(inner, sender=SENDER, to=ADDRESS):
    """``inner`` (bytes) forwarded as an attachment (message/rfc822)."""
    from email import message_from_bytes, policy

    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Fwd: my photo"
    message["Message-ID"] = make_msgid(domain="mail.example.org")
    message.set_content("Forwarding the photo my colleague took.")
    message.add_attachment(message_from_bytes(inner, policy=policy.default))
    return bytes(message)
