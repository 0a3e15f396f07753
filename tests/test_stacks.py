"""What pip installs is what the app needs, on every stack setup.cfg admits.

The stacks themselves are proved by running the suite and the install
contract on them (noxfile.py, .ci/run); these tests keep the declarations and
the one place that knows about Wagtail versions honest on any one of them.
"""

import ast
import configparser
import functools
import sys
from importlib import import_module, metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from wagtail_iln import compat

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wagtail_iln"
# What Wagtail's own API hands to an app (ParentalKey, tags, listing filters, search
# fields, the swappable page model): every supported Wagtail requires them.
WAGTAIL_BUILDING_BLOCKS = {"django-modelcluster", "django-taggit", "django-filter", "modelsearch"}
WAGTAIL_8_BUILDING_BLOCKS = {"swapper"}


def options():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return parser


def names(requirements):
    return {
        canonicalize_name(Requirement(line).name)
        for line in requirements.splitlines()
        if line.strip() and not line.strip().startswith("#")
    }


def declared():
    return names(options()["options"]["install_requires"])


def optional():
    extras = options()["options.extras_require"]
    return set().union(*(names(extras[extra]) for extra in extras)) - declared()


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def imported(path, module_level=False):
    """Top-level names of the packages ``path`` imports (at module level only, if asked)."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if module_level else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"wagtail_iln"}


@functools.cache
def installed():
    return metadata.packages_distributions()


def distributions(import_name):
    known = installed().get(import_name, [import_name])
    return {canonicalize_name(name) for name in known}


def test_every_package_the_app_imports_is_declared():
    """Required, or an extra's, imported where it is used when installed (see the next test)."""
    allowed = declared() | WAGTAIL_BUILDING_BLOCKS | WAGTAIL_8_BUILDING_BLOCKS | optional()
    undeclared = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules()
        for name in imported(path)
        if not distributions(name) & allowed
    }
    assert not undeclared, "imported but not in install_requires: " + ", ".join(sorted(undeclared))


def test_no_optional_package_is_imported_at_module_level():
    optional_imports = {
        name
        for path in modules()
        for name in imported(path, module_level=True)
        if distributions(name) & optional()
    }
    assert not optional_imports


def test_swapper_is_asked_only_where_wagtail_8_has_it():
    users = [path.name for path in modules() if "swapper" in imported(path)]
    assert users == ["compat.py"]


def test_only_compat_knows_which_wagtail_it_runs_on():
    """Where Wagtail 7.4 and 8.0 differ, wagtail_iln.compat decides; nothing else does."""
    version_specific = (
        "wagtail.permissions",
        "from wagtail import VERSION",
        "get_menu_item_order",
        "WAGTAIL_PAGE_MODEL",
        "0098_apitoken",
    )
    found = [
        f"{path.relative_to(ROOT)}: {marker}"
        for path in modules()
        if path.name != "compat.py"
        for marker in version_specific
        if marker in path.read_text()
    ]
    assert not found


def test_the_first_migration_follows_the_sites_image_model():
    """A site with its own WAGTAILIMAGES_IMAGE_MODEL gets no migration of the app to make."""
    source = (PACKAGE / "migrations" / "0001_initial.py").read_text()
    assert "'wagtailimages.image'" not in source
    assert source.count("to=wagtail.images.get_image_model_string()") == 3


def test_the_first_migration_needs_nothing_wagtail_7_4_lacks():
    migration = import_module("wagtail_iln.migrations.0001_initial").Migration
    core = [name for app, name in migration.dependencies if app == "wagtailcore"]
    assert compat.WAGTAILCORE_MIGRATION[1] in core
    assert all(name == "__first__" or name <= compat.WAGTAILCORE_MIGRATION[1] for name in core)
