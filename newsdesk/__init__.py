"""newsdesk — media monitoring and multilingual publishing for public-information offices."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
