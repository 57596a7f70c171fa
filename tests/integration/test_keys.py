"""The generic keyspace family against a real dq-server: DEL UNLINK EXISTS TYPE TOUCH RENAME
RENAMENX COPY MOVE KEYS SCAN RANDOMKEY DBSIZE FLUSHDB FLUSHALL SWAPDB EXPIRE PEXPIRE EXPIREAT
PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME PERSIST OBJECT, replies and error texts as Redis 7."""
import time

import pytest
import redis

from dqtest import cli, wait_for

ERR_SYNTAX = b"-ERR syntax error\r\n"
ERR_NOT_INT = b"-ERR value is not an integer or out of range\r\n"
ERR_DB_RANGE = b"-ERR DB index is out of range\r\n"
ERR_INT_RANGE = b"-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"
ERR_SAME = b"-ERR source and destination objects are the same\r\n"


def arity(name):
    return b"-ERR wrong number of arguments for '%s' command\r\n" % name.encode()


# --- DEL UNLINK EXISTS TYPE TOUCH ---------------------------------------------------------

def test_del_and_unlink(r):
    r.mset({"a": 1, "b": 2, "c": 3})
    assert r.delete("a", "b", "nokey", "a") == 2
    assert r.exists("a", "b") == 0
    assert r.unlink("c", "c") == 1
    assert r.dbsize() == 0


def test_del_arity(raw):
    assert raw.cmd("DEL") == arity("del")
    assert raw.cmd("UNLINK") == arity("unlink")
    assert raw.cmd("EXISTS") == arity("exists")
    assert raw.cmd("TOUCH") == arity("touch")


def test_exists_counts_repeats(r):
    r.set("a", "1")
    assert r.exists("a", "a", "b") == 2
    assert r.exists("nokey") == 0


def test_type(r, raw):
    r.set("s", "v")
    r.set("i", "12")
    assert raw.cmd("TYPE", "s") == b"+string\r\n"
    assert raw.cmd("TYPE", "i") == b"+string\r\n"
    assert raw.cmd("TYPE", "nokey") == b"+none\r\n"
    assert raw.cmd("TYPE", "a", "b") == arity("type")


def test_touch(r):
    r.set("a", "1")
    r.set("b", "2")
    assert r.touch("a", "b", "c", "a") == 3


def test_expired_key_is_gone_for_every_lookup(r):
    r.set("k", "v", px=30)
    time.sleep(0.06)
    assert r.exists("k") == 0
    assert r.type("k") == b"none"
    assert r.delete("k") == 0
    assert r.ttl("k") == -2


# --- RENAME RENAMENX -----------------------------------------------------------------------

def test_rename(r, raw):
    assert raw.cmd("RENAME", "nokey", "x") == b"-ERR no such key\r\n"
    assert raw.cmd("RENAME", "nokey", "nokey") == b"-ERR no such key\r\n"
    r.set("a", "1")
    assert raw.cmd("RENAME", "a", "a") == b"+OK\r\n"
    assert r.get("a") == b"1"
    assert r.rename("a", "b") is True
    assert r.get("a") is None and r.get("b") == b"1"
    r.set("c", "old")
    assert r.rename("b", "c") is True
    assert r.get("c") == b"1"
    assert raw.cmd("RENAME", "a") == arity("rename")


def test_rename_keeps_ttl_and_value_kinds(r):
    big = "x" * 100
    r.set("s", big)
    r.set("i", "42")
    r.set("e", "short")
    r.pexpire("s", 100000)
    r.rename("s", "s2")
    r.rename("i", "i2")
    r.rename("e", "e2")
    assert r.get("s2") == big.encode() and 0 < r.pttl("s2") <= 100000
    assert r.object("encoding", "s2") == b"raw"
    assert r.object("encoding", "i2") == b"int" and r.get("i2") == b"42"
    assert r.object("encoding", "e2") == b"embstr" and r.ttl("e2") == -1
    # A destination with a TTL loses it: the source's (absent) TTL wins.
    r.set("d", "1", ex=100)
    r.rename("e2", "d")
    assert r.ttl("d") == -1


def test_rename_append_value_then_rename(r):
    r.set("k", "abc")
    r.append("k", "def")
    r.rename("k", "k2")
    r.append("k2", "g")
    assert r.get("k2") == b"abcdefg"


def test_renamenx(r, raw):
    assert raw.cmd("RENAMENX", "nokey", "x") == b"-ERR no such key\r\n"
    r.set("a", "1")
    r.set("b", "2")
    assert raw.cmd("RENAMENX", "a", "a") == b":0\r\n"
    assert r.renamenx("a", "b") is False
    assert r.renamenx("a", "c") is True
    assert r.get("c") == b"1" and r.exists("a") == 0


def test_rename_onto_expired_destination(r):
    r.set("a", "1")
    r.set("b", "2", px=20)
    time.sleep(0.05)
    assert r.renamenx("a", "b") is True
    assert r.get("b") == b"1"


# --- COPY MOVE -----------------------------------------------------------------------------

def test_copy(r, raw):
    r.set("a", "hello")
    assert raw.cmd("COPY", "a", "a") == ERR_SAME
    assert r.copy("a", "b") is True
    assert r.get("b") == b"hello"
    r.set("a", "world")
    assert r.copy("a", "b") is False
    assert r.copy("a", "b", replace=True) is True
    assert r.get("b") == b"world"
    assert r.copy("nokey", "z") is False


def test_copy_other_db_and_errors(r, raw):
    r.set("a", "v")
    r.pexpire("a", 100000)
    assert raw.cmd("COPY", "a", "a", "DB", "1") == b":1\r\n"
    assert raw.cmd("COPY", "a", "a", "DB", "1") == b":0\r\n"
    assert raw.cmd("COPY", "a", "a", "DB", "0") == ERR_SAME
    assert raw.cmd("COPY", "a", "b", "DB", "16") == ERR_DB_RANGE
    assert raw.cmd("COPY", "a", "b", "DB", "-1") == ERR_DB_RANGE
    assert raw.cmd("COPY", "a", "b", "DB", "x") == ERR_NOT_INT
    assert raw.cmd("COPY", "a", "b", "DB", "99999999999") == ERR_INT_RANGE
    assert raw.cmd("COPY", "a", "b", "DB") == ERR_SYNTAX
    assert raw.cmd("COPY", "a", "b", "NOPE") == ERR_SYNTAX
    assert raw.cmd("COPY", "a") == arity("copy")
    raw.cmd("SELECT", "1")
    assert raw.cmd("GET", "a") == b"$1\r\nv\r\n"
    pttl = int(raw.cmd("PTTL", "a")[1:-2])
    assert 0 < pttl <= 100000
    raw.cmd("SELECT", "0")


def test_copy_is_independent(r):
    r.set("a", "x" * 60)
    r.copy("a", "b")
    r.append("a", "more")
    assert r.get("b") == b"x" * 60
    assert r.object("encoding", "b") == b"raw"
    r.set("i", "5")
    r.copy("i", "j")
    r.incr("i")
    assert r.get("j") == b"5" and r.object("encoding", "j") == b"int"


def test_move(r, raw):
    r.set("a", "v")
    assert raw.cmd("MOVE", "a", "0") == ERR_SAME
    assert raw.cmd("MOVE", "a", "16") == ERR_DB_RANGE
    assert raw.cmd("MOVE", "a", "-1") == ERR_DB_RANGE
    assert raw.cmd("MOVE", "a", "x") == ERR_NOT_INT
    assert raw.cmd("MOVE", "a", "99999999999") == ERR_INT_RANGE
    assert raw.cmd("MOVE", "nokey", "1") == b":0\r\n"
    r.pexpire("a", 100000)
    assert raw.cmd("MOVE", "a", "1") == b":1\r\n"
    assert r.exists("a") == 0
    raw.cmd("SELECT", "1")
    assert raw.cmd("GET", "a") == b"$1\r\nv\r\n"
    assert 0 < int(raw.cmd("PTTL", "a")[1:-2]) <= 100000
    raw.cmd("SET", "b", "in1")
    raw.cmd("SELECT", "0")
    r.set("b", "in0")
    assert raw.cmd("MOVE", "b", "1") == b":0\r\n"
    assert r.get("b") == b"in0"
    assert raw.cmd("MOVE", "a") == arity("move")


# --- KEYS SCAN RANDOMKEY DBSIZE ----------------------------------------------------------

def test_keys(r, raw):
    for k in ["foo", "fao", "f*o", "hello", "hallo", "Hello", "x?y", "a[b"]:
        r.set(k, 1)
    assert sorted(r.keys("*")) == sorted(
        [b"foo", b"fao", b"f*o", b"hello", b"hallo", b"Hello", b"x?y", b"a[b"])
    assert sorted(r.keys("f?o")) == [b"f*o", b"fao", b"foo"]
    assert sorted(r.keys("f[a-f]o")) == [b"fao"]
    assert sorted(r.keys("f[^a]o")) == [b"f*o", b"foo"]
    assert r.keys("f\\*o") == [b"f*o"]
    assert sorted(r.keys("h*llo")) == [b"hallo", b"hello"]
    assert r.keys("x\\?y") == [b"x?y"]
    assert r.keys("a\\[b") == [b"a[b"]
    assert r.keys("nomatch*") == []
    assert raw.cmd("KEYS") == arity("keys")


def test_keys_skips_expired(r):
    r.set("live", 1)
    r.set("dead", 1, px=10)
    time.sleep(0.03)
    assert r.keys("*") == [b"live"]


def test_dbsize_randomkey(r, raw):
    assert raw.cmd("RANDOMKEY") == b"$-1\r\n"
    assert r.dbsize() == 0
    r.set("only", 1)
    assert r.randomkey() == b"only"
    for i in range(50):
        r.set("k%d" % i, i)
    assert r.dbsize() == 51
    seen = {r.randomkey() for _ in range(300)}
    assert len(seen) > 20
    assert raw.cmd("DBSIZE", "x") == arity("dbsize")
    assert raw.cmd("RANDOMKEY", "x") == arity("randomkey")


def test_randomkey_all_expired(r):
    for i in range(10):
        r.set("e%d" % i, 1, px=10)
    time.sleep(0.03)
    assert r.randomkey() is None


def test_scan_errors(raw):
    assert raw.cmd("SCAN", "x") == b"-ERR invalid cursor\r\n"
    assert raw.cmd("SCAN", " 1") == b"-ERR invalid cursor\r\n"
    assert raw.cmd("SCAN", "18446744073709551616") == b"-ERR invalid cursor\r\n"
    assert raw.cmd("SCAN", "x", "COUNT", "0") == b"-ERR invalid cursor\r\n"
    assert raw.cmd("SCAN", "0", "COUNT", "0") == ERR_SYNTAX
    assert raw.cmd("SCAN", "0", "COUNT", "-5") == ERR_SYNTAX
    assert raw.cmd("SCAN", "0", "COUNT", "x") == ERR_NOT_INT
    assert raw.cmd("SCAN", "0", "MATCH") == ERR_SYNTAX
    assert raw.cmd("SCAN", "0", "BOGUS", "1") == ERR_SYNTAX
    assert raw.cmd("SCAN") == arity("scan")
    # strtoull cursors, as Redis: "" is 0, "-1" wraps to 2^64-1.
    assert raw.cmd("SCAN", "") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    assert raw.cmd("SCAN", "18446744073709551615") == b"*2\r\n$1\r\n0\r\n*0\r\n"


def full_scan(r, **kw):
    cur, out = 0, []
    while True:
        cur, keys = r.scan(cur, **kw)
        out += keys
        if cur == 0:
            return out


def test_scan_full(r):
    for i in range(1000):
        r.set("k:%d" % i, i)
    for i in range(100):
        r.set("other:%d" % i, i)
    got = full_scan(r)
    assert len(set(got)) == 1100
    got = full_scan(r, match="k:*", count=50)
    assert set(got) == {b"k:%d" % i for i in range(1000)}
    assert set(full_scan(r, _type="string", match="other:*")) == {b"other:%d" % i for i in range(100)}
    assert set(full_scan(r, _type="STRING", match="other:1?")) == {b"other:1%d" % i for i in range(10)}
    assert full_scan(r, _type="list") == []
    assert full_scan(r, _type="nosuchtype") == []


def test_scan_count_bounds_work(r):
    for i in range(2000):
        r.set("k%d" % i, i)
    cur, keys = r.scan(0, count=5)
    assert cur != 0 and 1 <= len(keys) < 60
    cur, keys = r.scan(0, count=100000)
    assert cur == 0 and len(keys) == 2000


def test_scan_guarantee_while_growing_and_shrinking(r):
    """Keys present for the whole scan are returned at least once, whatever the table does."""
    stable = {b"s:%d" % i for i in range(500)}
    for k in stable:
        r.set(k, 1)
    cur, seen, step = 0, set(), 0
    while True:
        cur, keys = r.scan(cur, count=20)
        seen.update(keys)
        step += 1
        # Grow the table a lot, then shrink it back, between cursor calls.
        if step % 3 == 0:
            p = r.pipeline(transaction=False)
            for i in range(800):
                p.set("tmp:%d:%d" % (step, i), 1)
            p.execute()
        elif step % 3 == 1:
            p = r.pipeline(transaction=False)
            for k in r.keys("tmp:*"):
                p.delete(k)
            p.execute()
        if cur == 0:
            break
    assert stable <= seen


def test_redis_cli_scan_pattern(r, server):
    p = r.pipeline(transaction=False)
    for i in range(5000):
        p.set("k:%d" % i, i)
        if i % 5 == 0:
            p.set("other:%d" % i, i)
    p.execute()
    out, rc = cli(server.port, "--scan", "--pattern", "k:*")
    assert rc == 0
    keys = out.split()
    assert set(keys) == {"k:%d" % i for i in range(5000)}


# --- FLUSHDB FLUSHALL SWAPDB ---------------------------------------------------------------

def test_flush_args(raw):
    for cmd in ("FLUSHDB", "FLUSHALL"):
        assert raw.cmd(cmd, "x") == ERR_SYNTAX
        assert raw.cmd(cmd, "ASYNC", "SYNC") == ERR_SYNTAX
        assert raw.cmd(cmd, "sync") == b"+OK\r\n"
        assert raw.cmd(cmd, "Async") == b"+OK\r\n"
        assert raw.cmd(cmd) == b"+OK\r\n"


def test_flushdb_only_current(r, raw):
    r.set("a", 1)
    raw.cmd("SELECT", "1")
    raw.cmd("SET", "b", "1")
    assert raw.cmd("FLUSHDB") == b"+OK\r\n"
    assert raw.cmd("DBSIZE") == b":0\r\n"
    assert r.get("a") == b"1"
    raw.cmd("SET", "b", "1")
    assert r.flushall() is True
    assert raw.cmd("DBSIZE") == b":0\r\n" and r.dbsize() == 0


def test_flushall_async_large(r):
    p = r.pipeline(transaction=False)
    for i in range(20000):
        p.set("k%d" % i, "x" * 100)
    p.execute()
    r.set("ttl", 1, ex=100)
    assert r.flushall(asynchronous=True) is True
    assert r.dbsize() == 0
    r.set("after", 1)
    assert r.get("after") == b"1"
    p = r.pipeline(transaction=False)
    for i in range(20000):
        p.set("k%d" % i, "y")
    p.execute()
    assert r.flushdb(asynchronous=True) is True
    assert r.dbsize() == 0


def test_swapdb(r, server, raw):
    r.set("a", "db0")
    raw.cmd("SELECT", "1")
    raw.cmd("SET", "b", "db1")
    raw.cmd("EXPIRE", "b", "100")
    assert r.swapdb(0, 1) is True
    assert r.get("a") is None and r.get("b") == b"db1" and 0 < r.ttl("b") <= 100
    assert raw.cmd("GET", "a") == b"$3\r\ndb0\r\n"
    assert r.swapdb(1, 1) is True
    assert raw.cmd("SWAPDB", "x", "0") == b"-ERR invalid first DB index\r\n"
    assert raw.cmd("SWAPDB", "0", "x") == b"-ERR invalid second DB index\r\n"
    assert raw.cmd("SWAPDB", "0", "99999999999") == b"-ERR invalid second DB index\r\n"
    assert raw.cmd("SWAPDB", "0", "16") == ERR_DB_RANGE
    assert raw.cmd("SWAPDB", "-1", "0") == ERR_DB_RANGE
    assert raw.cmd("SWAPDB", "0") == arity("swapdb")


# --- EXPIRE family -------------------------------------------------------------------------

def test_expire_options_errors(r, raw):
    r.set("k", "v")
    nx_msg = b"-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"
    assert raw.cmd("EXPIRE", "k", "10", "NX", "XX") == nx_msg
    assert raw.cmd("EXPIRE", "k", "10", "NX", "GT") == nx_msg
    assert raw.cmd("EXPIRE", "k", "10", "lt", "nx") == nx_msg
    assert raw.cmd("EXPIRE", "k", "10", "GT", "LT") == \
        b"-ERR GT and LT options at the same time are not compatible\r\n"
    assert raw.cmd("EXPIRE", "k", "10", "FOO") == b"-ERR Unsupported option FOO\r\n"
    assert raw.cmd("EXPIRE", "k", "x") == ERR_NOT_INT
    assert raw.cmd("EXPIRE", "k", "1.5") == ERR_NOT_INT
    assert raw.cmd("EXPIRE", "k") == arity("expire")
    assert r.ttl("k") == -1


@pytest.mark.parametrize("cmd,val", [
    ("EXPIRE", "9223372036854775807"), ("EXPIRE", "9223372036854775"),
    ("EXPIRE", "-9223372036854776"), ("PEXPIRE", "9223372036854775807"),
    ("EXPIREAT", "9223372036854775807"), ("EXPIREAT", "-9223372036854776"),
])
def test_expire_overflow(r, raw, cmd, val):
    r.set("k", "v")
    assert raw.cmd(cmd, "k", val) == \
        b"-ERR invalid expire time in '%s' command\r\n" % cmd.lower().encode()
    # Overflow is reported even for a missing key (it is checked before the lookup).
    assert raw.cmd(cmd, "nokey", val).startswith(b"-ERR invalid expire time")
    assert r.ttl("k") == -1


def test_expire_and_ttls(r, raw):
    assert r.expire("nokey", 10) is False
    r.set("k", "v")
    assert r.expire("k", 100) is True
    assert 99 <= r.ttl("k") <= 100
    assert 99000 <= r.pttl("k") <= 100000
    now = time.time()
    assert abs(int(raw.cmd("EXPIRETIME", "k")[1:-2]) - (now + 100)) <= 2
    assert abs(int(raw.cmd("PEXPIRETIME", "k")[1:-2]) - (now + 100) * 1000) <= 2000
    assert r.pexpire("k", 50000) is True
    assert 49000 <= r.pttl("k") <= 50000
    assert r.expireat("k", 4102444800) is True
    assert raw.cmd("EXPIRETIME", "k") == b":4102444800\r\n"
    assert raw.cmd("PEXPIRETIME", "k") == b":4102444800000\r\n"
    assert r.pexpireat("k", 4102444800123) is True
    assert raw.cmd("PEXPIRETIME", "k") == b":4102444800123\r\n"
    assert raw.cmd("EXPIRETIME", "k") == b":4102444800\r\n"
    assert raw.cmd("PEXPIREAT", "k", "9223372036854775807") == b":1\r\n"
    assert raw.cmd("PEXPIRETIME", "k") == b":9223372036854775807\r\n"
    r.set("p", "v")
    for c in ("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"):
        assert raw.cmd(c, "p") == b":-1\r\n"
        assert raw.cmd(c, "nokey") == b":-2\r\n"
        assert raw.cmd(c) == arity(c.lower())


def test_ttl_rounds_to_nearest_second(r):
    r.set("k", "v")
    r.pexpire("k", 1600)
    assert r.ttl("k") == 2
    r.pexpire("k", 1400)
    assert r.ttl("k") == 1


@pytest.mark.parametrize("cmd,val", [
    ("EXPIRE", "-1"), ("EXPIRE", "0"), ("PEXPIRE", "0"), ("PEXPIRE", "-100"),
    ("EXPIREAT", "1"), ("PEXPIREAT", "1000"), ("EXPIREAT", "-5"),
])
def test_expire_in_the_past_deletes(r, raw, cmd, val):
    r.set("k", "v")
    assert raw.cmd(cmd, "k", val) == b":1\r\n"
    assert r.exists("k") == 0
    assert raw.cmd(cmd, "k", val) == b":0\r\n"


def test_expire_nx_xx_gt_lt(r):
    r.set("k", "v")
    assert r.expire("k", 100, gt=True) is False  # no TTL = infinite
    assert r.expire("k", 100, xx=True) is False
    assert r.expire("k", 100, lt=True) is True  # no TTL: LT passes
    assert r.persist("k") is True
    assert r.expire("k", 100, nx=True) is True
    assert r.expire("k", 200, nx=True) is False
    assert r.expire("k", 50, gt=True) is False
    assert r.expire("k", 200, gt=True) is True
    assert 199 <= r.ttl("k") <= 200
    assert r.expire("k", 300, lt=True) is False
    assert r.expire("k", 20, lt=True) is True
    assert r.expire("k", 30, xx=True) is True
    assert r.execute_command("EXPIRE", "k", "40", "XX", "GT") == 1
    assert r.execute_command("EXPIRE", "k", "30", "XX", "GT") == 0
    assert r.execute_command("EXPIRE", "k", "-5", "NX") == 0
    assert r.execute_command("EXPIRE", "k", "-5", "LT") == 1
    assert r.exists("k") == 0


def test_persist(r, raw):
    assert r.persist("nokey") is False
    r.set("k", "v")
    assert r.persist("k") is False
    r.expire("k", 100)
    assert r.persist("k") is True
    assert r.ttl("k") == -1
    assert r.persist("k") is False
    assert raw.cmd("PERSIST", "a", "b") == arity("persist")


def test_set_clears_ttl_and_expire_keeps_value(r):
    r.set("n", "10")
    r.expire("n", 100)
    assert r.incr("n") == 11
    assert r.ttl("n") > 0
    r.set("n", "1")
    assert r.ttl("n") == -1


def test_lazy_expiry_after_expire(r):
    r.set("k", "v")
    r.pexpire("k", 30)
    assert r.get("k") == b"v"
    time.sleep(0.06)
    assert r.get("k") is None
    assert r.exists("k") == 0


def test_active_expiry_reclaims_100k_keys(start_server):
    """100k keys with a 1 s TTL disappear without any client touching them."""
    s = start_server()
    c = s.client()
    p = c.pipeline(transaction=False)
    for i in range(100000):
        p.set("v:%d" % i, "x", ex=1)
        if i % 10000 == 9999:
            p.execute()
    p.execute()
    c.set("persistent", "1")
    assert c.dbsize() > 1  # (some may already be gone if inserting took over a second)
    t0 = time.time()
    wait_for(lambda: c.dbsize() == 1, timeout=6.0, interval=0.05)
    assert time.time() - t0 < 6.0
    assert c.get("persistent") == b"1"


def test_active_expiry_via_expire_command(start_server):
    s = start_server()
    c = s.client()
    p = c.pipeline(transaction=False)
    for i in range(20000):
        p.set("k%d" % i, "x")
        p.pexpire("k%d" % i, 300)
    p.execute()
    wait_for(lambda: c.dbsize() == 0, timeout=5.0, interval=0.05)


# --- OBJECT --------------------------------------------------------------------------------

def test_object_encoding(r, raw):
    r.set("i", "12345")
    r.set("neg", "-12")
    r.set("e", "x" * 44)
    r.set("r", "x" * 45)
    r.set("big", "12345678901234567890")
    r.set("lead", "01")
    assert r.object("encoding", "i") == b"int"
    assert r.object("encoding", "neg") == b"int"
    assert r.object("encoding", "e") == b"embstr"
    assert r.object("encoding", "r") == b"raw"
    assert r.object("encoding", "big") == b"embstr"
    assert r.object("encoding", "lead") == b"embstr"
    r.append("e", "y")
    assert r.object("encoding", "e") == b"raw"
    assert raw.cmd("OBJECT", "ENCODING", "nokey") == b"$-1\r\n"


def test_object_refcount(r, raw):
    r.set("shared", "9999")
    r.set("zero", "0")
    r.set("big", "10000")
    r.set("neg", "-1")
    r.set("s", "abc")
    assert raw.cmd("OBJECT", "REFCOUNT", "shared") == b":2147483647\r\n"
    assert raw.cmd("OBJECT", "REFCOUNT", "zero") == b":2147483647\r\n"
    assert raw.cmd("OBJECT", "REFCOUNT", "big") == b":1\r\n"
    assert raw.cmd("OBJECT", "REFCOUNT", "neg") == b":1\r\n"
    assert raw.cmd("OBJECT", "REFCOUNT", "s") == b":1\r\n"
    assert raw.cmd("OBJECT", "REFCOUNT", "nokey") == b"$-1\r\n"


def test_object_refcount_no_sharing_with_lru_maxmemory(start_server):
    s = start_server(maxmemory="100mb", maxmemory_policy="allkeys-lru")
    raw = s.raw()
    raw.cmd("SET", "n", "5")
    assert raw.cmd("OBJECT", "REFCOUNT", "n") == b":1\r\n"
    raw.close()


def test_object_freq_idletime(r, raw):
    r.set("k", "v")
    assert raw.cmd("OBJECT", "FREQ", "k") == (
        b"-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
        b"note that when switching between policies at runtime LRU and LFU data will take some "
        b"time to adjust.\r\n")
    assert raw.cmd("OBJECT", "FREQ", "nokey") == b"$-1\r\n"
    assert raw.cmd("OBJECT", "IDLETIME", "nokey") == b"$-1\r\n"
    r.get("k")
    idle = r.object("idletime", "k")
    assert 0 <= idle <= 1


def test_object_idletime_grows_and_touch_resets(r):
    r.set("k", "v")
    r.get("k")
    time.sleep(2.2)
    assert r.object("idletime", "k") >= 1
    assert r.ttl("k") == -1  # TTL does not touch
    assert r.object("idletime", "k") >= 1
    r.touch("k")
    assert r.object("idletime", "k") <= 1


def test_object_lfu_policy(start_server):
    s = start_server(maxmemory_policy="allkeys-lfu")
    raw = s.raw()
    raw.cmd("SET", "k", "v")
    assert raw.cmd("OBJECT", "FREQ", "k").startswith(b":")
    assert raw.cmd("OBJECT", "IDLETIME", "k") == (
        b"-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that "
        b"when switching between policies at runtime LRU and LFU data will take some time to "
        b"adjust.\r\n")
    raw.close()


def test_object_help_and_errors(raw):
    rep = raw.cmd("OBJECT", "HELP")
    assert rep.startswith(b"*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
    assert rep.endswith(b"+HELP\r\n+    Prints this help.\r\n")
    assert raw.cmd("OBJECT") == arity("object")
    assert raw.cmd("OBJECT", "foo") == b"-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n"
    assert raw.cmd("OBJECT", "ENCODING") == arity("object|encoding")
    assert raw.cmd("OBJECT", "encoding", "a", "b") == arity("object|encoding")
    assert raw.cmd("OBJECT", "HELP", "x") == arity("object|help")


# --- misc ----------------------------------------------------------------------------------

def test_wrongtype_free_commands_work_on_any_string(r):
    r.set("k", "v")
    assert r.type("k") == b"string"


def test_keyspace_stats_count_lookups(r):
    before = r.info("stats")
    r.set("k", "v")
    r.exists("k", "nokey")
    after = r.info("stats")
    if "keyspace_hits" not in before:
        pytest.skip("INFO stats not available")
    assert after["keyspace_hits"] >= before["keyspace_hits"] + 1
    assert after["keyspace_misses"] >= before["keyspace_misses"] + 1
