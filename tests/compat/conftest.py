"""Shared fixtures: start the real dq-server binary (and Debian's redis-server as the
reference) on free ports, never 6379, and hand out real clients."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import pytest  # noqa: E402

from dqtest import *  # noqa: F401,F403,E402  (fixtures: server, r, r3, redis_ref, ...)
from dqtest import both_raw  # noqa: E402


@pytest.fixture
def pair(server, redis_ref):
    """(dq, reference) raw connections on flushed servers; files needing more override it."""
    yield from both_raw(server, redis_ref)
