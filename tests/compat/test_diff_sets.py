"""Differential tests for the sets family: the same command streams go to dq and to
redis-server, and the replies must be equal.

Sets are unordered, so replies are compared exactly only where both servers have a defined
order: sets of integers (intsets iterate in ascending order in both). Streams over string
members compare multi-bulk replies as sorted multisets (same type byte and count). OBJECT
ENCODING is compared only for integer sets: the reference is Redis 7.0, which keeps small
string sets in a hashtable where Redis 7.2 (and dq) use a listpack. Random replies (SPOP,
SRANDMEMBER with count below the cardinality) are compared by shape only."""
import random

import pytest

from dqtest import both_raw, diff_stream


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def pair(request, server, redis_ref):
    yield from both_raw(server, redis_ref, resp=request.param)


def split_bulks(reply):
    """(header, [bulk bytes]) of a flat aggregate of bulk strings, or None."""
    if reply[:1] not in (b"*", b"~"):
        return None
    lines = reply.split(b"\r\n")
    n = int(lines[0][1:])
    if n < 0 or len(lines) != 2 * n + 2 or any(not l.startswith(b"$") for l in lines[1:-1:2]):
        return None
    return lines[0], sorted(lines[2::2])


def same(ra, rb, ordered):
    if ordered or ra == rb:
        return ra == rb
    sa, sb = split_bulks(ra), split_bulks(rb)
    if sa is None or sb is None:
        # SSCAN's [cursor, [members]]: compare the member part unordered.
        if ra.startswith(b"*2\r\n") and rb.startswith(b"*2\r\n"):
            ha, _, ta = ra[4:].partition(b"\r\n")
            hb, _, tb = rb[4:].partition(b"\r\n")
            return ha == hb and same(ta.split(b"\r\n", 1)[1], tb.split(b"\r\n", 1)[1], False)
        return False
    return sa == sb


def run_stream(pair, stream, ordered):
    diff_stream(pair, stream, same=lambda ra, rb: same(ra, rb, ordered))


# Integer members only: replies compared byte for byte.
EXACT = {
    "add_rem": [
        ("SADD", "s", "3", "1", "2", "1"), ("SADD", "s", "-7", "100000", "5000000000"),
        ("SMEMBERS", "s"), ("SCARD", "s"), ("SISMEMBER", "s", "100000"),
        ("SISMEMBER", "s", "0100000"), ("SMISMEMBER", "s", "1", "9", "-7"),
        ("SREM", "s", "1", "1", "77", "x"), ("SMEMBERS", "s"), ("OBJECT", "ENCODING", "s"),
        ("SREM", "s", "3", "2", "-7", "100000", "5000000000"), ("EXISTS", "s"),
        ("SMEMBERS", "nokey"), ("SCARD", "nokey"), ("SREM", "nokey", "1"),
        ("SMISMEMBER", "nokey", "1"), ("SISMEMBER", "nokey", "1"),
    ],
    "ops": [
        ("SADD", "a", "1", "2", "3", "4", "5"), ("SADD", "b", "4", "5", "6"),
        ("SADD", "c", "5", "1", "9"),
        ("SINTER", "a", "b"), ("SINTER", "a", "b", "c"), ("SINTER", "a", "nokey"),
        ("SINTER", "nokey", "a"), ("SUNION", "a", "b", "c", "nokey"), ("SDIFF", "a", "b", "c"),
        ("SDIFF", "a", "nokey"), ("SDIFF", "nokey", "a"), ("SDIFF", "a", "a"),
        ("SINTERSTORE", "d", "a", "b"), ("SMEMBERS", "d"), ("OBJECT", "ENCODING", "d"),
        ("SUNIONSTORE", "d", "a", "c"), ("SMEMBERS", "d"),
        ("SDIFFSTORE", "d", "a", "c"), ("SMEMBERS", "d"),
        ("SDIFFSTORE", "d", "a", "a"), ("EXISTS", "d"),
        ("SET", "str", "x"), ("SINTERSTORE", "str", "a", "nokey"), ("EXISTS", "str"),
        ("SET", "str", "x"), ("SUNIONSTORE", "str", "a"), ("TYPE", "str"), ("SMEMBERS", "str"),
        ("SUNIONSTORE", "a", "a", "b"), ("SMEMBERS", "a"),
        ("SINTERCARD", "2", "a", "b"), ("SINTERCARD", "3", "a", "b", "c", "LIMIT", "1"),
        ("SINTERCARD", "1", "a", "limit", "0"), ("SINTERCARD", "1", "nokey"),
    ],
    "smove": [
        ("SADD", "a", "1", "2"), ("SMOVE", "a", "b", "1"), ("SMEMBERS", "b"),
        ("SMOVE", "a", "b", "9"), ("SMOVE", "nokey", "b", "1"), ("SMOVE", "a", "a", "2"),
        ("SMOVE", "a", "a", "3"), ("SMOVE", "a", "b", "2"), ("EXISTS", "a"), ("SMEMBERS", "b"),
        ("SET", "str", "v"), ("SMOVE", "b", "str", "1"), ("SMOVE", "str", "b", "1"),
        ("SMOVE", "nokey", "str", "1"), ("OBJECT", "ENCODING", "b"),
    ],
    "pop_rand_whole": [
        ("SPOP", "nokey"), ("SPOP", "nokey", "2"), ("SRANDMEMBER", "nokey"),
        ("SRANDMEMBER", "nokey", "2"), ("SRANDMEMBER", "nokey", "-2"),
        ("SADD", "s", "3", "1", "2"), ("SRANDMEMBER", "s", "10"), ("SRANDMEMBER", "s", "3"),
        ("SRANDMEMBER", "s", "0"), ("SPOP", "s", "0"), ("SPOP", "s", "3"), ("EXISTS", "s"),
        ("SADD", "s", "7"), ("SPOP", "s"), ("EXISTS", "s"), ("SADD", "s", "8"),
        ("SRANDMEMBER", "s"), ("SRANDMEMBER", "s", "-3"), ("SPOP", "s", "100"),
    ],
    "errors": [
        ("SET", "str", "x"),
        *[(c, "str", "a") for c in ("SADD", "SREM", "SISMEMBER", "SMISMEMBER")],
        ("SCARD", "str"), ("SMEMBERS", "str"), ("SPOP", "str"), ("SPOP", "str", "1"),
        ("SRANDMEMBER", "str"), ("SRANDMEMBER", "str", "1"), ("SINTER", "nokey", "str"),
        ("SUNION", "str"), ("SDIFF", "nokey", "str"), ("SINTERSTORE", "d", "str"),
        ("SUNIONSTORE", "d", "str"), ("SDIFFSTORE", "d", "nokey", "str"),
        ("SINTERCARD", "1", "str"), ("SSCAN", "str", "0"), ("SSCAN", "str", "x"),
        ("SADD", "s", "1"),
        ("SPOP", "s", "-1"), ("SPOP", "s", "x"), ("SPOP", "s", "1", "2"), ("SPOP", "nokey", "-1"),
        ("SRANDMEMBER", "s", "x"), ("SRANDMEMBER", "s", "-9223372036854775808"),
        ("SRANDMEMBER", "s", "1", "2"), ("SRANDMEMBER", "nokey", "x"),
        ("SINTERCARD", "0", "s"), ("SINTERCARD", "-1", "s"), ("SINTERCARD", "x", "s"),
        ("SINTERCARD", "2", "s"), ("SINTERCARD", "1", "s", "LIMIT"),
        ("SINTERCARD", "1", "s", "LIMIT", "-1"), ("SINTERCARD", "1", "s", "LIMIT", "x"),
        ("SINTERCARD", "1", "s", "BOGUS", "1"), ("SINTERCARD", "1", "nokey", "LIMIT", "-1"),
        ("SSCAN", "s", "0", "COUNT", "0"), ("SSCAN", "s", "0", "COUNT", "x"),
        ("SSCAN", "s", "0", "TYPE", "set"), ("SSCAN", "s", "0", "MATCH"), ("SSCAN", "s", "-1"),
        ("SSCAN", "s", " 1"), ("SSCAN", "s", "18446744073709551616"),
        ("SSCAN", "nokey", "0", "COUNT", "0"), ("SSCAN", "s", "0", "MATCH", "1", "COUNT", "5"),
        ("SADD", "s"), ("SREM", "s"), ("SMOVE", "a", "b"), ("SINTER",), ("SPOP",),
    ],
    "encodings": [
        ("SADD", "i", *[str(n) for n in range(512)]), ("OBJECT", "ENCODING", "i"),
        ("SADD", "i", "512"), ("OBJECT", "ENCODING", "i"), ("SREM", "i", "512"),
        ("OBJECT", "ENCODING", "i"),
        ("SADD", "j", *[str(n) for n in range(513)]), ("OBJECT", "ENCODING", "j"),
        ("SADD", "k", "1"), ("SADD", "k", *[str(n) for n in range(600)]),
        ("OBJECT", "ENCODING", "k"), ("SCARD", "k"),
        ("SADD", "w", "-9223372036854775808", "9223372036854775807", "0"), ("SMEMBERS", "w"),
        ("OBJECT", "ENCODING", "w"), ("SINTERSTORE", "x", "w", "i"), ("OBJECT", "ENCODING", "x"),
    ],
}

# String members: aggregates compared as sorted multisets.
UNORDERED = {
    "strings": [
        ("SADD", "a", "x", "y", "z", ""), ("SADD", "b", "y", "z", "w", "a\x00b"),
        ("SMEMBERS", "a"), ("SINTER", "a", "b"), ("SUNION", "a", "b"), ("SDIFF", "b", "a"),
        ("SINTERSTORE", "d", "a", "b"), ("SMEMBERS", "d"), ("SUNIONSTORE", "d", "a", "b"),
        ("SCARD", "d"), ("SDIFFSTORE", "d", "a", "b"), ("SMEMBERS", "d"),
        ("SADD", "m", "1", "2", "x"), ("SMEMBERS", "m"), ("SUNION", "m", "a"),
        ("SINTER", "m", "a", "b"), ("SMOVE", "m", "a", "1"), ("SMEMBERS", "a"),
        ("SSCAN", "a", "0"), ("SSCAN", "a", "0", "MATCH", "[xy]"), ("SRANDMEMBER", "a", "100"),
        ("SPOP", "a", "100"), ("EXISTS", "a"), ("SINTERCARD", "2", "b", "m"),
        ("SADD", "long", "x" * 65, "y"), ("SMEMBERS", "long"), ("SISMEMBER", "long", "x" * 65),
    ],
    "big": [
        ("SADD", "h", *["m%d" % i for i in range(300)]),
        ("SADD", "g", *["m%d" % i for i in range(150, 450)]),
        ("SINTERCARD", "2", "h", "g"), ("SINTERCARD", "2", "h", "g", "LIMIT", "7"),
        ("SINTER", "h", "g"), ("SUNION", "h", "g"), ("SDIFF", "g", "h"),
        ("SUNIONSTORE", "u", "h", "g"), ("SCARD", "u"), ("OBJECT", "ENCODING", "u"),
        ("SINTERSTORE", "i", "h", "g"), ("SMEMBERS", "i"), ("SRANDMEMBER", "h", "1000"),
        ("SREM", "h", *["m%d" % i for i in range(0, 300, 2)]), ("SCARD", "h"), ("SMEMBERS", "h"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_exact_stream(pair, name):
    run_stream(pair, EXACT[name], ordered=True)


@pytest.mark.parametrize("name", sorted(UNORDERED))
def test_unordered_stream(pair, name):
    run_stream(pair, UNORDERED[name], ordered=False)


def test_random_shapes(pair):
    """Random replies: same type, length and membership; the state stays in step."""
    a, b = pair
    for c in (a, b):
        c.cmd("SADD", "s", *["e%d" % i for i in range(40)])
    for args in (("SRANDMEMBER", "s", "5"), ("SRANDMEMBER", "s", "-50"), ("SPOP", "s", "5")):
        ra, rb = a.cmd(*args), b.cmd(*args)
        assert ra.split(b"\r\n")[0] == rb.split(b"\r\n")[0], args
        for raw_reply in (ra, rb):
            _, items = split_bulks(raw_reply)
            assert all(i.startswith(b"e") for i in items)
    assert a.cmd("SCARD", "s") == b.cmd("SCARD", "s") == b":35\r\n"
    assert a.cmd("SRANDMEMBER", "s")[:1] == b.cmd("SRANDMEMBER", "s")[:1] == b"$"


@pytest.mark.parametrize("seed", range(6))
def test_random_streams(pair, seed):
    rng = random.Random(seed)
    ints = rng.random() < 0.5  # integer members keep replies ordered in both servers
    keys = ["k1", "k2", "k3", "k4"]

    def member():
        if ints:
            return str(rng.randint(-40, 40))
        return rng.choice(["a", "b", "c", "dd", "", "1", "22", "x" * rng.choice([1, 70])])

    stream = []
    for _ in range(300):
        op = rng.random()
        k = rng.choice(keys)
        if op < 0.3:
            stream.append(("SADD", k, *[member() for _ in range(rng.randint(1, 6))]))
        elif op < 0.45:
            stream.append(("SREM", k, *[member() for _ in range(rng.randint(1, 4))]))
        elif op < 0.5:
            stream.append(("SMOVE", k, rng.choice(keys), member()))
        elif op < 0.6:
            stream.append((rng.choice(["SINTER", "SUNION", "SDIFF"]),
                           *rng.sample(keys, rng.randint(1, 3))))
        elif op < 0.7:
            stream.append((rng.choice(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]), k,
                           *rng.sample(keys, rng.randint(1, 3))))
        elif op < 0.75:
            n = rng.randint(1, 3)
            stream.append(("SINTERCARD", str(n), *rng.sample(keys, n), "LIMIT",
                           str(rng.randint(0, 3))))
        elif op < 0.8:
            stream.append(("SISMEMBER", k, member()))
        elif op < 0.85:
            stream.append(("SMISMEMBER", k, member(), member()))
        elif op < 0.9:
            stream.append(("SCARD", k))
        elif op < 0.95:
            stream.append(("SMEMBERS", k))
        else:
            stream.append(("SPOP", k, "1000"))
    for k in keys:
        stream.append(("SMEMBERS", k))
        if ints:
            stream.append(("OBJECT", "ENCODING", k))
    run_stream(pair, stream, ordered=ints)
