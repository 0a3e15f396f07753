#!/usr/bin/env bash
# The README's install contract, proved the way a site lives with the package:
# build the sdist and the wheel, check they hold every file git tracks under
# wagtail_iln/, pip install the wheel (without wagtail-localize) into a fresh
# virtualenv, `wagtail start` a brand-new site, add "wagtail_iln" to
# INSTALLED_APPS and include wagtail_iln.urls. Then check, makemigrations
# --check, migrate, and .ci/install_contract_site.py: every shipped template
# loads, the public forms post, the admin's views open, every kind of e-mail is
# sent in its recipient's language. Again with another LANGUAGE_CODE and LANGUAGES,
# and makemigrations --check and migrate with a site's own image model.
#
# Environment:
#   PYTHON        the interpreter the site's virtualenv is made from (default: python3)
#   BUILD_PYTHON  an interpreter with `build` installed (default: .venv/bin/python)
#   CONTRACT_REQUIREMENTS  the stack to prove, installed with the wheel, e.g.
#                 "Django>=6.0,<6.1 wagtail>=7.4,<7.5" (default: the newest the wheel admits)
#   CONTRACT_KEEP=1  keep the work folder (wheel, virtualenv, site) and print where it is
set -euo pipefail

cd "$(dirname "$0")/.."
SOURCE_DIR=$PWD
PYTHON=${PYTHON:-python3}
BUILD_PYTHON=${BUILD_PYTHON:-$SOURCE_DIR/.venv/bin/python}
read -r -a REQUIREMENTS <<<"${CONTRACT_REQUIREMENTS:-}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wagtail-iln-contract.XXXXXX")
if [[ ${CONTRACT_KEEP:-} == 1 ]]; then
    trap 'echo "kept $WORK"' EXIT
else
    trap 'rm -rf "$WORK"' EXIT
fi

step() { printf -- '--- %s\n' "$*"; }
# Runs a command quietly; shows its output only when it fails.
quiet() {
    local log
    log="$WORK/$1.log"
    shift
    "$@" >"$log" 2>&1 || {
        cat "$log"
        return 1
    }
}

step "build the sdist, then the wheel from it (from the files git knows, not a stale build)"
mkdir "$WORK/src"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' name; do
    [[ -e $name ]] && printf '%s\0' "$name"
done | tar --null -T - -cf - | tar -xf - -C "$WORK/src"
quiet build "$BUILD_PYTHON" -m build --outdir "$WORK/dist" "$WORK/src"
ls -l "$WORK/dist"
WHEEL=$(echo "$WORK"/dist/wagtail_iln-*.whl)
SDIST=$(echo "$WORK"/dist/wagtail_iln-*.tar.gz)

step "the wheel and the sdist hold every file git tracks under wagtail_iln/"
"$BUILD_PYTHON" "$SOURCE_DIR/.ci/install_contract_files.py" "$SOURCE_DIR" "$WHEEL" "$SDIST"

step "a fresh virtualenv with only the wheel and what it requires ${REQUIREMENTS[*]}"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
quiet pip "$VPY" -m pip install "$WHEEL" "${REQUIREMENTS[@]}"
if "$VPY" -m pip show --quiet wagtail-localize >/dev/null 2>&1; then
    echo "wagtail-localize was installed, but it must stay optional" >&2
    exit 1
fi
"$VPY" --version
"$VPY" -m pip list --format=freeze | grep -iE '^(django|wagtail|wagtail-iln|django-tasks|pillow)=='

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
# Another site's languages, on a database of its own: no model state may depend on them.
cat >mysite/settings/other_languages.py <<'PY'
from .dev import *  # noqa: F403

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("es", "Español")]
DATABASES["default"]["NAME"] = BASE_DIR / "other_languages.sqlite3"  # noqa: F405
PY

for settings in mysite.settings.dev mysite.settings.other_languages; do
    export DJANGO_SETTINGS_MODULE=$settings

    step "$settings: check"
    "$VPY" manage.py check --fail-level WARNING

    step "$settings: makemigrations --check (every app)"
    "$VPY" manage.py makemigrations --check --dry-run

    step "$settings: migrate"
    quiet "migrate-$settings" "$VPY" manage.py migrate --noinput
    grep -E "wagtail_iln" "$WORK/migrate-$settings.log"

    step "$settings: templates, public forms, admin views and every e-mail"
    "$VPY" "$SOURCE_DIR/.ci/install_contract_site.py"
done

# Most sites have an image model of their own: the app's migrations follow it.
step "a site with its own image model: makemigrations --check, migrate"
mkdir -p pictures/migrations
touch pictures/__init__.py pictures/migrations/__init__.py
cat >pictures/apps.py <<'PY'
from django.apps import AppConfig


class PicturesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pictures"
PY
cat >pictures/models.py <<'PY'
from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class Picture(AbstractImage):
    admin_form_fields = Image.admin_form_fields


class PictureRendition(AbstractRendition):
    image = models.ForeignKey(Picture, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
PY
cat >mysite/settings/own_image_model.py <<'PY'
from .dev import *  # noqa: F403

INSTALLED_APPS = ["pictures", *INSTALLED_APPS]  # noqa: F405
WAGTAILIMAGES_IMAGE_MODEL = "pictures.Picture"
DATABASES["default"]["NAME"] = BASE_DIR / "own_image_model.sqlite3"  # noqa: F405
PY
export DJANGO_SETTINGS_MODULE=mysite.settings.own_image_model
quiet pictures-migration "$VPY" manage.py makemigrations pictures
"$VPY" manage.py makemigrations --check --dry-run
quiet migrate-own-image-model "$VPY" manage.py migrate --noinput
"$VPY" manage.py shell -c '
from wagtail_iln.models import DiscussionTopicPage, ImageCredit, PhotoSubmission
for field in (
    DiscussionTopicPage._meta.get_field("hero_image"),
    ImageCredit._meta.get_field("image"),
    PhotoSubmission._meta.get_field("image"),
):
    assert field.related_model._meta.label == "pictures.Picture", field
print("the credits, topics and photos point at pictures.Picture")
'

echo "install contract holds"
