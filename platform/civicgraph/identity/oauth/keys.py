"""Signing keys for access tokens, kept as private JWK files under ``CIVICGRAPH_KEYS_DIR``.

Why files and not the graph: the private key never sits in the database that GraphQL, kit builds
and partner feeds read, and a deployment can mount the folder from its secret store. Every web
process reads the same folder; the newest key signs, and every key in the folder is published in
the JWKS, so tokens signed before a rotation stay valid until they expire. ``civicgraph keys
rotate`` adds a key and removes keys retired for longer than the longest token lifetime.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from joserfc.jwk import KeySet, RSAKey

from civicgraph.core.kept_secret import kept_secret

ALG = "RS256"
MAX_TOKEN_SECONDS = 60 * 60  # the longest access-token lifetime Settings allows


class KeyRing:
    """The keys in one folder, re-read whenever the folder changes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._keys: list[RSAKey] = []

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("*.jwk.json"))

    def _folder_stamp(self) -> tuple[int, int] | None:
        """The folder's modification time and inode: a key added, removed or renamed into
        place changes the time, a folder mounted anew the inode."""
        try:
            stat = os.stat(self.folder)
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_ino)

    def _load(self) -> list[RSAKey]:
        # Every authenticated request verifies against these keys: when the folder has not
        # changed, one stat answers (listing it and creating it on every request was a
        # twentieth of the gateway's CPU for a small authenticated read).
        keys = self._keys
        if keys and self._stamp is not None and self._folder_stamp() == self._stamp:
            return keys
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = self._folder_stamp()
            if stamp != self._stamp or not self._keys:
                keys = [RSAKey.import_key(json.loads(f.read_text())) for f in self._files()]
                if not keys:
                    keys = [self._write_new()]
                    stamp = None  # the next call reads the folder as it is after the write
                self._keys = keys
                self._stamp = stamp
            return self._keys

    def _write_new(self) -> RSAKey:
        # Names sort by creation time, so the newest key is the last file.
        now = time.time()
        kid = (time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f"{int(now % 1 * 1e6):06d}Z-"
               + secrets.token_hex(4))
        key = RSAKey.generate_key(2048, parameters={"kid": kid, "alg": ALG, "use": "sig"})
        path = self.folder / f"{kid}.jwk.json"
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(key.as_dict(private=True), out)
        os.replace(tmp, path)
        return key

    def signing_key(self) -> RSAKey:
        return self._load()[-1]

    def verification_keys(self) -> KeySet:
        return KeySet(list(self._load()))

    def current(self) -> list[RSAKey]:
        """The keys as loaded: the same list object until the folder changes, so a caller can
        tell that what it verified against them still holds."""
        return self._load()

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.as_dict(private=False) for k in self._load()]}

    def rotate(self, now: float | None = None) -> tuple[str, list[str]]:
        """Add a signing key; drop keys retired longer ago than any token can live."""
        self._load()
        with self._lock:
            new = self._write_new()
            removed: list[str] = []
            files = self._files()
            current = time.time() if now is None else now
            # A key retired when its successor appeared; it verifies tokens until those expire.
            for older, successor in itertools.pairwise(files):
                if current - successor.stat().st_mtime > MAX_TOKEN_SECONDS + 300:
                    older.unlink()
                    removed.append(older.name.split(".")[0])
            self._stamp = None
        return str(new.kid), removed


def session_secret(folder: Path, configured: str) -> str:
    """The Flask session key (login form CSRF): configured, or one kept beside the JWKs."""
    return kept_secret(folder, "session.secret", configured)
