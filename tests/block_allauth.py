"""A pytest plugin for a run in which django-allauth cannot be imported at all.

``python -m pytest -p tests.block_allauth --ds=tests.settings_without_allauth ...``:
any import of ``allauth`` fails, as on a site that never installed it.
"""

import sys


class _RefuseAllauth:
    def find_spec(self, name, path=None, target=None):
        if name == "allauth" or name.startswith("allauth."):
            raise ImportError(f"{name} may not be imported in this run")
        return None


sys.meta_path.insert(0, _RefuseAllauth())
