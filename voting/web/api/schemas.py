"""Marshmallow schemas shared by API modules: they validate input and describe it in OpenAPI."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import validate


class StrictSchema(ma.Schema):
    """Unknown fields are refused, so a typo is an error, not silently ignored."""

    class Meta:
        unknown = ma.RAISE


def text(max_length: int, **kwargs) -> ma.fields.String:
    """A required, trimmed, non-empty string of at most `max_length` characters."""
    return ma.fields.String(
        required=kwargs.pop("required", True),
        validate=validate.Length(min=1, max=max_length),
        **kwargs,
    )
