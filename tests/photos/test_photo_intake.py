import hashlib
import struct
import tracemalloc
import zlib
from io import BytesIO

import pillow_heif
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from django.utils.functional import Promise
from PIL import ExifTags, Image, ImageCms, ImageFile, PngImagePlugin, features

from wagtail_iln.photos.intake import CleanPhoto, clean_photo

pillow_heif.register_heif_opener()

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Jane Secret"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def picture(size=(640, 480), mode="RGB"):
    """A picture with some detail: gradients and noise."""
    bands = [
        Image.linear_gradient("L").resize(size),
        Image.radial_gradient("L").resize(size),
        Image.effect_noise(size, 40),
    ]
    image = Image.merge("RGB", bands)
    return image if mode == "RGB" else image.convert(mode)


def encode(image, format, **params):
    out = BytesIO()
    image.save(out, format, **params)
    return out.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def reopen(photo):
    return Image.open(BytesIO(photo.content))


def assert_refused(uploaded, code):
    with pytest.raises(ValidationError) as info:
        clean_photo(uploaded)
    error = info.value
    assert error.code == code
    # Lazy, so it speaks the language of the request that shows it.
    assert isinstance(error.message, Promise)
    english = error.messages[0]
    assert english and "%(" not in english
    with translation.override("fr"):
        french = error.messages[0]
    assert isinstance(french, str) and french
    return english


# Accepted photos


@pytest.mark.parametrize(
    ("source_format", "params", "format", "extension", "content_type"),
    [
        ("JPEG", {}, "JPEG", "jpg", "image/jpeg"),
        ("PNG", {}, "PNG", "png", "image/png"),
        ("WEBP", {}, "WEBP", "webp", "image/webp"),
        ("HEIF", {}, "JPEG", "jpg", "image/jpeg"),
    ],
)
def test_a_photo_is_re_encoded_in_its_own_format(
    source_format, params, format, extension, content_type
):
    data = encode(picture((640, 480)), source_format, **params)
    photo = clean_photo(upload(data))
    assert isinstance(photo, CleanPhoto)
    assert (photo.format, photo.extension, photo.content_type) == (format, extension, content_type)
    assert (photo.width, photo.height) == (640, 480)
    assert photo.sha256 == hashlib.sha256(photo.content).hexdigest()  # the photo as stored
    stored = reopen(photo)
    assert stored.format == format
    assert stored.size == (640, 480)
    stored.load()


def test_exif_orientation_is_applied_and_exif_removed():
    data = encode(picture((640, 480)), "JPEG", exif=gps_exif(orientation=6))
    photo = clean_photo(upload(data))
    assert (photo.width, photo.height) == (480, 640)
    stored = reopen(photo)
    assert stored.size == (480, 640)
    assert "exif" not in stored.info
    assert not stored.getexif()


def test_the_minimum_size_is_checked_on_the_photo_as_seen():
    # Stored 480 wide and 640 high, shown 640 wide and 480 high.
    data = encode(picture((480, 640)), "JPEG", exif=gps_exif(orientation=6))
    with override_settings(WAGTAIL_ILN={"PHOTO_MIN_WIDTH": 600, "PHOTO_MIN_HEIGHT": 400}):
        assert clean_photo(upload(data)).width == 640
        assert_refused(upload(encode(picture((480, 640)), "JPEG")), "too_small")


def test_a_jpeg_loses_gps_exif_xmp_and_comment_but_keeps_its_colour_profile():
    data = encode(
        picture(),
        "JPEG",
        exif=gps_exif(),
        icc_profile=SRGB,
        xmp=XMP,
        comment=b"shot at home, 12 Secret Street",
    )
    source = Image.open(BytesIO(data))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert {"exif", "xmp", "comment", "icc_profile"} <= source.info.keys()

    photo = clean_photo(upload(data))
    stored = reopen(photo)
    assert not stored.getexif()
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "comment"} & stored.info.keys()
    assert stored.info["icc_profile"] == SRGB
    for secret in (b"Exif", b"Secret Street", b"Jane Secret", b"xmpmeta"):
        assert secret not in photo.content


def test_a_png_loses_its_text_chunks_and_exif_but_keeps_its_colour_profile():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Secret")
    info.add_text("Comment", "shot at home, 12 Secret Street", zip=True)
    info.add_itxt("Description", "un secret", lang="fr")
    data = encode(picture(), "PNG", pnginfo=info, exif=gps_exif(), icc_profile=SRGB)
    assert Image.open(BytesIO(data)).text

    photo = clean_photo(upload(data, "photo.png", "image/png"))
    stored = reopen(photo)
    assert stored.text == {}
    assert "exif" not in stored.info
    assert stored.info["icc_profile"] == SRGB
    assert b"Secret" not in photo.content


def test_a_webp_loses_exif_and_xmp_but_keeps_its_colour_profile():
    data = encode(picture(), "WEBP", exif=gps_exif(), xmp=XMP, icc_profile=SRGB)
    stored = reopen(clean_photo(upload(data, "photo.webp", "image/webp")))
    assert not {"exif", "xmp"} & stored.info.keys()
    assert stored.info["icc_profile"] == SRGB


def test_a_heic_from_a_phone_becomes_a_jpeg_without_exif():
    data = encode(picture((640, 480)), "HEIF", exif=gps_exif())
    photo = clean_photo(upload(data, "IMG_0001.HEIC", "image/heic"))
    stored = reopen(photo)
    assert stored.format == "JPEG"
    assert not stored.getexif()


def test_a_heic_with_transparency_is_laid_on_white():
    image = picture().convert("RGBA")
    image.putalpha(0)
    photo = clean_photo(upload(encode(image, "HEIF")))
    stored = reopen(photo)
    assert stored.mode == "RGB"
    assert stored.getpixel((10, 10)) == (255, 255, 255)


def test_a_cmyk_jpeg_becomes_rgb():
    photo = clean_photo(upload(encode(picture(mode="CMYK"), "JPEG")))
    assert reopen(photo).mode == "RGB"


def test_a_cmyk_jpeg_with_an_unusable_profile_becomes_rgb_without_it():
    profile = bytes(16) + b"CMYK" + bytes(108)
    stored = reopen(clean_photo(upload(encode(picture(mode="CMYK"), "JPEG", icc_profile=profile))))
    assert stored.mode == "RGB"
    assert "icc_profile" not in stored.info


def test_a_palette_png_with_transparency_keeps_it():
    image = picture().convert("P")
    photo = clean_photo(upload(encode(image, "PNG", transparency=0)))
    assert reopen(photo).mode == "RGBA"


def test_a_16_bit_grey_png_is_scaled_not_clipped():
    image = Image.new("I;16", (640, 480), 32768)
    stored = reopen(clean_photo(upload(encode(image, "PNG"))))
    assert stored.mode == "L"
    assert stored.getpixel((0, 0)) == 128


def test_a_jpeg_with_extra_pictures_keeps_the_first():
    # Phones add a depth map or a preview to a JPEG: Pillow reads it as MPO.
    first, second = picture(), picture().rotate(90)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(BytesIO(data)).format == "MPO"
    photo = clean_photo(upload(data))
    assert (photo.format, photo.width, photo.height) == ("JPEG", 640, 480)


def test_a_jpeg_polyglot_that_decodes_loses_what_follows_the_picture():
    data = encode(picture(), "JPEG") + b"<html><script>alert(1)</script></html>"
    photo = clean_photo(upload(data, "photo.html", "text/html"))
    assert b"<script>" not in photo.content


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("../../etc/passwd.jpg", "image/jpeg"),
        ("фото — été 📷.jpg", "image/jpeg"),
        ("photo.gif", "image/gif"),
        ("photo.exe", "application/octet-stream"),
        ("photo", ""),
    ],
)
def test_the_name_and_the_content_type_of_the_upload_do_not_matter(name, content_type):
    data = encode(picture(), "JPEG")
    photo = clean_photo(upload(data, name, content_type))
    assert photo == clean_photo(upload(data))


def test_the_upload_can_be_read_again_afterwards():
    data = encode(picture(), "JPEG")
    uploaded = upload(data)
    clean_photo(uploaded)
    assert uploaded.read() == data


# Refused files


def test_an_empty_file_is_refused():
    assert_refused(upload(b""), "empty")


@pytest.mark.parametrize("source_format", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_a_truncated_photo_is_refused_not_a_server_error(source_format):
    data = encode(picture(), source_format)
    assert not ImageFile.LOAD_TRUNCATED_IMAGES
    assert_refused(upload(data[: len(data) * 2 // 3]), "unreadable")


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff",
        b"\x89PNG\r\n\x1a\n",
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
        b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20,
    ],
    ids=["jpeg", "png", "webp", "heic", "jpeg-garbage"],
)
def test_magic_bytes_alone_are_refused(data):
    assert_refused(upload(data), "unreadable")


def test_text_renamed_jpg_is_refused():
    assert_refused(upload(b"Just some text, not a photo.\n" * 50), "unreadable")


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"\xef\xbb\xbf\n  <html><body>hello</body></html>",
        b"GIF89a/*<html><script>alert(1)</script></html>*/=1;",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="800" '
        b'height="800"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="800" height="800"/></svg>',
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    ],
    ids=["html", "html-with-bom", "gif-html-polyglot", "svg-xml", "svg", "pdf"],
)
def test_documents_pretending_to_be_photos_are_refused_by_their_content(data):
    message = assert_refused(upload(data, "photo.jpg", "image/jpeg"), "format")
    assert all(name in message for name in ("JPEG", "PNG", "WebP", "HEIC"))


@pytest.mark.parametrize("source_format", ["GIF", "BMP", "TIFF", "AVIF", "JPEG2000", "ICO"])
def test_other_image_formats_are_refused(source_format):
    if source_format == "AVIF" and not features.check("avif"):
        pytest.skip("Pillow built without AVIF")
    size = (256, 256) if source_format == "ICO" else (640, 480)
    data = encode(picture(size), source_format)
    assert_refused(upload(data, "photo.jpg", "image/jpeg"), "format")


def test_an_animated_gif_is_refused():
    frames = [picture(), picture().rotate(180)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert_refused(upload(data, "photo.gif", "image/gif"), "format")


@pytest.mark.parametrize("source_format", ["PNG", "WEBP", "HEIF"])
def test_animations_and_image_sequences_are_refused(source_format):
    frames = [picture(), picture().rotate(180)]
    data = encode(frames[0], source_format, save_all=True, append_images=frames[1:])
    assert Image.open(BytesIO(data)).n_frames == 2
    assert_refused(upload(data), "animated")


def png_declaring(width, height):
    """A tiny PNG whose header declares width × height RGB pixels: a decompression bomb."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    compressor = zlib.compressobj(9)
    row = bytes(1 + 3 * width)
    idat = b"".join(compressor.compress(row) for _ in range(16)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def decoding(monkeypatch):
    """The images whose pixels were decoded."""
    decoded = []
    load = ImageFile.ImageFile.load

    def spy(image):
        decoded.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return decoded


@pytest.mark.parametrize(
    ("width", "height", "pillow_limit"),
    [
        (30000, 30000, Image.MAX_IMAGE_PIXELS),  # Pillow refuses it too
        (30000, 30000, None),  # a site that switched Pillow's limit off
        (8000, 8000, Image.MAX_IMAGE_PIXELS),  # under Pillow's limit, over ours
    ],
)
def test_too_many_pixels_are_refused_from_the_header(
    width, height, pillow_limit, monkeypatch, decoding
):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", pillow_limit)
    data = png_declaring(width, height)
    assert len(data) < 200 * 1024
    tracemalloc.start()
    try:
        assert_refused(upload(data, "photo.png", "image/png"), "too_many_pixels")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert decoding == []
    assert pillow_limit == Image.MAX_IMAGE_PIXELS


def test_pillows_pixel_limit_is_left_alone():
    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(ValidationError):
        clean_photo(upload(png_declaring(30000, 30000)))
    assert before == Image.MAX_IMAGE_PIXELS


@pytest.mark.parametrize("source_format", ["JPEG", "WEBP", "HEIF"])
def test_the_pixel_limit_is_a_setting(source_format, decoding):
    data = encode(picture((640, 480)), source_format)
    with override_settings(WAGTAIL_ILN={"PHOTO_MAX_PIXELS": 300_000}):
        assert_refused(upload(data), "too_many_pixels")
    assert decoding == []


class UnreadableUpload:
    """An upload that must be refused from its declared size alone."""

    size = 5000

    def read(self, *args):
        raise AssertionError("read before the size was checked")

    seek = read


@override_settings(WAGTAIL_ILN={"PHOTO_MAX_BYTES": 1000})
def test_a_file_over_the_byte_limit_is_refused_before_reading():
    assert_refused(upload(encode(picture(), "JPEG")), "too_big")
    assert_refused(UnreadableUpload(), "too_big")


@override_settings(WAGTAIL_ILN={"PHOTO_MAX_BYTES": 1000})
def test_a_file_that_lies_about_its_size_is_refused_when_read():
    uploaded = upload(encode(picture(), "JPEG"))
    uploaded.size = 10
    assert_refused(uploaded, "too_big")


@pytest.mark.parametrize("size", [(300, 300), (640, 399), (399, 640)])
def test_a_photo_under_the_minimum_size_is_refused(size, decoding):
    assert_refused(upload(encode(picture(size), "JPEG")), "too_small")
    assert decoding == []
