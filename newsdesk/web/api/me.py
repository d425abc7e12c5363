"""The caller: who they are, their API tokens and saved queries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from newsdesk.web.deps import Reader, Ws

__all__ = ["router"]

router = APIRouter(prefix="/me", tags=["me"])


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class SavedQueryCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    query: str = ""
    filters: dict[str, Any] = Field(default_factory=dict)


@router.get("")
def me(user: Reader, ws: Ws) -> dict[str, Any]:
    return user.as_dict() | {"unit_name": ws.accounts.unit(user.unit_code)}


@router.get("/tokens")
def tokens(user: Reader, ws: Ws) -> list[dict[str, Any]]:
    return ws.accounts.list_tokens(user)


@router.post("/tokens", status_code=201)
def create_token(user: Reader, ws: Ws, body: TokenCreate) -> dict[str, Any]:
    """A new token; ``token`` is in this answer only, never again."""
    token, entry = ws.accounts.create_token(user, body.name)
    return entry | {"token": token}


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(user: Reader, ws: Ws, token_id: int) -> None:
    ws.accounts.revoke_token(user, token_id)


@router.get("/saved-queries")
def saved_queries(user: Reader, ws: Ws) -> list[dict[str, Any]]:
    return ws.accounts.saved_queries(user)


@router.post("/saved-queries", status_code=201)
def save_query(user: Reader, ws: Ws, body: SavedQueryCreate) -> dict[str, Any]:
    return ws.accounts.save_query(user, body.name, body.query, body.filters)


@router.delete("/saved-queries/{query_id}", status_code=204)
def delete_saved_query(user: Reader, ws: Ws, query_id: int) -> None:
    ws.accounts.delete_saved_query(user, query_id)
