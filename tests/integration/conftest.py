"""Shared fixtures: start the real dq-server binary (and Debian's redis-server as the
reference) on free ports, never 6379, and hand out real clients."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from dqtest import *  # noqa: F401,F403  (fixtures: server, r, r3, redis_ref, ...)
