"""The sorted-set family against a real dq-server: every command with exact replies in RESP2
and RESP3, encodings and conversions (OBJECT ENCODING), 7.2's ZRANK WITHSCORE, emptied keys
deleted, *STORE semantics, blocking BZPOPMIN/BZPOPMAX/BZMPOP with real connections (FIFO,
timeouts, wake-ups by ZADD, MULTI), and memory per member.

Byte-for-byte comparisons with redis-server live in tests/compat/test_diff_zsets.py."""
import os
import pytest

from dqtest import encode_command, wait_for


def err(raw_reply):
    assert raw_reply.startswith(b"-"), raw_reply
    return raw_reply[1:-2].decode()


def bulks(*items):
    out = [b"*%d\r\n" % len(items)]
    for i in items:
        i = i.encode() if isinstance(i, str) else i
        out.append(b"$%d\r\n%s\r\n" % (len(i), i))
    return b"".join(out)


def b(s):
    return b"$%d\r\n%s\r\n" % (len(s), s.encode())


@pytest.fixture
def r3(server):
    c = server.raw()
    c.cmd("FLUSHALL")
    c.cmd("HELLO", "3")
    yield c
    c.close()


# ---- ZADD / ZINCRBY ---------------------------------------------------------------------------

def test_zadd_basic_and_options(r, raw):
    assert raw.cmd("ZADD", "z", "1", "a", "2", "b") == b":2\r\n"
    assert raw.cmd("ZADD", "z", "3", "a") == b":0\r\n"
    assert raw.cmd("ZADD", "z", "CH", "4", "a", "5", "c") == b":2\r\n"
    assert raw.cmd("ZADD", "z", "NX", "9", "a", "6", "d") == b":1\r\n"
    assert raw.cmd("ZADD", "z", "XX", "CH", "7", "a", "1", "nope") == b":1\r\n"
    assert raw.cmd("ZADD", "z", "GT", "CH", "1", "a") == b":0\r\n"
    assert raw.cmd("ZADD", "z", "LT", "CH", "1", "a") == b":1\r\n"
    assert raw.cmd("ZSCORE", "z", "a") == b("1")
    assert raw.cmd("ZADD", "z", "INCR", "2.5", "a") == b("3.5")
    assert raw.cmd("ZADD", "z", "INCR", "NX", "1", "a") == b"$-1\r\n"
    assert raw.cmd("ZADD", "z", "INCR", "GT", "-1", "a") == b"$-1\r\n"
    assert raw.cmd("ZINCRBY", "z", "-0.5", "a") == b("3")
    assert raw.cmd("ZINCRBY", "z", "1", "new") == b("1")
    assert raw.cmd("ZADD", "nokey", "XX", "1", "a") == b":0\r\n"
    assert raw.cmd("ZADD", "nokey", "XX", "INCR", "1", "a") == b"$-1\r\n"
    assert raw.cmd("EXISTS", "nokey") == b":0\r\n"


def test_zadd_errors(r, raw):
    assert err(raw.cmd("ZADD", "z", "XX", "NX", "1", "a")) == \
        "ERR XX and NX options at the same time are not compatible"
    for opts in (("GT", "LT"), ("GT", "NX"), ("LT", "NX")):
        assert err(raw.cmd("ZADD", "z", *opts, "1", "a")) == \
            "ERR GT, LT, and/or NX options at the same time are not compatible"
    assert err(raw.cmd("ZADD", "z", "INCR", "1", "a", "2", "b")) == \
        "ERR INCR option supports a single increment-element pair"
    assert err(raw.cmd("ZADD", "z", "1", "a", "2")) == "ERR syntax error"
    assert err(raw.cmd("ZADD", "z", "x", "a")) == "ERR value is not a valid float"
    assert err(raw.cmd("ZADD", "z", "nan", "a")) == "ERR value is not a valid float"
    assert err(raw.cmd("ZINCRBY", "z", "x", "a")) == "ERR value is not a valid float"
    assert raw.cmd("ZADD", "z", "inf", "a") == b":1\r\n"
    assert err(raw.cmd("ZINCRBY", "z", "-inf", "a")) == "ERR resulting score is not a number (NaN)"
    assert raw.cmd("ZSCORE", "z", "a") == b("inf")
    assert raw.cmd("EXISTS", "z") == b":1\r\n"


def test_zadd_resp3_double(r3):
    assert r3.cmd("ZADD", "z", "INCR", "1.5", "a") == b",1.5\r\n"
    assert r3.cmd("ZSCORE", "z", "a") == b",1.5\r\n"
    assert r3.cmd("ZADD", "z", "INCR", "inf", "a") == b",inf\r\n"
    assert r3.cmd("ZSCORE", "z", "nope") == b"_\r\n"
    assert r3.cmd("ZMSCORE", "z", "a", "nope") == b"*2\r\n,inf\r\n_\r\n"


def test_double_format_72(r, raw):
    # Redis 7.2 prints the shortest round-trip form (7.0 printed %.17g).
    assert raw.cmd("ZADD", "z", "INCR", "0.1", "a") == b("0.1")
    assert raw.cmd("ZINCRBY", "z", "0.2", "a") == b("0.30000000000000004")
    assert raw.cmd("ZADD", "z", "1e20", "big") == b":1\r\n"
    assert raw.cmd("ZSCORE", "z", "big") == b("1e+20")


# ---- reads ------------------------------------------------------------------------------------

def test_card_score_rem(r, raw):
    r.zadd("z", {"a": 1, "b": 2, "c": 3})
    assert raw.cmd("ZCARD", "z") == b":3\r\n"
    assert raw.cmd("ZCARD", "nokey") == b":0\r\n"
    assert raw.cmd("ZMSCORE", "z", "a", "x", "c") == b"*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n"
    assert raw.cmd("ZMSCORE", "nokey", "a") == b"*1\r\n$-1\r\n"
    assert raw.cmd("ZREM", "z", "a", "x") == b":1\r\n"
    assert raw.cmd("ZREM", "nokey", "a") == b":0\r\n"
    assert raw.cmd("ZREM", "z", "b", "c") == b":2\r\n"
    assert raw.cmd("EXISTS", "z") == b":0\r\n"


def test_rank_withscore_72(r, raw, r3):
    raw.cmd("ZADD", "z", "1", "a", "2.5", "b", "3", "c")
    assert raw.cmd("ZRANK", "z", "b") == b":1\r\n"
    assert raw.cmd("ZREVRANK", "z", "b") == b":1\r\n"
    assert raw.cmd("ZREVRANK", "z", "a") == b":2\r\n"
    assert raw.cmd("ZRANK", "z", "b", "WITHSCORE") == b"*2\r\n:1\r\n$3\r\n2.5\r\n"
    assert raw.cmd("ZREVRANK", "z", "c", "withscore") == b"*2\r\n:0\r\n$1\r\n3\r\n"
    assert raw.cmd("ZRANK", "z", "x") == b"$-1\r\n"
    assert raw.cmd("ZRANK", "z", "x", "WITHSCORE") == b"*-1\r\n"
    assert raw.cmd("ZRANK", "nokey", "x", "WITHSCORE") == b"*-1\r\n"
    assert err(raw.cmd("ZRANK", "z", "a", "FOO")) == "ERR syntax error"
    assert err(raw.cmd("ZRANK", "z", "a", "WITHSCORE", "x")) == \
        "ERR wrong number of arguments for 'zrank' command"
    assert r3.cmd("ZADD", "z3", "1", "a") == b":1\r\n"
    assert r3.cmd("ZRANK", "z3", "a", "WITHSCORE") == b"*2\r\n:0\r\n,1\r\n"
    assert r3.cmd("ZRANK", "z", "x", "WITHSCORE") == b"_\r\n"


def test_count_lexcount(r, raw):
    r.zadd("z", {"a": 1, "b": 2, "c": 3})
    assert raw.cmd("ZCOUNT", "z", "-inf", "+inf") == b":3\r\n"
    assert raw.cmd("ZCOUNT", "z", "(1", "3") == b":2\r\n"
    assert raw.cmd("ZCOUNT", "z", "(1", "(3") == b":1\r\n"
    assert err(raw.cmd("ZCOUNT", "z", "x", "1")) == "ERR min or max is not a float"
    r.zadd("l", {"a": 0, "b": 0, "c": 0})
    assert raw.cmd("ZLEXCOUNT", "l", "-", "+") == b":3\r\n"
    assert raw.cmd("ZLEXCOUNT", "l", "(a", "[c") == b":2\r\n"
    assert err(raw.cmd("ZLEXCOUNT", "l", "a", "+")) == "ERR min or max not valid string range item"


# ---- ranges -----------------------------------------------------------------------------------

def test_zrange_forms(r, raw):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert raw.cmd("ZRANGE", "z", "0", "-1") == bulks("a", "b", "c", "d")
    assert raw.cmd("ZRANGE", "z", "0", "1", "WITHSCORES") == bulks("a", "1", "b", "2")
    assert raw.cmd("ZRANGE", "z", "0", "1", "REV") == bulks("d", "c")
    assert raw.cmd("ZRANGE", "z", "(1", "3", "BYSCORE") == bulks("b", "c")
    assert raw.cmd("ZRANGE", "z", "3", "(1", "BYSCORE", "REV") == bulks("c", "b")
    assert raw.cmd("ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "1", "2") == bulks("b", "c")
    assert raw.cmd("ZREVRANGE", "z", "0", "0", "WITHSCORES") == bulks("d", "4")
    assert raw.cmd("ZRANGEBYSCORE", "z", "2", "3") == bulks("b", "c")
    assert raw.cmd("ZREVRANGEBYSCORE", "z", "3", "2") == bulks("c", "b")
    assert raw.cmd("ZRANGE", "nokey", "0", "-1") == b"*0\r\n"
    assert err(raw.cmd("ZRANGE", "z", "0", "1", "LIMIT", "0", "1")) == \
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
    assert err(raw.cmd("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES")) == \
        "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
    assert err(raw.cmd("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX")) == "ERR syntax error"
    assert err(raw.cmd("ZRANGE", "z", "x", "1")) == "ERR value is not an integer or out of range"


def test_zrange_lex(r, raw):
    r.zadd("l", {m: 0 for m in "abcdefg"})
    assert raw.cmd("ZRANGEBYLEX", "l", "[b", "(e") == bulks("b", "c", "d")
    assert raw.cmd("ZREVRANGEBYLEX", "l", "(e", "[b") == bulks("d", "c", "b")
    assert raw.cmd("ZRANGE", "l", "-", "+", "BYLEX", "LIMIT", "5", "10") == bulks("f", "g")
    assert raw.cmd("ZRANGEBYLEX", "l", "+", "-") == b"*0\r\n"


def test_zrange_resp3_pairs(r3):
    r3.cmd("ZADD", "z", "1", "a", "2", "b")
    assert r3.cmd("ZRANGE", "z", "0", "-1", "WITHSCORES") == \
        b"*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n"
    assert r3.cmd("ZRANGE", "z", "0", "-1") == b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert r3.cmd("ZUNION", "1", "z", "WITHSCORES") == \
        b"*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n"
    assert r3.cmd("ZRANDMEMBER", "z", "-1", "WITHSCORES").startswith(b"*1\r\n*2\r\n")


def test_zrangestore(r, raw):
    r.zadd("z", {"a": 1, "b": 2, "c": 3})
    assert raw.cmd("ZRANGESTORE", "d", "z", "0", "1") == b":2\r\n"
    assert r.zrange("d", 0, -1, withscores=True) == [(b"a", 1.0), (b"b", 2.0)]
    assert raw.cmd("ZRANGESTORE", "d", "z", "+inf", "(1", "BYSCORE", "REV", "LIMIT", "0", "1") == b":1\r\n"
    assert r.zrange("d", 0, -1) == [b"c"]
    r.set("s", "x")
    assert raw.cmd("ZRANGESTORE", "s", "z", "0", "0") == b":1\r\n"
    assert raw.cmd("TYPE", "s") == b"+zset\r\n"
    assert raw.cmd("ZRANGESTORE", "d", "z", "5", "9") == b":0\r\n"
    assert raw.cmd("EXISTS", "d") == b":0\r\n"
    assert err(raw.cmd("ZRANGESTORE", "d", "z", "0", "1", "WITHSCORES")) == "ERR syntax error"


def test_remrange(r, raw):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert raw.cmd("ZREMRANGEBYRANK", "z", "0", "0") == b":1\r\n"
    assert raw.cmd("ZREMRANGEBYSCORE", "z", "(2", "3") == b":1\r\n"
    assert raw.cmd("ZREMRANGEBYLEX", "z", "-", "+") == b":2\r\n"
    assert raw.cmd("EXISTS", "z") == b":0\r\n"
    assert err(raw.cmd("ZREMRANGEBYSCORE", "z", "a", "1")) == "ERR min or max is not a float"
    assert err(raw.cmd("ZREMRANGEBYLEX", "z", "a", "+")) == \
        "ERR min or max not valid string range item"


# ---- pops -------------------------------------------------------------------------------------

def test_pops(r, raw, r3):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert raw.cmd("ZPOPMIN", "z") == bulks("a", "1")
    assert raw.cmd("ZPOPMAX", "z", "2") == bulks("d", "4", "c", "3")
    assert raw.cmd("ZPOPMIN", "z", "0") == b"*0\r\n"
    assert raw.cmd("ZPOPMIN", "nokey") == b"*0\r\n"
    assert err(raw.cmd("ZPOPMIN", "z", "-1")) == "ERR value is out of range, must be positive"
    assert raw.cmd("ZMPOP", "2", "nokey", "z", "MIN") == \
        b"*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
    assert raw.cmd("EXISTS", "z") == b":0\r\n"
    assert raw.cmd("ZMPOP", "1", "z", "MIN") == b"*-1\r\n"
    assert err(raw.cmd("ZMPOP", "0", "z", "MIN")) == "ERR numkeys should be greater than 0"
    assert err(raw.cmd("ZMPOP", "1", "z", "MIN", "COUNT", "0")) == \
        "ERR count should be greater than 0"
    r3.cmd("ZADD", "z", "1", "a", "2", "b")
    assert r3.cmd("ZPOPMIN", "z", "1") == b"*1\r\n*2\r\n$1\r\na\r\n,1\r\n"
    assert r3.cmd("ZPOPMIN", "z") == b"*2\r\n$1\r\nb\r\n,2\r\n"
    assert r3.cmd("ZMPOP", "1", "z", "MIN") == b"_\r\n"


# ---- set algebra ------------------------------------------------------------------------------

def test_setops(r, raw):
    r.zadd("a", {"x": 1, "y": 2})
    r.zadd("b", {"y": 10, "z": 20})
    assert raw.cmd("ZUNION", "2", "a", "b", "WITHSCORES") == bulks("x", "1", "y", "12", "z", "20")
    assert raw.cmd("ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES") == bulks("y", "2")
    assert raw.cmd("ZDIFF", "2", "a", "b") == bulks("x")
    assert raw.cmd("ZINTERCARD", "2", "a", "b") == b":1\r\n"
    assert raw.cmd("ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "2", "1") == b":3\r\n"
    assert r.zrange("d", 0, -1, withscores=True) == [(b"x", 2.0), (b"y", 14.0), (b"z", 20.0)]
    assert raw.cmd("ZINTERSTORE", "d", "2", "a", "nokey") == b":0\r\n"
    assert raw.cmd("EXISTS", "d") == b":0\r\n"
    assert raw.cmd("ZDIFFSTORE", "d", "1", "a") == b":2\r\n"
    assert err(raw.cmd("ZUNION", "0", "a")) == \
        "ERR at least 1 input key is needed for 'zunion' command"
    assert err(raw.cmd("ZUNION", "2", "a", "b", "WEIGHTS", "1", "x")) == \
        "ERR weight value is not a float"
    assert err(raw.cmd("ZINTERCARD", "1", "a", "LIMIT", "-1")) == "ERR LIMIT can't be negative"


def test_setops_with_plain_sets(r, raw):
    r.zadd("a", {"x": 5, "y": 2})
    r.sadd("s", "x", "q")
    assert raw.cmd("ZUNION", "2", "a", "s", "WITHSCORES") == \
        bulks("q", "1", "y", "2", "x", "6")
    assert raw.cmd("ZINTER", "2", "s", "a", "WITHSCORES") == bulks("x", "6")
    assert raw.cmd("ZDIFF", "2", "s", "a", "WITHSCORES") == bulks("q", "1")


# ---- random, scan -----------------------------------------------------------------------------

def test_zrandmember(r, raw):
    assert raw.cmd("ZRANDMEMBER", "nokey") == b"$-1\r\n"
    assert raw.cmd("ZRANDMEMBER", "nokey", "3") == b"*0\r\n"
    r.zadd("z", {m: i for i, m in enumerate("abcdefghij")})
    got = r.zrandmember("z", 5)
    assert len(got) == 5 and len(set(got)) == 5
    assert len(r.zrandmember("z", 50)) == 10
    assert len(r.zrandmember("z", -50)) == 50
    pairs = r.execute_command("ZRANDMEMBER", "z", "3", "WITHSCORES")
    assert len(pairs) == 6
    assert err(raw.cmd("ZRANDMEMBER", "z", "1", "FOO")) == "ERR syntax error"


@pytest.mark.parametrize("n", [5, 500])
def test_zscan(r, raw, n):
    r.zadd("z", {"m%d" % i: i for i in range(n)})
    seen, cursor = {}, 0
    while True:
        cursor, items = r.zscan("z", cursor, count=20)
        seen.update(dict(items))
        if cursor == 0:
            break
    assert len(seen) == n and seen[b"m3"] == 3.0
    assert raw.cmd("ZSCAN", "nokey", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    assert err(raw.cmd("ZSCAN", "z", "x")) == "ERR invalid cursor"
    _, items = r.zscan("z", 0, match="m1", count=10000)
    assert items == [(b"m1", 1.0)]


# ---- encodings --------------------------------------------------------------------------------

def test_encoding_conversion(r, raw):
    r.zadd("z", {"m%d" % i: i for i in range(128)})
    assert raw.cmd("OBJECT", "ENCODING", "z") == b"$8\r\nlistpack\r\n"
    r.zadd("z", {"one-more": 1})
    assert raw.cmd("OBJECT", "ENCODING", "z") == b"$8\r\nskiplist\r\n"
    r.zadd("w", {"x" * 64: 1})
    assert raw.cmd("OBJECT", "ENCODING", "w") == b"$8\r\nlistpack\r\n"
    r.zadd("w", {"x" * 65: 1})
    assert raw.cmd("OBJECT", "ENCODING", "w") == b"$8\r\nskiplist\r\n"
    # STORE results go back to a listpack when they fit (Redis 7).
    assert raw.cmd("ZRANGESTORE", "d", "z", "0", "9") == b":10\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "d") == b"$8\r\nlistpack\r\n"
    assert raw.cmd("ZUNIONSTORE", "d", "1", "z") == b":129\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "d") == b"$8\r\nskiplist\r\n"


def test_encoding_limits_from_config(start_server):
    s = start_server(zset_max_listpack_entries=2, zset_max_listpack_value=4)
    c = s.raw()
    c.cmd("ZADD", "z", "1", "a", "2", "b")
    assert c.cmd("OBJECT", "ENCODING", "z") == b"$8\r\nlistpack\r\n"
    c.cmd("ZADD", "z", "3", "c")
    assert c.cmd("OBJECT", "ENCODING", "z") == b"$8\r\nskiplist\r\n"
    assert c.cmd("ZRANGE", "z", "0", "-1") == bulks("a", "b", "c")
    c.close()


def test_big_zset_ranks(r, raw):
    n = 5000
    pipe = r.pipeline(transaction=False)
    for i in range(0, n, 500):
        pipe.zadd("z", {"m%05d" % j: j for j in range(i, i + 500)})
    pipe.execute()
    assert r.zcard("z") == n
    assert r.zrank("z", "m04321") == 4321
    assert r.zrevrank("z", "m04321") == n - 1 - 4321
    assert r.zrange("z", 2500, 2502) == [b"m02500", b"m02501", b"m02502"]
    assert r.zcount("z", "(100", "200") == 100
    assert r.zremrangebyrank("z", 0, 999) == 1000
    assert r.zrank("z", "m04321") == 3321


@pytest.mark.skipif(bool(os.environ.get("DQ_SANITIZER")),
                    reason="sanitizer allocators add redzones: memory figures are meaningless")
def test_memory_per_member(r):
    # 1,000 zsets of 1,000 members would take long here; 100 of 1,000 show the ratio.
    before = r.info("memory")["used_memory"]
    pipe = r.pipeline(transaction=False)
    for k in range(100):
        pipe.zadd("zs%d" % k, {"member:%06d" % i: i for i in range(1000)})
    pipe.execute()
    used = r.info("memory")["used_memory"] - before
    assert used / 100000 < 110  # Redis 7.0 spends ~120 bytes per such member


# ---- blocking ---------------------------------------------------------------------------------

def blocked(r):
    return r.info("clients")["blocked_clients"]


def test_bzpopmin_immediate_and_timeout(r, raw):
    r.zadd("z", {"a": 1, "b": 2})
    assert raw.cmd("BZPOPMIN", "nokey", "z", "0") == bulks("z", "a", "1")
    assert raw.cmd("BZPOPMAX", "z", "0") == bulks("z", "b", "2")
    assert raw.cmd("BZPOPMIN", "z", "0.05") == b"*-1\r\n"
    assert raw.cmd("BZMPOP", "0.05", "1", "z", "MIN") == b"*-1\r\n"
    assert err(raw.cmd("BZPOPMIN", "z", "-1")) == "ERR timeout is negative"
    assert err(raw.cmd("BZPOPMIN", "z", "x")) == "ERR timeout is not a float or out of range"


def test_bzpopmin_fifo_wakeup(r, server):
    c1, c2 = server.raw(), server.raw()
    try:
        c1.send(encode_command("BZPOPMIN", "z", "0"))
        wait_for(lambda: blocked(r) == 1)
        c2.send(encode_command("BZPOPMAX", "other", "z", "0"))
        wait_for(lambda: blocked(r) == 2)
        r.zadd("z", {"a": 1, "b": 2})
        assert c1.read_reply_bytes() == bulks("z", "a", "1")
        assert c2.read_reply_bytes() == bulks("z", "b", "2")
        assert r.exists("z") == 0
        assert blocked(r) == 0
    finally:
        c1.close()
        c2.close()


def test_bzmpop_wakeup_count(r, server, r3):
    c = server.raw()
    try:
        c.send(encode_command("BZMPOP", "0", "2", "x", "y", "MAX", "COUNT", "2"))
        wait_for(lambda: blocked(r) == 1)
        r.zadd("y", {"a": 1, "b": 2, "c": 3})
        assert c.read_reply_bytes() == \
            b"*2\r\n$1\r\ny\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
        assert r.zrange("y", 0, -1) == [b"a"]
    finally:
        c.close()


def test_bzpop_resp3_timeout_and_multi(r, server):
    c = server.raw()
    try:
        c.cmd("HELLO", "3")
        assert c.cmd("BZPOPMIN", "z", "0.05") == b"_\r\n"
        c.cmd("MULTI")
        c.cmd("BZPOPMIN", "z", "0")
        assert c.cmd("EXEC") == b"*1\r\n_\r\n"
        c.cmd("ZADD", "z", "1", "a")
        assert c.cmd("BZPOPMIN", "z", "0") == b"*3\r\n$1\r\nz\r\n$1\r\na\r\n,1\r\n"
    finally:
        c.close()


def test_bzpopmin_waiter_times_out_then_others_served(r, server):
    c1, c2 = server.raw(), server.raw()
    try:
        c1.send(encode_command("BZPOPMIN", "z", "0.1"))
        c2.send(encode_command("BZPOPMIN", "z", "0"))
        wait_for(lambda: blocked(r) >= 1)
        assert c1.read_reply_bytes() == b"*-1\r\n"
        r.zadd("z", {"a": 1})
        assert c2.read_reply_bytes() == bulks("z", "a", "1")
    finally:
        c1.close()
        c2.close()
