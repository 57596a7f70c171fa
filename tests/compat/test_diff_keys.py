"""Differential tests for the generic keyspace family: the same command streams go to dq and
to redis-server, and the raw reply bytes must be equal. Streams avoid timing-dependent values
(exact TTLs, idle times) and unordered replies are compared after sorting."""
import random

import pytest

from dqtest import RawClient


def same(pair, *cmd):
    a, b = pair
    ra, rb = a.cmd(*cmd), b.cmd(*cmd)
    assert ra == rb, "%r: dq %r != redis %r" % (cmd, ra, rb)
    return ra


# Command streams whose replies are fully deterministic.
STREAMS = [
    # DEL / UNLINK / EXISTS / TYPE / TOUCH
    [("SET", "a", "1"), ("SET", "b", "x"), ("DEL", "a", "b", "c", "a"), ("EXISTS", "a", "b"),
     ("SET", "a", "1"), ("EXISTS", "a", "a", "zz"), ("UNLINK", "a", "zz"), ("TYPE", "a"),
     ("SET", "s", "v"), ("TYPE", "s"), ("TOUCH", "s", "s", "nokey"), ("DEL",), ("EXISTS",),
     ("TYPE",), ("TYPE", "a", "b"), ("UNLINK",), ("TOUCH",)],
    # RENAME / RENAMENX
    [("RENAME", "nokey", "x"), ("RENAME", "nokey", "nokey"), ("RENAMENX", "nokey", "nokey"),
     ("SET", "a", "1"), ("RENAME", "a", "a"), ("RENAMENX", "a", "a"), ("RENAME", "a", "b"),
     ("GET", "a"), ("GET", "b"), ("SET", "c", "3"), ("RENAMENX", "b", "c"),
     ("RENAMENX", "b", "d"), ("GET", "d"), ("RENAME", "d", "c"), ("GET", "c"),
     ("SET", "e", "hello world this is a long value"), ("PEXPIREAT", "e", "99999999999999"),
     ("RENAME", "e", "f"), ("PEXPIRETIME", "f"), ("EXISTS", "e"), ("RENAME", "a"),
     ("RENAME", "a", "b", "c")],
    # COPY
    [("SET", "a", "123"), ("COPY", "a", "a"), ("COPY", "a", "b"), ("GET", "b"),
     ("COPY", "a", "b"), ("SET", "a", "456"), ("COPY", "a", "b", "REPLACE"), ("GET", "b"),
     ("COPY", "a", "a", "DB", "1"), ("COPY", "a", "a", "db", "0"), ("COPY", "nokey", "z"),
     ("COPY", "a", "b", "DB"), ("COPY", "a", "b", "DB", "x"), ("COPY", "a", "b", "DB", "-1"),
     ("COPY", "a", "b", "DB", "16"), ("COPY", "a", "b", "DB", "99999999999"),
     ("COPY", "a", "b", "foo"), ("COPY", "a", "b", "REPLACE", "REPLACE"),
     ("SELECT", "1"), ("GET", "a"), ("SELECT", "0"), ("PEXPIREAT", "a", "99999999999999"),
     ("COPY", "a", "c"), ("PEXPIRETIME", "c"), ("OBJECT", "ENCODING", "c"), ("COPY", "a")],
    # MOVE
    [("SET", "a", "v"), ("MOVE", "a", "0"), ("MOVE", "a", "16"), ("MOVE", "a", "-1"),
     ("MOVE", "a", "x"), ("MOVE", "a", "99999999999"), ("MOVE", "nokey", "1"), ("MOVE", "a", "1"),
     ("EXISTS", "a"), ("SELECT", "1"), ("GET", "a"), ("SET", "b", "1"), ("SELECT", "0"),
     ("SET", "b", "2"), ("MOVE", "b", "1"), ("GET", "b"), ("SELECT", "1"), ("GET", "b"),
     ("SELECT", "0"), ("MOVE", "a")],
    # KEYS / DBSIZE / RANDOMKEY / FLUSHDB / FLUSHALL
    [("RANDOMKEY",), ("KEYS", "*"), ("DBSIZE",), ("SET", "only", "1"), ("RANDOMKEY",),
     ("KEYS", "*"), ("KEYS", "o*"), ("KEYS", "x*"), ("KEYS", "[o]nl?"), ("KEYS", "["),
     ("KEYS", "*[^a]"), ("DBSIZE",), ("DBSIZE", "x"), ("FLUSHDB", "x"), ("FLUSHDB", "async", "sync"),
     ("FLUSHALL", "x"), ("FLUSHALL", "SYNC", "SYNC"), ("FLUSHDB", "SYNC"), ("DBSIZE",),
     ("SET", "a", "1"), ("SELECT", "2"), ("SET", "a", "1"), ("FLUSHDB", "ASYNC"), ("DBSIZE",),
     ("SELECT", "0"), ("DBSIZE",), ("FLUSHALL", "async"), ("DBSIZE",), ("FLUSHALL",),
     ("KEYS",), ("RANDOMKEY", "x")],
    # SWAPDB
    [("SET", "a", "0"), ("SELECT", "1"), ("SET", "b", "1"), ("SELECT", "0"),
     ("SWAPDB", "0", "1"), ("GET", "a"), ("GET", "b"), ("SWAPDB", "0", "0"), ("GET", "b"),
     ("SWAPDB", "x", "0"), ("SWAPDB", "0", "x"), ("SWAPDB", "x", "y"), ("SWAPDB", "0", "16"),
     ("SWAPDB", "-1", "0"), ("SWAPDB", "0", "99999999999"), ("SWAPDB", "0"), ("SWAPDB", "1", "0"),
     ("GET", "a")],
    # SCAN errors and small complete scans
    [("SCAN", "x"), ("SCAN", " 1"), ("SCAN", "1 "), ("SCAN", "18446744073709551616"),
     ("SCAN", "0", "COUNT", "0"), ("SCAN", "0", "COUNT", "-1"), ("SCAN", "0", "COUNT", "x"),
     ("SCAN", "0", "MATCH"), ("SCAN", "0", "foo", "bar"), ("SCAN", "x", "COUNT", "0"),
     ("SCAN", "0"), ("SCAN", "0", "TYPE", "string"), ("SCAN",), ("SCAN", "-1"),
     ("SCAN", "18446744073709551615"), ("SCAN", ""), ("SCAN", "+0")],
    # EXPIRE family: options, errors, past times
    [("SET", "k", "v"), ("EXPIRE", "k", "x"), ("EXPIRE", "k", "10", "NX", "XX"),
     ("EXPIRE", "k", "10", "GT", "LT"), ("EXPIRE", "k", "10", "NX", "GT"),
     ("EXPIRE", "k", "10", "NX", "LT"), ("EXPIRE", "k", "10", "XX", "GT", "LT"),
     ("EXPIRE", "k", "10", "foo"), ("EXPIRE", "k", "10", "nx", "bar"),
     ("EXPIRE", "k", "x", "NX", "XX"), ("EXPIRE", "k", "9223372036854775807"),
     ("EXPIRE", "k", "9223372036854775"), ("EXPIRE", "k", "-9223372036854775"),
     ("EXPIRE", "k", "-9223372036854776"), ("PEXPIRE", "k", "9223372036854775807"),
     ("EXPIREAT", "k", "9223372036854775807"), ("EXPIREAT", "k", "9223372036854775"),
     ("EXPIRE", "nokey", "9223372036854775807"), ("EXPIRE", "nokey", "10"),
     ("TTL", "k"), ("PTTL", "k"), ("EXPIRETIME", "k"), ("PEXPIRETIME", "k"),
     ("TTL", "nokey"), ("PTTL", "nokey"), ("EXPIRETIME", "nokey"), ("PEXPIRETIME", "nokey"),
     ("EXPIRE", "k", "100", "GT"), ("EXPIRE", "k", "100", "XX"), ("EXPIRE", "k", "100", "LT"),
     ("PERSIST", "k"), ("EXPIRE", "k", "100", "NX"), ("EXPIRE", "k", "100", "NX"),
     ("EXPIRE", "k", "50", "GT"), ("EXPIRE", "k", "200", "GT"), ("EXPIRE", "k", "300", "LT"),
     ("EXPIRE", "k", "20", "LT"), ("EXPIRE", "k", "20", "XX"), ("PERSIST", "k"),
     ("PERSIST", "k"), ("PERSIST", "nokey"), ("TTL", "k"),
     ("PEXPIREAT", "k", "9223372036854775807"), ("PEXPIRETIME", "k"), ("EXPIRETIME", "k"),
     ("EXPIREAT", "k", "4102444800"), ("EXPIRETIME", "k"), ("PEXPIRETIME", "k"),
     ("EXPIRE", "k", "-1"), ("EXISTS", "k"), ("SET", "k", "v"), ("PEXPIRE", "k", "0"),
     ("EXISTS", "k"), ("SET", "k", "v"), ("EXPIREAT", "k", "1"), ("EXISTS", "k"),
     ("SET", "k", "v"), ("PEXPIREAT", "k", "100", "NX"), ("EXISTS", "k"),
     ("SET", "k", "v"), ("EXPIRE", "k", "-5", "GT"), ("EXPIRE", "k", "-5", "LT"), ("EXISTS", "k"),
     ("EXPIRE", "k"), ("TTL",), ("PERSIST", "a", "b"), ("PEXPIRE", "k", "1.5")],
    # OBJECT
    [("SET", "i", "9999"), ("SET", "j", "10000"), ("SET", "m", "-1"),
     ("SET", "e", "x" * 44), ("SET", "r", "x" * 45), ("SET", "big", "12345678901234567890"),
     ("SET", "z", "01"), ("SET", "n", "9223372036854775807"),
     ("OBJECT", "ENCODING", "i"), ("OBJECT", "ENCODING", "j"), ("OBJECT", "ENCODING", "e"),
     ("OBJECT", "ENCODING", "r"), ("OBJECT", "ENCODING", "big"), ("OBJECT", "ENCODING", "z"),
     ("OBJECT", "ENCODING", "n"), ("OBJECT", "ENCODING", "nokey"),
     ("OBJECT", "REFCOUNT", "i"), ("OBJECT", "REFCOUNT", "j"), ("OBJECT", "REFCOUNT", "m"),
     ("OBJECT", "REFCOUNT", "e"), ("OBJECT", "REFCOUNT", "nokey"),
     ("APPEND", "e", "y"), ("OBJECT", "ENCODING", "e"), ("SET", "s", "ab"),
     ("APPEND", "s", "c"), ("OBJECT", "ENCODING", "s"),
     ("OBJECT", "FREQ", "i"), ("OBJECT", "FREQ", "nokey"), ("OBJECT", "IDLETIME", "nokey"),
     ("OBJECT", "HELP"), ("object", "help"), ("OBJECT",), ("OBJECT", "foo"),
     ("OBJECT", "ENCODING"), ("OBJECT", "ENCODING", "i", "j"), ("OBJECT", "HELP", "x"),
     ("OBJECT", "REFCOUNT"), ("OBJECT", "freq", "a", "b")],
]


@pytest.mark.parametrize("stream", range(len(STREAMS)))
def test_stream(pair, stream):
    for cmd in STREAMS[stream]:
        same(pair, *cmd)


def test_scan_full_iteration_matches(pair):
    a, b = pair
    for c in (a, b):
        for i in range(300):
            c.cmd("SET", "k:%d" % i, "v")
            c.cmd("SET", "o:%d" % i, "v")

    def full(c, *opts):
        seen, cur = [], b"0"
        while True:
            rep = c.cmd("SCAN", cur, *opts)
            parts = rep.split(b"\r\n")
            cur = parts[2]  # b"*2", b"$n", cursor, b"*m", then ($len, key) pairs
            seen += [p for p in parts[5::2] if p]
            if cur == b"0":
                return sorted(seen)

    for opts in [(), ("MATCH", "k:*"), ("COUNT", "7", "MATCH", "o:1*"), ("TYPE", "STRING"),
                 ("TYPE", "list"), ("TYPE", "nosuchtype"), ("MATCH", "*", "COUNT", "1000")]:
        assert full(a, *opts) == full(b, *opts), opts


def test_keys_sorted_same(pair):
    a, b = pair
    names = ["foo", "fao", "fbo", "f\\o", "f*o", "hello", "hallo", "hxllo", "heeeello", "x?y",
             "abc", "ABC", "a[b", "Zeta", "]"]
    for c in (a, b):
        for n in names:
            c.cmd("SET", n, "1")
    for pat in ["*", "f?o", "f[a-b]o", "f[^a]o", "f\\*o", "f\\\\o", "h*llo", "h[ae]llo",
                "h[^e]llo", "h[a-b]llo", "*[", "[", "a\\[b", "x\\?y", "[A-Z]*", "[z-a]*",
                "*o", "]", "[]]", "[\\]]", "a[b-", "???", "*e*e*"]:
        ka = sorted(a.cmd("KEYS", pat).split(b"\r\n"))
        kb = sorted(b.cmd("KEYS", pat).split(b"\r\n"))
        assert ka == kb, pat


def test_random_streams(pair):
    """Random mixes of keyspace commands over a small key set, replies compared exactly."""
    rnd = random.Random(1234)
    keys = ["a", "b", "c", "d"]
    for _ in range(600):
        k1, k2 = rnd.choice(keys), rnd.choice(keys)
        op = rnd.randrange(14)
        if op == 0:
            cmd = ("SET", k1, rnd.choice(["1", "v", "x" * 50, "-7"]))
        elif op == 1:
            cmd = ("DEL", k1, k2)
        elif op == 2:
            cmd = ("EXISTS", k1, k2)
        elif op == 3:
            cmd = ("RENAME", k1, k2)
        elif op == 4:
            cmd = ("RENAMENX", k1, k2)
        elif op == 5:
            cmd = ("COPY", k1, k2) + rnd.choice([(), ("REPLACE",), ("DB", "1"), ("DB", "1", "REPLACE")])
        elif op == 6:
            cmd = ("MOVE", k1, rnd.choice(["0", "1"]))
        elif op == 7:
            cmd = ("EXPIRE", k1, rnd.choice(["100", "200", "-1"]),) + rnd.choice(
                [(), ("NX",), ("XX",), ("GT",), ("LT",)])
        elif op == 8:
            cmd = ("PERSIST", k1)
        elif op == 9:
            cmd = ("TYPE", k1)
        elif op == 10:
            cmd = ("SELECT", rnd.choice(["0", "1"]))
        elif op == 11:
            cmd = ("SWAPDB", "0", "1")
        elif op == 12:
            cmd = ("DBSIZE",)
        else:
            cmd = ("GET", k1)
        same(pair, *cmd)
        if rnd.randrange(20) == 0:
            # TTLs round to whole seconds: 100 s and 200 s stay stable during the test.
            same(pair, "TTL", k1)
