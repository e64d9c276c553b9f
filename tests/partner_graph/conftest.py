"""The partner-graph tests build their ecosystem through the admin-only create mutations, so they
act as an admin client holding a real token from the token endpoint. What anonymous callers may
read of the partner graph is tested in test_public_reads.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def client(authorised: Callable[..., FlaskClient]) -> FlaskClient:
    return authorised(["admin"])
