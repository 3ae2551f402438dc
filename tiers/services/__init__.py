"""Every write to the database: small named functions that take a Session (the caller owns
the transaction), validate, log each change, and return what changed."""

from tiers.services.errors import NotFound, ValidationError

__all__ = ["NotFound", "ValidationError"]
