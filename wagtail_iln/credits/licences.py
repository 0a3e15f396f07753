"""The licences an image may carry, each linked to its official deed."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Licence:
    code: str
    short_name: str
    name: str
    url: str = ""


def _cc(code, version):
    short = f"CC {code.upper()} {version}"
    return Licence(
        code=f"cc-{code}-{version}",
        short_name=short,
        name=short,
        url=f"https://creativecommons.org/licenses/{code}/{version}/",
    )


_CC_KINDS = ["by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"]

LICENCES = [
    *(_cc(kind, "4.0") for kind in _CC_KINDS),
    *(_cc(kind, "2.0") for kind in _CC_KINDS),
    Licence(
        code="cc0-1.0",
        short_name="CC0 1.0",
        name=_("CC0 1.0 (no rights reserved)"),
        url="https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    Licence(
        code="public-domain",
        short_name=_("public domain"),
        name=_("Public domain"),
        url="https://creativecommons.org/publicdomain/mark/1.0/",
    ),
    Licence(
        code="all-rights-reserved",
        short_name=_("all rights reserved"),
        name=_("All rights reserved"),
    ),
]

LICENCES_BY_CODE = {licence.code: licence for licence in LICENCES}
LICENCE_CHOICES = [(licence.code, licence.name) for licence in LICENCES]
