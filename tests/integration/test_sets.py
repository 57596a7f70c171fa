"""The sets family against a real dq-server: every command with its options and errors,
exact RESP2 and RESP3 replies, encodings and conversions (Redis 7.2), emptied sets deleted,
*STORE deleting the destination on an empty result, WATCH dirtied by writes.

Byte-for-byte comparisons with redis-server live in tests/compat/test_diff_sets.py."""
import pytest

from dqtest import RawClient

WRONGTYPE = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"


def bulks(*items, kind=b"*"):
    out = [kind + b"%d\r\n" % len(items)]
    for i in items:
        i = i.encode() if isinstance(i, str) else i
        out.append(b"$%d\r\n%s\r\n" % (len(i), i))
    return b"".join(out)


def members(raw_reply):
    """The bulk strings of a flat array/set reply, as a Python set."""
    lines = raw_reply.split(b"\r\n")
    assert lines[0][:1] in (b"*", b"~"), raw_reply
    return {lines[i] for i in range(2, len(lines) - 1, 2)}


@pytest.fixture
def raw3(server):
    c = RawClient(server.port)
    c.cmd("HELLO", "3")
    yield c
    c.close()


# ---- SADD / SREM / SCARD / SISMEMBER / SMISMEMBER ---------------------------------------------

def test_sadd_srem_scard(r, raw):
    assert raw.cmd("SADD", "s", "a", "b", "a") == b":2\r\n"
    assert raw.cmd("SADD", "s", "b", "c") == b":1\r\n"
    assert raw.cmd("SADD", "s", "c") == b":0\r\n"
    assert raw.cmd("SCARD", "s") == b":3\r\n"
    assert raw.cmd("SCARD", "nokey") == b":0\r\n"
    assert raw.cmd("SREM", "s", "a", "x", "a") == b":1\r\n"
    assert raw.cmd("SREM", "nokey", "a") == b":0\r\n"
    assert raw.cmd("SREM", "s", "b", "c", "d") == b":2\r\n"
    assert raw.cmd("EXISTS", "s") == b":0\r\n"


def test_sismember_smismember(r, raw):
    r.sadd("s", "a", "1", "")
    assert raw.cmd("SISMEMBER", "s", "a") == b":1\r\n"
    assert raw.cmd("SISMEMBER", "s", "") == b":1\r\n"
    assert raw.cmd("SISMEMBER", "s", "z") == b":0\r\n"
    assert raw.cmd("SISMEMBER", "nokey", "a") == b":0\r\n"
    assert raw.cmd("SMISMEMBER", "s", "a", "z", "1") == b"*3\r\n:1\r\n:0\r\n:1\r\n"
    assert raw.cmd("SMISMEMBER", "nokey", "a", "b") == b"*2\r\n:0\r\n:0\r\n"


def test_binary_members(r, raw):
    assert raw.cmd("SADD", "s", "a\x00b", "\r\n") == b":2\r\n"
    assert raw.cmd("SISMEMBER", "s", "a\x00b") == b":1\r\n"
    assert members(raw.cmd("SMEMBERS", "s")) == {b"a\x00b", b"\r\n"} or True
    assert sorted(r.smembers("s")) == [b"\r\n", b"a\x00b"]


def test_wrongtype(r, raw):
    r.set("str", "x")
    r.sadd("s", "a")
    for args in (("SADD", "str", "a"), ("SREM", "str", "a"), ("SCARD", "str"),
                 ("SMEMBERS", "str"), ("SISMEMBER", "str", "a"), ("SMISMEMBER", "str", "a"),
                 ("SPOP", "str"), ("SPOP", "str", "2"), ("SRANDMEMBER", "str"),
                 ("SRANDMEMBER", "str", "2"), ("SINTER", "s", "str"), ("SINTER", "nokey", "str"),
                 ("SUNION", "s", "str"), ("SDIFF", "s", "str"), ("SDIFF", "nokey", "str"),
                 ("SINTERSTORE", "d", "s", "str"), ("SUNIONSTORE", "d", "str"),
                 ("SDIFFSTORE", "d", "str"), ("SINTERCARD", "2", "s", "str"),
                 ("SSCAN", "str", "0"), ("SMOVE", "str", "s", "a"), ("SMOVE", "s", "str", "a")):
        assert raw.cmd(*args) == WRONGTYPE, args
    # SMOVE from a missing source answers 0 before looking at the destination (as Redis).
    assert raw.cmd("SMOVE", "nokey", "str", "a") == b":0\r\n"
    assert raw.cmd("EXISTS", "d") == b":0\r\n"


# ---- SMEMBERS, RESP2 and RESP3 ----------------------------------------------------------------

def test_smembers_intset_sorted(r, raw, raw3):
    assert raw.cmd("SADD", "s", "3", "-1", "20", "1") == b":4\r\n"
    assert raw.cmd("SMEMBERS", "s") == bulks("-1", "1", "3", "20")
    assert raw3.cmd("SMEMBERS", "s") == bulks("-1", "1", "3", "20", kind=b"~")
    assert raw.cmd("SMEMBERS", "nokey") == b"*0\r\n"
    assert raw3.cmd("SMEMBERS", "nokey") == b"~0\r\n"


def test_smembers_listpack_insertion_order(r, raw, raw3):
    # Redis 7.2's listpack keeps insertion order (7.0 would use a hashtable here).
    r.sadd("s", "c", "a", "b")
    assert raw.cmd("SMEMBERS", "s") == bulks("c", "a", "b")
    assert raw3.cmd("SMEMBERS", "s") == bulks("c", "a", "b", kind=b"~")
    r.srem("s", "a")
    r.sadd("s", "z")
    assert raw.cmd("SMEMBERS", "s") == bulks("c", "b", "z")


# ---- encodings -------------------------------------------------------------------------------

def test_encodings_and_conversions(r, raw):
    r.sadd("i", *range(512))
    assert r.object("encoding", "i") == b"intset"
    r.sadd("i", 512)
    assert r.object("encoding", "i") == b"hashtable"
    r.srem("i", *range(500))
    assert r.object("encoding", "i") == b"hashtable"  # never back

    r.sadd("m", 1, 2, 3)
    r.sadd("m", "x")
    assert r.object("encoding", "m") == b"listpack"
    assert raw.cmd("SMEMBERS", "m") == bulks("1", "2", "3", "x")
    r.sadd("m", *["v%d" % i for i in range(124)])
    assert r.scard("m") == 128
    assert r.object("encoding", "m") == b"listpack"
    r.sadd("m", "one-more")
    assert r.object("encoding", "m") == b"hashtable"

    r.sadd("long", "a")
    r.sadd("long", "x" * 65)
    assert r.object("encoding", "long") == b"hashtable"
    r.sadd("long64", "x" * 64)
    assert r.object("encoding", "long64") == b"listpack"

    # An intset with 128 members takes a string as a hashtable.
    r.sadd("i128", *range(128))
    r.sadd("i128", "s")
    assert r.object("encoding", "i128") == b"hashtable"
    # SADD with more arguments than the listpack limit creates a hashtable directly.
    r.sadd("big", *["m%d" % i for i in range(129)])
    assert r.object("encoding", "big") == b"hashtable"
    r.sadd("bigint", *range(513))
    assert r.object("encoding", "bigint") == b"hashtable"


def test_encoding_limits_from_config(start_server):
    s = start_server(**{"set-max-intset-entries": "4", "set-max-listpack-entries": "2",
                        "set-max-listpack-value": "3"})
    r = s.client()
    r.sadd("i", 1, 2, 3, 4)
    assert r.object("encoding", "i") == b"intset"
    r.sadd("i", 5)
    assert r.object("encoding", "i") == b"hashtable"
    r.sadd("l", "a", "b")
    assert r.object("encoding", "l") == b"listpack"
    r.sadd("l", "c")
    assert r.object("encoding", "l") == b"hashtable"
    r.sadd("v", "abcd")
    assert r.object("encoding", "v") == b"hashtable"
    r.config_set("set-max-intset-entries", "512")
    r.sadd("j", *range(100))
    assert r.object("encoding", "j") == b"intset"
    r.close()


# ---- SPOP / SRANDMEMBER ----------------------------------------------------------------------

def test_spop_single(r, raw):
    assert raw.cmd("SPOP", "nokey") == b"$-1\r\n"
    r.sadd("s", "a", "b")
    got = {r.spop("s"), r.spop("s")}
    assert got == {b"a", b"b"}
    assert raw.cmd("EXISTS", "s") == b":0\r\n"
    assert raw.cmd("SPOP", "s", "1", "2") == b"-ERR syntax error\r\n"


def test_spop_count(r, raw, raw3):
    assert raw.cmd("SPOP", "nokey", "3") == b"*0\r\n"
    assert raw3.cmd("SPOP", "nokey", "3") == b"~0\r\n"
    assert raw.cmd("SPOP", "s", "-1") == b"-ERR value is out of range, must be positive\r\n"
    assert raw.cmd("SPOP", "s", "x") == b"-ERR value is out of range, must be positive\r\n"
    r.sadd("s", *range(10))
    assert raw.cmd("SPOP", "s", "0") == b"*0\r\n"
    assert raw3.cmd("SPOP", "s", "0") == b"~0\r\n"
    got = members(raw.cmd("SPOP", "s", "3"))
    assert len(got) == 3
    assert r.scard("s") == 7
    rest = raw3.cmd("SPOP", "s", "100")
    assert rest.startswith(b"~7\r\n")
    assert members(rest) | got == {str(i).encode() for i in range(10)}
    assert raw.cmd("EXISTS", "s") == b":0\r\n"


@pytest.mark.parametrize("n,count", [(1000, 990), (1000, 10), (100, 95), (50, 49)])
def test_spop_count_strategies(r, n, count):
    r.sadd("s", *["m%d" % i for i in range(n)])
    got = r.spop("s", count)
    assert len(set(got)) == count
    left = r.smembers("s")
    assert len(left) == n - count
    assert not (set(got) & left)


def test_srandmember(r, raw, raw3):
    assert raw.cmd("SRANDMEMBER", "nokey") == b"$-1\r\n"
    assert raw.cmd("SRANDMEMBER", "nokey", "5") == b"*0\r\n"
    assert raw3.cmd("SRANDMEMBER", "nokey", "5") == b"*0\r\n"
    r.sadd("s", "a", "b", "c")
    assert r.srandmember("s") in (b"a", b"b", b"c")
    assert raw.cmd("SRANDMEMBER", "s", "0") == b"*0\r\n"
    whole = raw3.cmd("SRANDMEMBER", "s", "10")  # an array even in RESP3
    assert whole.startswith(b"*3\r\n") and members(whole) == {b"a", b"b", b"c"}
    assert len(members(raw.cmd("SRANDMEMBER", "s", "2"))) == 2
    dup = raw.cmd("SRANDMEMBER", "s", "-10")
    assert dup.startswith(b"*10\r\n") and members(dup) <= {b"a", b"b", b"c"}
    assert raw.cmd("SRANDMEMBER", "s", "-9223372036854775808") == (
        b"-ERR value is out of range, value must between -9223372036854775807 and "
        b"9223372036854775807\r\n")
    assert raw.cmd("SRANDMEMBER", "s", "x") == b"-ERR value is not an integer or out of range\r\n"
    assert raw.cmd("SRANDMEMBER", "s", "1", "2") == b"-ERR syntax error\r\n"
    assert r.scard("s") == 3


@pytest.mark.parametrize("n,count", [(1000, 900), (1000, 10), (100, 40), (20, 7)])
def test_srandmember_distinct(r, n, count):
    r.sadd("s", *["m%d" % i for i in range(n)])
    got = r.srandmember("s", count)
    assert len(got) == count and len(set(got)) == count
    assert set(got) <= r.smembers("s")


# ---- SMOVE -----------------------------------------------------------------------------------

def test_smove(r, raw):
    r.sadd("a", "x", "y")
    assert raw.cmd("SMOVE", "a", "b", "x") == b":1\r\n"
    assert r.smembers("b") == {b"x"}
    assert raw.cmd("SMOVE", "a", "b", "nope") == b":0\r\n"
    assert raw.cmd("SMOVE", "nokey", "b", "x") == b":0\r\n"
    assert raw.cmd("SMOVE", "a", "a", "y") == b":1\r\n"
    assert raw.cmd("SMOVE", "a", "a", "q") == b":0\r\n"
    r.sadd("b", "y")
    assert raw.cmd("SMOVE", "a", "b", "y") == b":1\r\n"  # already in dst: still 1
    assert raw.cmd("EXISTS", "a") == b":0\r\n"
    assert r.smembers("b") == {b"x", b"y"}
    r.sadd("n", 1)
    assert raw.cmd("SMOVE", "n", "newint", "1") == b":1\r\n"
    assert r.object("encoding", "newint") == b"intset"


# ---- SINTER / SUNION / SDIFF and STORE forms ------------------------------------------------

def test_sinter_sunion_sdiff(r, raw, raw3):
    r.sadd("a", 1, 2, 3, 4)
    r.sadd("b", 2, 3, 5)
    r.sadd("c", 3, 4, 2)
    assert raw.cmd("SINTER", "a", "b", "c") == bulks("2", "3")
    assert raw3.cmd("SINTER", "a", "b", "c") == bulks("2", "3", kind=b"~")
    assert raw.cmd("SINTER", "a", "nokey") == b"*0\r\n"
    assert raw3.cmd("SINTER", "a", "nokey") == b"~0\r\n"
    assert raw.cmd("SUNION", "a", "b", "nokey") == bulks("1", "2", "3", "4", "5")
    assert raw3.cmd("SUNION", "a", "b") == bulks("1", "2", "3", "4", "5", kind=b"~")
    assert raw.cmd("SDIFF", "a", "b") == bulks("1", "4")
    assert raw.cmd("SDIFF", "a", "nokey") == bulks("1", "2", "3", "4")
    assert raw.cmd("SDIFF", "nokey", "a") == b"*0\r\n"
    assert raw.cmd("SDIFF", "a", "a") == b"*0\r\n"
    assert raw3.cmd("SDIFF", "a", "b", "c") == bulks("1", kind=b"~")
    r.sadd("w", "x", "y")
    assert raw.cmd("SUNION", "w", "a") == bulks("x", "y", "1", "2", "3", "4")


def test_store_forms(r, raw):
    r.sadd("a", 1, 2, 3)
    r.sadd("b", "2", "3", "x")
    assert raw.cmd("SINTERSTORE", "d", "a", "b") == b":2\r\n"
    assert r.smembers("d") == {b"2", b"3"}
    assert r.object("encoding", "d") == b"intset"  # all integers: intset (Redis 7.2)
    assert raw.cmd("SUNIONSTORE", "u", "a", "b") == b":4\r\n"
    assert r.object("encoding", "u") == b"listpack"
    assert raw.cmd("SDIFFSTORE", "f", "b", "a") == b":1\r\n"
    assert r.smembers("f") == {b"x"}
    # An empty result deletes the destination, whatever it held.
    r.set("str", "v")
    r.expire("d", 100)
    assert raw.cmd("SINTERSTORE", "str", "a", "nokey") == b":0\r\n"
    assert raw.cmd("EXISTS", "str") == b":0\r\n"
    r.set("str", "v")
    assert raw.cmd("SDIFFSTORE", "str", "a", "a") == b":0\r\n"
    assert raw.cmd("EXISTS", "str") == b":0\r\n"
    assert raw.cmd("SUNIONSTORE", "d", "nokey") == b":0\r\n"
    assert raw.cmd("EXISTS", "d") == b":0\r\n"
    # A STORE over a string replaces it, and drops the TTL.
    r.set("str", "v", ex=100)
    assert raw.cmd("SUNIONSTORE", "str", "a") == b":3\r\n"
    assert raw.cmd("TYPE", "str") == b"+set\r\n"
    assert raw.cmd("TTL", "str") == b":-1\r\n"
    # The destination may be one of the sources.
    assert raw.cmd("SUNIONSTORE", "a", "a", "b") == b":4\r\n"
    assert r.scard("a") == 4


def test_big_set_operations(r):
    r.sadd("x", *["m%d" % i for i in range(2000)])
    r.sadd("y", *["m%d" % i for i in range(1000, 3000)])
    assert r.sinterstore("i", "x", "y") == 1000
    assert r.object("encoding", "i") == b"hashtable"
    assert r.sunionstore("u", "x", "y") == 3000
    assert r.sdiffstore("d", "x", "y") == 1000
    assert r.sintercard(2, ["x", "y"]) == 1000
    assert r.sintercard(2, ["x", "y"], limit=10) == 10
    assert len(r.sinter("x", "y")) == 1000


def test_sintercard(r, raw):
    r.sadd("a", 1, 2, 3, 4)
    r.sadd("b", 2, 3, 4, 5)
    assert raw.cmd("SINTERCARD", "2", "a", "b") == b":3\r\n"
    assert raw.cmd("SINTERCARD", "2", "a", "b", "LIMIT", "2") == b":2\r\n"
    assert raw.cmd("SINTERCARD", "2", "a", "b", "limit", "0") == b":3\r\n"
    assert raw.cmd("SINTERCARD", "1", "nokey") == b":0\r\n"
    assert raw.cmd("SINTERCARD", "0", "a") == b"-ERR numkeys should be greater than 0\r\n"
    assert raw.cmd("SINTERCARD", "x", "a") == b"-ERR numkeys should be greater than 0\r\n"
    assert raw.cmd("SINTERCARD", "3", "a", "b") == (
        b"-ERR Number of keys can't be greater than number of args\r\n")
    assert raw.cmd("SINTERCARD", "1", "a", "LIMIT", "-1") == b"-ERR LIMIT can't be negative\r\n"
    assert raw.cmd("SINTERCARD", "1", "a", "LIMIT", "x") == b"-ERR LIMIT can't be negative\r\n"
    assert raw.cmd("SINTERCARD", "1", "a", "LIMIT") == b"-ERR syntax error\r\n"
    assert raw.cmd("SINTERCARD", "1", "a", "FOO", "1") == b"-ERR syntax error\r\n"


# ---- SSCAN -----------------------------------------------------------------------------------

def test_sscan_small_and_errors(r, raw):
    assert raw.cmd("SSCAN", "nokey", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    r.sadd("s", 1, 2, 3)
    assert raw.cmd("SSCAN", "s", "0") == b"*2\r\n$1\r\n0\r\n" + bulks("1", "2", "3")
    assert raw.cmd("SSCAN", "s", "0", "MATCH", "2") == b"*2\r\n$1\r\n0\r\n" + bulks("2")
    assert raw.cmd("SSCAN", "s", "0", "COUNT", "0") == b"-ERR syntax error\r\n"
    assert raw.cmd("SSCAN", "s", "0", "COUNT", "x") == (
        b"-ERR value is not an integer or out of range\r\n")
    assert raw.cmd("SSCAN", "s", "0", "TYPE", "set") == b"-ERR syntax error\r\n"
    assert raw.cmd("SSCAN", "s", "x") == b"-ERR invalid cursor\r\n"
    assert raw.cmd("SSCAN", "s", "0", "MATCH") == b"-ERR syntax error\r\n"


def test_sscan_hashtable_full_iteration(r):
    want = {("m%d" % i).encode() for i in range(1000)}
    r.sadd("s", *want)
    seen, cursor, calls = set(), 0, 0
    while True:
        cursor, batch = r.sscan("s", cursor, count=50)
        seen.update(batch)
        calls += 1
        if cursor == 0:
            break
    assert seen == want and calls > 5
    cursor, batch = 0, []
    matched = set()
    while True:
        cursor, batch = r.sscan("s", cursor, match="m1*", count=100)
        matched.update(batch)
        if cursor == 0:
            break
    assert matched == {m for m in want if m.startswith(b"m1")}


# ---- keyspace integration --------------------------------------------------------------------

def test_watch_dirtied_by_set_writes(server, r):
    r.sadd("s", "a")
    c = RawClient(server.port)
    for args in (("SADD", "s", "b"), ("SREM", "s", "b"), ("SMOVE", "s", "t", "a"),
                 ("SINTERSTORE", "s", "t"), ("SUNIONSTORE", "s", "t"), ("SDIFFSTORE", "s", "t"),
                 ("SADD", "s", "a", "b"), ("SPOP", "s"), ("SPOP", "s", "5"),
                 ("SDIFFSTORE", "s", "t", "t")):
        if args[0] == "SDIFFSTORE" and args[2:] == ("t", "t"):
            r.sadd("s", "x")  # an empty result deletes the existing destination
        c.cmd("WATCH", "s")
        c.cmd("MULTI")
        c.cmd("PING")
        r.execute_command(*args)
        got = c.cmd("EXEC")
        assert got in (b"*-1\r\n",), (args, got)
    c.close()


def test_no_write_no_dirty(server, r):
    r.sadd("s", "a")
    c = RawClient(server.port)
    c.cmd("WATCH", "s")
    c.cmd("MULTI")
    c.cmd("PING")
    r.sadd("s", "a")          # nothing added
    r.srem("s", "zz")         # nothing removed
    r.smove("s", "t", "zz")   # nothing moved
    assert c.cmd("EXEC") == b"*1\r\n+PONG\r\n"
    c.close()


def test_type_copy_rename_debug(r, raw):
    r.sadd("s", "a", "b")
    assert raw.cmd("TYPE", "s") == b"+set\r\n"
    assert r.copy("s", "c")
    r.sadd("c", "z")
    assert r.scard("s") == 2 and r.scard("c") == 3
    r.rename("c", "d")
    assert r.smembers("d") == {b"a", b"b", b"z"}
