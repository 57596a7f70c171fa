"""Differential tests for the sorted-set family: the same command streams go to dq and to
redis-server (7.0), and the raw reply bytes must be equal, in RESP2 and after HELLO 3.
Scripted streams cover every command, option and error; a seeded random stream (also with a
tiny listpack limit, so conversions happen) covers combinations.

Scores are chosen so that Redis 7.0's %.17g and 7.2's shortest round-trip print the same
(integers, halves, quarters, inf); 7.2-only syntax (ZRANK ... WITHSCORE) is tested in
tests/integration/test_zsets.py instead."""
import random

import pytest

from dqtest import both_raw, diff_stream


@pytest.fixture
def pair(server, redis_ref):
    yield from both_raw(server, redis_ref,
                        setup=[("CONFIG", "SET", "zset-max-listpack-entries", "128")])


SEED = [("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "-inf", "lo", "+inf",
         "hi", "2.5", "bb")]
LEX = [("ZADD", "l", "0", m) for m in ("a", "b", "c", "d", "e", "f", "g", "aa", "", "\x00")]

STREAMS = {
    "zadd": [
        ("ZADD", "z", "1", "a"), ("ZADD", "z", "NX", "2", "a", "3", "b"),
        ("ZADD", "z", "XX", "5", "a", "6", "c"), ("ZADD", "z", "CH", "5", "a", "7", "b"),
        ("ZADD", "z", "GT", "CH", "1", "a", "9", "b"), ("ZADD", "z", "LT", "CH", "1", "a", "99", "b"),
        ("ZADD", "z", "INCR", "2", "a"), ("ZADD", "z", "INCR", "NX", "2", "a"),
        ("ZADD", "z", "INCR", "XX", "2", "nope"), ("ZADD", "z", "INCR", "GT", "-1", "a"),
        ("ZADD", "z", "XX", "NX", "1", "a"), ("ZADD", "z", "GT", "LT", "1", "a"),
        ("ZADD", "z", "GT", "NX", "1", "a"), ("ZADD", "z", "LT", "NX", "1", "a"),
        ("ZADD", "z", "INCR", "1", "a", "2", "b"), ("ZADD", "z", "1"), ("ZADD", "z", "1", "a", "2"),
        ("ZADD", "z", "x", "a"), ("ZADD", "z", "nan", "a"), ("ZADD", "z", "1", "a", "zz", "b"),
        ("ZADD", "z", "XX", "NX", "x", "a"), ("ZADD", "z", "CH"), ("ZADD", "z", "inf", "i"),
        ("ZADD", "z", "INCR", "-inf", "i"), ("ZADD", "z", "-inf", "j"),
        ("ZADD", "z", "INCR", "+inf", "j"), ("ZADD", "z", "INCR", "+inf", "i"),
        ("ZRANGE", "z", "0", "-1", "WITHSCORES"), ("ZADD", "new", "XX", "1", "a"),
        ("ZADD", "new", "XX", "INCR", "1", "a"), ("EXISTS", "new"),
        ("ZINCRBY", "z", "2.5", "a"), ("ZINCRBY", "z", "x", "a"), ("ZINCRBY", "z", "1", "fresh"),
        ("ZINCRBY", "z", "-inf", "i"), ("ZSCORE", "z", "i"), ("ZCARD", "z"), ("ZCARD", "nokey"),
        ("ZADD", "z", "0x10", "hex"), ("ZADD", "z", " 1", "sp"), ("ZADD", "z", "1e400", "big"),
        ("ZSCORE", "z", "hex"), ("ZSCORE", "nokey", "a"), ("ZSCORE", "z", "nope"),
        ("ZMSCORE", "z", "a", "nope", "b"), ("ZMSCORE", "nokey", "a", "b"),
        ("ZREM", "z", "a", "nope", "b"), ("ZREM", "nokey", "a"), ("TYPE", "z"),
        ("OBJECT", "ENCODING", "z"),
    ],
    "rank_count": SEED + [
        ("ZRANK", "z", "a"), ("ZRANK", "z", "hi"), ("ZRANK", "z", "nope"), ("ZRANK", "nokey", "a"),
        ("ZREVRANK", "z", "a"), ("ZREVRANK", "z", "hi"), ("ZREVRANK", "z", "nope"),
        ("ZCOUNT", "z", "-inf", "+inf"), ("ZCOUNT", "z", "(1", "3"), ("ZCOUNT", "z", "1", "(3"),
        ("ZCOUNT", "z", "(1", "(1"), ("ZCOUNT", "z", "3", "1"), ("ZCOUNT", "z", "x", "1"),
        ("ZCOUNT", "z", "1", "(x"), ("ZCOUNT", "z", "", "2"), ("ZCOUNT", "z", "(", "5"),
        ("ZCOUNT", "z", "nan", "1"), ("ZCOUNT", "nokey", "0", "1"), ("ZCOUNT", "nokey", "x", "1"),
        ("ZCOUNT", "z", "inf", "inf"), ("ZCOUNT", "z", "-inf", "(-inf"),
    ] + LEX + [
        ("ZLEXCOUNT", "l", "-", "+"), ("ZLEXCOUNT", "l", "[a", "[c"), ("ZLEXCOUNT", "l", "(a", "(c"),
        ("ZLEXCOUNT", "l", "+", "-"), ("ZLEXCOUNT", "l", "[c", "[a"), ("ZLEXCOUNT", "l", "a", "c"),
        ("ZLEXCOUNT", "l", "[a", "c"), ("ZLEXCOUNT", "l", "", "+"), ("ZLEXCOUNT", "l", "-x", "+"),
        ("ZLEXCOUNT", "l", "[", "+"), ("ZLEXCOUNT", "l", "(", "+"), ("ZLEXCOUNT", "nokey", "-", "+"),
        ("ZLEXCOUNT", "nokey", "x", "+"), ("ZLEXCOUNT", "l", "[\x00", "[a"),
    ],
    "range": SEED + LEX + [
        ("ZRANGE", "z", "0", "-1"), ("ZRANGE", "z", "0", "-1", "WITHSCORES"),
        ("ZRANGE", "z", "-3", "-2"), ("ZRANGE", "z", "5", "1"), ("ZRANGE", "z", "100", "200"),
        ("ZRANGE", "z", "-100", "100"), ("ZRANGE", "z", "x", "1"), ("ZRANGE", "z", "0", "-1", "REV"),
        ("ZRANGE", "z", "0", "2", "REV", "WITHSCORES"), ("ZRANGE", "z", "1", "4", "BYSCORE"),
        ("ZRANGE", "z", "(1", "(4", "BYSCORE", "WITHSCORES"),
        ("ZRANGE", "z", "4", "1", "BYSCORE", "REV"), ("ZRANGE", "z", "1", "4", "BYSCORE", "REV"),
        ("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"),
        ("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1"),
        ("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"),
        ("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "0", "0"),
        ("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "100", "2"),
        ("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "2", "3", "WITHSCORES"),
        ("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"), ("ZRANGE", "l", "-", "+", "BYLEX", "WITHSCORES"),
        ("ZRANGE", "l", "[a", "[c", "BYLEX"), ("ZRANGE", "l", "[c", "[a", "BYLEX", "REV"),
        ("ZRANGE", "l", "-", "+", "BYLEX", "LIMIT", "2", "3"), ("ZRANGE", "l", "-", "+", "BYLEX", "REV", "LIMIT", "1", "2"),
        ("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"), ("ZRANGE", "z", "0", "1", "REV", "REV"),
        ("ZRANGE", "z", "0", "1", "FOO"), ("ZRANGE", "z", "0", "1", "LIMIT", "1"),
        ("ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "x", "1"),
        ("ZRANGE", "z", "x", "1", "BYSCORE"), ("ZRANGE", "l", "a", "b", "BYLEX"),
        ("ZRANGE", "nokey", "0", "-1"), ("ZRANGE", "nokey", "x", "1"),
        ("ZREVRANGE", "z", "0", "2"), ("ZREVRANGE", "z", "0", "2", "WITHSCORES"),
        ("ZREVRANGE", "z", "0", "2", "BYSCORE"), ("ZREVRANGE", "z", "0", "2", "REV"),
        ("ZRANGEBYSCORE", "z", "1", "3"), ("ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES", "LIMIT", "1", "3"),
        ("ZRANGEBYSCORE", "z", "1", "3", "REV"), ("ZRANGEBYSCORE", "z", "1", "3", "BYSCORE"),
        ("ZRANGEBYSCORE", "z", "1", "3", "LIMIT"), ("ZRANGEBYSCORE", "z", "a", "3"),
        ("ZREVRANGEBYSCORE", "z", "3", "1"), ("ZREVRANGEBYSCORE", "z", "+inf", "(1", "WITHSCORES", "LIMIT", "1", "2"),
        ("ZREVRANGEBYSCORE", "z", "1", "3"),
        ("ZRANGEBYLEX", "l", "-", "+"), ("ZRANGEBYLEX", "l", "(a", "[d", "LIMIT", "1", "2"),
        ("ZRANGEBYLEX", "l", "-", "+", "WITHSCORES"), ("ZRANGEBYLEX", "l", "a", "+"),
        ("ZREVRANGEBYLEX", "l", "+", "-"), ("ZREVRANGEBYLEX", "l", "[d", "(a", "LIMIT", "0", "2"),
        ("ZREVRANGEBYLEX", "l", "-", "+"),
        ("ZRANGESTORE", "dst", "z", "0", "2"), ("ZRANGE", "dst", "0", "-1", "WITHSCORES"),
        ("ZRANGESTORE", "dst", "z", "(1", "+inf", "BYSCORE", "LIMIT", "0", "2"),
        ("ZRANGE", "dst", "0", "-1", "WITHSCORES"), ("ZRANGESTORE", "dst", "l", "[b", "[d", "BYLEX", "REV"),
        ("ZRANGE", "dst", "0", "-1"), ("ZRANGESTORE", "dst", "z", "0", "1", "WITHSCORES"),
        ("ZRANGESTORE", "dst", "z", "5", "1"), ("EXISTS", "dst"), ("SET", "str", "x"),
        ("ZRANGESTORE", "str", "z", "0", "0"), ("TYPE", "str"), ("ZRANGESTORE", "dst", "nokey", "0", "-1"),
        ("ZRANGESTORE", "dst", "str", "0", "-1"), ("ZRANGESTORE", "z", "z", "0", "1"),
        ("ZRANGE", "z", "0", "-1"),
    ],
    "remrange": SEED + [
        ("ZREMRANGEBYRANK", "z", "0", "1"), ("ZRANGE", "z", "0", "-1"),
        ("ZREMRANGEBYRANK", "z", "-2", "-1"), ("ZREMRANGEBYRANK", "z", "5", "1"),
        ("ZREMRANGEBYRANK", "z", "x", "1"), ("ZREMRANGEBYRANK", "nokey", "0", "1"),
        ("ZREMRANGEBYSCORE", "z", "(2", "4"), ("ZRANGE", "z", "0", "-1"),
        ("ZREMRANGEBYSCORE", "z", "x", "4"), ("ZREMRANGEBYSCORE", "nokey", "x", "4"),
        ("ZREMRANGEBYSCORE", "z", "-inf", "+inf"), ("EXISTS", "z"),
    ] + LEX + [
        ("ZREMRANGEBYLEX", "l", "[a", "(c"), ("ZRANGE", "l", "0", "-1"),
        ("ZREMRANGEBYLEX", "l", "x", "+"), ("ZREMRANGEBYLEX", "l", "-", "+"), ("EXISTS", "l"),
    ],
    "pop": SEED + [
        ("ZPOPMIN", "z"), ("ZPOPMAX", "z"), ("ZPOPMIN", "z", "2"), ("ZPOPMAX", "z", "0"),
        ("ZPOPMIN", "z", "-1"), ("ZPOPMIN", "z", "x"), ("ZPOPMIN", "z", "1", "2"),
        ("ZPOPMIN", "nokey"), ("ZPOPMIN", "nokey", "2"), ("ZPOPMAX", "z", "100"), ("EXISTS", "z"),
    ] + SEED + [
        ("ZMPOP", "1", "z", "MIN"), ("ZMPOP", "2", "nokey", "z", "MAX", "COUNT", "2"),
        ("ZMPOP", "1", "nokey", "MIN"), ("ZMPOP", "0", "z", "MIN"), ("ZMPOP", "x", "z", "MIN"),
        ("ZMPOP", "-1", "z", "MIN"), ("ZMPOP", "1", "z", "LEFT"), ("ZMPOP", "3", "z", "MIN"),
        ("ZMPOP", "1", "z", "MIN", "COUNT", "0"), ("ZMPOP", "1", "z", "MIN", "COUNT", "x"),
        ("ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1"), ("ZMPOP", "1", "z", "MIN", "COUNT"),
        ("ZMPOP", "1", "z", "MAX", "COUNT", "100"), ("EXISTS", "z"),
        ("BZPOPMIN", "nokey", "0.01"), ("BZMPOP", "0.01", "1", "nokey", "MIN"),
        ("BZPOPMIN", "nokey", "x"), ("BZPOPMIN", "nokey", "-1"), ("BZMPOP", "x", "1", "nokey", "MIN"),
        ("BZMPOP", "x", "0", "nokey", "MIN"), ("BZMPOP", "0", "1", "nokey", "FOO"),
        ("ZADD", "z", "1", "a", "2", "b"), ("BZPOPMIN", "nokey", "z", "0"), ("BZPOPMAX", "z", "0"),
        ("BZPOPMAX", "z", "0.01"), ("ZADD", "z", "1", "a", "2", "b", "3", "c"),
        ("BZMPOP", "0", "2", "nokey", "z", "MAX", "COUNT", "2"),
    ],
    "setops": [
        ("ZADD", "a", "1", "x", "2", "y", "3", "z"), ("ZADD", "b", "10", "y", "20", "z", "30", "w"),
        ("ZADD", "c", "inf", "x", "-inf", "y"),
        ("ZUNION", "2", "a", "b"), ("ZUNION", "2", "a", "b", "WITHSCORES"),
        ("ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES"),
        ("ZUNION", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"),
        ("ZUNION", "2", "a", "b", "AGGREGATE", "MAX", "WITHSCORES"),
        ("ZUNION", "3", "a", "b", "c", "WITHSCORES"), ("ZUNION", "2", "c", "c", "WITHSCORES"),
        ("ZUNION", "2", "c", "a", "WEIGHTS", "0", "1", "WITHSCORES"),
        ("ZUNION", "1", "nokey"), ("ZUNION", "0", "a"), ("ZUNION", "-1", "a"), ("ZUNION", "x", "a"),
        ("ZUNION", "3", "a", "b"), ("ZUNION", "2", "a", "b", "WEIGHTS", "1"),
        ("ZUNION", "2", "a", "b", "WEIGHTS", "1", "x"), ("ZUNION", "2", "a", "b", "AGGREGATE", "AVG"),
        ("ZUNION", "2", "a", "b", "AGGREGATE"), ("ZUNION", "2", "a", "b", "FOO"),
        ("ZINTER", "2", "a", "b", "WITHSCORES"), ("ZINTER", "2", "a", "b", "AGGREGATE", "MAX", "WITHSCORES"),
        ("ZINTER", "3", "a", "b", "c", "WITHSCORES"), ("ZINTER", "2", "a", "c", "WITHSCORES"),
        ("ZINTER", "2", "a", "nokey"), ("ZINTER", "2", "a", "b", "WEIGHTS", "1", "-1", "WITHSCORES"),
        ("ZDIFF", "2", "a", "b"), ("ZDIFF", "2", "a", "b", "WITHSCORES"), ("ZDIFF", "1", "a", "WITHSCORES"),
        ("ZDIFF", "2", "a", "b", "WEIGHTS", "1", "1"), ("ZDIFF", "2", "nokey", "a"),
        ("ZINTERCARD", "2", "a", "b"), ("ZINTERCARD", "2", "a", "b", "LIMIT", "1"),
        ("ZINTERCARD", "2", "a", "b", "LIMIT", "0"), ("ZINTERCARD", "2", "a", "b", "LIMIT", "-1"),
        ("ZINTERCARD", "2", "a", "b", "LIMIT", "x"), ("ZINTERCARD", "0", "a"),
        ("ZINTERCARD", "2", "a", "nokey"), ("ZINTERCARD", "2", "a", "b", "WITHSCORES"),
        ("ZUNIONSTORE", "d", "2", "a", "b"), ("ZRANGE", "d", "0", "-1", "WITHSCORES"),
        ("ZINTERSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"), ("ZRANGE", "d", "0", "-1", "WITHSCORES"),
        ("ZDIFFSTORE", "d", "2", "a", "b"), ("ZRANGE", "d", "0", "-1", "WITHSCORES"),
        ("ZINTERSTORE", "d", "2", "a", "nokey"), ("EXISTS", "d"),
        ("ZUNIONSTORE", "d", "2", "a", "b", "WITHSCORES"), ("ZUNIONSTORE", "d", "0", "a"),
        ("SET", "s", "x"), ("ZUNION", "2", "a", "s"), ("ZUNIONSTORE", "s", "1", "a"), ("TYPE", "s"),
        ("SADD", "set", "x", "q"), ("ZUNION", "2", "a", "set", "WITHSCORES"),
        ("ZINTER", "2", "a", "set", "WITHSCORES"), ("ZDIFF", "2", "a", "set"),
        ("ZDIFF", "2", "set", "a", "WITHSCORES"), ("ZINTERCARD", "2", "set", "a"),
        ("ZUNIONSTORE", "a", "2", "a", "a"), ("ZRANGE", "a", "0", "-1", "WITHSCORES"),
    ],
    "randmember_scan": [
        ("ZRANDMEMBER", "nokey"), ("ZRANDMEMBER", "nokey", "5"), ("ZRANDMEMBER", "nokey", "x"),
        ("ZADD", "z", "1", "a"), ("ZRANDMEMBER", "z"), ("ZRANDMEMBER", "z", "1", "WITHSCORES"),
        ("ZRANDMEMBER", "z", "0"), ("ZRANDMEMBER", "z", "-3"), ("ZRANDMEMBER", "z", "-2", "WITHSCORES"),
        ("ZRANDMEMBER", "z", "5", "WITHSCORES"), ("ZRANDMEMBER", "z", "1", "FOO"),
        ("ZRANDMEMBER", "z", "1", "WITHSCORES", "x"), ("ZRANDMEMBER", "z", "-9223372036854775808"),
        ("ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES"),
        ("ZADD", "z", "2", "b", "3", "c"), ("ZSCAN", "z", "0"), ("ZSCAN", "z", "0", "MATCH", "b*"),
        ("ZSCAN", "z", "0", "COUNT", "0"), ("ZSCAN", "z", "x"), ("ZSCAN", "z", "0", "TYPE", "zset"),
        ("ZSCAN", "nokey", "0"), ("ZSCAN", "z", "0", "COUNT"),
    ],
    "wrongtype": [("SET", "s", "x")] + [
        tuple(c) for c in (
            ["ZADD", "s", "1", "a"], ["ZINCRBY", "s", "1", "a"], ["ZREM", "s", "a"], ["ZCARD", "s"],
            ["ZSCORE", "s", "a"], ["ZMSCORE", "s", "a"], ["ZRANK", "s", "a"], ["ZREVRANK", "s", "a"],
            ["ZCOUNT", "s", "0", "1"], ["ZLEXCOUNT", "s", "-", "+"], ["ZRANGE", "s", "0", "1"],
            ["ZRANGEBYSCORE", "s", "0", "1"], ["ZRANGEBYLEX", "s", "-", "+"],
            ["ZREMRANGEBYRANK", "s", "0", "1"], ["ZPOPMIN", "s"], ["ZPOPMIN", "s", "0"],
            ["ZMPOP", "1", "s", "MIN"], ["BZPOPMIN", "s", "0"], ["BZMPOP", "0", "1", "s", "MIN"],
            ["ZRANDMEMBER", "s"], ["ZRANDMEMBER", "s", "1"], ["ZSCAN", "s", "0"],
            ["ZADD", "z", "1", "a"], ["BZPOPMIN", "z", "s", "0"], ["ZADD", "z", "1", "a"],
            ["ZMPOP", "2", "s", "z", "MIN"], ["ZINTER", "2", "z", "s"],
        )
    ],
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream_resp2(pair, name):
    diff_stream(pair, STREAMS[name])


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream_resp3(pair, name):
    diff_stream(pair, STREAMS[name], resp3=True)


# A 10-member listpack limit so the random stream crosses conversions both ways.
@pytest.mark.parametrize("seed,limit", [(1, 128), (2, 10), (3, 4), (4, 0)])
def test_random_stream(pair, seed, limit):
    a, b = pair
    for c in (a, b):
        c.cmd("CONFIG", "SET", "zset-max-listpack-entries", str(limit))
    rnd = random.Random(seed)
    members = ["m%d" % i for i in range(40)]
    keys = ["k1", "k2", "k3"]

    def score():
        return rnd.choice(["0", "1", "2", "3", "-1", "0.5", "2.25", "10", "-inf", "+inf"])

    def bound():
        s = score()
        return ("(" + s) if rnd.random() < 0.3 else s

    def lex():
        return rnd.choice(["-", "+", "[m1", "(m1", "[m25", "(m3", "[m", "[m39"])

    stream = []
    for _ in range(600):
        k = rnd.choice(keys)
        op = rnd.randrange(16)
        if op < 5:
            args = ["ZADD", k] + rnd.choice([[], ["NX"], ["XX"], ["GT", "CH"], ["LT"], ["CH"]])
            for _ in range(rnd.randint(1, 6)):
                args += [score(), rnd.choice(members)]
            stream.append(tuple(args))
        elif op == 5:
            stream.append(("ZINCRBY", k, score(), rnd.choice(members)))
        elif op == 6:
            stream.append(("ZREM", k, rnd.choice(members), rnd.choice(members)))
        elif op == 7:
            stream.append(("ZRANGE", k, str(rnd.randint(-10, 10)), str(rnd.randint(-10, 10)),
                           "WITHSCORES") + (("REV",) if rnd.random() < 0.5 else ()))
        elif op == 8:
            args = ["ZRANGE", k, bound(), bound(), "BYSCORE", "WITHSCORES"]
            if rnd.random() < 0.5:
                args.append("REV")
            if rnd.random() < 0.5:
                args += ["LIMIT", str(rnd.randint(0, 5)), str(rnd.randint(-1, 5))]
            stream.append(tuple(args))
        elif op == 9:
            stream.append(("ZCOUNT", k, bound(), bound()))
        elif op == 10:
            stream.append(("ZRANK", k, rnd.choice(members)))
            stream.append(("ZREVRANK", k, rnd.choice(members)))
        elif op == 11:
            stream.append(("ZREMRANGEBYSCORE", k, bound(), bound()))
        elif op == 12:
            stream.append((rnd.choice(["ZPOPMIN", "ZPOPMAX"]), k, str(rnd.randint(0, 3))))
        elif op == 13:
            stream.append((rnd.choice(["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"]), k, "2",
                           rnd.choice(keys), rnd.choice(keys)))
        elif op == 14:
            stream.append(("ZREMRANGEBYRANK", k, str(rnd.randint(-5, 5)), str(rnd.randint(-5, 5))))
        else:
            stream.append(("ZRANGESTORE", k, rnd.choice(keys), "0", str(rnd.randint(-3, 20))))
        if rnd.random() < 0.1:
            stream.append(("ZRANGE", k, "0", "-1", "WITHSCORES"))
    # Lex ranges on an all-equal-score set.
    for m in members:
        stream.append(("ZADD", "lex", "0", m))
    for _ in range(50):
        stream.append(("ZRANGEBYLEX", "lex", lex(), lex()))
        stream.append(("ZLEXCOUNT", "lex", lex(), lex()))
    stream.append(("ZREMRANGEBYLEX", "lex", "[m1", "(m3"))
    stream.append(("ZRANGE", "lex", "0", "-1"))
    for k in keys:
        stream.append(("ZRANGE", k, "0", "-1", "WITHSCORES"))
    diff_stream(pair, stream)
