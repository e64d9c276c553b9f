"""A secret the deployment may configure, or else one made once and kept in a file.

Why a file: every process of a deployment (web workers, Celery workers) must use the same value,
and a value made per process would sign sessions or key records differently in each. Kept
beside the signing keys, it never sits in the database the API, feeds and kit builds read.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def kept_secret(folder: Path, name: str, configured: str) -> str:
    """The configured value, or the one in ``folder/name`` (made on first use)."""
    if configured:
        return configured
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        # Several processes start at once: each writes its own candidate, and the first to link
        # it into place wins; the others read the winner's, so every process uses the same value
        # (a replace would let a later process overwrite a value already in use).
        tmp = folder / f"{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
