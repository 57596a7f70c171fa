"""The lists family against a real dq-server: every command with its options and errors,
WRONGTYPE, emptied lists deleted, TTL on a list, OBJECT ENCODING, big lists.

Byte-for-byte comparisons with redis-server live in tests/compat/test_diff_lists.py; blocking
pops are in test_blocking.py. These tests pin the exact replies dq gives on its own."""
import pytest

from dqtest import wait_for


def err(raw_reply):
    assert raw_reply.startswith(b"-"), raw_reply
    return raw_reply[1:-2].decode()


def bulks(*items):
    out = [b"*%d\r\n" % len(items)]
    for i in items:
        i = i.encode() if isinstance(i, str) else i
        out.append(b"$%d\r\n%s\r\n" % (len(i), i))
    return b"".join(out)


WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


# ---- push / pop -----------------------------------------------------------------------------

def test_push_and_len(r, raw):
    assert raw.cmd("LPUSH", "l", "a", "b") == b":2\r\n"
    assert raw.cmd("RPUSH", "l", "c") == b":3\r\n"
    assert raw.cmd("LRANGE", "l", "0", "-1") == bulks("b", "a", "c")
    assert raw.cmd("LLEN", "l") == b":3\r\n"
    assert raw.cmd("LLEN", "nokey") == b":0\r\n"
    assert raw.cmd("LPUSHX", "l", "x", "y") == b":5\r\n"
    assert raw.cmd("RPUSHX", "l", "z") == b":6\r\n"
    assert raw.cmd("LPUSHX", "nokey", "x") == b":0\r\n"
    assert raw.cmd("RPUSHX", "nokey", "x") == b":0\r\n"
    assert raw.cmd("EXISTS", "nokey") == b":0\r\n"
    assert r.lrange("l", 0, -1) == [b"y", b"x", b"b", b"a", b"c", b"z"]


def test_push_binary_and_empty_elements(r, raw):
    assert raw.cmd("RPUSH", "l", "a\x00b", "", "\r\n") == b":3\r\n"
    assert raw.cmd("LRANGE", "l", "0", "-1") == bulks("a\x00b", "", "\r\n")
    assert raw.cmd("LPOS", "l", "") == b":1\r\n"


def test_pop_single(r, raw):
    r.rpush("l", "a", "b", "c")
    assert raw.cmd("LPOP", "l") == b"$1\r\na\r\n"
    assert raw.cmd("RPOP", "l") == b"$1\r\nc\r\n"
    assert raw.cmd("LPOP", "nokey") == b"$-1\r\n"
    assert raw.cmd("RPOP", "nokey") == b"$-1\r\n"


def test_pop_count(r, raw):
    r.rpush("l", "a", "b", "c", "d")
    assert raw.cmd("LPOP", "l", "2") == bulks("a", "b")
    assert raw.cmd("RPOP", "l", "1") == bulks("d")
    assert raw.cmd("LPOP", "l", "0") == b"*0\r\n"
    assert raw.cmd("LPOP", "l", "10") == bulks("c")
    assert raw.cmd("EXISTS", "l") == b":0\r\n"
    # A missing key with a count is a null array (RESP2 *-1), not a null bulk.
    assert raw.cmd("LPOP", "nokey", "1") == b"*-1\r\n"
    assert raw.cmd("RPOP", "nokey", "0") == b"*-1\r\n"
    assert err(raw.cmd("LPOP", "l", "-1")) == "ERR value is out of range, must be positive"
    assert err(raw.cmd("RPOP", "l", "x")) == "ERR value is out of range, must be positive"
    assert err(raw.cmd("LPOP", "l", "1", "2")) == "ERR wrong number of arguments for 'lpop' command"


def test_pop_null_resp3(server):
    c = server.raw()
    try:
        c.cmd("HELLO", "3")
        assert c.cmd("LPOP", "nokey") == b"_\r\n"
        assert c.cmd("LPOP", "nokey", "2") == b"_\r\n"
        assert c.cmd("LMPOP", "1", "nokey", "LEFT") == b"_\r\n"
    finally:
        c.close()


def test_emptied_list_is_deleted(r):
    for pop in (lambda: r.lpop("l"), lambda: r.rpop("l"), lambda: r.lrem("l", 0, "a"),
                lambda: r.ltrim("l", 1, 0), lambda: r.lmove("l", "other", "LEFT", "LEFT"),
                lambda: r.rpoplpush("l", "other"), lambda: r.lmpop(1, "l", direction="LEFT"),
                lambda: r.lpop("l", 5)):
        r.rpush("l", "a")
        pop()
        assert r.exists("l") == 0
        assert r.type("l") == b"none"


# ---- read commands --------------------------------------------------------------------------

def test_lrange_bounds(r, raw):
    r.rpush("l", "a", "b", "c", "d", "e")
    assert raw.cmd("LRANGE", "l", "-100", "100") == bulks("a", "b", "c", "d", "e")
    assert raw.cmd("LRANGE", "l", "1", "2") == bulks("b", "c")
    assert raw.cmd("LRANGE", "l", "-2", "-1") == bulks("d", "e")
    assert raw.cmd("LRANGE", "l", "3", "1") == b"*0\r\n"
    assert raw.cmd("LRANGE", "l", "5", "10") == b"*0\r\n"
    assert raw.cmd("LRANGE", "l", "-9223372036854775808", "9223372036854775807") == \
        bulks("a", "b", "c", "d", "e")
    assert raw.cmd("LRANGE", "nokey", "0", "-1") == b"*0\r\n"
    assert err(raw.cmd("LRANGE", "l", "x", "1")) == "ERR value is not an integer or out of range"
    assert err(raw.cmd("LRANGE", "l", "0", "1.5")) == "ERR value is not an integer or out of range"


def test_lindex(r, raw):
    r.rpush("l", "a", "b", "c")
    assert raw.cmd("LINDEX", "l", "0") == b"$1\r\na\r\n"
    assert raw.cmd("LINDEX", "l", "-1") == b"$1\r\nc\r\n"
    assert raw.cmd("LINDEX", "l", "3") == b"$-1\r\n"
    assert raw.cmd("LINDEX", "l", "-4") == b"$-1\r\n"
    assert raw.cmd("LINDEX", "nokey", "0") == b"$-1\r\n"
    assert err(raw.cmd("LINDEX", "l", "x")) == "ERR value is not an integer or out of range"


def test_lset(r, raw):
    r.rpush("l", "a", "b", "c")
    assert raw.cmd("LSET", "l", "1", "B") == b"+OK\r\n"
    assert raw.cmd("LSET", "l", "-1", "a-longer-value") == b"+OK\r\n"
    assert raw.cmd("LSET", "l", "0", "") == b"+OK\r\n"
    assert r.lrange("l", 0, -1) == [b"", b"B", b"a-longer-value"]
    assert err(raw.cmd("LSET", "l", "3", "x")) == "ERR index out of range"
    assert err(raw.cmd("LSET", "l", "-4", "x")) == "ERR index out of range"
    assert err(raw.cmd("LSET", "nokey", "0", "x")) == "ERR no such key"
    assert err(raw.cmd("LSET", "l", "x", "x")) == "ERR value is not an integer or out of range"


def test_linsert(r, raw):
    r.rpush("l", "a", "b", "c")
    assert raw.cmd("LINSERT", "l", "BEFORE", "b", "x") == b":4\r\n"
    assert raw.cmd("LINSERT", "l", "after", "c", "y") == b":5\r\n"
    assert raw.cmd("LINSERT", "l", "Before", "a", "z") == b":6\r\n"
    assert r.lrange("l", 0, -1) == [b"z", b"a", b"x", b"b", b"c", b"y"]
    assert raw.cmd("LINSERT", "l", "BEFORE", "nope", "x") == b":-1\r\n"
    assert raw.cmd("LINSERT", "nokey", "BEFORE", "a", "x") == b":0\r\n"
    assert raw.cmd("EXISTS", "nokey") == b":0\r\n"
    assert err(raw.cmd("LINSERT", "l", "MIDDLE", "a", "x")) == "ERR syntax error"


def test_lrem(r, raw):
    r.rpush("l", "a", "b", "a", "c", "a", "b", "a")
    assert raw.cmd("LREM", "l", "2", "a") == b":2\r\n"
    assert r.lrange("l", 0, -1) == [b"b", b"c", b"a", b"b", b"a"]
    assert raw.cmd("LREM", "l", "-1", "a") == b":1\r\n"
    assert r.lrange("l", 0, -1) == [b"b", b"c", b"a", b"b"]
    assert raw.cmd("LREM", "l", "0", "b") == b":2\r\n"
    assert raw.cmd("LREM", "l", "0", "zz") == b":0\r\n"
    assert raw.cmd("LREM", "nokey", "0", "a") == b":0\r\n"
    assert err(raw.cmd("LREM", "l", "x", "a")) == "ERR value is not an integer or out of range"
    assert r.lrange("l", 0, -1) == [b"c", b"a"]


def test_ltrim(r, raw):
    r.rpush("l", *"12345")
    assert raw.cmd("LTRIM", "l", "1", "-2") == b"+OK\r\n"
    assert r.lrange("l", 0, -1) == [b"2", b"3", b"4"]
    assert raw.cmd("LTRIM", "l", "-100", "100") == b"+OK\r\n"
    assert r.llen("l") == 3
    assert raw.cmd("LTRIM", "nokey", "0", "1") == b"+OK\r\n"
    assert err(raw.cmd("LTRIM", "l", "a", "1")) == "ERR value is not an integer or out of range"
    assert raw.cmd("LTRIM", "l", "2", "1") == b"+OK\r\n"
    assert raw.cmd("EXISTS", "l") == b":0\r\n"


def test_lpos(r, raw):
    r.rpush("l", "a", "b", "c", "1", "2", "3", "c", "c")
    assert raw.cmd("LPOS", "l", "c") == b":2\r\n"
    assert raw.cmd("LPOS", "l", "c", "RANK", "2") == b":6\r\n"
    assert raw.cmd("LPOS", "l", "c", "RANK", "-1") == b":7\r\n"
    assert raw.cmd("LPOS", "l", "c", "RANK", "-3") == b":2\r\n"
    assert raw.cmd("LPOS", "l", "c", "RANK", "4") == b"$-1\r\n"
    assert raw.cmd("LPOS", "l", "c", "COUNT", "0") == b"*3\r\n:2\r\n:6\r\n:7\r\n"
    assert raw.cmd("LPOS", "l", "c", "COUNT", "2") == b"*2\r\n:2\r\n:6\r\n"
    assert raw.cmd("LPOS", "l", "c", "COUNT", "0", "RANK", "-1") == b"*3\r\n:7\r\n:6\r\n:2\r\n"
    assert raw.cmd("LPOS", "l", "c", "MAXLEN", "2") == b"$-1\r\n"
    assert raw.cmd("LPOS", "l", "c", "MAXLEN", "3") == b":2\r\n"
    assert raw.cmd("LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1") == b":7\r\n"
    assert raw.cmd("LPOS", "l", "c", "RANK", "-1", "MAXLEN", "2", "COUNT", "0") == \
        b"*2\r\n:7\r\n:6\r\n"
    assert raw.cmd("LPOS", "l", "zz") == b"$-1\r\n"
    assert raw.cmd("LPOS", "l", "zz", "COUNT", "0") == b"*0\r\n"
    assert raw.cmd("LPOS", "nokey", "a") == b"$-1\r\n"
    assert raw.cmd("LPOS", "nokey", "a", "COUNT", "1") == b"*0\r\n"


def test_lpos_errors(r, raw):
    r.rpush("l", "a")
    assert err(raw.cmd("LPOS", "l", "a", "RANK", "0")).startswith("ERR RANK can't be zero: use 1")
    assert err(raw.cmd("LPOS", "l", "a", "RANK", "x")) == \
        "ERR value is not an integer or out of range"
    assert err(raw.cmd("LPOS", "l", "a", "COUNT", "-1")) == "ERR COUNT can't be negative"
    assert err(raw.cmd("LPOS", "l", "a", "COUNT", "x")) == "ERR COUNT can't be negative"
    assert err(raw.cmd("LPOS", "l", "a", "MAXLEN", "-1")) == "ERR MAXLEN can't be negative"
    assert err(raw.cmd("LPOS", "l", "a", "MAXLEN", "x")) == "ERR MAXLEN can't be negative"
    assert err(raw.cmd("LPOS", "l", "a", "COUNT")) == "ERR syntax error"
    assert err(raw.cmd("LPOS", "l", "a", "FOO", "1")) == "ERR syntax error"
    # Options are checked before the key: a missing key still answers the option error.
    assert err(raw.cmd("LPOS", "nokey", "a", "RANK", "0")).startswith("ERR RANK can't be zero")
    # Redis 7.0 quirk: RANK LLONG_MIN acts as RANK -1.
    assert raw.cmd("LPOS", "l", "a", "RANK", "-9223372036854775808") == b":0\r\n"


# ---- moves ----------------------------------------------------------------------------------

def test_lmove_and_rpoplpush(r, raw):
    r.rpush("src", "a", "b", "c")
    assert raw.cmd("LMOVE", "src", "dst", "LEFT", "RIGHT") == b"$1\r\na\r\n"
    assert raw.cmd("LMOVE", "src", "dst", "right", "left") == b"$1\r\nc\r\n"
    assert r.lrange("dst", 0, -1) == [b"c", b"a"]
    assert raw.cmd("RPOPLPUSH", "dst", "src") == b"$1\r\na\r\n"
    assert r.lrange("src", 0, -1) == [b"a", b"b"]
    assert raw.cmd("LMOVE", "nokey", "dst", "LEFT", "LEFT") == b"$-1\r\n"
    assert raw.cmd("RPOPLPUSH", "nokey", "dst") == b"$-1\r\n"
    assert raw.cmd("EXISTS", "nokey") == b":0\r\n"
    assert err(raw.cmd("LMOVE", "src", "dst", "UP", "LEFT")) == "ERR syntax error"
    assert err(raw.cmd("LMOVE", "src", "dst", "LEFT", "DOWN")) == "ERR syntax error"


def test_lmove_rotation(r, raw):
    r.rpush("l", "a", "b", "c")
    assert raw.cmd("RPOPLPUSH", "l", "l") == b"$1\r\nc\r\n"
    assert raw.cmd("LMOVE", "l", "l", "LEFT", "RIGHT") == b"$1\r\nc\r\n"
    assert r.lrange("l", 0, -1) == [b"a", b"b", b"c"]
    r.delete("l")
    r.rpush("one", "x")
    assert raw.cmd("LMOVE", "one", "one", "LEFT", "RIGHT") == b"$1\r\nx\r\n"
    assert r.lrange("one", 0, -1) == [b"x"]


def test_lmove_wrongtype_destination_moves_nothing(r, raw):
    r.rpush("src", "a")
    r.set("str", "x")
    assert err(raw.cmd("LMOVE", "src", "str", "LEFT", "LEFT")) == WRONGTYPE
    assert err(raw.cmd("RPOPLPUSH", "src", "str")) == WRONGTYPE
    assert r.lrange("src", 0, -1) == [b"a"]
    # A missing source answers nil before the destination type is looked at (as Redis).
    assert raw.cmd("RPOPLPUSH", "nokey", "str") == b"$-1\r\n"


def test_lmpop(r, raw):
    r.rpush("a", "1", "2", "3")
    r.rpush("b", "x")
    assert raw.cmd("LMPOP", "2", "nokey", "a", "LEFT") == b"*2\r\n$1\r\na\r\n" + bulks("1")
    assert raw.cmd("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "5") == \
        b"*2\r\n$1\r\na\r\n" + bulks("3", "2")
    assert raw.cmd("EXISTS", "a") == b":0\r\n"
    assert raw.cmd("LMPOP", "2", "a", "b", "left", "count", "1") == \
        b"*2\r\n$1\r\nb\r\n" + bulks("x")
    assert raw.cmd("LMPOP", "1", "nokey", "LEFT") == b"*-1\r\n"


def test_lmpop_errors(r, raw):
    r.rpush("a", "1")
    numkeys = "ERR numkeys should be greater than 0"
    assert err(raw.cmd("LMPOP", "0", "a", "LEFT")) == numkeys
    assert err(raw.cmd("LMPOP", "-1", "a", "LEFT")) == numkeys
    assert err(raw.cmd("LMPOP", "x", "a", "LEFT")) == numkeys
    assert err(raw.cmd("LMPOP", "2", "a", "LEFT")) == "ERR syntax error"
    assert err(raw.cmd("LMPOP", "1", "a", "MIDDLE")) == "ERR syntax error"
    assert err(raw.cmd("LMPOP", "1", "a", "LEFT", "COUNT")) == "ERR syntax error"
    assert err(raw.cmd("LMPOP", "1", "a", "LEFT", "FOO")) == "ERR syntax error"
    assert err(raw.cmd("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1")) == \
        "ERR syntax error"
    for bad in ("0", "-1", "x"):
        assert err(raw.cmd("LMPOP", "1", "a", "LEFT", "COUNT", bad)) == \
            "ERR count should be greater than 0"
    assert err(raw.cmd("LMPOP", "1", "a")) == "ERR wrong number of arguments for 'lmpop' command"
    assert r.lrange("a", 0, -1) == [b"1"]


# ---- types, expiry, encodings ---------------------------------------------------------------

WRONGTYPE_CMDS = [
    ("LPUSH", "s", "a"), ("RPUSH", "s", "a"), ("LPUSHX", "s", "a"), ("RPUSHX", "s", "a"),
    ("LPOP", "s"), ("RPOP", "s"), ("LPOP", "s", "1"), ("LLEN", "s"), ("LRANGE", "s", "0", "-1"),
    ("LINDEX", "s", "0"), ("LSET", "s", "0", "x"), ("LINSERT", "s", "BEFORE", "a", "b"),
    ("LREM", "s", "0", "a"), ("LTRIM", "s", "0", "1"), ("LPOS", "s", "a"),
    ("LMOVE", "s", "d", "LEFT", "RIGHT"), ("RPOPLPUSH", "s", "d"), ("LMPOP", "1", "s", "LEFT"),
    ("BLPOP", "s", "0"), ("BRPOP", "s", "0"), ("BLMOVE", "s", "d", "LEFT", "LEFT", "0"),
    ("BRPOPLPUSH", "s", "d", "0"), ("BLMPOP", "0", "1", "s", "LEFT"),
]


@pytest.mark.parametrize("cmd", WRONGTYPE_CMDS, ids=lambda c: " ".join(c[:1] + c[2:3]))
def test_wrongtype(r, raw, cmd):
    r.set("s", "x")
    assert err(raw.cmd(*cmd)) == WRONGTYPE
    assert r.get("s") == b"x"
    assert r.exists("d") == 0


def test_ttl_on_list_expires_whole_list(r):
    r.rpush("l", "a", "b")
    assert r.pexpire("l", 60)
    assert r.ttl("l") in (0, 1)
    r.rpush("l", "c")  # writes keep the TTL
    assert r.pttl("l") > 0
    wait_for(lambda: r.exists("l") == 0, timeout=3)
    assert r.lrange("l", 0, -1) == []
    assert r.llen("l") == 0
    assert r.rpush("l", "new") == 1
    assert r.ttl("l") == -1


def test_object_encoding(r, start_server):
    # dq follows Redis 7.2: "listpack" while the list fits one node (8 KiB by default, or
    # list-max-listpack-size entries), "quicklist" beyond. (Redis 7.0 says quicklist always.)
    r.rpush("small", "a")
    assert r.object("encoding", "small") == b"listpack"
    r.rpush("big", *["x" * 100] * 200)
    assert r.object("encoding", "big") == b"quicklist"
    s = start_server(list_max_listpack_size=4)
    c = s.client()
    c.rpush("l", *"abcd")
    assert c.object("encoding", "l") == b"listpack"
    c.rpush("l", *"efghij")
    assert c.lrange("l", 0, -1) == [ch.encode() for ch in "abcdefghij"]
    assert c.object("encoding", "l") == b"quicklist"
    assert c.config_get("list-max-listpack-size") == {"list-max-listpack-size": "4"}
    c.close()


def test_small_nodes_keep_order(start_server):
    # Nodes of 4 entries: inserts, sets and removals in the middle split and merge nodes.
    s = start_server(list_max_listpack_size=4)
    c = s.client()
    ref = [str(i) for i in range(50)]
    c.rpush("l", *ref)
    c.linsert("l", "BEFORE", "25", "x")
    ref.insert(25, "x")
    c.lset("l", 10, "y" * 300)
    ref[10] = "y" * 300
    c.lrem("l", 0, "30")
    ref.remove("30")
    c.ltrim("l", 2, -3)
    ref = ref[2:-2]
    assert [v.decode() for v in c.lrange("l", 0, -1)] == ref
    assert [c.lindex("l", i).decode() for i in (0, 7, 20, -1)] == [ref[i] for i in (0, 7, 20, -1)]
    c.close()


def test_big_list(r):
    n = 100_000
    p = r.pipeline(transaction=False)
    for i in range(0, n, 1000):
        p.rpush("big", *range(i, i + 1000))
    p.execute()
    assert r.llen("big") == n
    assert r.lindex("big", 50_000) == b"50000"
    assert r.lindex("big", -1) == b"99999"
    assert r.lrange("big", 49_998, 50_001) == [b"49998", b"49999", b"50000", b"50001"]
    assert r.lset("big", 50_000, "mid-" + "z" * 50)
    assert r.lindex("big", 50_000) == b"mid-" + b"z" * 50
    assert r.lrange("big", 49_999, 50_001) == [b"49999", b"mid-" + b"z" * 50, b"50001"]
    assert r.linsert("big", "AFTER", "70000", "ins") == n + 1
    assert r.lindex("big", 70_001) == b"ins"
    assert r.lpos("big", "ins") == 70_001
    assert r.lrem("big", 1, "ins") == 1
    assert len(r.lrange("big", 0, -1)) == n
    assert r.lpop("big", 3) == [b"0", b"1", b"2"]
    assert r.rpop("big") == b"99999"
    assert r.ltrim("big", 10, 19)
    assert r.lrange("big", 0, -1) == [str(i).encode() for i in range(13, 23)]


def test_big_elements(r):
    big = "e" * 100_000
    r.rpush("l", "a", big, "b")
    assert r.lindex("l", 1) == big.encode()
    assert r.lset("l", 0, big)
    assert r.lrange("l", 0, -1) == [big.encode(), big.encode(), b"b"]
    assert r.lrem("l", 0, big) == 2
    assert r.lrange("l", 0, -1) == [b"b"]


def test_arity_errors(raw):
    for cmd, args in [("lpush", ["k"]), ("rpush", ["k"]), ("lpushx", ["k"]), ("rpushx", ["k"]),
                      ("lpop", []), ("rpop", []), ("llen", ["a", "b"]), ("lrange", ["k", "0"]),
                      ("lindex", ["k"]), ("lset", ["k", "0"]), ("linsert", ["k", "BEFORE", "a"]),
                      ("lrem", ["k", "0"]), ("ltrim", ["k", "0"]), ("lpos", ["k"]),
                      ("lmove", ["a", "b", "LEFT"]), ("rpoplpush", ["a"]), ("lmpop", ["1", "a"]),
                      ("blpop", ["k"]), ("brpop", ["k"]), ("blmove", ["a", "b", "LEFT", "LEFT"]),
                      ("brpoplpush", ["a", "b"]), ("blmpop", ["0", "1", "a"])]:
        assert err(raw.cmd(cmd.upper(), *args)) == \
            "ERR wrong number of arguments for '%s' command" % cmd


def test_list_in_other_db(r, server):
    c = server.client(db=3)
    c.rpush("l", "a")
    assert r.exists("l") == 0
    assert c.lpop("l") == b"a"
    c.close()


def test_keyspace_ops_on_lists(r):
    r.rpush("l", "a", "b")
    assert r.type("l") == b"list"
    assert r.rename("l", "m")
    assert r.lrange("m", 0, -1) == [b"a", b"b"]
    assert r.copy("m", "n")
    r.rpush("n", "c")
    assert r.lrange("m", 0, -1) == [b"a", b"b"]
    assert r.lrange("n", 0, -1) == [b"a", b"b", b"c"]
    assert r.delete("m", "n") == 2
    assert r.exists("m", "n") == 0
