"""Redis 7.2 freezes the clock for a whole script or transaction (redis/redis#10300): every
command a script calls or EXEC runs sees the EVAL's / EXEC's time. A key does not expire
midway, PTTL counts from that time, XADD * reuses its millisecond; TIME stays real. Key expiry
inside scripts is frozen in 7.0 too, so that part is also compared with redis-server."""
import pytest

from dqtest import RawClient, encode_command

# Waits `ms` of real time inside a script (TIME is not frozen).
WAIT = ("local t0 = redis.call('TIME') local s0 = t0[1] * 1000 + t0[2] / 1000 "
        "repeat local n = redis.call('TIME') until n[1] * 1000 + n[2] / 1000 - s0 > %d ")


def test_script_sees_its_start_time(raw):
    script = ("redis.call('SET', 'k', 'v', 'PX', 50) " + WAIT % 100 +
              "local a = redis.call('XADD', 's', '*', 'f', 'v') " + WAIT % 20 +
              "local b = redis.call('XADD', 's', '*', 'f', 'v') "
              "return {redis.call('GET', 'k'), redis.call('PTTL', 'k'), a, b}")
    reply = raw.cmd("EVAL", script, "0")
    parts = reply.split(b"\r\n")
    assert parts[:5] == [b"*4", b"$1", b"v", b":50", parts[4]]
    a, b = parts[5], parts[7]
    ms = a.split(b"-")[0]
    assert a == ms + b"-0" and b == ms + b"-1"  # the same frozen millisecond
    assert raw.cmd("GET", "k") == b"$-1\r\n"  # after the script, real time again


def test_transaction_sees_exec_time(raw):
    cmds = [("MULTI",), ("SET", "k", "v", "PX", "50"), ("DEBUG", "SLEEP", "0.1"), ("GET", "k"),
            ("PTTL", "k"), ("XADD", "s", "*", "f", "v"), ("DEBUG", "SLEEP", "0.02"),
            ("XADD", "s", "*", "f", "v"), ("EXEC",)]
    raw.send(b"".join(encode_command(*c) for c in cmds))
    for _ in cmds[:-1]:
        assert raw.read_reply_bytes() in (b"+OK\r\n", b"+QUEUED\r\n")
    reply = raw.read_reply_bytes().split(b"\r\n")
    assert reply[:7] == [b"*7", b"+OK", b"+OK", b"$1", b"v", b":50", reply[6]]
    a, b = reply[7], reply[10]
    ms = a.split(b"-")[0]
    assert a == ms + b"-0" and b == ms + b"-1"
    assert raw.cmd("GET", "k") == b"$-1\r\n"


def test_time_command_is_not_frozen(raw):
    reply = raw.cmd("EVAL", "local a = redis.call('TIME') " + WAIT % 30 +
                    "local b = redis.call('TIME') return (b[1] - a[1]) * 1000000 + b[2] - a[2]",
                    "0")
    assert reply.startswith(b":") and int(reply[1:-2]) >= 30000


@pytest.mark.parametrize("which", ["dq", "redis"])
def test_key_does_not_expire_during_script_as_redis(which, server, redis_ref):
    port = server.port if which == "dq" else redis_ref.port
    c = RawClient(port)
    try:
        script = ("redis.call('SET', 'fk', 'v', 'PX', 30) " + WAIT % 60 +
                  "return {redis.call('GET', 'fk'), redis.call('EXISTS', 'fk')}")
        assert c.cmd("EVAL", script, "0") == b"*2\r\n$1\r\nv\r\n:1\r\n"
        assert c.cmd("EXISTS", "fk") == b":0\r\n"
    finally:
        c.close()
