"""How much the photo intake costs next to Pillow alone, on a 12-megapixel phone photo.

Run from the repository root::

    .venv/bin/python benchmarks/photo_intake.py

Prints the medians, their ratio against the goal, and the peak memory of the
intake. It reports; it always exits 0.
"""

import contextlib
import ctypes
import os
import statistics
import sys
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import ExifTags, Image  # noqa: E402

from wagtail_iln.conf import get_setting  # noqa: E402
from wagtail_iln.photos.intake import clean_photo  # noqa: E402

ROUNDS = 7
INTAKE_GOAL = 1.3  # clean_photo may cost at most this many times Pillow alone


def phone_photo(size=(4000, 3000)):
    """A JPEG like a phone's: detail everywhere (gradients and noise) and EXIF with GPS."""
    gradients = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize(size),
            Image.radial_gradient("L").resize(size),
            Image.linear_gradient("L").rotate(90).resize(size),
        ],
    )
    noise = Image.merge("RGB", [Image.effect_noise(size, 64) for _ in range(3)])
    image = Image.blend(gradients, noise, 0.35)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Model] = "Camera 12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    out = BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def alternate(functions, *args, rounds=ROUNDS):
    """Median seconds of each function, run in turns so that drift hits all alike."""
    for function in functions:
        function(*args)  # warm up: plugins imported, caches filled
    times = [[] for _ in functions]
    for _ in range(rounds):
        for spent, function in zip(times, functions, strict=True):
            spent.append(timed(function, *args))
    return [statistics.median(spent) for spent in times]


def rss_growth(function, *args):
    """Growth of the resident memory while running function, in bytes, or None.

    Pillow allocates pixels outside Python's allocator, where tracemalloc does not
    see them; Linux can reset the peak of the resident set instead.
    """
    release_free_memory()
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        before = read_status("VmRSS")
        function(*args)
        return read_status("VmHWM") - before
    except OSError:
        return None


def release_free_memory():
    """Give freed memory back to the system, so that reusing it counts as growth."""
    Image.core.clear_cache()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def read_status(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise OSError(f"{field} not in /proc/self/status")


def python_peak(function, *args):
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def mib(size):
    return "n/a" if size is None else f"{size / 1024 / 1024:.1f} MiB"


def verdict(ratio, goal):
    return "PASS" if ratio <= goal else "FAIL"


# Measurements: each prints its own section. Add one by writing a function and
# listing it in MEASUREMENTS below.


def measure_intake():
    data = phone_photo()
    quality = get_setting("PHOTO_QUALITY")

    def intake(data):
        return clean_photo(SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"))

    def pillow_alone(data):
        image = Image.open(BytesIO(data))
        image.load()
        image.save(BytesIO(), "JPEG", quality=quality, optimize=True, progressive=True)

    intake_time, pillow_time = alternate([intake, pillow_alone], data)
    ratio = intake_time / pillow_time
    print(f"Photo intake: 4000×3000 JPEG of {mib(len(data))}, {ROUNDS} alternating rounds")
    print(f"  (a) clean_photo:              {intake_time * 1000:7.1f} ms (median)")
    print(f"  (b) Pillow decode + re-encode: {pillow_time * 1000:7.1f} ms (median)")
    print(f"  ratio a/b: {ratio:.2f} (goal ≤ {INTAKE_GOAL}) {verdict(ratio, INTAKE_GOAL)}")
    print(f"  intake peak, Python allocations (tracemalloc): {mib(python_peak(intake, data))}")
    print(f"  intake peak, resident memory growth:           {mib(rss_growth(intake, data))}")
    print(f"  Pillow alone, resident memory growth:          {mib(rss_growth(pillow_alone, data))}")


GALLERY_PHOTOS = 100
GALLERY_GOAL = 1.5  # the gallery block may cost at most this many times a bare image loop


def approved_gallery_photos(count):
    """A campaign with ``count`` approved photos, each a real image with its credit."""
    from django.core.files.images import ImageFile
    from django.utils import timezone
    from wagtail.images import get_image_model

    from wagtail_iln.models import ImageCredit, PhotoCampaign, PhotoSubmission

    campaign = PhotoCampaign.objects.create(name="#favouritefeature")
    for n in range(count):
        out = BytesIO()
        Image.new("RGB", (1200, 900), (n * 37 % 256, n * 91 % 256, 120)).save(out, "JPEG")
        image = get_image_model()(title=f"Feature {n}", collection=campaign.collection)
        image.file = ImageFile(BytesIO(out.getvalue()), name=f"feature-{n}.jpg")
        image._set_image_file_metadata()
        image.save()
        ImageCredit.objects.create(
            image=image, title=f"Feature {n}", creator=f"Person {n}", licence="cc-by-4.0"
        )
        PhotoSubmission.objects.create(
            campaign=campaign,
            status=PhotoSubmission.Status.APPROVED,
            image=image,
            moderated_at=timezone.now(),
            sha256=f"{n:064x}",
            title=f"Feature {n}",
            story="The best corner of the library.\nEvery morning.",
            credit_name=f"Person {n}",
            email=f"person{n}@example.org",
            country="BR",
            workplace="Biblioteca Municipal",
            licence="cc-by-4.0",
            consent_given_at=timezone.now(),
        )
    return campaign


def measure_gallery():
    """The gallery block against a bare loop of ``srcset_image`` over the same images."""
    import tempfile

    from django.core.management import call_command
    from django.template import Context, Template
    from django.test import RequestFactory, override_settings
    from wagtail.images import get_image_model

    from wagtail_iln.photos.gallery import PhotoGalleryBlock, gallery_filter_specs

    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        call_command("migrate", verbosity=0)
        campaign = approved_gallery_photos(GALLERY_PHOTOS)
        request = RequestFactory().get("/discussion/getting-to-know-you/")
        block = PhotoGalleryBlock()
        value = block.to_python(
            {"campaign": campaign.pk, "heading": "", "per_page": GALLERY_PHOTOS, "layout": "grid"}
        )
        widths = ",".join(spec.removeprefix("width-") for spec in gallery_filter_specs())
        bare = Template(
            "{% load wagtailimages_tags %}{% for image in images %}"
            f"{{% srcset_image image width-{{{widths}}} sizes='100vw' loading='lazy' %}}"
            "{% endfor %}"
        )
        image_ids = list(campaign.submissions.values_list("image_id", flat=True))

        def gallery():
            return block.render(value, context={"request": request})

        def bare_loop():
            images = (
                get_image_model()
                .objects.filter(pk__in=image_ids)
                .order_by("-pk")
                .prefetch_renditions(*gallery_filter_specs())
            )
            return bare.render(Context({"images": images, "request": request}))

        shown = str(gallery()).count("<figure")  # also makes the renditions
        # The fragment cache off: the block renders its photos each time.
        with override_settings(WAGTAIL_ILN={"FRAGMENT_CACHE_TIMEOUT": 0}):
            gallery_time, bare_time = alternate([gallery, bare_loop])
        # The fragment cache on: every render after the first is a hit.
        gallery()
        hit_time, bare_again = alternate([gallery, bare_loop])
    ratio = gallery_time / bare_time
    print(f"Photo gallery: {shown} approved photos on one page, {ROUNDS} alternating rounds")
    print(f"  (a) PhotoGalleryBlock.render, cache off: {gallery_time * 1000:7.1f} ms (median)")
    print(f"  (b) bare srcset_image loop (prefetch):   {bare_time * 1000:7.1f} ms (median)")
    print(f"  ratio a/b: {ratio:.2f} (goal ≤ {GALLERY_GOAL}) {verdict(ratio, GALLERY_GOAL)}")
    print(
        f"  (c) the same, served from the fragment cache: {hit_time * 1000:.1f} ms "
        f"(bare loop {bare_again * 1000:.1f} ms, ratio {hit_time / bare_again:.2f}; not a goal)"
    )


MEASUREMENTS = [measure_intake, measure_gallery]


def main():
    for measurement in MEASUREMENTS:
        measurement()
    return 0


if __name__ == "__main__":
    sys.exit(main())
