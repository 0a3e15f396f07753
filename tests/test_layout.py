"""The package's shape: which modules may import which, read from the source with ``ast``.

Every import counts, at the top of a module or inside a function: an import
put inside a function to dodge a cycle still ties the two modules together.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = "wagtail_iln"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

#: The area packages: each holds one concern of the product.
AREAS = (
    "topics",
    "credits",
    "photos",
    "comments",
    "moderation",
    "programme",
    "applications",
    "matching",
    "health",
    "likes",
    "privacy",
)
#: Areas the others build on: they know none of them (the others register with them).
KNOWS_NO_AREA = ("privacy", "moderation")
#: The small shared modules at the package's root, which know no area either.
SHARED_MODULES = (
    "conf",
    "mail",
    "fragments",
    "tracking",
    "ratelimit",
    "pageforms",
    "widgets",
    "admin_access",
    "words",
)
#: Plain Python: records in, pairs out, nothing of the web framework.
PURE_PYTHON = ("matching.engine",)
FRAMEWORKS = ("django", "wagtail", "modelcluster", "taggit", "django_countries", "django_tasks")
MAX_LINES = 500
LEFT_OUT = ("migrations",)


def module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files():
    return sorted(
        path for path in ROOT.rglob("*.py") if not set(path.relative_to(ROOT).parts) & set(LEFT_OUT)
    )


MODULES = {module_name(path): path for path in source_files()}


def imported_names(name, path):
    """Every module name ``name`` imports, resolved to absolute names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                # ``from . import checkins`` imports a module; ``from .models import X`` a name.
                submodule = f"{target}.{alias.name}"
                yield submodule if submodule in MODULES else target


def internal(imported):
    """The module of the package that ``imported`` names, or None for another package."""
    while imported and imported not in MODULES:
        imported = imported.rpartition(".")[0]
    return imported or None


def graph():
    edges = {}
    for name, path in MODULES.items():
        targets = {internal(imported) for imported in imported_names(name, path)}
        edges[name] = sorted(targets - {None, name})
    return edges


def area_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in AREAS else None


def cycles(edges):
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in edges:
        if node not in index:
            visit(node)
    return found


def area_imports(package):
    """``(module, imported module)`` for each import of another area by ``package``."""
    return [
        (name, target)
        for name, targets in graph().items()
        if area_of(name) == package
        for target in targets
        if area_of(target) not in (None, package)
    ]


def test_the_graph_sees_the_whole_package():
    edges = graph()
    assert len(edges) > 80
    assert "wagtail_iln.photos.views" in edges["wagtail_iln.urls"]
    assert "wagtail_iln.health.checkins" in edges["wagtail_iln.health.admin"]
    assert set(AREAS) == {area_of(name) for name in MODULES} - {None}


def test_no_two_modules_import_each_other():
    assert cycles(graph()) == []


def test_cycles_are_found():
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", KNOWS_NO_AREA)
def test_shared_areas_import_no_other_area(package):
    assert area_imports(package) == []


@pytest.mark.parametrize("module", SHARED_MODULES)
def test_shared_modules_import_no_area(module):
    name = f"{PACKAGE}.{module}"
    assert [target for target in graph()[name] if area_of(target)] == []


@pytest.mark.parametrize("package", PURE_PYTHON)
def test_the_matching_engine_is_plain_python(package):
    prefix = f"{PACKAGE}.{package}"
    found = [
        (name, imported)
        for name, path in MODULES.items()
        if name == prefix or name.startswith(prefix + ".")
        for imported in imported_names(name, path)
        if imported.split(".")[0] in FRAMEWORKS
        or (internal(imported) and not internal(imported).startswith(prefix))
    ]
    assert found == []


def test_no_module_is_longer_than_500_lines():
    lengths = {name: len(path.read_text().splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}
