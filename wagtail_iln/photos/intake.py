"""Intake of a photo sent through a public form: check it, then re-encode it clean.

``clean_photo`` trusts nothing the client says (file name, content type): the
format is read from the bytes, the pixel count and frame count from the header
before anything is decoded, and the stored photo is a fresh encoding that keeps
the orientation and the colour profile but none of the other metadata (EXIF
with its GPS position, XMP, IPTC, comments, PNG text).
"""

import functools
import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, ImageOps

from ..conf import get_setting

logger = logging.getLogger(__name__)

_MESSAGES = {
    "empty": _("The file is empty."),
    "too_big": _("This file is too big (%(size)s). The largest accepted is %(max_size)s."),
    "unreadable": _(
        "This file could not be read as a photo: it may be damaged or incomplete. "
        "Send a JPEG, PNG, WebP or HEIC photo."
    ),
    "format": _(
        "This file is not a JPEG, PNG, WebP or HEIC photo. Send a photo in one of these formats."
    ),
    "too_many_pixels": _(
        "This photo has too many pixels. The most accepted is %(max_megapixels)s million pixels."
    ),
    "too_small": _(
        "This photo is too small (%(width)s × %(height)s pixels). "
        "It must be at least %(min_width)s × %(min_height)s pixels."
    ),
    "animated": _("Animated images and image sequences are not accepted. Send a single photo."),
}

# Input format (as Pillow names it) -> (output format, extension, content type).
_OUTPUTS = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "WEBP": ("WEBP", "webp", "image/webp"),
    "HEIF": ("JPEG", "jpg", "image/jpeg"),
}

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_GENERIC_BRANDS = {b"mif1", b"mif2", b"msf1"}

# Formats we recognise only to refuse them by name (with ``code="format"``).
_OTHER_SIGNATURES = (
    b"GIF87a",
    b"GIF89a",
    b"BM",  # BMP
    b"II*\x00",  # TIFF, and the raw formats built on it
    b"MM\x00*",
    b"%PDF",
    b"%!PS",
    b"\x00\x00\x01\x00",  # ICO
    b"8BPS",  # Photoshop
    b"\xff\x0a",  # JPEG XL
    b"\x00\x00\x00\x0cJXL ",
    b"\x00\x00\x00\x0cjP  ",  # JPEG 2000
    b"\xffO\xffQ",
    b"qoif",
    b"RIFF",  # RIFF that is not WebP: AVI, WAV
    b"PK\x03\x04",  # ZIP, office documents
)


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes  # the re-encoded photo: oriented, metadata stripped, ICC profile kept
    format: str  # "JPEG", "PNG" or "WEBP" (HEIC/HEIF is re-encoded to JPEG)
    extension: str  # "jpg", "png" or "webp"
    content_type: str  # "image/jpeg", ...
    width: int
    height: int
    # Hex digest of ``content``, the stored photo: the same picture sent again with other
    # metadata, or re-saved by a phone, has the same digest (used to refuse duplicates).
    sha256: str


def _refuse(code, **params):
    return ValidationError(_MESSAGES[code], code=code, params=params or None)


def format_message():
    """What a file of another format than the accepted ones is told, in the active language."""
    return str(_MESSAGES["format"])


def clean_photo(uploaded_file):
    """Check an uploaded photo and return it re-encoded as a ``CleanPhoto``.

    ``uploaded_file`` is a Django ``UploadedFile`` or any file-like object with
    ``size``, ``read()`` and ``seek()``; its name and content type are ignored.
    A refused file raises ``ValidationError`` with the code ``empty``,
    ``too_big``, ``unreadable``, ``format``, ``too_many_pixels``, ``too_small``
    or ``animated``. Nothing is decoded before the format, the pixel count and
    the frame count have been read from the header and accepted.
    """
    data = _read_upload(uploaded_file)
    kind = _sniff(data)
    image = _open_header(data, kind)
    _check_header(image)
    try:
        image.load()
    except Exception as error:
        logger.info("Refused a photo that does not decode: %r", error)
        raise _refuse("unreadable") from error
    _orient(image)
    _check_dimensions(*image.size)
    out_format, extension, content_type = _OUTPUTS[kind]
    content = _encode(image, out_format)
    return CleanPhoto(
        content=content,
        format=out_format,
        extension=extension,
        content_type=content_type,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _read_upload(uploaded_file):
    max_bytes = get_setting("PHOTO_MAX_BYTES")
    size = getattr(uploaded_file, "size", None)
    if size == 0:
        raise _refuse("empty")
    if size is not None and size > max_bytes:
        raise _too_big(size, max_bytes)
    uploaded_file.seek(0)
    # One byte more than allowed tells a file whose declared size lied.
    data = uploaded_file.read(max_bytes + 1)
    uploaded_file.seek(0)
    if not data:
        raise _refuse("empty")
    if len(data) > max_bytes:
        raise _too_big(len(data), max_bytes)
    return data


def _too_big(size, max_bytes):
    return _refuse("too_big", size=filesizeformat(size), max_size=filesizeformat(max_bytes))


def _sniff(data):
    """Return the Pillow format of an accepted photo, from its first bytes."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        # An ISO media file: HEIC/HEIF, or AVIF, MP4, MOV... that are refused.
        box_size = int.from_bytes(data[:4], "big")
        brands = {data[8:12]} | {data[i : i + 4] for i in range(16, min(box_size, 256), 4)}
        if brands & _HEIF_BRANDS or (
            brands & _HEIF_GENERIC_BRANDS and not brands & {b"avif", b"avis"}
        ):
            return "HEIF"
        raise _refuse("format")
    if data.startswith(_OTHER_SIGNATURES) or _looks_like_markup(data):
        raise _refuse("format")
    raise _refuse("unreadable")


def _looks_like_markup(data):
    """SVG, HTML, XML: text that starts with a tag."""
    head = data[:512].lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n")
    return head.startswith(b"<")


@functools.cache
def _register_heif_opener():
    import pillow_heif

    pillow_heif.register_heif_opener()


def _open_header(data, kind):
    """Open lazily: Pillow reads the header only, the pixels stay undecoded."""
    if kind == "HEIF":
        _register_heif_opener()
    try:
        image = Image.open(BytesIO(data), formats=[kind])
    except Image.DecompressionBombError as error:
        # Beyond twice Pillow's own limit, it refuses while reading the header.
        raise _refuse("too_many_pixels", max_megapixels=_max_megapixels()) from error
    except Exception as error:
        logger.info("Refused a photo whose header does not read: %r", error)
        raise _refuse("unreadable") from error
    # A JPEG carrying extra pictures (depth map, preview) is an MPO: keep its first picture.
    if image.format not in (kind, "MPO"):
        raise _refuse("format")
    return image


def _max_pixels():
    limit = get_setting("PHOTO_MAX_PIXELS")
    if Image.MAX_IMAGE_PIXELS is not None:
        limit = min(limit, 2 * Image.MAX_IMAGE_PIXELS)
    return limit


def _max_megapixels():
    return f"{_max_pixels() / 1_000_000:g}"


def _check_header(image):
    width, height = image.size
    if width * height > _max_pixels():
        raise _refuse(
            "too_many_pixels", width=width, height=height, max_megapixels=_max_megapixels()
        )
    if image.format != "MPO" and (
        getattr(image, "n_frames", 1) > 1 or getattr(image, "is_animated", False)
    ):
        raise _refuse("animated")
    if _header_orientation(image) in (5, 6, 7, 8):
        width, height = height, width
    _check_dimensions(width, height)


def _header_orientation(image):
    # Only what the header already holds: getexif() may decode a PNG to find a late eXIf chunk.
    raw = image.info.get("exif")
    if not raw:
        return 1
    try:
        exif = Image.Exif()
        exif.load(raw)
        return exif.get(ExifTags.Base.Orientation, 1)
    except Exception:
        return 1


def _check_dimensions(width, height):
    min_width, min_height = get_setting("PHOTO_MIN_WIDTH"), get_setting("PHOTO_MIN_HEIGHT")
    if width < min_width or height < min_height:
        raise _refuse(
            "too_small", width=width, height=height, min_width=min_width, min_height=min_height
        )


def _orient(image):
    """Turn the pixels the way the camera's EXIF orientation says, in place."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception as error:
        # Broken EXIF is dropped with the rest of the metadata; the pixels stay as stored.
        logger.info("Ignored the unreadable EXIF of a photo: %r", error)


def _encode(image, out_format):
    image, icc_profile = _convert(image, out_format)
    # Every encoder falls back on some of image.info (comment, transparency, ICC): empty it.
    image.info = {}
    quality = get_setting("PHOTO_QUALITY")
    out = BytesIO()
    if out_format == "JPEG":
        image.save(
            out,
            "JPEG",
            quality=quality,
            optimize=True,
            progressive=True,
            icc_profile=icc_profile,
        )
    elif out_format == "WEBP":
        image.save(out, "WEBP", quality=quality, icc_profile=icc_profile)
    else:
        image.save(out, "PNG", icc_profile=icc_profile)
    return out.getvalue()


_ICC_SPACES = {"RGB": b"RGB ", "RGBA": b"RGB ", "L": b"GRAY", "LA": b"GRAY"}


def _convert(image, out_format):
    """Return the image in a mode the output format takes, and the ICC profile that fits it."""
    icc_profile = image.info.get("icc_profile") or None
    if image.mode == "CMYK":
        image, icc_profile = _cmyk_to_rgb(image, icc_profile)
    elif image.mode in ("P", "PA"):
        has_alpha = image.mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    elif image.mode in ("L", "RGB") and "transparency" in image.info:
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode.startswith(("I", "F")):
        # 16-bit grey: scale to 8 bits rather than clip everything above 255 to white.
        image = image.point(lambda value: value / 256).convert("L")
    elif image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")

    if out_format == "JPEG" and image.mode in ("LA", "RGBA"):
        image = _flatten(image)
    elif out_format == "WEBP" and image.mode in ("L", "LA"):
        image = image.convert("RGBA" if image.mode == "LA" else "RGB")

    if icc_profile and icc_profile[16:20] != _ICC_SPACES.get(image.mode):
        # A profile for another colour space would tell viewers the wrong colours.
        icc_profile = None
    return image, icc_profile


def _flatten(image):
    """JPEG has no transparency: lay the image on white."""
    grey = image.mode == "LA"
    background = Image.new("L" if grey else "RGB", image.size, 255 if grey else (255, 255, 255))
    background.paste(image.convert("L" if grey else "RGB"), mask=image.getchannel("A"))
    return background


@functools.cache
def _srgb_profile():
    return ImageCms.createProfile("sRGB")


def _cmyk_to_rgb(image, icc_profile):
    if icc_profile and icc_profile[16:20] == b"CMYK":
        try:
            profile = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
            return ImageCms.profileToProfile(
                image, profile, _srgb_profile(), outputMode="RGB"
            ), None
        except Exception as error:
            logger.info("Ignored the unusable CMYK profile of a photo: %r", error)
    return image.convert("RGB"), None
