"""A pytest plugin for a run in which django-anymail cannot be imported at all.

``python -m pytest -p tests.block_anymail --ds=tests.settings_without_anymail ...``:
any import of ``anymail`` fails, as on a site that never installed the mailin extra.
"""

import sys


class _RefuseAnymail:
    def find_spec(self, name, path=None, target=None):
        if name == "anymail" or name.startswith("anymail."):
            raise ImportError(f"{name} may not be imported in this run")
        return None


sys.meta_path.insert(0, _RefuseAnymail())
