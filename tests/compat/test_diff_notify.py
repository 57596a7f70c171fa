"""Differential keyspace-notification tests: the same command stream runs on dq and on
Debian's redis-server with the same notify-keyspace-events; a subscriber on each with
`PSUBSCRIBE __key*__:*` must receive exactly the same (channel, message) sequence, and the
commands' replies must be equal too.

Each run ends with a PUBLISH on a sentinel channel matching the pattern, so the subscriber
reads everything the stream caused without sleeping. Commands whose replies are random
(SPOP, SRANDMEMBER...) are compared for their events only (`(cmd, False)` steps).

The reference is Redis 7.0; where 7.2 emits differently the test says so and follows 7.2."""
import time

import pytest

from dqtest import DQ_SERVER, ServerProc, encode_command, start_either, wait_for

SENTINEL = "__keysentinel__:end"


def read_push(c):
    """One pushed pub/sub message as a list of bytes."""
    frame = c.read_reply_bytes()
    parts = frame.split(b"\r\n")
    # *4 $8 pmessage $n pattern $n channel $n message  (bulks never contain CRLF here)
    return [parts[i] for i in range(2, len(parts) - 1, 2)]


class Side:
    def __init__(self, proc):
        self.proc = proc
        self.c = proc.raw()
        self.sub = proc.raw()
        assert self.sub.cmd("PSUBSCRIBE", "__key*__:*").startswith(b"*3")

    def close(self):
        self.c.cmd("CONFIG", "SET", "notify-keyspace-events", "")
        self.c.close()
        self.sub.close()

    def events(self):
        """Every message received up to the sentinel, as (channel, message)."""
        assert self.c.cmd("PUBLISH", SENTINEL, "end") == b":1\r\n"
        out = []
        while True:
            m = read_push(self.sub)
            assert m[0] == b"pmessage", m
            if m[2] == SENTINEL.encode():
                return out
            out.append((m[2].decode(errors="replace"), m[3].decode(errors="replace")))

    def run(self, flags, stream, setup=()):
        self.c.cmd("CONFIG", "SET", "notify-keyspace-events", "")
        self.c.cmd("SELECT", "0")
        self.c.cmd("FLUSHALL")
        for cmd in setup:
            self.c.cmd(*cmd)
        assert self.c.cmd("CONFIG", "SET", "notify-keyspace-events", flags) == b"+OK\r\n"
        replies = []
        for step in stream:
            compare = True
            if isinstance(step, tuple) and len(step) == 2 and isinstance(step[1], bool):
                step, compare = step
            r = self.c.cmd(*step)
            replies.append((step, r if compare else None))
        return replies, self.events()


@pytest.fixture
def sides(server, redis_ref):
    a, b = Side(server), Side(redis_ref)
    yield a, b
    a.close()
    b.close()


def check(sides, flags, stream, setup=()):
    dq, ref = sides
    r1, e1 = dq.run(flags, stream, setup)
    r2, e2 = ref.run(flags, stream, setup)
    for x, y in zip(r1, r2):
        assert x == y, "reply differs for %r: dq %r, redis %r" % (x[0], x[1], y[1])
    assert e1 == e2, "events differ:\ndq    %r\nredis %r" % (e1, e2)
    return e1


GENERIC = [
    ["SET", "a", "1"], ["SET", "b", "2"], ["DEL", "a", "b", "nokey"],
    ["SET", "a", "1"], ["UNLINK", "a"],
    ["SET", "s", "v"], ["RENAME", "s", "d"], ["RENAMENX", "d", "e"], ["SET", "f", "x"],
    ["RENAMENX", "e", "f"], ["RENAME", "e", "e"], ["RENAME", "e", "f"],
    ["COPY", "f", "g"], ["COPY", "f", "g"], ["COPY", "f", "g", "REPLACE"],
    ["COPY", "f", "g", "DB", "2"],
    ["MOVE", "g", "3"], ["MOVE", "g", "3"],
    ["EXPIRE", "f", "100"], ["PEXPIRE", "f", "100000"], ["EXPIREAT", "f", "99999999999"],
    ["PEXPIREAT", "f", "99999999999999"], ["EXPIRE", "f", "100", "NX"], ["PERSIST", "f"],
    ["PERSIST", "f"], ["EXPIRE", "nokey", "10"], ["SET", "t", "1"], ["EXPIRE", "t", "-1"],
    ["SET", "t", "1"], ["PEXPIREAT", "t", "1"], ["EXISTS", "t"],
    ["RPUSH", "l", "3", "1", "2"], ["SORT", "l", "STORE", "out"], ["SORT", "nol", "STORE", "out"],
    ["SORT", "nol", "STORE", "out"], ["TOUCH", "l"], ["TYPE", "l"],
    ["COPY", "nokey", "x"], ["RENAME", "nokey", "x"], ["MOVE", "nokey", "3"], ["SORT", "nokey"],
    ["SORT_RO", "nokey"], ["TTL", "nokey"], ["PTTL", "nokey"], ["EXPIRETIME", "nokey"],
    ["TYPE", "nokey"], ["EXISTS", "nokey", "l"], ["OBJECT", "ENCODING", "nokey"],
    ["OBJECT", "FREQ", "nokey"], ["PERSIST", "nokey"], ["TOUCH", "nokey"], ["UNLINK", "nokey"],
    ["SORT", "l", "BY", "nosuch*", "GET", "nosuch*"],
    ["FLUSHDB"], ["SET", "x", "1"], ["SWAPDB", "0", "1"],
]


@pytest.mark.parametrize("flags", ["KEA", "KA", "EA", "Kg", "E$", "KEn", "KEAn", "KEgn", "Ag",
                                   "KEm", "KEAnm"])
def test_generic(sides, flags):
    check(sides, flags, GENERIC)


STRINGS = [
    ["SET", "k", "v"], ["SET", "k", "v2", "EX", "100"], ["SET", "k", "v", "KEEPTTL"],
    ["SET", "k", "v", "NX"], ["SET", "k", "v", "XX", "GET"], ["SET", "n", "v", "XX"],
    ["SETNX", "k", "z"], ["SETNX", "k2", "z"], ["SETEX", "k3", "10", "v"],
    ["PSETEX", "k4", "10000", "v"], ["GETSET", "k", "w"], ["GETSET", "k5", "w"],
    ["MSET", "m1", "1", "m2", "2"], ["MSETNX", "m1", "1", "m3", "3"], ["MSETNX", "m4", "4", "m5", "5"],
    ["INCR", "i"], ["INCRBY", "i", "5"], ["DECR", "i"], ["DECRBY", "i", "2"],
    ["INCRBYFLOAT", "f", "1.5"], ["INCRBYFLOAT", "f", "1"], ["INCR", "k"],
    ["APPEND", "ap", "x"], ["APPEND", "ap", "y"], ["APPEND", "ap", ""],
    ["SETRANGE", "sr", "3", "abc"], ["SETRANGE", "sr", "0", ""], ["SETRANGE", "nosr", "0", ""],
    ["SETRANGE", "sr", "1", "Z"],
    ["GETDEL", "sr"], ["GETDEL", "sr"], ["GET", "nothere"], ["GET", "k"], ["MGET", "k", "no1", "no2"],
    ["GETEX", "k"], ["GETEX", "k", "EX", "100"], ["GETEX", "k", "PERSIST"], ["GETEX", "k", "PERSIST"],
    ["GETEX", "k", "PX", "100000"], ["GETEX", "k", "PXAT", "1"], ["GETEX", "nokey", "EX", "5"],
    ["STRLEN", "nokey"], ["GETRANGE", "nokey", "0", "1"], ["SUBSTR", "m1", "0", "1"],
    ["SET", "k", "v", "PX", "100000", "GET"], ["SET", "k", "v", "EXAT", "9999999999"],
    ["LCS", "m1", "m2"], ["SET", "lk", "v", "NX", "GET"],
]


@pytest.mark.parametrize("flags", ["KEA", "E$", "Kg", "KEA$mn", "KEm", "Em"])
def test_strings(sides, flags):
    check(sides, flags, STRINGS)


BITS = [
    ["SETBIT", "b", "7", "1"], ["SETBIT", "b", "7", "1"], ["SETBIT", "b", "100", "0"],
    ["GETBIT", "nob", "1"], ["BITCOUNT", "nob"], ["BITPOS", "nob", "1"],
    ["SET", "x", "abc"], ["BITOP", "AND", "dst", "x", "b"], ["BITOP", "OR", "dst", "no1", "no2"],
    ["BITOP", "OR", "dst2", "no1", "no2"], ["BITOP", "NOT", "dst3", "x"],
    ["BITFIELD", "bf", "SET", "u8", "0", "255"], ["BITFIELD", "bf", "GET", "u8", "0"],
    ["BITFIELD", "bf", "INCRBY", "u8", "0", "1"],
    ["BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"],
    ["BITFIELD", "nobf", "GET", "u8", "0"], ["BITFIELD_RO", "nobf2", "GET", "u8", "0"],
    ["PFADD", "h", "a", "b"], ["PFADD", "h", "a"], ["PFADD", "h2"], ["PFADD", "h2"],
    ["PFCOUNT", "h", "noh"], ["PFMERGE", "hm", "h", "noh"], ["PFMERGE", "hm"], ["PFCOUNT", "noh"],
]


@pytest.mark.parametrize("flags", ["KEA", "E$", "KEAmn"])
def test_bitmaps_hll(sides, flags):
    check(sides, flags, BITS)


LISTS = [
    ["LPUSH", "l", "a", "b"], ["RPUSH", "l", "c"], ["LPUSHX", "nol", "a"], ["RPUSHX", "l", "d"],
    ["LINSERT", "l", "BEFORE", "c", "x"], ["LINSERT", "l", "AFTER", "zz", "y"], ["LSET", "l", "0", "q"],
    ["LREM", "l", "0", "nothing"], ["LREM", "l", "1", "q"], ["LTRIM", "l", "0", "-1"],
    ["LTRIM", "l", "0", "1"], ["LPOP", "l"], ["RPOP", "l"], ["LPOP", "l"], ["LPOP", "nol"],
    ["RPUSH", "l", "1", "2", "3", "4", "5"], ["LPOP", "l", "2"], ["RPOP", "l", "0"], ["RPOP", "l", "5"],
    ["RPUSH", "s", "1", "2"], ["LMOVE", "s", "d", "LEFT", "RIGHT"], ["RPOPLPUSH", "s", "d"],
    ["RPOPLPUSH", "s", "d"], ["LMOVE", "d", "d", "LEFT", "LEFT"], ["LMOVE", "d", "d", "RIGHT", "LEFT"],
    ["LMPOP", "2", "no", "d", "LEFT", "COUNT", "1"], ["LMPOP", "1", "d", "RIGHT", "COUNT", "5"],
    ["RPUSH", "r", "a"], ["LREM", "r", "0", "a"], ["RPUSH", "t", "a"], ["LTRIM", "t", "5", "10"],
    ["BLPOP", "no", "r2", "0.01"], ["RPUSH", "r2", "x", "y"], ["BLPOP", "no", "r2", "0.01"],
    ["BRPOP", "r2", "0.01"], ["RPUSH", "r3", "1"], ["BLMOVE", "r3", "r4", "LEFT", "LEFT", "0.01"],
    ["BRPOPLPUSH", "r4", "r3", "0.01"], ["BLMPOP", "0.01", "1", "r3", "LEFT"],
    ["LRANGE", "nol", "0", "-1"], ["LLEN", "nol"], ["LINDEX", "nol", "0"], ["LPOS", "nol", "a"],
]


@pytest.mark.parametrize("flags", ["KEA", "El", "Kg", "KEAnm"])
def test_lists(sides, flags):
    check(sides, flags, LISTS)


HASHES = [
    ["HSET", "h", "a", "1", "b", "2"], ["HSET", "h", "a", "1"], ["HMSET", "h", "c", "3"],
    ["HSETNX", "h", "a", "1"], ["HSETNX", "h", "d", "1"], ["HSETNX", "h2", "d", "1"],
    ["HDEL", "h", "zz"], ["HDEL", "h", "a", "b"], ["HINCRBY", "h", "n", "2"],
    ["HINCRBYFLOAT", "h", "f", "2.5"], ["HDEL", "h", "c", "d", "n", "f"],
    ["HGET", "noh", "a"], ["HGETALL", "noh"], ["HMGET", "noh", "a"], ["HLEN", "noh"],
    ["HEXISTS", "noh", "a"], ["HSTRLEN", "noh", "a"], ["HKEYS", "noh"], ["HVALS", "noh"],
    ["HRANDFIELD", "noh"], ["HINCRBY", "h3", "x", "1"],
]


@pytest.mark.parametrize("flags", ["KEA", "Eh", "Kg", "KEAnm"])
def test_hashes(sides, flags):
    check(sides, flags, HASHES)


SETS = [
    ["SADD", "s", "a", "b", "c"], ["SADD", "s", "a"], ["SREM", "s", "zz"], ["SREM", "s", "a"],
    (["SPOP", "s"], False), ["SADD", "s", "1", "2", "3", "4"], (["SPOP", "s", "2"], False),
    (["SPOP", "s", "0"], False), (["SPOP", "s", "10"], False), (["SPOP", "nos"], False),
    ["SADD", "a", "1", "2"], ["SADD", "b", "2", "3"], ["SMOVE", "a", "b", "1"],
    ["SMOVE", "a", "b", "9"], ["SMOVE", "a", "c", "2"], ["SMOVE", "b", "b", "2"],
    ["SADD", "x", "1", "2"], ["SADD", "y", "2", "3"], ["SINTERSTORE", "i", "x", "y"],
    ["SUNIONSTORE", "u", "x", "y"], ["SDIFFSTORE", "d", "x", "y"], ["SDIFFSTORE", "d", "x", "x"],
    ["SDIFFSTORE", "d2", "x", "x"], ["SINTERSTORE", "i", "x", "nox"],
    ["SMEMBERS", "nos"], ["SISMEMBER", "nos", "a"], ["SCARD", "nos"], ["SINTER", "nos", "x"],
    ["SUNION", "nos"], ["SDIFF", "nos"], ["SINTERCARD", "1", "nos"], ["SMISMEMBER", "nos", "a"],
    ["SRANDMEMBER", "nos"], ["SREM", "x", "1", "2"],
]


@pytest.mark.parametrize("flags", ["KEA", "Es", "Kg", "KEAnm"])
def test_sets(sides, flags):
    check(sides, flags, SETS)


ZSETS = [
    ["ZADD", "z", "1", "a", "2", "b", "3", "c"], ["ZADD", "z", "1", "a"], ["ZADD", "z", "5", "a"],
    ["ZADD", "z", "INCR", "1", "a"], ["ZADD", "z", "NX", "1", "a"], ["ZADD", "z", "XX", "1", "new"],
    ["ZINCRBY", "z", "2", "b"], ["ZREM", "z", "zz"], ["ZREM", "z", "a"],
    ["ZADD", "z", "4", "d", "5", "e", "6", "f"], ["ZREMRANGEBYSCORE", "z", "100", "200"],
    ["ZREMRANGEBYSCORE", "z", "0", "2.5"], ["ZREMRANGEBYRANK", "z", "0", "0"],
    ["ZADD", "lx", "0", "a", "0", "b"], ["ZREMRANGEBYLEX", "lx", "[a", "[a"],
    ["ZREMRANGEBYLEX", "lx", "-", "+"], ["ZPOPMIN", "z"], ["ZPOPMAX", "z", "1"], ["ZPOPMIN", "z", "0"],
    ["ZPOPMAX", "z", "10"], ["ZPOPMIN", "noz"], ["ZADD", "p", "1", "a", "2", "b"],
    ["BZPOPMIN", "noz", "p", "0.01"], ["BZPOPMAX", "p", "0.01"], ["BZPOPMAX", "p", "0.01"],
    ["ZADD", "p", "1", "a", "2", "b"], ["ZMPOP", "1", "p", "MIN"], ["BZMPOP", "0.01", "1", "p", "MAX", "COUNT", "3"],
    ["ZADD", "x", "1", "a", "2", "b"], ["ZADD", "y", "1", "b", "2", "c"],
    ["ZINTERSTORE", "i", "2", "x", "y"], ["ZUNIONSTORE", "u", "2", "x", "y"],
    ["ZDIFFSTORE", "d", "2", "x", "y"], ["ZDIFFSTORE", "d", "2", "x", "x"], ["ZDIFFSTORE", "d2", "2", "x", "x"],
    ["ZRANGESTORE", "rs", "x", "0", "-1"], ["ZRANGESTORE", "rs", "x", "5", "10"],
    ["ZRANGESTORE", "rs2", "nox", "0", "-1"],
    ["ZSCORE", "noz", "a"], ["ZCARD", "noz"], ["ZRANGE", "noz", "0", "-1"], ["ZRANK", "noz", "a"],
    ["ZCOUNT", "noz", "0", "1"], ["ZMSCORE", "noz", "a"], ["ZRANDMEMBER", "noz"],
    ["ZUNION", "2", "noz", "x"], ["ZINTERCARD", "1", "noz"],
]


@pytest.mark.parametrize("flags", ["KEA", "Ez", "Kg", "KEAnm"])
def test_zsets(sides, flags):
    check(sides, flags, ZSETS)


GEO = [
    ["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
    ["GEOADD", "g", "13.361389", "38.115556", "Palermo"],
    ["GEOADD", "g", "XX", "13.361389", "38.115556", "Palermo"],
    ["GEOSEARCHSTORE", "gs", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"],
    ["GEOSEARCHSTORE", "gs", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m", "ASC"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "gr"],
    ["GEORADIUS", "g", "15", "37", "200", "km", "STOREDIST", "gd"],
    ["GEORADIUSBYMEMBER", "g", "Palermo", "1", "m", "STORE", "gr"],
    ["GEOPOS", "nog", "a"], ["GEODIST", "nog", "a", "b"], ["GEOHASH", "nog", "a"],
    ["GEOSEARCH", "nog", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"],
]


@pytest.mark.parametrize("flags", ["KEA", "KEAnm"])
def test_geo(sides, flags):
    check(sides, flags, GEO)


STREAMS = [
    ["XADD", "s", "1-1", "a", "1"], ["XADD", "s", "2-1", "a", "1"], ["XADD", "s", "3-1", "a", "1"],
    ["XADD", "s", "MAXLEN", "2", "4-1", "a", "1"], ["XADD", "nos", "NOMKSTREAM", "*", "a", "1"],
    ["XADD", "s", "1-1", "a", "1"], ["XTRIM", "s", "MAXLEN", "10"], ["XTRIM", "s", "MAXLEN", "1"],
    ["XDEL", "s", "1-1"], ["XDEL", "s", "4-1"], ["XADD", "s", "5-1", "a", "1"],
    ["XGROUP", "CREATE", "s", "g", "0"], ["XGROUP", "CREATE", "s", "g", "0"],
    ["XGROUP", "CREATE", "s2", "g", "$", "MKSTREAM"],
    ["XGROUP", "CREATECONSUMER", "s", "g", "c1"], ["XGROUP", "CREATECONSUMER", "s", "g", "c1"],
    ["XGROUP", "SETID", "s", "g", "0"], ["XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0"],
    ["XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"],
    ["XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"],
    ["XADD", "s", "6-1", "a", "1"], ["XADD", "s", "7-1", "a", "1"],
    ["XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"],
    ["XCLAIM", "s", "g", "c3", "0", "6-1"], ["XCLAIM", "s", "g", "c3", "0", "99-1"],
    ["XAUTOCLAIM", "s", "g", "c4", "0", "0-0"], ["XAUTOCLAIM", "s", "g", "c4", "0", "0-0"],
    ["XACK", "s", "g", "6-1"], ["XGROUP", "DELCONSUMER", "s", "g", "c1"],
    ["XGROUP", "DELCONSUMER", "s", "g", "nobody"],
    ["XSETID", "s", "100-1"], ["XGROUP", "DESTROY", "s", "g"], ["XGROUP", "DESTROY", "s", "g"],
    ["XLEN", "nos"], ["XRANGE", "nos", "-", "+"], ["XREAD", "STREAMS", "nos", "0"],
    ["XINFO", "STREAM", "nos"], ["XPENDING", "nos", "g"],
]


@pytest.mark.parametrize("flags", ["KEA", "Et", "KEAnm"])
def test_streams(sides, flags):
    check(sides, flags, STREAMS)


def test_multi_and_script(sides):
    stream = [
        ["MULTI"], ["SET", "a", "1"], ["LPUSH", "l", "x"], ["DEL", "a"], ["EXEC"],
        ["EVAL", "redis.call('set', KEYS[1], 'v'); redis.call('rpush', KEYS[2], 'y');"
         " redis.call('lpop', KEYS[2]); redis.call('lpop', KEYS[2]); return 1", "2", "k", "l"],
        ["SELECT", "5"], ["SET", "in5", "1"], ["DEL", "in5"], ["SELECT", "0"],
    ]
    check(sides, "KEAn", stream)


@pytest.fixture(scope="module")
def debug_servers():
    """dq and a redis-server that accepts DEBUG (SET-ACTIVE-EXPIRE, SLEEP)."""
    dq = ServerProc(DQ_SERVER)
    ref = start_either("redis", {"enable-debug-command": "yes"})
    yield dq, ref
    dq.stop()
    ref.stop()


@pytest.fixture
def debug_sides(debug_servers):
    a, b = Side(debug_servers[0]), Side(debug_servers[1])
    yield a, b
    a.close()
    b.close()


def test_lazy_expiry(debug_sides):
    """Keys past their TTL with the active cycle off: each access reclaims them first
    ("expired"), then a write re-creates them ("new")."""
    sides = debug_sides
    stream = [
        ["SET", "a", "1", "PX", "1"], ["SET", "b", "1", "PX", "1"], ["SET", "c", "1", "PX", "1"],
        ["RPUSH", "l", "1"], ["PEXPIRE", "l", "1"], ["DEBUG", "SLEEP", "0.01"],
        ["GET", "a"], ["SET", "b", "2"], ["EXISTS", "c"], ["LPUSH", "l", "x"],
    ]
    for flags in ("KEA", "Ex", "KEnm", "Kxn"):
        for s in sides:
            s.c.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "0")
        try:
            check(sides, flags, stream)
        finally:
            for s in sides:
                s.c.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "1")


def test_active_expiry(sides):
    """The active cycle reclaims keys nobody touches: one "expired" per key (order may follow
    each server's hash table, so compared as sets)."""
    got = []
    for s in sides:
        s.c.cmd("FLUSHALL")
        s.c.cmd("CONFIG", "SET", "notify-keyspace-events", "Ex")
        for i in range(20):
            s.c.cmd("SET", "k%d" % i, "v", "PX", "20")
        s.c.cmd("SELECT", "3")
        s.c.cmd("SET", "in3", "v", "PX", "20")
        wait_for(lambda: s.c.cmd("DBSIZE") == b":0\r\n" or None, timeout=10)
        s.c.cmd("SELECT", "0")
        wait_for(lambda: s.c.cmd("DBSIZE") == b":0\r\n" or None, timeout=10)
        got.append(sorted(s.events()))
    assert got[0] == got[1]
    assert got[0] == sorted([("__keyevent@0__:expired", "k%d" % i) for i in range(20)] +
                            [("__keyevent@3__:expired", "in3")])


@pytest.mark.parametrize("value", ["KEA", "AKE", "", "A", "n", "m", "Am", "AKEnm", "g$lshzxetd",
                                   "g$lshzxetdn", "Ag", "xK", "Kx", "EK", "$g", "gggg", "nA",
                                   "KEw", "ae", "a", " ", "K E", "KEA\u00e9"])
def test_config_get_rendering(server, redis_ref, value):
    out = []
    for proc in (server, redis_ref):
        c = proc.raw()
        c.cmd("CONFIG", "SET", "notify-keyspace-events", "Kx")
        out.append((c.cmd("CONFIG", "SET", "notify-keyspace-events", value),
                    c.cmd("CONFIG", "GET", "notify-keyspace-events")))
        c.cmd("CONFIG", "SET", "notify-keyspace-events", "")
        c.close()
    assert out[0] == out[1]


def test_config_file_directive(start_server):
    s = start_server(**{"notify-keyspace-events": "KEA"})
    c = s.raw()
    assert c.cmd("CONFIG", "GET", "notify-keyspace-events") == \
        b"*2\r\n$22\r\nnotify-keyspace-events\r\n$3\r\nAKE\r\n"
    c.close()


def test_off_by_default(server):
    c, sub = server.raw(), server.raw()
    sub.cmd("PSUBSCRIBE", "*")
    c.cmd("CONFIG", "SET", "notify-keyspace-events", "")
    c.cmd("SET", "k", "v")
    c.cmd("DEL", "k")
    c.cmd("PUBLISH", "x", "y")
    assert read_push(sub) == [b"pmessage", b"*", b"x", b"y"]
    c.close()
    sub.close()


def blocked_count(c):
    info = c.cmd("INFO", "clients").decode()
    return int(info.split("blocked_clients:")[1].split("\r\n")[0])


@pytest.mark.parametrize("block,wake", [
    (["BLPOP", "l", "0"], ["RPUSH", "l", "x", "y"]),
    (["BRPOP", "l", "0"], ["LPUSH", "l", "x"]),
    (["BLMOVE", "l", "d", "LEFT", "RIGHT", "0"], ["RPUSH", "l", "x"]),
    (["BRPOPLPUSH", "l", "l2", "0"], ["RPUSH", "l", "x", "y"]),
    (["BLMPOP", "0", "2", "n", "l", "LEFT", "COUNT", "5"], ["RPUSH", "l", "x", "y"]),
    (["BZPOPMIN", "z", "0"], ["ZADD", "z", "1", "a"]),
    (["BZMPOP", "0", "1", "z", "MAX", "COUNT", "2"], ["ZADD", "z", "1", "a", "2", "b", "3", "c"]),
    (["XREAD", "BLOCK", "0", "STREAMS", "s", "$"], ["XADD", "s", "1-1", "f", "v"]),
])
def test_blocked_client_served(sides, block, wake):
    """A blocked pop served by another client's push: the push's events, then the pop's
    (and the "del" of an emptied key), as Redis emits them when it serves the waiter."""
    flags = "KEAn"
    replies = []
    events = []
    for s in sides:
        s.c.cmd("FLUSHALL")
        s.c.cmd("CONFIG", "SET", "notify-keyspace-events", flags)
        b = s.proc.raw()
        b.send(encode_command(*block))
        wait_for(lambda: blocked_count(s.c) == 1)
        s.c.cmd(*wake)
        replies.append(b.read_reply_bytes())
        b.close()
        events.append(s.events())
    assert replies[0] == replies[1]
    assert events[0] == events[1], "events differ:\ndq    %r\nredis %r" % tuple(events)


def test_xreadgroup_blocked_new_consumer(server):
    """Redis 7.2 creates XREADGROUP's consumer whenever the command runs, also when it then
    blocks (xgroup-createconsumer before the XADD that serves it); 7.0 created it only when
    serving, after the xadd. dq follows 7.2, so this is checked on dq alone."""
    s = Side(server)
    try:
        s.c.cmd("FLUSHALL")
        s.c.cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
        s.c.cmd("CONFIG", "SET", "notify-keyspace-events", "KEA")
        b = server.raw()
        b.send(encode_command("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"))
        wait_for(lambda: blocked_count(s.c) == 1)
        s.c.cmd("XADD", "s", "1-1", "f", "v")
        b.read_reply_bytes()
        b.close()
        assert s.events() == [
            ("__keyspace@0__:s", "xgroup-createconsumer"),
            ("__keyevent@0__:xgroup-createconsumer", "s"),
            ("__keyspace@0__:s", "xadd"), ("__keyevent@0__:xadd", "s")]
    finally:
        s.close()


def test_resp3_self_subscriber_gets_events_after_reply(server):
    """A RESP3 client subscribed to its own keyspace events: as Redis 7.2, the messages its
    command causes follow the command's reply, so none lands inside EXEC's or MGET's array
    (Redis 7.0 interleaved them, breaking the protocol). Checked on dq alone."""
    c = server.raw()
    try:
        c.cmd("HELLO", "3")
        c.cmd("FLUSHALL")
        c.cmd("CONFIG", "SET", "notify-keyspace-events", "E$m")
        assert c.cmd("PSUBSCRIBE", "__keyevent@0__:*").startswith(b">3")

        def push(event, key):
            ch = "__keyevent@0__:" + event
            return (b">4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n"
                    b"$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(ch), ch.encode(), len(key), key.encode()))

        assert c.cmd("SET", "a", "1") == b"+OK\r\n"
        assert c.read_reply_bytes() == push("set", "a")
        for cmd in (["MULTI"], ["SET", "b", "2"], ["MGET", "a", "nokey"]):
            c.cmd(*cmd)
        assert c.cmd("EXEC") == b"*2\r\n+OK\r\n*2\r\n$1\r\n1\r\n_\r\n"
        assert c.read_reply_bytes() == push("set", "b")
        assert c.read_reply_bytes() == push("keymiss", "nokey")
        assert c.cmd("EVAL", "redis.call('set', 'e', '1') return 5", "0") == b":5\r\n"
        assert c.read_reply_bytes() == push("set", "e")
        assert c.cmd("PING", "end") == b"$3\r\nend\r\n"
    finally:
        c.cmd("CONFIG", "SET", "notify-keyspace-events", "")
        c.close()


def random_stream(rng, n):
    """n random commands over a few keys of every type, replies deterministic."""
    keys = ["k%d" % i for i in range(6)]
    vals = ["1", "2", "a", "b", "10"]
    k = lambda: rng.choice(keys)  # noqa: E731
    v = lambda: rng.choice(vals)  # noqa: E731
    gens = [
        lambda: ["SET", k(), v()], lambda: ["SET", k(), v(), "PX", "100000"],
        lambda: ["SET", k(), v(), "NX", "GET"], lambda: ["GETDEL", k()], lambda: ["GET", k()],
        lambda: ["INCR", k()], lambda: ["APPEND", k(), v()], lambda: ["SETRANGE", k(), "1", v()],
        lambda: ["DEL", k(), k()], lambda: ["EXPIRE", k(), "100"], lambda: ["PERSIST", k()],
        lambda: ["RENAME", k(), k()], lambda: ["COPY", k(), k(), "REPLACE"],
        lambda: ["EXISTS", k()], lambda: ["TYPE", k()],
        lambda: ["LPUSH", k(), v(), v()], lambda: ["RPOP", k()], lambda: ["LPOP", k(), "2"],
        lambda: ["LMOVE", k(), k(), "LEFT", "RIGHT"], lambda: ["LREM", k(), "0", v()],
        lambda: ["LTRIM", k(), "0", "1"], lambda: ["LRANGE", k(), "0", "-1"],
        lambda: ["HSET", k(), v(), v()], lambda: ["HDEL", k(), v()],
        lambda: ["HINCRBY", k(), v(), "1"], lambda: ["HGETALL", k()],
        lambda: ["SADD", k(), v(), v()], lambda: ["SREM", k(), v()],
        lambda: ["SMOVE", k(), k(), v()], lambda: ["SUNIONSTORE", k(), k(), k()],
        lambda: ["SINTERSTORE", k(), k(), k()], lambda: ["SMEMBERS", k()],
        lambda: ["ZADD", k(), v() if v().isdigit() else "1", v()], lambda: ["ZREM", k(), v()],
        lambda: ["ZINCRBY", k(), "1", v()], lambda: ["ZPOPMIN", k()],
        lambda: ["ZUNIONSTORE", k(), "2", k(), k()], lambda: ["ZRANGESTORE", k(), k(), "0", "1"],
        lambda: ["ZREMRANGEBYRANK", k(), "0", "0"], lambda: ["ZRANGE", k(), "0", "-1"],
        lambda: ["XADD", k(), "MAXLEN", "2", "*", "f", v()], lambda: ["XDEL", k(), "0-1"],
        lambda: ["XLEN", k()], lambda: ["PFADD", k(), v()], lambda: ["SETBIT", k(), "3", "1"],
        lambda: ["SORT", k(), "ALPHA", "STORE", k()],
        lambda: ["MSET", k(), v(), k(), v()], lambda: ["GETEX", k(), "PERSIST"],
        lambda: ["GETEX", k(), "EX", "50"], lambda: ["GETSET", k(), v()],
        lambda: ["INCRBYFLOAT", k(), "1.5"], lambda: ["UNLINK", k()], lambda: ["MOVE", k(), "1"],
        lambda: ["BITOP", "OR", k(), k(), k()], lambda: ["PFMERGE", k(), k()],
        lambda: ["LINSERT", k(), "BEFORE", v(), v()], lambda: ["LSET", k(), "0", v()],
        lambda: ["RPOPLPUSH", k(), k()], lambda: ["LMPOP", "2", k(), k(), "RIGHT", "COUNT", "2"],
        lambda: ["HINCRBYFLOAT", k(), v(), "0.5"], lambda: ["HSETNX", k(), v(), v()],
        lambda: ["SPOP", k(), "2"], lambda: ["SDIFFSTORE", k(), k(), k()],
        lambda: ["SINTERCARD", "2", k(), k()], lambda: ["ZINTERSTORE", k(), "2", k(), k()],
        lambda: ["ZDIFFSTORE", k(), "2", k(), k()], lambda: ["ZREMRANGEBYSCORE", k(), "0", "5"],
        lambda: ["ZMPOP", "2", k(), k(), "MAX"], lambda: ["ZADD", k(), "INCR", "1", v()],
        lambda: ["GEOADD", k(), "13.36", "38.11", v()], lambda: ["XTRIM", k(), "MAXLEN", "1"],
        lambda: ["XGROUP", "CREATE", k(), "g", "$", "MKSTREAM"], lambda: ["XSETID", k(), "0-5"],
        lambda: ["BITFIELD", k(), "INCRBY", "u4", "0", "1"],
    ]
    return [(rng.choice(gens)(), False) for _ in range(n)]


@pytest.mark.parametrize("seed", range(6))
def test_random_streams(sides, seed):
    """Random command streams over keys of every type (many WRONGTYPE errors, emptied and
    re-created keys): identical event sequences. XADD's IDs differ, so replies are not
    compared; the events carry only names."""
    import random
    rng = random.Random(seed)
    check(sides, "KEAnm", random_stream(rng, 300))
