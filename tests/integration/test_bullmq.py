"""BullMQ (npm, unmodified; versions pinned in tests/clients/bullmq/package-lock.json) against dq
(issue 6).

tests/clients/bullmq/run.mjs runs a Queue, a Worker and QueueEvents: jobs with results and
progress, a job that fails twice and then succeeds (attempts + fixed backoff), one that fails
every attempt (exponential backoff), a delayed job, counters and events; then on a second queue
priorities, a parent/children flow, job logs, a manual retry, pause/resume, removeOnComplete,
deduplication, a job scheduler, getJobs and clean; a rate-limited worker (~45 checks, ~3 s).
BullMQ reads redis_version and maxmemory_policy from INFO, speaks RESP3 (ioredis 6 sends
HELLO 3), runs its Lua scripts (cjson, cmsgpack, keys built at run time) and writes an event
stream in nearly every one of them (XADD ... MAXLEN ~ 10000, XTRIM, read back by QueueEvents
with XREAD BLOCK): the run skips until dq has streams and cmsgpack.

`make test` installs the packages (npm ci, only when node_modules is missing or stale).
msgpackr-extract is overridden to 3.0.4: 3.0.7's per-platform builds are not all on the
registry, which breaks `npm ci` on the lock file. The test skips only when node is absent.

DQ_CLIENTS_AGAINST=redis runs it against Debian's redis-server."""
import os
import shutil
import subprocess

import pytest

from dqclients import CLIENTS_DIR, client_server, lua_lacks, server_lacks

BULLMQ_DIR = os.path.join(CLIENTS_DIR, "bullmq")
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def target():
    s = client_server()
    yield s
    if not s.alive():
        raise AssertionError("server died during the BullMQ run:\n" + s.log_text())
    s.stop()


def test_info_fields_bullmq_reads(target):
    # BullMQ parses INFO for redis_version (>= 5.0.0, else it refuses to start) and warns
    # unless maxmemory_policy is noeviction.
    c = target.client()
    info = c.info()
    assert tuple(int(x) for x in info["redis_version"].split(".")) >= (5, 0, 0)
    assert info["maxmemory_policy"] == "noeviction"
    c.close()


def test_bullmq_queue_worker_events(target):
    if NODE is None:
        pytest.skip("node is not installed: the BullMQ client test cannot run")
    assert os.path.isdir(os.path.join(BULLMQ_DIR, "node_modules", "bullmq")), (
        "BullMQ is not installed: run `make clients` (npm ci --prefix tests/clients/bullmq)")
    c = target.client()
    missing = server_lacks(target.port, "xadd", "xread", "xtrim") + lua_lacks(c, "cmsgpack")
    c.close()
    if missing:
        pytest.skip("BullMQ needs streams and Lua cmsgpack, not implemented yet: missing %s"
                    % ", ".join(missing))
    p = subprocess.run([NODE, "run.mjs", str(target.port)], cwd=BULLMQ_DIR,
                       capture_output=True, text=True, timeout=40)
    out = p.stdout + p.stderr
    assert p.returncode == 0, out[-8000:]
    assert "BULLMQ PASS" in out, out[-8000:]
    assert "FAIL" not in out, out[-8000:]
