"""The applicant page (GET /): placeholder until the page lands."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

STATIC = Path(__file__).parent / "static"
router = APIRouter()
