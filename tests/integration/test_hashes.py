"""The hashes family against a real dq-server: every command with its options and errors,
RESP2 and RESP3 reply shapes, WRONGTYPE, emptied hashes deleted, the listpack -> hashtable
conversion (both limits, CONFIG SET), HSCAN coverage, HRANDFIELD shapes, WATCH.

Byte-for-byte comparisons with redis-server live in tests/compat/test_diff_hashes.py."""
import os
import pytest

from dqtest import RawClient


WRONGTYPE = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
NOT_INT = b"-ERR value is not an integer or out of range\r\n"
SYNTAX = b"-ERR syntax error\r\n"


def bulk(s):
    s = s.encode() if isinstance(s, str) else s
    return b"$%d\r\n%s\r\n" % (len(s), s)


def bulks(*items):
    return b"*%d\r\n" % len(items) + b"".join(
        b"$-1\r\n" if i is None else bulk(i) for i in items)


def arity(name):
    return b"-ERR wrong number of arguments for '%s' command\r\n" % name.encode()


def parse_flat(raw_reply):
    """Bulk strings of a flat RESP2 array reply."""
    parts = raw_reply.split(b"\r\n")
    assert parts[0].startswith(b"*"), raw_reply
    return [parts[i] for i in range(2, len(parts) - 1, 2)]


@pytest.fixture
def resp3(server):
    c = RawClient(server.port)
    c.cmd("HELLO", "3")
    c.cmd("FLUSHALL")
    yield c
    c.close()


# ---- HSET HSETNX HMSET HGET HMGET -------------------------------------------------------

def test_hset_hget(r, raw):
    assert raw.cmd("HSET", "h", "a", "1") == b":1\r\n"
    assert raw.cmd("HSET", "h", "a", "2", "b", "3", "c", "4") == b":2\r\n"
    assert raw.cmd("HSET", "h", "a", "2") == b":0\r\n"
    assert raw.cmd("HGET", "h", "a") == bulk("2")
    assert raw.cmd("HGET", "h", "zz") == b"$-1\r\n"
    assert raw.cmd("HGET", "nokey", "a") == b"$-1\r\n"
    assert raw.cmd("HLEN", "h") == b":3\r\n"
    assert raw.cmd("TYPE", "h") == b"+hash\r\n"


def test_hset_same_field_twice_in_one_call(r, raw):
    assert raw.cmd("HSET", "h", "a", "1", "a", "2") == b":1\r\n"
    assert raw.cmd("HGET", "h", "a") == bulk("2")


def test_hset_odd_pairs_is_arity_error(r, raw):
    assert raw.cmd("HSET", "h", "a", "1", "b") == arity("hset")
    assert raw.cmd("HMSET", "h", "a", "1", "b") == arity("hmset")
    assert raw.cmd("HSET", "h", "a") == arity("hset")
    assert raw.cmd("EXISTS", "h") == b":0\r\n"


def test_hmset(r, raw):
    assert raw.cmd("HMSET", "h", "a", "1", "b", "2") == b"+OK\r\n"
    assert raw.cmd("HMGET", "h", "a", "x", "b") == bulks("1", None, "2")
    assert raw.cmd("HMGET", "nokey", "a", "b") == bulks(None, None)


def test_hsetnx(r, raw):
    assert raw.cmd("HSETNX", "h", "a", "1") == b":1\r\n"
    assert raw.cmd("HSETNX", "h", "a", "2") == b":0\r\n"
    assert raw.cmd("HGET", "h", "a") == bulk("1")
    assert raw.cmd("HSETNX", "h", "b", "2") == b":1\r\n"
    assert raw.cmd("HLEN", "h") == b":2\r\n"


def test_binary_and_empty_fields_and_values(r, raw):
    assert raw.cmd("HSET", "h", "a\x00b", "\r\n", "", "empty") == b":2\r\n"
    assert raw.cmd("HGET", "h", "a\x00b") == bulk("\r\n")
    assert raw.cmd("HGET", "h", "") == bulk("empty")
    assert raw.cmd("HSET", "h", "e", "") == b":1\r\n"
    assert raw.cmd("HGET", "h", "e") == bulk("")
    assert raw.cmd("HSTRLEN", "h", "e") == b":0\r\n"
    assert raw.cmd("HEXISTS", "h", "e") == b":1\r\n"


# ---- HDEL HEXISTS HLEN HSTRLEN ----------------------------------------------------------

def test_hdel_and_emptied_hash_is_deleted(r, raw):
    raw.cmd("HSET", "h", "a", "1", "b", "2", "c", "3")
    assert raw.cmd("HDEL", "h", "a", "zz", "a") == b":1\r\n"
    assert raw.cmd("HDEL", "h", "zz") == b":0\r\n"
    assert raw.cmd("HDEL", "nokey", "a") == b":0\r\n"
    assert raw.cmd("HDEL", "h", "b", "c", "d") == b":2\r\n"
    assert raw.cmd("EXISTS", "h") == b":0\r\n"
    assert raw.cmd("TYPE", "h") == b"+none\r\n"


def test_hexists_hlen_hstrlen(r, raw):
    raw.cmd("HSET", "h", "a", "hello", "n", "-12")
    assert raw.cmd("HEXISTS", "h", "a") == b":1\r\n"
    assert raw.cmd("HEXISTS", "h", "b") == b":0\r\n"
    assert raw.cmd("HEXISTS", "nokey", "a") == b":0\r\n"
    assert raw.cmd("HLEN", "h") == b":2\r\n"
    assert raw.cmd("HLEN", "nokey") == b":0\r\n"
    assert raw.cmd("HSTRLEN", "h", "a") == b":5\r\n"
    assert raw.cmd("HSTRLEN", "h", "n") == b":3\r\n"
    assert raw.cmd("HSTRLEN", "h", "zz") == b":0\r\n"
    assert raw.cmd("HSTRLEN", "nokey", "a") == b":0\r\n"


# ---- HKEYS HVALS HGETALL ----------------------------------------------------------------

def test_hkeys_hvals_hgetall_resp2(r, raw):
    raw.cmd("HSET", "h", "a", "1", "b", "2")
    assert raw.cmd("HKEYS", "h") == bulks("a", "b")  # listpack keeps insertion order
    assert raw.cmd("HVALS", "h") == bulks("1", "2")
    assert raw.cmd("HGETALL", "h") == bulks("a", "1", "b", "2")
    assert raw.cmd("HKEYS", "nokey") == b"*0\r\n"
    assert raw.cmd("HVALS", "nokey") == b"*0\r\n"
    assert raw.cmd("HGETALL", "nokey") == b"*0\r\n"


def test_hgetall_is_a_map_in_resp3(resp3):
    c = resp3
    c.cmd("HSET", "h", "a", "1", "b", "2")
    assert c.cmd("HGETALL", "h") == b"%2\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2")
    assert c.cmd("HGETALL", "nokey") == b"%0\r\n"
    assert c.cmd("HKEYS", "h") == bulks("a", "b")
    assert c.cmd("HGET", "h", "zz") == b"_\r\n"
    assert c.cmd("HMGET", "h", "a", "zz") == b"*2\r\n" + bulk("1") + b"_\r\n"
    assert c.cmd("HINCRBYFLOAT", "h", "a", "0.5") == bulk("1.5")
    assert c.cmd("HSCAN", "h", "0") == b"*2\r\n" + bulk("0") + bulks("a", "1.5", "b", "2")


def test_big_hash_reads_are_complete(r, raw):
    pairs = {"f%d" % i: "v%d" % i for i in range(1000)}
    r.hset("h", mapping=pairs)
    assert r.object("encoding", "h") == b"hashtable"
    got = r.hgetall("h")
    assert got == {k.encode(): v.encode() for k, v in pairs.items()}
    assert sorted(r.hkeys("h")) == sorted(k.encode() for k in pairs)
    assert sorted(r.hvals("h")) == sorted(v.encode() for v in pairs.values())
    assert r.hlen("h") == 1000


# ---- HINCRBY HINCRBYFLOAT ---------------------------------------------------------------

def test_hincrby(r, raw):
    assert raw.cmd("HINCRBY", "h", "n", "5") == b":5\r\n"
    assert raw.cmd("HINCRBY", "h", "n", "-10") == b":-5\r\n"
    assert raw.cmd("HGET", "h", "n") == bulk("-5")
    assert raw.cmd("HINCRBY", "h", "n", "x") == NOT_INT
    assert raw.cmd("HINCRBY", "h", "n", "1.5") == NOT_INT
    raw.cmd("HSET", "h", "s", "abc", "sp", " 1", "z", "01")
    for f in ("s", "sp", "z"):
        assert raw.cmd("HINCRBY", "h", f, "1") == b"-ERR hash value is not an integer\r\n"
    raw.cmd("HSET", "h", "max", "9223372036854775807", "min", "-9223372036854775808")
    assert raw.cmd("HINCRBY", "h", "max", "1") == b"-ERR increment or decrement would overflow\r\n"
    assert raw.cmd("HINCRBY", "h", "min", "-1") == b"-ERR increment or decrement would overflow\r\n"
    assert raw.cmd("HINCRBY", "h", "max", "-1") == b":9223372036854775806\r\n"
    assert raw.cmd("HINCRBY", "nokey2", "n", "x") == NOT_INT
    assert raw.cmd("EXISTS", "nokey2") == b":0\r\n"


def test_hincrbyfloat(r, raw):
    assert raw.cmd("HINCRBYFLOAT", "h", "f", "10.5") == bulk("10.5")
    assert raw.cmd("HINCRBYFLOAT", "h", "f", "0.1") == bulk("10.6")
    assert raw.cmd("HINCRBYFLOAT", "h", "f", "-10.6") == bulk("0")
    assert raw.cmd("HINCRBYFLOAT", "h", "f", "5.0e3") == bulk("5000")
    assert raw.cmd("HINCRBYFLOAT", "h", "f", "x") == b"-ERR value is not a valid float\r\n"
    assert raw.cmd("HINCRBYFLOAT", "h", "f", "nan") == b"-ERR value is not a valid float\r\n"
    assert raw.cmd("HINCRBYFLOAT", "h", "f", "inf") == b"-ERR value is NaN or Infinity\r\n"
    raw.cmd("HSET", "h", "s", "abc", "i", "inf", "big", "1.7976931348623157e308")
    assert raw.cmd("HINCRBYFLOAT", "h", "s", "1") == b"-ERR hash value is not a float\r\n"
    assert raw.cmd("HINCRBYFLOAT", "h", "i", "1") == \
        b"-ERR increment would produce NaN or Infinity\r\n"
    raw.cmd("HSET", "h", "n", "3")
    assert raw.cmd("HINCRBYFLOAT", "h", "n", "1.5") == bulk("4.5")
    assert raw.cmd("HINCRBY", "h", "n", "1") == b"-ERR hash value is not an integer\r\n"


def test_hincrbyfloat_long_result_converts(r, raw):
    raw.cmd("HSET", "h", "a", "1")
    reply = raw.cmd("HINCRBYFLOAT", "h", "a", "1e100")
    # 1 + 1e100 in long double, printed as Redis's ld2string does (100 digits).
    assert reply == bulk("9999999999999999999669353532207342619498699019828496079271391541752018"
                         "669482644324418977840117055488")
    assert raw.cmd("OBJECT", "ENCODING", "h") == bulk("hashtable")


# ---- encodings ----------------------------------------------------------------------

def test_encoding_listpack_then_hashtable_on_entries(r, raw):
    for i in range(128):
        raw.cmd("HSET", "h", "f%d" % i, "v")
    assert raw.cmd("OBJECT", "ENCODING", "h") == bulk("listpack")
    raw.cmd("HSET", "h", "f0", "w")  # an overwrite is not one more
    assert raw.cmd("OBJECT", "ENCODING", "h") == bulk("listpack")
    raw.cmd("HSET", "h", "f128", "v")
    assert raw.cmd("OBJECT", "ENCODING", "h") == bulk("hashtable")
    for i in range(120):
        raw.cmd("HDEL", "h", "f%d" % i)
    assert raw.cmd("OBJECT", "ENCODING", "h") == bulk("hashtable")  # never back
    assert raw.cmd("HLEN", "h") == b":9\r\n"


def test_hset_with_many_pairs_converts_up_front(r, raw):
    # Redis 7.2: more pairs than hash-max-listpack-entries convert before inserting, even
    # when they repeat one field (Redis 7.0 kept a listpack here).
    assert raw.cmd("HSET", "dup", *(["a", "1"] * 129)) == b":1\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "dup") == bulk("hashtable")
    assert raw.cmd("HMSET", "dup2", *(["a", "1"] * 128)) == b"+OK\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "dup2") == bulk("listpack")


def test_encoding_on_value_and_field_length(r, raw):
    raw.cmd("HSET", "v", "a", "x" * 64)
    assert raw.cmd("OBJECT", "ENCODING", "v") == bulk("listpack")
    raw.cmd("HSET", "v", "a", "x" * 65)
    assert raw.cmd("OBJECT", "ENCODING", "v") == bulk("hashtable")
    raw.cmd("HSET", "f", "f" * 65, "1")
    assert raw.cmd("OBJECT", "ENCODING", "f") == bulk("hashtable")
    raw.cmd("HINCRBY", "i", "f" * 65, "1")
    assert raw.cmd("OBJECT", "ENCODING", "i") == bulk("hashtable")
    # Reads with long arguments and a refused HSETNX do not convert.
    raw.cmd("HSET", "r", "a", "1")
    raw.cmd("HGET", "r", "x" * 100)
    assert raw.cmd("HSETNX", "r", "a", "x" * 100) == b":0\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "r") == bulk("listpack")


def test_encoding_limits_follow_config_set(r, raw):
    try:
        assert raw.cmd("CONFIG", "SET", "hash-max-listpack-entries", "4") == b"+OK\r\n"
        assert raw.cmd("CONFIG", "SET", "hash-max-listpack-value", "8") == b"+OK\r\n"
        raw.cmd("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4")
        assert raw.cmd("OBJECT", "ENCODING", "h") == bulk("listpack")
        raw.cmd("HSET", "h", "e", "5")
        assert raw.cmd("OBJECT", "ENCODING", "h") == bulk("hashtable")
        raw.cmd("HSET", "v", "a", "123456789")
        assert raw.cmd("OBJECT", "ENCODING", "v") == bulk("hashtable")
        raw.cmd("CONFIG", "SET", "hash-max-listpack-entries", "0")
        raw.cmd("HSET", "z", "a", "1")
        assert raw.cmd("OBJECT", "ENCODING", "z") == bulk("hashtable")
    finally:
        raw.cmd("CONFIG", "SET", "hash-max-listpack-entries", "128")
        raw.cmd("CONFIG", "SET", "hash-max-listpack-value", "64")


def used_memory(r):
    return r.info("memory")["used_memory"]


@pytest.mark.skipif(bool(os.environ.get("DQ_SANITIZER")),
                    reason="sanitizer allocators add redzones: memory figures are meaningless")
@pytest.mark.parametrize("fields,bound", [(10, 40), (1000, 70)])
def test_memory_per_field_stays_close_to_payload(r, fields, bound):
    # ~15 payload bytes a pair: packed hashes cost little more, tables one node + a bucket.
    # (Redis 7.0 with jemalloc: ~30 and ~72 bytes a field for these shapes.)
    hashes = 20000 // fields
    before = used_memory(r)
    p = r.pipeline(transaction=False)
    for h in range(hashes):
        p.hset("hash:%d" % h, mapping={"field:%d" % i: "value:%d" % i for i in range(fields)})
    p.execute()
    per_field = (used_memory(r) - before) / (hashes * fields)
    assert per_field < bound, per_field


# ---- HRANDFIELD -------------------------------------------------------------------------

def test_hrandfield_single(r, raw):
    assert raw.cmd("HRANDFIELD", "nokey") == b"$-1\r\n"
    raw.cmd("HSET", "h", "a", "1", "b", "2", "c", "3")
    for _ in range(20):
        assert raw.cmd("HRANDFIELD", "h") in (bulk("a"), bulk("b"), bulk("c"))


@pytest.mark.parametrize("size", [5, 500])
def test_hrandfield_counts(r, raw, size):
    r.hset("h", mapping={"f%d" % i: "v%d" % i for i in range(size)})
    fields = {b"f%d" % i for i in range(size)}
    for count in (1, 3, size - 1, size, size + 10):
        got = parse_flat(raw.cmd("HRANDFIELD", "h", str(count)))
        assert len(got) == min(count, size)
        assert len(set(got)) == len(got) and set(got) <= fields
    got = parse_flat(raw.cmd("HRANDFIELD", "h", "-20"))
    assert len(got) == 20 and set(got) <= fields
    got = parse_flat(raw.cmd("HRANDFIELD", "h", "3", "WITHVALUES"))
    assert len(got) == 6
    for f, v in zip(got[::2], got[1::2]):
        assert v == b"v" + f[1:]
    got = parse_flat(raw.cmd("HRANDFIELD", "h", "-7", "withvalues"))
    assert len(got) == 14
    assert raw.cmd("HRANDFIELD", "h", "0") == b"*0\r\n"
    assert raw.cmd("HRANDFIELD", "h", "0", "WITHVALUES") == b"*0\r\n"


def test_hrandfield_resp3_pairs(resp3):
    c = resp3
    c.cmd("HSET", "h", "a", "1")
    assert c.cmd("HRANDFIELD", "h", "1", "WITHVALUES") == b"*1\r\n*2\r\n" + bulk("a") + bulk("1")
    assert c.cmd("HRANDFIELD", "h", "-2", "WITHVALUES") == \
        b"*2\r\n" + (b"*2\r\n" + bulk("a") + bulk("1")) * 2
    assert c.cmd("HRANDFIELD", "h", "-2") == bulks("a", "a")
    assert c.cmd("HRANDFIELD", "nokey", "2", "WITHVALUES") == b"*0\r\n"
    assert c.cmd("HRANDFIELD", "nokey") == b"_\r\n"


def test_hrandfield_errors(r, raw):
    raw.cmd("HSET", "h", "a", "1")
    assert raw.cmd("HRANDFIELD", "h", "x") == NOT_INT
    assert raw.cmd("HRANDFIELD", "h", "1", "WITHVALUE") == SYNTAX
    assert raw.cmd("HRANDFIELD", "h", "1", "WITHVALUES", "x") == SYNTAX
    assert raw.cmd("HRANDFIELD", "nokey", "1", "x") == SYNTAX  # checked before the key
    assert raw.cmd("HRANDFIELD", "h", "-9223372036854775808") == \
        b"-ERR value is out of range, value must between -9223372036854775807 and " \
        b"9223372036854775807\r\n"
    assert raw.cmd("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES") == \
        b"-ERR value is out of range\r\n"
    assert raw.cmd("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES") == \
        b"-ERR value is out of range\r\n"
    assert raw.cmd("HRANDFIELD", "h", "4611686018427387903", "WITHVALUES") == bulks("a", "1")


# ---- HSCAN ------------------------------------------------------------------------------

def test_hscan_listpack_answers_all_at_once(r, raw):
    raw.cmd("HSET", "h", "a", "1", "b", "2", "ab", "3")
    assert raw.cmd("HSCAN", "h", "0") == b"*2\r\n" + bulk("0") + \
        bulks("a", "1", "b", "2", "ab", "3")
    assert raw.cmd("HSCAN", "h", "0", "COUNT", "1") == b"*2\r\n" + bulk("0") + \
        bulks("a", "1", "b", "2", "ab", "3")
    assert raw.cmd("HSCAN", "h", "77", "MATCH", "a*") == b"*2\r\n" + bulk("0") + \
        bulks("a", "1", "ab", "3")
    assert raw.cmd("HSCAN", "h", "0", "MATCH", "zz") == b"*2\r\n" + bulk("0") + b"*0\r\n"


def test_hscan_errors(r, raw):
    raw.cmd("HSET", "h", "a", "1")
    assert raw.cmd("HSCAN", "h", "x") == b"-ERR invalid cursor\r\n"
    assert raw.cmd("HSCAN", "h", "0", "COUNT", "0") == SYNTAX
    assert raw.cmd("HSCAN", "h", "0", "COUNT", "x") == NOT_INT
    assert raw.cmd("HSCAN", "h", "0", "MATCH") == SYNTAX
    assert raw.cmd("HSCAN", "h", "0", "TYPE", "hash") == SYNTAX
    assert raw.cmd("HSCAN", "h", "0", "NOVALUES") == SYNTAX  # 7.4
    # A missing key answers an empty scan before the options are looked at (as Redis).
    assert raw.cmd("HSCAN", "nokey", "0", "COUNT", "0") == b"*2\r\n" + bulk("0") + b"*0\r\n"


def test_hscan_hashtable_full_iteration(r, raw):
    r.hset("h", mapping={"f%d" % i: "v%d" % i for i in range(1000)})
    seen = {}
    cursor = b"0"
    calls = 0
    while True:
        reply = raw.cmd("HSCAN", "h", cursor, "COUNT", "20")
        parts = reply.split(b"\r\n")
        cursor = parts[2]
        items = parse_flat(b"\r\n".join(parts[3:]))
        assert len(items) % 2 == 0
        for f, v in zip(items[::2], items[1::2]):
            assert v == b"v" + f[1:]
            seen[f] = v
        calls += 1
        if cursor == b"0":
            break
    assert len(seen) == 1000
    assert calls > 10  # COUNT counts fields and values: about 10 fields per call
    got = set()
    cursor = b"0"
    while True:
        reply = r.hscan("h", cursor, match="f1*", count=100)
        cursor, items = reply
        got.update(items)
        if cursor == 0:
            break
    assert got == {b"f%d" % i for i in range(1000) if str(i).startswith("1")}


# ---- errors, WRONGTYPE, WATCH, TTL ------------------------------------------------------

def test_wrongtype(r, raw):
    raw.cmd("SET", "s", "x")
    for args in (("HSET", "s", "a", "1"), ("HSETNX", "s", "a", "1"), ("HMSET", "s", "a", "1"),
                 ("HGET", "s", "a"), ("HMGET", "s", "a"), ("HDEL", "s", "a"),
                 ("HEXISTS", "s", "a"), ("HLEN", "s"), ("HSTRLEN", "s", "a"), ("HKEYS", "s"),
                 ("HVALS", "s"), ("HGETALL", "s"), ("HINCRBY", "s", "a", "1"),
                 ("HINCRBYFLOAT", "s", "a", "1"), ("HRANDFIELD", "s"),
                 ("HRANDFIELD", "s", "0"), ("HSCAN", "s", "0")):
        assert raw.cmd(*args) == WRONGTYPE, args
    raw.cmd("HSET", "h", "a", "1")
    assert raw.cmd("LPUSH", "h", "x") == WRONGTYPE
    assert raw.cmd("GET", "h") == WRONGTYPE
    # Argument errors come before the type check, as in Redis.
    assert raw.cmd("HINCRBY", "s", "a", "x") == NOT_INT
    assert raw.cmd("HSCAN", "s", "x") == b"-ERR invalid cursor\r\n"


@pytest.mark.parametrize("args", [
    ("HSET", "h", "a"), ("HSETNX", "h", "a"), ("HGET", "h"), ("HMGET", "h"), ("HMSET", "h", "a"),
    ("HDEL", "h"), ("HEXISTS", "h"), ("HLEN",), ("HKEYS",), ("HVALS",), ("HGETALL",),
    ("HINCRBY", "h", "a"), ("HINCRBYFLOAT", "h", "a"), ("HSTRLEN", "h"), ("HRANDFIELD",),
    ("HSCAN", "h"),
])
def test_arity(raw, args):
    assert raw.cmd(*args) == arity(args[0].lower())


def test_writes_invalidate_watch(server, r):
    def watched_exec(*write):
        a, b = server.raw(), server.raw()
        a.cmd("WATCH", "h")
        b.cmd(*write)
        a.cmd("MULTI")
        a.cmd("PING")
        out = a.cmd("EXEC")
        a.close()
        b.close()
        return out

    r.hset("h", mapping={"a": "1", "b": "2"})
    for write in (("HSET", "h", "a", "9"), ("HSETNX", "h", "new", "1"), ("HDEL", "h", "new"),
                  ("HINCRBY", "h", "a", "1"), ("HINCRBYFLOAT", "h", "a", "1"),
                  ("HMSET", "h", "a", "1")):
        assert watched_exec(*write) == b"*-1\r\n", write
    # No-ops leave WATCH alone.
    for noop in (("HSETNX", "h", "a", "x"), ("HDEL", "h", "zz"), ("HGET", "h", "a")):
        assert watched_exec(*noop) == b"*1\r\n+PONG\r\n", noop


def test_ttl_survives_writes_and_conversion(r, raw):
    raw.cmd("HSET", "h", "a", "1")
    raw.cmd("EXPIRE", "h", "100")
    raw.cmd("HSET", "h", "b", "x" * 100)
    raw.cmd("HINCRBY", "h", "n", "1")
    assert raw.cmd("OBJECT", "ENCODING", "h") == bulk("hashtable")
    ttl = int(raw.cmd("TTL", "h")[1:-2])
    assert 90 < ttl <= 100
    raw.cmd("HDEL", "h", "a", "b", "n")
    assert raw.cmd("EXISTS", "h") == b":0\r\n"


def test_copy_and_rename_keep_hash(r, raw):
    raw.cmd("HSET", "h", "a", "1")
    for i in range(200):
        raw.cmd("HSET", "t", "f%d" % i, "v")
    assert raw.cmd("COPY", "h", "h2") == b":1\r\n"
    assert raw.cmd("COPY", "t", "t2") == b":1\r\n"
    raw.cmd("HSET", "h", "a", "changed")
    assert raw.cmd("HGET", "h2", "a") == bulk("1")
    assert raw.cmd("HLEN", "t2") == b":200\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "t2") == bulk("hashtable")
    assert raw.cmd("RENAME", "t2", "t3") == b"+OK\r\n"
    assert raw.cmd("HGET", "t3", "f199") == bulk("v")
    assert raw.cmd("UNLINK", "t3") == b":1\r\n"
