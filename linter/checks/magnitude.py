"""Kind 'magnitude': a field a power of ten away from its notes (see checks/fields.py)."""

from .fields import CONSUMES, OPTIONS, PLACEHOLDERS  # noqa: F401  (the options of 'field')
from .fields import check_magnitude as check  # noqa: F401
