"""A pytest plugin for a run in which some optional packages cannot be imported at all.

``ILN_BLOCKED_IMPORTS=allauth python -m pytest -p tests.block_imports --ds=... ...``:
any import of a package named there (comma-separated) fails, as on a site that never
installed the extra that brings it (see ``tests.helpers.run_without``).
"""

import os
import sys

BLOCKED = {name for name in os.environ.get("ILN_BLOCKED_IMPORTS", "").split(",") if name}


class _RefuseBlocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} may not be imported in this run")
        return None


sys.meta_path.insert(0, _RefuseBlocked())
