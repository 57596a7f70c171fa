"""SORT and SORT_RO against a real dq-server: exact replies (RESP2 and RESP3) over lists,
sets and sorted sets with BY (incl. nosort and hash fields), GET (incl. # and ->), LIMIT,
ASC/DESC, ALPHA and STORE; errors; and the same streams compared byte for byte with
redis-server."""
import pytest

from dqtest import RawClient, encode_command

WRONGTYPE = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"


def bulks(*items):
    out = [b"*%d\r\n" % len(items)]
    for i in items:
        if i is None:
            out.append(b"$-1\r\n")
            continue
        i = i.encode() if isinstance(i, str) else i
        out.append(b"$%d\r\n%s\r\n" % (len(i), i))
    return b"".join(out)


@pytest.fixture
def raw3(server):
    c = RawClient(server.port)
    c.cmd("HELLO", "3")
    yield c
    c.close()


def test_sort_numeric_list(r, raw):
    r.rpush("l", 3, 1, 2, 10)
    assert raw.cmd("SORT", "l") == bulks("1", "2", "3", "10")
    assert raw.cmd("SORT", "l", "DESC") == bulks("10", "3", "2", "1")
    assert raw.cmd("SORT", "l", "ALPHA") == bulks("1", "10", "2", "3")
    assert raw.cmd("SORT", "l", "LIMIT", "1", "2") == bulks("2", "3")
    assert raw.cmd("SORT", "l", "LIMIT", "-5", "2") == bulks("1", "2")
    assert raw.cmd("SORT", "l", "LIMIT", "2", "-1") == bulks("3", "10")
    assert raw.cmd("SORT", "l", "LIMIT", "9", "2") == b"*0\r\n"
    assert raw.cmd("SORT", "l", "LIMIT", "0", "0") == b"*0\r\n"
    assert raw.cmd("SORT_RO", "l", "desc", "limit", "0", "1") == bulks("10")
    assert raw.cmd("SORT", "nokey") == b"*0\r\n"


def test_sort_floats_and_ties(r, raw):
    r.rpush("l", "1.5", "-2", "1e1", "b", "a")
    assert raw.cmd("SORT", "l") == b"-ERR One or more scores can't be converted into double\r\n"
    r.delete("l")
    r.rpush("l", "1.5", "-2", "1e1", "", " 3", "01.5")
    # "" is 0 for strtod; equal scores order by bytes.
    assert raw.cmd("SORT", "l") == bulks("-2", "", "01.5", "1.5", " 3", "1e1")
    r.rpush("n", "nan")
    assert raw.cmd("SORT", "n") == b"-ERR One or more scores can't be converted into double\r\n"


def test_sort_set_and_zset(r, raw):
    r.sadd("s", 5, 3, 9)
    assert raw.cmd("SORT", "s") == bulks("3", "5", "9")
    assert raw.cmd("SORT", "s", "DESC") == bulks("9", "5", "3")
    r.zadd("z", {"a": 3, "b": 1, "c": 2})
    assert raw.cmd("SORT", "z", "ALPHA") == bulks("a", "b", "c")
    # BY nosort keeps the sorted set's order; DESC walks from the end.
    assert raw.cmd("SORT", "z", "BY", "nosort") == bulks("b", "c", "a")
    assert raw.cmd("SORT", "z", "BY", "nosort", "DESC") == bulks("a", "c", "b")
    assert raw.cmd("SORT", "z", "BY", "nosort", "LIMIT", "1", "1") == bulks("c")
    assert raw.cmd("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "5") == bulks("c", "b")


def test_sort_by_and_get(r, raw, raw3):
    r.rpush("l", "a", "b", "c")
    r.mset({"w_a": 3, "w_b": 1, "w_c": 2, "o_a": "A", "o_c": "C"})
    assert raw.cmd("SORT", "l", "BY", "w_*") == bulks("b", "c", "a")
    assert raw.cmd("SORT", "l", "BY", "w_*", "DESC") == bulks("a", "c", "b")
    assert raw.cmd("SORT", "l", "BY", "w_*", "GET", "o_*", "GET", "#") == (
        bulks(None, "b", "C", "c", "A", "a"))
    assert raw3.cmd("SORT", "l", "BY", "w_*", "GET", "o_*") == (
        b"*3\r\n_\r\n$1\r\nC\r\n$1\r\nA\r\n")
    # BY a constant: no sorting, list order (DESC reverses it, LIMIT applies).
    assert raw.cmd("SORT", "l", "BY", "nosort") == bulks("a", "b", "c")
    assert raw.cmd("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "0", "2") == bulks("c", "b")
    # Missing BY keys sort as 0.
    r.rpush("l", "d")
    assert raw.cmd("SORT", "l", "BY", "w_*") == bulks("d", "b", "c", "a")
    # A BY value that is not a number.
    r.set("w_d", "x")
    assert raw.cmd("SORT", "l", "BY", "w_*") == (
        b"-ERR One or more scores can't be converted into double\r\n")
    assert raw.cmd("SORT", "l", "BY", "w_*", "ALPHA") == bulks("b", "c", "a", "d")
    # GET of a pattern without '*' (other than #) is always nil; a non-string key is nil.
    r.rpush("o_b", "list")
    assert raw.cmd("SORT", "l", "BY", "nosort", "GET", "fixed", "GET", "o_*") == (
        bulks(None, "A", None, None, None, "C", None, None))


def test_sort_hash_fields(r, raw):
    r.rpush("l", "1", "2", "3")
    r.hset("h_1", mapping={"w": 30, "name": "one"})
    r.hset("h_2", mapping={"w": 10, "name": "two"})
    r.hset("h_3", mapping={"w": 20})
    assert raw.cmd("SORT", "l", "BY", "h_*->w", "GET", "h_*->name", "GET", "#") == (
        bulks("two", "2", None, "3", "one", "1"))
    # "->" with nothing after it is part of the key name.
    r.set("k_1->", "x")
    assert raw.cmd("SORT", "l", "BY", "nosort", "GET", "k_*->") == bulks("x", None, None)
    # A field of a string key is nil.
    r.set("s_1", "v")
    assert raw.cmd("SORT", "l", "BY", "nosort", "GET", "s_*->f") == bulks(None, None, None)


def test_sort_store(r, raw):
    r.sadd("s", "c", "a", "b")
    assert raw.cmd("SORT", "s", "ALPHA", "STORE", "dst") == b":3\r\n"
    assert r.lrange("dst", 0, -1) == [b"a", b"b", b"c"]
    assert raw.cmd("TYPE", "dst") == b"+list\r\n"
    # STORE of a set with BY nosort sorts ALPHA anyway (a deterministic stored list).
    assert raw.cmd("SORT", "s", "BY", "nosort", "DESC", "STORE", "dst") == b":3\r\n"
    assert r.lrange("dst", 0, -1) == [b"c", b"b", b"a"]
    # GET in STORE: missing values become empty strings.
    r.set("v_a", "1")
    assert raw.cmd("SORT", "s", "ALPHA", "GET", "v_*", "GET", "#", "STORE", "dst") == b":6\r\n"
    assert r.lrange("dst", 0, -1) == [b"1", b"a", b"", b"b", b"", b"c"]
    # An empty result deletes the destination.
    assert raw.cmd("SORT", "nokey", "STORE", "dst") == b":0\r\n"
    assert raw.cmd("EXISTS", "dst") == b":0\r\n"
    # The source may be the destination.
    r.rpush("l", 3, 1, 2)
    assert raw.cmd("SORT", "l", "STORE", "l") == b":3\r\n"
    assert r.lrange("l", 0, -1) == [b"1", b"2", b"3"]
    # A conversion error stores nothing.
    r.rpush("bad", "x")
    assert raw.cmd("SORT", "bad", "STORE", "l") == (
        b"-ERR One or more scores can't be converted into double\r\n")
    assert r.llen("l") == 3


def test_sort_errors(r, raw):
    r.set("str", "x")
    r.hset("h", "f", "v")
    r.rpush("l", 1)
    assert raw.cmd("SORT", "str") == WRONGTYPE
    assert raw.cmd("SORT", "h") == WRONGTYPE
    assert raw.cmd("SORT_RO", "str") == WRONGTYPE
    assert raw.cmd("SORT", "l", "BOGUS") == b"-ERR syntax error\r\n"
    assert raw.cmd("SORT", "str", "BOGUS") == b"-ERR syntax error\r\n"  # options first
    assert raw.cmd("SORT", "l", "LIMIT", "1") == b"-ERR syntax error\r\n"
    assert raw.cmd("SORT", "l", "LIMIT", "x", "1") == (
        b"-ERR value is not an integer or out of range\r\n")
    assert raw.cmd("SORT", "l", "BY") == b"-ERR syntax error\r\n"
    assert raw.cmd("SORT", "l", "GET") == b"-ERR syntax error\r\n"
    assert raw.cmd("SORT", "l", "STORE") == b"-ERR syntax error\r\n"
    assert raw.cmd("SORT_RO", "l", "STORE", "d") == b"-ERR syntax error\r\n"
    assert raw.cmd("SORT") == b"-ERR wrong number of arguments for 'sort' command\r\n"


def test_sort_store_dirties_watch(server, r):
    r.rpush("l", 2, 1)
    c = RawClient(server.port)
    c.cmd("WATCH", "dst")
    c.cmd("MULTI")
    c.cmd("PING")
    r.sort("l", store="dst")
    assert c.cmd("EXEC") == b"*-1\r\n"
    c.close()


# ---- differential -------------------------------------------------------------------------

SETUP = [
    ("RPUSH", "l", "3", "1", "2", "10", "-4", "2.5"),
    ("RPUSH", "words", "pear", "apple", "fig", "banana"),
    ("SADD", "s", "30", "10", "20"),
    ("SADD", "sw", "pear", "apple", "fig"),
    ("ZADD", "z", "3", "c", "1", "a", "2", "b", "2", "bb"),
    ("MSET", "w_pear", "2", "w_apple", "9", "w_fig", "-1", "n_pear", "PEAR", "n_fig", "FIG"),
    ("HSET", "h_apple", "w", "5", "n", "APPLE"), ("HSET", "h_pear", "w", "1"),
    ("MSET", "w_a", "3", "w_b", "1", "w_c", "2", "w_bb", "0"),
]

STREAM = [
    ("SORT", "l"), ("SORT", "l", "DESC"), ("SORT", "l", "ALPHA"), ("SORT", "l", "ALPHA", "DESC"),
    ("SORT", "l", "LIMIT", "1", "3"), ("SORT", "l", "LIMIT", "-1", "-1"),
    ("SORT", "l", "LIMIT", "5", "100"), ("SORT", "l", "LIMIT", "6", "1"),
    ("SORT", "l", "BY", "nosort"), ("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"),
    ("SORT", "l", "BY", "nosort", "LIMIT", "10", "2"),
    ("SORT", "words"), ("SORT", "words", "ALPHA"), ("SORT", "words", "BY", "w_*"),
    ("SORT", "words", "BY", "w_*", "DESC", "GET", "#", "GET", "n_*"),
    ("SORT", "words", "BY", "h_*->w", "GET", "h_*->n", "GET", "h_*->w"),
    ("SORT", "words", "BY", "n_*", "ALPHA", "GET", "#"),
    ("SORT", "s"), ("SORT", "s", "DESC", "LIMIT", "0", "2"), ("SORT", "sw", "ALPHA"),
    ("SORT", "sw", "BY", "w_*"), ("SORT", "sw", "BY", "nosort", "STORE", "d1"),
    ("LRANGE", "d1", "0", "-1"),
    ("SORT", "z"), ("SORT", "z", "ALPHA"), ("SORT", "z", "BY", "nosort"),
    ("SORT", "z", "BY", "nosort", "DESC"), ("SORT", "z", "BY", "nosort", "LIMIT", "1", "2"),
    ("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2"), ("SORT", "z", "BY", "w_*"),
    ("SORT", "z", "ALPHA", "DESC", "GET", "w_*", "GET", "#"),
    ("SORT", "l", "STORE", "d2"), ("LRANGE", "d2", "0", "-1"), ("OBJECT", "ENCODING", "d2"),
    ("SORT", "words", "ALPHA", "GET", "n_*", "STORE", "d3"), ("LRANGE", "d3", "0", "-1"),
    ("SORT", "nokey", "STORE", "d3"), ("EXISTS", "d3"), ("SORT", "l", "LIMIT", "0", "0", "STORE",
                                                          "d2"), ("EXISTS", "d2"),
    ("SORT_RO", "l", "DESC"), ("SORT_RO", "l", "STORE", "x"), ("SORT", "nokey"),
    ("SORT", "words"), ("SORT", "w_pear"), ("SORT", "h_apple"), ("SORT", "l", "LIMIT", "1"),
    ("SORT", "l", "LIMIT", "a", "b"), ("SORT", "l", "FOO"), ("SORT", "w_pear", "FOO"),
    ("SORT", "l", "GET", "w_*", "GET", "#", "GET", "nostar"),
    ("SORT", "words", "BY", "w_*", "STORE", "words"), ("LRANGE", "words", "0", "-1"),
]


@pytest.mark.parametrize("proto", [2, 3])
def test_sort_matches_redis(server, redis_ref, proto):
    a, b = server.raw(), redis_ref.raw()
    for c in (a, b):
        c.cmd("FLUSHALL")
        if proto == 3:
            c.cmd("HELLO", "3")
    payload = b"".join(encode_command(*c) for c in SETUP + STREAM)
    a.send(payload)
    b.send(payload)
    for cmd in SETUP + STREAM:
        ra, rb = a.read_reply_bytes(), b.read_reply_bytes()
        if cmd[:2] == ("OBJECT", "ENCODING"):
            continue  # 7.0 answers quicklist where 7.2 answers listpack
        assert ra == rb, "%r: dq %r != redis %r" % (cmd, ra, rb)
    a.close()
    b.close()
