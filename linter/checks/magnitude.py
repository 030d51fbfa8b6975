"""Kind 'magnitude': a field a power of ten away from its notes (see kinds/fields.py)."""

from .fields import OPTIONS, PLACEHOLDERS  # noqa: F401  (same options as kind 'field')
from .fields import check_magnitude as check  # noqa: F401
