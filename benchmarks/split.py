"""The validation split of the dev corpus (issue 10): a quarter nobody tunes on.

A row is in the validation quarter when sha256("val-v2:" + Model) % 4 == 0 (the Model
cell exactly as in the CSV).  Fix classes of misreading found in the other three
quarters; use this quarter, and the model cards, only to measure.

Data: Epoch AI, epoch.ai, CC BY 4.0.
"""

from __future__ import annotations

import hashlib


def is_validation(model: str) -> bool:
    """Whether an entry (by its Model cell) is in the validation quarter."""
    return int(hashlib.sha256(("val-v2:" + model).encode("utf-8")).hexdigest(), 16) % 4 == 0
