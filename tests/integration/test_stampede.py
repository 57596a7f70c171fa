"""Cache stampede: tools/stampede.cpp (built by `make build` as $DQ_BUILD/stampede) against dq.

N clients miss one key at once; with the SET NX PX claim plus a wake-up channel exactly one of
them computes, without it all N do. This file builds nothing: it skips if the binary is missing.
"""
import os
import re
import subprocess

import pytest
import redis

from dqtest import DQ_SERVER, ROOT

_build = os.environ.get("DQ_BUILD")
STAMPEDE = (os.path.join(ROOT, _build, "stampede") if _build
            else os.path.join(os.path.dirname(DQ_SERVER), "stampede"))

CLIENTS = 20
COMPUTE_MS = 50

pytestmark = pytest.mark.skipif(
    not os.access(STAMPEDE, os.X_OK),
    reason="%s not built (run `make stampede` or `make build`)" % STAMPEDE)


def run_stampede(port, *args, timeout=60):
    p = subprocess.run([STAMPEDE, "--port", str(port), *map(str, args)], capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def sections(out):
    """{'lock': {...}, 'naive': {...}}: computed per round, distinct results, notified, woken."""
    res = {}
    cur = None
    for line in out.splitlines():
        m = re.match(r"(lock|naive) mode", line)
        if m:
            cur = res.setdefault(m.group(1), {})
            continue
        if cur is None:
            continue
        if m := re.match(r"\s+computed:\s+(\d+) per round(?:.*\[([\d ]+)\])?", line):
            cur["computed"] = int(m.group(1))
            cur["per_round"] = [int(x) for x in m.group(2).split()] if m.group(2) else None
        elif m := re.match(r"\s+distinct results:\s+(\d+)", line):
            cur["distinct"] = int(m.group(1))
        elif m := re.search(r"released own lock (\d+)/(\d+)", line):
            cur["released"] = (int(m.group(1)), int(m.group(2)))
        elif m := re.match(r"\s+waiters:\s+(\d+) .*woken (\d+), wait timeouts (\d+)", line):
            cur["waiters"], cur["woken"], cur["timeouts"] = map(int, m.groups())
    return res


def check_singleflight(port, notify):
    rc, out, err = run_stampede(port, "--clients", CLIENTS, "--compute-ms", COMPUTE_MS,
                                "--notify", notify)
    assert rc == 0, "rc=%d\nstdout:\n%s\nstderr:\n%s" % (rc, out, err)
    s = sections(out)
    assert s["lock"]["computed"] == 1, out
    assert s["lock"]["distinct"] == 1, out  # every client got the holder's value
    assert s["lock"]["released"] == (1, 1), out
    assert s["lock"]["waiters"] == CLIENTS - 1, out
    assert s["naive"]["computed"] == CLIENTS, out
    assert s["naive"]["distinct"] == CLIENTS, out
    return out


def test_list_notify(server):
    check_singleflight(server.port, "list")
    # The round's keys are deleted (value, lock, waiters list, every wake list).
    assert server.client().dbsize() == 0


def test_list_notify_rounds(server):
    rc, out, err = run_stampede(server.port, "--clients", CLIENTS, "--compute-ms", 20,
                                "--rounds", 3, "--lock-only")
    assert rc == 0, out + err
    s = sections(out)
    assert "naive" not in s
    assert s["lock"]["per_round"] == [1, 1, 1], out


def test_stale_holder_detected(server):
    # The lease (30 ms) runs out mid-compute (150 ms): a waiter that times out takes the lock
    # over, so two clients compute and the tool exits 1; neither holder deletes a lock that is
    # no longer its own.
    rc, out, err = run_stampede(server.port, "--clients", 5, "--compute-ms", 150, "--lock-ms", 30,
                                "--wait-ms", 50, "--lock-only")
    assert rc == 1, out + err
    s = sections(out)
    assert s["lock"]["computed"] >= 2, out
    assert s["lock"]["timeouts"] >= 1, out
    assert "FAIL: lock mode computed != 1" in out


def _has_publish(server):
    c = server.client()
    try:
        c.publish("stampede-probe", "x")
        return True
    except redis.ResponseError:
        return False
    finally:
        c.close()


def test_pubsub_notify(server):
    if not _has_publish(server):
        pytest.skip("dq has no PUBLISH yet: pubsub wake-up mode not tested")
    check_singleflight(server.port, "pubsub")
    assert server.client().dbsize() == 0


def test_bad_option_exits_2():
    p = subprocess.run([STAMPEDE, "--notify", "carrier-pigeon"], capture_output=True, text=True)
    assert p.returncode == 2
    assert "--notify wants list or pubsub" in p.stderr


@pytest.mark.parametrize("release", ["script", "delifeq"])
def test_release_by_script_or_delifeq(server, release):
    # The holder releases with a compare-and-delete script or dq's DELIFEQ instead of
    # WATCH/MULTI: still exactly one computation, and the holder deletes its own lock.
    rc, out, err = run_stampede(server.port, "--clients", 20, "--compute-ms", 50,
                                "--release", release, "--lock-only")
    assert rc == 0, out + err
    assert "computed:            1 per round" in out
    assert "released own lock 1/1" in out
