"""SLOWLOG GET / LEN / RESET / HELP against dq and redis-server side by side: which commands
are logged (top level, inside EXEC, a script's redis.call; not EXEC itself), argument
truncation and redaction, the ring's length, errors."""
import pytest

from dqtest import RawClient, encode_command


@pytest.fixture(params=["dq", "redis"])
def conn(request, server, redis_ref):
    srv = server if request.param == "dq" else redis_ref
    c = RawClient(srv.port)
    c.cmd("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "128")
    c.cmd("SLOWLOG", "RESET")
    yield c
    c.cmd("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128")
    c.close()


def parse(c, data):
    """Reads one reply from c's buffer as nested Python values (ints, bytes, lists)."""
    line = c._line()
    t, rest = line[:1], line[1:]
    if t == b":":
        return int(rest)
    if t in (b"+", b"-"):
        return rest
    if t == b"$":
        n = int(rest)
        if n < 0:
            return None
        while len(c.buf) < n + 2:
            c._fill()
        v, c.buf = c.buf[:n], c.buf[n + 2:]
        return v
    if t == b"*":
        return [parse(c, data) for _ in range(int(rest))]
    raise AssertionError(line)


def slowlog(c, *args):
    c.send(encode_command("SLOWLOG", "GET", *args))
    return parse(c, None)


def test_entries(conn):
    c = conn
    addr = [f for f in c.cmd("CLIENT", "INFO").split(b" ") if f.startswith(b"addr=")][0][5:]
    c.cmd("CLIENT", "SETNAME", "slowpoke")
    c.cmd("SET", "k", "v" * 200)
    c.cmd("RPUSH", "l", *[str(i) for i in range(40)])
    c.cmd("AUTH", "nobody", "secret")
    c.cmd("HELLO", "2", "AUTH", "default", "wrong")
    c.cmd("EVAL", "redis.call('SET', 'x', '1') return 1", "0")
    c.send(encode_command("MULTI") + encode_command("INCR", "n") + encode_command("EXEC"))
    for _ in range(3):
        c.read_reply_bytes()
    entries = slowlog(c, "-1")
    got = [(e[3], e[4], e[5]) for e in entries]
    assert all(isinstance(e[0], int) and e[1] > 1_600_000_000 and e[2] >= 0 for e in entries)
    assert [e[0] for e in entries] == sorted((e[0] for e in entries), reverse=True)
    assert got[:8] == [
        ([b"INCR", b"n"], addr, b"slowpoke"),  # inside EXEC; EXEC itself is skip_slowlog
        ([b"MULTI"], addr, b"slowpoke"),
        ([b"EVAL", b"redis.call('SET', 'x', '1') return 1", b"0"], addr, b"slowpoke"),
        ([b"SET", b"x", b"1"], b"?:0", b""),  # the script's call, from Redis's Lua client
        ([b"HELLO", b"2", b"AUTH", b"(redacted)", b"(redacted)"], addr, b"slowpoke"),
        ([b"AUTH", b"(redacted)", b"(redacted)"], addr, b"slowpoke"),
        ([b"RPUSH", b"l"] + [str(i).encode() for i in range(29)] + [b"... (11 more arguments)"],
         addr, b"slowpoke"),
        ([b"SET", b"k", b"v" * 128 + b"... (72 more bytes)"], addr, b"slowpoke"),
    ]


def test_len_reset_max_len_and_errors(conn):
    c = conn
    for i in range(5):
        c.cmd("SET", "k%d" % i, "v")
    assert c.cmd("SLOWLOG", "LEN") == b":6\r\n"  # the fixture's RESET (logged after it ran), 5 SETs
    assert len(slowlog(c, "2")) == 2
    assert c.cmd("CONFIG", "SET", "slowlog-max-len", "3") == b"+OK\r\n"
    c.cmd("PING")
    assert c.cmd("SLOWLOG", "LEN") == b":3\r\n"
    assert slowlog(c, "0") == []
    for bad in ("-2", "abc"):
        assert c.cmd("SLOWLOG", "GET", bad) == (
            b"-ERR count should be greater than or equal to -1\r\n")
    assert c.cmd("SLOWLOG", "RESET") == b"+OK\r\n"
    assert c.cmd("SLOWLOG", "LEN") == b":1\r\n"  # the RESET itself is logged after it ran
    assert c.cmd("SLOWLOG", "HELP").startswith(
        b"*12\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
    assert c.cmd("CONFIG", "SET", "slowlog-log-slower-than", "-1") == b"+OK\r\n"
    c.cmd("SLOWLOG", "RESET")
    c.cmd("SET", "a", "b")
    assert c.cmd("SLOWLOG", "LEN") == b":0\r\n"
