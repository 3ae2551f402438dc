"""A password as PostgreSQL stores it (a SCRAM-SHA-256 verifier, RFC 5802/7677), made on
this computer: ``CREATE ROLE … PASSWORD 'SCRAM-SHA-256$…'`` then carries no plain password
that the server's statement log could keep (psql's \\password does the same)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata

ITERATIONS = 4096  # PostgreSQL's default scram_iterations


def verifier(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = os.urandom(16) if salt is None else salt
    # SASLprep, near enough for what a keyboard types: NFKC (PostgreSQL falls back to the
    # raw bytes when a password is not valid SASLprep, as ours then is the same)
    prepared = unicodedata.normalize("NFKC", password).encode("utf-8")
    salted = hashlib.pbkdf2_hmac("sha256", prepared, salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"
