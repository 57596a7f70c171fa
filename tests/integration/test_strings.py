"""The strings family against a real dq-server: every command, its options and errors, expiry
that really happens, limits, encodings, and the SET NX PX lock race.

Byte-for-byte comparisons with redis-server live in tests/compat/test_diff_strings.py; these
tests pin the exact replies dq gives on its own (and what needs time or threads)."""
import threading
import time

import pytest
import redis

from dqtest import wait_for


def err(raw_reply):
    assert raw_reply.startswith(b"-"), raw_reply
    return raw_reply[1:-2].decode()


# ---- GET / SET and options ------------------------------------------------------------------

def test_set_get_basic(r, raw):
    assert raw.cmd("SET", "k", "v") == b"+OK\r\n"
    assert raw.cmd("GET", "k") == b"$1\r\nv\r\n"
    assert raw.cmd("GET", "nokey") == b"$-1\r\n"
    assert raw.cmd("SET", "k", "") == b"+OK\r\n"
    assert raw.cmd("GET", "k") == b"$0\r\n\r\n"


def test_set_nx_xx(raw):
    raw.cmd("DEL", "k")
    assert raw.cmd("SET", "k", "v", "XX") == b"$-1\r\n"
    assert raw.cmd("SET", "k", "v", "NX") == b"+OK\r\n"
    assert raw.cmd("SET", "k", "w", "NX") == b"$-1\r\n"
    assert raw.cmd("SET", "k", "w", "xx") == b"+OK\r\n"
    assert raw.cmd("GET", "k") == b"$1\r\nw\r\n"
    assert err(raw.cmd("SET", "k", "v", "NX", "XX")) == "ERR syntax error"
    assert err(raw.cmd("SET", "k", "v", "XX", "NX")) == "ERR syntax error"


def test_set_get_option(raw):
    raw.cmd("DEL", "k")
    assert raw.cmd("SET", "k", "a", "GET") == b"$-1\r\n"
    assert raw.cmd("SET", "k", "b", "GET") == b"$1\r\na\r\n"
    # NX + GET (Redis 7): the old value comes back and nothing is set.
    assert raw.cmd("SET", "k", "c", "NX", "GET") == b"$1\r\nb\r\n"
    assert raw.cmd("GET", "k") == b"$1\r\nb\r\n"
    assert raw.cmd("SET", "n", "c", "XX", "GET") == b"$-1\r\n"
    assert raw.cmd("EXISTS", "n") == b":0\r\n"


@pytest.mark.parametrize("opts", [
    ["EX", "10", "PX", "100"], ["PX", "100", "EX", "10"], ["EX", "1", "EXAT", "1"],
    ["PXAT", "1", "EX", "1"], ["KEEPTTL", "EX", "10"], ["EX", "10", "KEEPTTL"],
    ["KEEPTTL", "PXAT", "1"], ["PERSIST"], ["EX"], ["PX"], ["EXAT"], ["PXAT"], ["FOO"],
    ["NX", "XX"], ["NX", "FOO"], ["EX", "10", "FOO"], [""],
])
def test_set_syntax_errors(raw, opts):
    assert err(raw.cmd("SET", "k", "v", *opts)) == "ERR syntax error"


@pytest.mark.parametrize("opts,msg", [
    (["EX", "0"], "ERR invalid expire time in 'set' command"),
    (["EX", "-1"], "ERR invalid expire time in 'set' command"),
    (["PX", "0"], "ERR invalid expire time in 'set' command"),
    (["EXAT", "0"], "ERR invalid expire time in 'set' command"),
    (["PXAT", "-1"], "ERR invalid expire time in 'set' command"),
    (["EX", "9223372036854775807"], "ERR invalid expire time in 'set' command"),
    (["PX", "9223372036854775807"], "ERR invalid expire time in 'set' command"),
    (["EXAT", "9223372036854776"], "ERR invalid expire time in 'set' command"),
    (["EX", "abc"], "ERR value is not an integer or out of range"),
    (["EX", "1.5"], "ERR value is not an integer or out of range"),
    (["PX", ""], "ERR value is not an integer or out of range"),
    (["EX", "99999999999999999999"], "ERR value is not an integer or out of range"),
])
def test_set_expire_errors(raw, opts, msg):
    raw.cmd("SET", "k", "old")
    assert err(raw.cmd("SET", "k", "v", *opts)) == msg
    # An error reply means nothing changed, even with GET.
    assert err(raw.cmd("SET", "k", "v", "GET", *opts)) == msg
    assert raw.cmd("GET", "k") == b"$3\r\nold\r\n"


def test_set_ttl_options(r):
    r.set("k", "v", ex=100)
    assert r.ttl("k") == 100
    r.set("k", "v", px=50000)
    assert 49000 < r.pttl("k") <= 50000
    r.set("k", "v", exat=int(time.time()) + 1000)
    assert 998 <= r.ttl("k") <= 1000
    r.set("k", "v", pxat=int(time.time() * 1000) + 1000000)
    assert 998 <= r.ttl("k") <= 1000
    r.set("k", "w", keepttl=True)
    assert 998 <= r.ttl("k") <= 1000
    assert r.get("k") == b"w"
    r.set("k", "x")  # a plain SET clears the TTL
    assert r.ttl("k") == -1
    r.set("k", "y", keepttl=True)
    assert r.ttl("k") == -1
    # Absolute times in the past: the key is gone.
    assert r.set("k", "z", exat=1)
    assert r.exists("k") == 0
    r.set("k", "z")
    assert r.set("k", "z", pxat=1)
    assert r.get("k") is None


def test_set_expiry_really_expires(r):
    r.set("short", "v", px=50)
    r.set("long", "v", ex=100)
    wait_for(lambda: r.get("short") is None, timeout=3)
    assert r.get("long") == b"v"
    r.setex("s2", 1, "v")
    r.psetex("s3", 30, "v")
    wait_for(lambda: r.exists("s3") == 0, timeout=3)
    assert r.ttl("s2") in (0, 1)


def test_set_expired_key_counts_as_absent(r):
    r.set("k", "old", px=20)
    wait_for(lambda: r.pttl("k") == -2, timeout=3)
    assert r.set("k", "new", nx=True)
    assert r.get("k") == b"new"
    r.set("x", "old", px=20)
    time.sleep(0.05)
    assert r.set("x", "v", xx=True) is None
    assert r.set("y", "v", px=20)
    time.sleep(0.05)
    assert r.set("y", "w", get=True) is None


def test_set_binary_safe(r):
    key = b"k\x00\r\n\xff"
    val = bytes(range(256)) * 4
    assert r.set(key, val)
    assert r.get(key) == val
    assert r.strlen(key) == 1024
    assert r.mget([key, b"nokey"]) == [val, None]


# ---- SETNX / SETEX / PSETEX / GETSET / GETDEL / GETEX ---------------------------------------

def test_setnx(raw):
    raw.cmd("DEL", "k")
    assert raw.cmd("SETNX", "k", "a") == b":1\r\n"
    assert raw.cmd("SETNX", "k", "b") == b":0\r\n"
    assert raw.cmd("GET", "k") == b"$1\r\na\r\n"
    assert err(raw.cmd("SETNX", "k")) == "ERR wrong number of arguments for 'setnx' command"


def test_setex_psetex(raw):
    assert raw.cmd("SETEX", "k", "100", "v") == b"+OK\r\n"
    assert raw.cmd("TTL", "k") == b":100\r\n"
    assert raw.cmd("PSETEX", "k", "100000", "w") == b"+OK\r\n"
    assert raw.cmd("TTL", "k") == b":100\r\n"
    assert raw.cmd("GET", "k") == b"$1\r\nw\r\n"
    for c, name in (("SETEX", "setex"), ("PSETEX", "psetex")):
        for bad in ("0", "-5"):
            assert err(raw.cmd(c, "k", bad, "v")) == \
                "ERR invalid expire time in '%s' command" % name
        assert err(raw.cmd(c, "k", "x", "v")) == "ERR value is not an integer or out of range"
        assert err(raw.cmd(c, "k", "9223372036854775807", "v")) == \
            "ERR invalid expire time in '%s' command" % name
    assert raw.cmd("GET", "k") == b"$1\r\nw\r\n"


def test_getset_getdel(raw):
    raw.cmd("DEL", "k")
    assert raw.cmd("GETSET", "k", "a") == b"$-1\r\n"
    assert raw.cmd("GETSET", "k", "b") == b"$1\r\na\r\n"
    raw.cmd("EXPIRE", "k", "100")
    assert raw.cmd("GETSET", "k", "c") == b"$1\r\nb\r\n"
    assert raw.cmd("TTL", "k") == b":-1\r\n"  # GETSET clears the TTL
    assert raw.cmd("GETDEL", "k") == b"$1\r\nc\r\n"
    assert raw.cmd("GETDEL", "k") == b"$-1\r\n"
    assert raw.cmd("EXISTS", "k") == b":0\r\n"


def test_getex(raw):
    raw.cmd("DEL", "k")
    assert raw.cmd("GETEX", "k") == b"$-1\r\n"
    # Redis 7: a missing key is nil before the expire value is even parsed.
    assert raw.cmd("GETEX", "k", "EX", "0") == b"$-1\r\n"
    assert raw.cmd("GETEX", "k", "EX", "abc") == b"$-1\r\n"
    assert err(raw.cmd("GETEX", "k", "FOO")) == "ERR syntax error"
    raw.cmd("SET", "k", "v")
    assert raw.cmd("GETEX", "k", "EX", "100") == b"$1\r\nv\r\n"
    assert raw.cmd("TTL", "k") == b":100\r\n"
    assert raw.cmd("GETEX", "k", "PERSIST") == b"$1\r\nv\r\n"
    assert raw.cmd("TTL", "k") == b":-1\r\n"
    assert raw.cmd("GETEX", "k", "PX", "100000") == b"$1\r\nv\r\n"
    assert raw.cmd("TTL", "k") == b":100\r\n"
    assert raw.cmd("GETEX", "k") == b"$1\r\nv\r\n"  # no option: TTL untouched
    assert raw.cmd("TTL", "k") == b":100\r\n"
    assert err(raw.cmd("GETEX", "k", "EX", "0")) == "ERR invalid expire time in 'getex' command"
    assert err(raw.cmd("GETEX", "k", "PX", "-1")) == "ERR invalid expire time in 'getex' command"
    assert err(raw.cmd("GETEX", "k", "EX", "x")) == "ERR value is not an integer or out of range"
    for bad in (["EX", "1", "PX", "1"], ["PERSIST", "EX", "1"], ["EX", "1", "PERSIST"],
                ["KEEPTTL"], ["NX"], ["XX"], ["GET"], ["EX"]):
        assert err(raw.cmd("GETEX", "k", *bad)) == "ERR syntax error", bad
    assert raw.cmd("TTL", "k") == b":100\r\n"
    assert raw.cmd("GETEX", "k", "EXAT", "1") == b"$1\r\nv\r\n"  # in the past: deleted
    assert raw.cmd("EXISTS", "k") == b":0\r\n"


# ---- MGET / MSET / MSETNX -------------------------------------------------------------------

def test_mget_mset_msetnx(raw):
    assert raw.cmd("MSET", "a", "1", "b", "2") == b"+OK\r\n"
    assert raw.cmd("MGET", "a", "b", "c") == b"*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n"
    assert err(raw.cmd("MSET", "a", "1", "b")) == "ERR wrong number of arguments for 'mset' command"
    assert err(raw.cmd("MSETNX", "a")) == "ERR wrong number of arguments for 'msetnx' command"
    assert err(raw.cmd("MSETNX", "x", "1", "y")) == \
        "ERR wrong number of arguments for 'msetnx' command"
    assert raw.cmd("MSETNX", "a", "9", "c", "3") == b":0\r\n"
    assert raw.cmd("EXISTS", "c") == b":0\r\n"
    assert raw.cmd("MSETNX", "c", "3", "d", "4") == b":1\r\n"
    assert raw.cmd("MGET", "a", "c", "d") == b"*3\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n"
    assert raw.cmd("MSET", "a", "x", "a", "y") == b"+OK\r\n"  # the last one wins
    assert raw.cmd("GET", "a") == b"$1\r\ny\r\n"


def test_mset_many_keys(r):
    pairs = {("key:%d" % i): ("val:%d" % i) for i in range(2000)}
    assert r.mset(pairs)
    vals = r.mget(list(pairs))
    assert vals == [v.encode() for v in pairs.values()]


# ---- counters -------------------------------------------------------------------------------

def test_incr_family(raw):
    raw.cmd("DEL", "n")
    assert raw.cmd("INCR", "n") == b":1\r\n"
    assert raw.cmd("INCRBY", "n", "41") == b":42\r\n"
    assert raw.cmd("DECR", "n") == b":41\r\n"
    assert raw.cmd("DECRBY", "n", "50") == b":-9\r\n"
    assert raw.cmd("GET", "n") == b"$2\r\n-9\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "n") == b"$3\r\nint\r\n"
    raw.cmd("SET", "n", "9223372036854775807")
    assert err(raw.cmd("INCR", "n")) == "ERR increment or decrement would overflow"
    raw.cmd("SET", "n", "-9223372036854775808")
    assert err(raw.cmd("DECR", "n")) == "ERR increment or decrement would overflow"
    assert err(raw.cmd("DECRBY", "n", "-9223372036854775808")) == "ERR decrement would overflow"
    assert raw.cmd("GET", "n") == b"$20\r\n-9223372036854775808\r\n"
    for bad in ("abc", " 1", "1 ", "01", "+1", "1.0", "", "-0", "18446744073709551616"):
        raw.cmd("SET", "s", bad)
        assert err(raw.cmd("INCR", "s")) == "ERR value is not an integer or out of range", bad
    assert err(raw.cmd("INCRBY", "n", "x")) == "ERR value is not an integer or out of range"


def test_incr_keeps_ttl(r):
    r.set("t", "5", ex=100)
    assert r.incr("t") == 6
    assert r.ttl("t") == 100
    r.set("u", "abc", ex=100)
    r.append("u", "")
    r.set("u", "7", keepttl=True)
    assert r.incrby("u", 3) == 10
    assert r.ttl("u") == 100


def test_incrbyfloat(raw):
    raw.cmd("DEL", "f")
    assert raw.cmd("INCRBYFLOAT", "f", "10.5") == b"$4\r\n10.5\r\n"
    assert raw.cmd("INCRBYFLOAT", "f", "0.1") == b"$4\r\n10.6\r\n"
    # 17 digits of long double precision, as Redis prints them.
    assert raw.cmd("INCRBYFLOAT", "f", "5.0e3") == b"$22\r\n5010.60000000000000009\r\n"
    assert raw.cmd("INCRBYFLOAT", "f", "-5010.6") == b"$1\r\n0\r\n"
    assert raw.cmd("INCRBYFLOAT", "f", "-0.25") == b"$5\r\n-0.25\r\n"
    raw.cmd("SET", "g", "3")
    assert raw.cmd("INCRBYFLOAT", "g", "1.5") == b"$3\r\n4.5\r\n"
    assert raw.cmd("INCRBYFLOAT", "h", "1e20") == b"$21\r\n100000000000000000000\r\n"
    assert err(raw.cmd("INCRBYFLOAT", "f", "abc")) == "ERR value is not a valid float"
    assert err(raw.cmd("INCRBYFLOAT", "f", "nan")) == "ERR value is not a valid float"
    assert err(raw.cmd("INCRBYFLOAT", "f", " 1")) == "ERR value is not a valid float"
    assert err(raw.cmd("INCRBYFLOAT", "f", "inf")) == "ERR increment would produce NaN or Infinity"
    raw.cmd("SET", "s", "x")
    assert err(raw.cmd("INCRBYFLOAT", "s", "1")) == "ERR value is not a valid float"
    raw.cmd("SET", "big", "1.1e4932")  # long double range
    assert err(raw.cmd("INCRBYFLOAT", "big", "1.1e4932")) == \
        "ERR increment would produce NaN or Infinity"


# ---- APPEND / STRLEN / GETRANGE / SETRANGE --------------------------------------------------

def test_append_strlen(raw):
    raw.cmd("DEL", "k")
    assert raw.cmd("APPEND", "k", "Hello") == b":5\r\n"
    assert raw.cmd("APPEND", "k", " World") == b":11\r\n"
    assert raw.cmd("GET", "k") == b"$11\r\nHello World\r\n"
    assert raw.cmd("STRLEN", "k") == b":11\r\n"
    assert raw.cmd("STRLEN", "nokey") == b":0\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "k") == b"$3\r\nraw\r\n"
    raw.cmd("SET", "n", "12")
    assert raw.cmd("APPEND", "n", "34") == b":4\r\n"
    assert raw.cmd("GET", "n") == b"$4\r\n1234\r\n"
    assert raw.cmd("INCR", "n") == b":1235\r\n"


def test_append_many_times(r):
    r.delete("k")
    for i in range(3000):
        r.append("k", "%04d" % i)
    v = r.get("k")
    assert len(v) == 12000
    assert v[:8] == b"00000001" and v[-4:] == b"2999"


def test_getrange(raw):
    raw.cmd("SET", "k", "This is a string")
    cases = [("0", "3", b"This"), ("-3", "-1", b"ing"), ("0", "-1", b"This is a string"),
             ("10", "100", b"string"), ("5", "3", b""), ("-1", "-5", b""), ("100", "200", b""),
             ("-100", "3", b"This")]
    for s, e, want in cases:
        assert raw.cmd("GETRANGE", "k", s, e) == b"$%d\r\n%s\r\n" % (len(want), want), (s, e)
        assert raw.cmd("SUBSTR", "k", s, e) == b"$%d\r\n%s\r\n" % (len(want), want), (s, e)
    assert raw.cmd("GETRANGE", "nokey", "0", "-1") == b"$0\r\n\r\n"
    assert err(raw.cmd("GETRANGE", "k", "a", "1")) == "ERR value is not an integer or out of range"
    raw.cmd("SET", "n", "12345")
    assert raw.cmd("GETRANGE", "n", "1", "3") == b"$3\r\n234\r\n"


def test_setrange(raw):
    raw.cmd("DEL", "k")
    assert raw.cmd("SETRANGE", "k", "6", "Redis") == b":11\r\n"
    assert raw.cmd("GET", "k") == b"$11\r\n\x00\x00\x00\x00\x00\x00Redis\r\n"
    assert raw.cmd("SETRANGE", "k", "0", "Hello") == b":11\r\n"
    assert raw.cmd("GET", "k") == b"$11\r\nHello\x00Redis\r\n"
    assert raw.cmd("SETRANGE", "k", "100", "") == b":11\r\n"
    assert raw.cmd("SETRANGE", "nokey", "5", "") == b":0\r\n"
    assert raw.cmd("EXISTS", "nokey") == b":0\r\n"
    assert err(raw.cmd("SETRANGE", "k", "-1", "x")) == "ERR offset is out of range"
    assert err(raw.cmd("SETRANGE", "k", "x", "x")) == "ERR value is not an integer or out of range"
    assert err(raw.cmd("SETRANGE", "k", "536870911", "xy")) == \
        "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
    raw.cmd("SET", "n", "12345")
    assert raw.cmd("SETRANGE", "n", "1", "9") == b":5\r\n"
    assert raw.cmd("GET", "n") == b"$5\r\n19345\r\n"


def test_string_size_limit_follows_proto_max_bulk_len(start_server):
    s = start_server(proto_max_bulk_len="1mb")
    c = s.raw()
    assert c.cmd("SETRANGE", "k", str(1024 * 1024 - 1), "x") == b":1048576\r\n"
    assert err(c.cmd("APPEND", "k", "y")) == \
        "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
    assert err(c.cmd("SETRANGE", "k", str(1024 * 1024), "x")) == \
        "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
    assert c.cmd("STRLEN", "k") == b":1048576\r\n"
    c.close()


# ---- LCS ------------------------------------------------------------------------------------

def test_lcs(raw):
    raw.cmd("MSET", "a", "ohmytext", "b", "mynewtext")
    assert raw.cmd("LCS", "a", "b") == b"$6\r\nmytext\r\n"
    assert raw.cmd("LCS", "a", "b", "LEN") == b":6\r\n"
    assert raw.cmd("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN") == (
        b"*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
        b"$3\r\nlen\r\n:6\r\n")
    assert raw.cmd("LCS", "a", "b", "IDX") == (
        b"*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
        b"*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n")
    assert err(raw.cmd("LCS", "a", "b", "LEN", "IDX")) == \
        "ERR If you want both the length and indexes, please just use IDX."
    assert err(raw.cmd("LCS", "a", "b", "FOO")) == "ERR syntax error"
    assert err(raw.cmd("LCS", "a", "b", "MINMATCHLEN")) == "ERR syntax error"
    assert raw.cmd("LCS", "a", "nokey") == b"$0\r\n\r\n"


def test_lcs_resp3_map(server):
    c = server.raw()
    c.cmd("HELLO", "3")
    c.cmd("MSET", "a", "ohmytext", "b", "mynewtext")
    assert c.cmd("LCS", "a", "b", "IDX", "MINMATCHLEN", "4") == (
        b"%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
        b"$3\r\nlen\r\n:6\r\n")
    c.close()


def test_lcs_memory_limit(start_server):
    s = start_server(proto_max_bulk_len="1mb")
    c = s.raw()
    c.cmd("SET", "a", "x" * 1000)
    c.cmd("SET", "b", "y" * 1000)
    assert err(c.cmd("LCS", "a", "b")) == \
        "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
    c.cmd("SET", "b", "y" * 100)
    assert c.cmd("LCS", "a", "b", "LEN") == b":0\r\n"
    c.close()


def test_wrong_arity(raw):
    for cmd in (["GET"], ["SET", "k"], ["SETNX", "k"], ["SETEX", "k", "1"], ["PSETEX", "k"],
                ["GETSET", "k"], ["GETDEL"], ["GETEX"], ["MGET"], ["MSET", "k"], ["MSETNX", "k"],
                ["INCR"], ["DECR"], ["INCRBY", "k"], ["DECRBY", "k"], ["INCRBYFLOAT", "k"],
                ["APPEND", "k"], ["STRLEN"], ["GETRANGE", "k", "0"], ["SUBSTR", "k"],
                ["SETRANGE", "k", "0"], ["LCS", "a"]):
        assert err(raw.cmd(*cmd)) == \
            "ERR wrong number of arguments for '%s' command" % cmd[0].lower(), cmd


# ---- the lock race --------------------------------------------------------------------------

def test_set_nx_px_lock_race(server):
    """50 connections race SET lock token NX PX 10000 on one key, 100 rounds: exactly one wins
    each round (the single loop thread makes the check-and-set atomic)."""
    n_clients, rounds = 50, 100
    clients = [server.client() for _ in range(n_clients)]
    admin = server.client()
    admin.delete("lock")
    barrier = threading.Barrier(n_clients + 1)
    wins = [[None] * n_clients for _ in range(rounds)]
    errors = []

    def worker(i):
        c = clients[i]
        try:
            for rnd in range(rounds):
                barrier.wait(timeout=30)
                wins[rnd][i] = c.set("lock", "token-%d" % i, nx=True, px=10000)
                barrier.wait(timeout=30)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
            barrier.abort()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_clients)]
    for t in threads:
        t.start()
    owners = []
    try:
        for rnd in range(rounds):
            barrier.wait(timeout=30)  # start the round
            barrier.wait(timeout=30)  # everyone has answered
            owners.append(admin.get("lock"))
            admin.delete("lock")
    except threading.BrokenBarrierError:
        pass
    for t in threads:
        t.join(30)
    for c in clients:
        c.close()
    assert not errors, errors
    for rnd in range(rounds):
        oks = [i for i, w in enumerate(wins[rnd]) if w is True]
        assert len(oks) == 1, "round %d: %d winners" % (rnd, len(oks))
        assert all(w is None for w in wins[rnd] if w is not True)
        assert owners[rnd] == ("token-%d" % oks[0]).encode()
