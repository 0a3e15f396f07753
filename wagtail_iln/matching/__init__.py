"""Matching: the pure engine (:mod:`wagtail_iln.matching.engine`) and the admin workflow.

Importing this package imports the engine only, never Django: the workflow's
modules (``runs``, ``views``, ``actions``, ...) are imported by the app's hooks
and URLs.
"""

# The engine's names (match, Person, Rules, ...), importable from here as from the engine.
from .engine import *  # noqa: F403
from .engine import __all__  # noqa: F401
