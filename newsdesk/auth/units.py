"""The offices newsdesk serves: the central office and the 34 provincial ones (2025 provinces).

Unit codes are short ASCII slugs of the province name (``ha-noi``, ``ho-chi-minh``,
``thai-nguyen``); the central office is ``central``. The list is derived from
:mod:`newsdesk.reference` so it follows the reference data, and seeded by migration
0003; :func:`unit_rows` is what the migration inserts.
"""

from __future__ import annotations

import re
from typing import Any

from newsdesk.reference import provinces
from newsdesk.text.fold import fold

__all__ = ["CENTRAL", "unit_code_for", "unit_rows"]

CENTRAL = "central"


def unit_code_for(province_name: str) -> str:
    """``"Hồ Chí Minh"`` → ``"ho-chi-minh"``; ``"Đắk Lắk"`` → ``"dak-lak"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(province_name)).strip("-")


def unit_rows() -> list[dict[str, Any]]:
    """The central office first, then the 34 provinces in code order."""
    rows: list[dict[str, Any]] = [
        {
            "code": CENTRAL,
            "name_vi": "Văn phòng trung ương",
            "name_en": "Central office",
            "kind": "central",
            "province_code": None,
        }
    ]
    for province in sorted(provinces("2025"), key=lambda p: int(p.code)):
        rows.append(
            {
                "code": unit_code_for(province.name),
                "name_vi": f"{province.type.capitalize()} {province.name}",
                "name_en": province.name_en,
                "kind": "province",
                "province_code": province.code,
            }
        )
    return rows
