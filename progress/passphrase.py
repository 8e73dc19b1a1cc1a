"""The passphrase that keeps a resident's quiz history private (pure: no database, no Streamlit).

A nickname alone is not a secret: anyone who typed it saw, downloaded and added to that history.
Now the first passphrase given with a nickname claims it; the history is then read and extended only
with that passphrase. It is stored as a salted scrypt hash (``hashlib.scrypt``, the standard
library's binding of OpenSSL): a random 16-byte salt per nickname, n=2**14, r=8, p=1, 32 bytes.
The passphrase itself is never stored or shown, and it is no identifier.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "PASSPHRASE_HELP", "Hashed", "InvalidPassphrase", "derive", "hash_new",
           "matches", "passphrase_problem"]

MIN_LENGTH = 8
MAX_LENGTH = 128
#: scrypt cost: about 16 MiB and a few tens of milliseconds per check.
N, R, P, DKLEN = 2**14, 8, 1, 32

PASSPHRASE_HELP = (f"{MIN_LENGTH}-{MAX_LENGTH} characters, known only to you (not your hospital password). The first "
                   "passphrase given with a nickname claims it; your history opens only with it. It cannot be "
                   "recovered: if you forget it, choose a new nickname.")


class InvalidPassphrase(ValueError):
    """A passphrase that breaks the rules; the message says which, in plain words."""


@dataclass(frozen=True, slots=True)
class Hashed:
    """A stored passphrase: salt and derived key (hex), and the scrypt cost they were made with."""

    salt: str
    key: str
    n: int = N
    r: int = R
    p: int = P


def passphrase_problem(passphrase: str) -> str | None:
    """What is wrong with ``passphrase`` (``None`` when it is acceptable)."""
    if len(passphrase) < MIN_LENGTH:
        return f"must have at least {MIN_LENGTH} characters."
    if len(passphrase) > MAX_LENGTH:
        return f"must have at most {MAX_LENGTH} characters (got {len(passphrase)})."
    if not passphrase.strip():
        return "must not be only spaces."
    return None


def derive(passphrase: str, salt: str, n: int = N, r: int = R, p: int = P) -> str:
    """The scrypt key (hex) of ``passphrase`` with ``salt`` (hex)."""
    problem = passphrase_problem(passphrase)
    if problem is not None:
        raise InvalidPassphrase(f"Passphrase {problem}")
    key = hashlib.scrypt(passphrase.encode("utf-8"), salt=bytes.fromhex(salt), n=n, r=r, p=p, dklen=DKLEN,
                         maxmem=256 * n * r + 2**20)
    return key.hex()


def hash_new(passphrase: str) -> Hashed:
    """A new salted hash for a passphrase being chosen."""
    salt = secrets.token_hex(16)
    return Hashed(salt=salt, key=derive(passphrase, salt))


def matches(key: str, stored: str) -> bool:
    """Constant-time comparison of two derived keys (hex)."""
    return hmac.compare_digest(key.encode("ascii"), stored.encode("ascii"))
