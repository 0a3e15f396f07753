#!/usr/bin/env bash
# The README's install contract, proved on a brand-new site exactly as a user
# follows it: pip install the wheel (without wagtail-localize), add
# "wagtail_iln" to INSTALLED_APPS, include wagtail_iln.urls, migrate.
# Then a topic with a credited hero image must render, and its feed must parse.
set -euo pipefail

cd "$(dirname "$0")/.."
SOURCE_DIR=$PWD
PYTHON=${PYTHON:-python3}
BUILD_PYTHON=${BUILD_PYTHON:-$SOURCE_DIR/.venv/bin/python}
export PIP_DISABLE_PIP_VERSION_CHECK=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wagtail-iln-contract.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

step() { printf -- '--- %s\n' "$*"; }

step "build the sdist, then the wheel from it"
"$BUILD_PYTHON" -m build --outdir "$WORK/dist" "$SOURCE_DIR" >"$WORK/build.log" 2>&1 || {
    cat "$WORK/build.log"
    exit 1
}
ls -l "$WORK/dist"
wheels=("$WORK"/dist/wagtail_iln-*.whl)
WHEEL=${wheels[0]}

step "the wheel carries templates, static files, migrations and catalogues"
"$PYTHON" - "$WHEEL" "$SOURCE_DIR" <<'PY'
import sys
import zipfile
from pathlib import Path

wheel, source = sys.argv[1], Path(sys.argv[2])
names = set(zipfile.ZipFile(wheel).namelist())

required = [
    "wagtail_iln/static/wagtail_iln/css/wagtail_iln.css",
    "wagtail_iln/migrations/0001_initial.py",
]
# Every template and every migration of the source tree, not just a sample.
for pattern in ("templates/**/*.html", "migrations/[0-9]*.py"):
    required += [
        path.relative_to(source).as_posix() for path in (source / "wagtail_iln").glob(pattern)
    ]
for po in sorted((source / "wagtail_iln").glob("locale/*/LC_MESSAGES/django.po")):
    po = po.relative_to(source)
    required += [po.as_posix(), po.with_suffix(".mo").as_posix()]

if not any(n.startswith("wagtail_iln/templates/") and n.endswith(".html") for n in names):
    required.append("wagtail_iln/templates/wagtail_iln/<any>.html")

missing = sorted(set(required) - names)
strays = sorted(
    n for n in names if n.split("/")[0] != "wagtail_iln" and ".dist-info/" not in n
)
for name in missing:
    print(f"missing from the wheel: {name}")
for name in strays:
    print(f"outside the package in the wheel: {name}")
if missing or strays:
    sys.exit(1)
print(f"{len(set(required))} required files present; nothing outside wagtail_iln/")
PY

step "a fresh virtualenv with only the wheel and what it requires"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
"$VPY" -m pip install "$WHEEL" >"$WORK/pip.log" 2>&1 || {
    cat "$WORK/pip.log"
    exit 1
}
if "$VPY" -m pip show --quiet wagtail-localize >/dev/null 2>&1; then
    echo "wagtail-localize was installed, but it must stay optional" >&2
    exit 1
fi
"$VPY" -m pip list --format=freeze | grep -iE '^(django|wagtail|wagtail-iln|pillow)=='

step "wagtail start mysite"
mkdir "$WORK/site"
"$WORK/venv/bin/wagtail" start mysite "$WORK/site"
cd "$WORK/site"

step "the two lines the README asks for"
"$VPY" - <<'PY'
from pathlib import Path


def edit(path, anchor, replacement):
    path = Path(path)
    text = path.read_text()
    if text.count(anchor) != 1:
        raise SystemExit(f"{path}: expected exactly one {anchor!r}; the project template changed")
    path.write_text(text.replace(anchor, replacement))
    print(f"edited {path}")


edit(
    "mysite/settings/base.py",
    "INSTALLED_APPS = [\n",
    'INSTALLED_APPS = [\n    "wagtail_iln",\n',
)
edit(
    "mysite/urls.py",
    '    path("", include(wagtail_urls)),\n',
    '    path("", include("wagtail_iln.urls")),\n    path("", include(wagtail_urls)),\n',
)
PY

step "migrate"
"$VPY" manage.py migrate --noinput >"$WORK/migrate.log" 2>&1 || {
    cat "$WORK/migrate.log"
    exit 1
}
grep -E "wagtail_iln" "$WORK/migrate.log"

step "check"
"$VPY" manage.py check 2>&1 | tee "$WORK/check.log"
if grep -q "wagtail_iln" "$WORK/check.log"; then
    echo "manage.py check reported wagtail_iln problems" >&2
    exit 1
fi

step "a credited topic renders, and the index and its feeds answer"
"$VPY" manage.py shell -c '
import html
import io
import re
import xml.etree.ElementTree as ET

from django.conf import settings
from django.core.files.images import ImageFile
from django.http.request import validate_host
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from wagtail_iln.models import DiscussionIndexPage, DiscussionTopicPage, ImageCredit

assert validate_host("testserver", settings.ALLOWED_HOSTS), settings.ALLOWED_HOSTS

buffer = io.BytesIO()
PILImage.new("RGB", (800, 600), "teal").save(buffer, format="JPEG")
image = get_image_model().objects.create(
    title="Reading room", file=ImageFile(buffer, name="reading-room.jpg")
)
ImageCredit.objects.create(image=image, title="Start", creator="eko", licence="cc-by-nc-sa-2.0")

root = Site.objects.get(is_default_site=True).root_page
index = root.add_child(instance=DiscussionIndexPage(title="Discussion", slug="discussion"))
index.save_revision().publish()
topic = index.add_child(
    instance=DiscussionTopicPage(
        title="Getting to know you",
        slug="getting-to-know-you",
        intro="Who we are and where we work.",
        hero_image=image,
    )
)
topic.save_revision().publish()
topic.refresh_from_db()


def text_of(markup):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup)))


client = Client()

def get(url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    print(f"GET {url}: 200")
    return response.content.decode()


page = text_of(get(topic.url))
assert "Getting to know you" in page, "topic title missing from the topic page"
credit = "Photo: \x27Start\x27 by eko, CC BY-NC-SA 2.0"
assert credit in page, f"credit line {credit!r} missing from the topic page: {page[:3000]}"

assert "Getting to know you" in text_of(get(index.url)), "topic missing from the index"

for name in ("wagtail_iln:topics_rss", "wagtail_iln:topics_atom"):
    feed = ET.fromstring(get(reverse(name, args=[index.pk])).encode())
    titles = [el.text for el in feed.iter() if el.tag.rsplit("}", 1)[-1] == "title"]
    assert "Getting to know you" in titles, (name, titles)

print("install contract holds")
'
