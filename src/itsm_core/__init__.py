"""itsm_core: typed, pure-Python IT service management."""

from itsm_core.errors import ItsmError

__version__ = "0.1.0.dev0"

__all__ = ["ItsmError", "__version__"]
