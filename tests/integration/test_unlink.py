"""UNLINK frees big collections off the loop thread: it answers at once, where DEL of the
same value takes time proportional to its size (Redis's lazyfree)."""
import time

import pytest

from dqtest import encode_command


def fill(raw, cmd, n):
    batch = 5000
    for start in range(0, n, batch):
        if cmd == "SADD":
            args = ["m%d" % i for i in range(start, start + batch)]
        elif cmd == "ZADD":
            args = [x for i in range(start, start + batch) for x in (str(i), "m%d" % i)]
        else:
            args = [x for i in range(start, start + batch) for x in ("f%d" % i, "v")]
        raw.send(encode_command(cmd, "big", *args))
        raw.read_reply_bytes()


def timed(raw, *args):
    t = time.perf_counter()
    reply = raw.cmd(*args)
    return reply, time.perf_counter() - t


@pytest.mark.parametrize("cmd", ["SADD", "HSET", "ZADD"])
def test_unlink_big_collection_does_not_stall(raw, cmd):
    n = 300000
    fill(raw, cmd, n)
    reply, del_s = timed(raw, "DEL", "big")
    assert reply == b":1\r\n"
    fill(raw, cmd, n)
    reply, unlink_s = timed(raw, "UNLINK", "big")
    assert reply == b":1\r\n"
    assert raw.cmd("EXISTS", "big") == b":0\r\n"
    # DEL frees 300k allocations on the loop; UNLINK hands them to the thread pool.
    assert unlink_s < del_s / 3, (unlink_s, del_s)
