"""Made-up photos for the demo's load run: no Django, so ``benchmarks/load.py`` imports it too."""

import io
import random

from PIL import Image


def generated_jpeg(seed, size=(640, 480)):
    """A JPEG of random coloured blocks: a different photo for every seed."""
    rng = random.Random(seed)
    small = Image.new("RGB", (16, 12))
    small.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(16 * 12)])
    out = io.BytesIO()
    small.resize(size, Image.Resampling.NEAREST).save(out, "JPEG", quality=85)
    return out.getvalue()
