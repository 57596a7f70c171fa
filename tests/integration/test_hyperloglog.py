"""HyperLogLog commands on dq alone: what the differential test cannot show (WATCH, TTLs,
configuration, statistics, PFSELFTEST). Byte-for-byte behaviour against redis-server is in
tests/compat/test_diff_hyperloglog.py."""
import pytest
import redis

from dqtest import watch_then

NOT_HLL = "Key is not a valid HyperLogLog string value."


def test_add_count_merge(r):
    assert r.pfadd("h", "a", "b", "c") == 1
    assert r.pfadd("h", "a") == 0
    assert r.pfcount("h") == 3
    assert r.pfadd("g", *["x%d" % i for i in range(1000)]) == 1
    union = r.pfcount("h", "g")
    assert abs(union - 1003) < 1003 * 0.02
    assert r.pfmerge("m", "h", "g")
    assert r.pfcount("m") == union
    assert r.type("h") == b"string"
    assert r.object("encoding", "h") == b"raw"
    assert r.pfcount("nokey") == 0
    assert not r.exists("nokey")


def test_new_key_without_elements_counts_as_change(r):
    assert r.pfadd("e") == 1
    assert r.pfadd("e") == 0
    assert r.strlen("e") == 18
    assert r.pfcount("e") == 0


def test_watch_sees_changes_that_redis_signals(server, r):
    other = server.client()
    r.pfadd("w", "a", "b")
    # Recomputing the cached cardinality rewrites the value: WATCH fires (as in Redis).
    assert not watch_then(r, "w", lambda: other.pfcount("w"))
    # The cache is now valid: reading it changes nothing.
    assert watch_then(r, "w", lambda: other.pfcount("w"))
    # A union of several keys never writes.
    r.pfadd("w", "c")
    assert watch_then(r, "w", lambda: other.pfcount("w", "nokey"))
    # Adding a known element changes no register.
    assert watch_then(r, "w", lambda: other.pfadd("w", "a"))
    assert not watch_then(r, "w", lambda: other.pfadd("w", "zz", "yy"))
    assert not watch_then(r, "w", lambda: other.pfmerge("w", "w"))
    other.close()


def test_ttl_survives_updates(r):
    r.pfadd("t", "a")
    r.expire("t", 100)
    r.pfadd("t", *["e%d" % i for i in range(3000)])  # promoted to dense
    assert r.execute_command("PFDEBUG", "ENCODING", "t") == b"dense"
    assert 0 < r.ttl("t") <= 100
    r.pfmerge("t", "nokey")
    r.pfcount("t")
    assert 0 < r.ttl("t") <= 100


def test_set_value_then_pfadd_keeps_ttl(r):
    r.pfadd("src", "a", "b")
    v = r.get("src")
    r.set("copy", v, ex=100)
    assert r.object("encoding", "copy") == b"embstr"
    assert r.pfadd("copy", "c") == 1
    assert r.object("encoding", "copy") == b"raw"
    assert 0 < r.ttl("copy") <= 100
    assert r.pfcount("copy") == 3


def test_errors_and_errorstats(r):
    r.config_resetstat()
    r.set("s", "plain")
    with pytest.raises(redis.ResponseError, match="^WRONGTYPE " + NOT_HLL.replace(".", r"\.")):
        r.pfadd("s", "a")
    # Stale cache (top bit of byte 15), runs past 16384 registers.
    r.set("c", b"HYLL\x01" + b"\0" * 10 + b"\x80" + b"\x7f\xff\x00")
    with pytest.raises(redis.ResponseError, match="^INVALIDOBJ Corrupted HLL object detected$"):
        r.pfcount("c")
    stats = r.info("errorstats")
    assert stats["errorstat_WRONGTYPE"] == "count=1"
    assert stats["errorstat_INVALIDOBJ"] == "count=1"


def test_sparse_max_bytes_directive(start_server):
    s = start_server(hll_sparse_max_bytes="100")
    c = s.client()
    assert c.config_get("hll-sparse-max-bytes") == {"hll-sparse-max-bytes": "100"}
    c.pfadd("h", *["e%d" % i for i in range(40)])
    assert c.execute_command("PFDEBUG", "ENCODING", "h") == b"dense"
    c.config_set("hll-sparse-max-bytes", "1kb")
    assert c.config_get("hll-sparse-max-bytes") == {"hll-sparse-max-bytes": "1024"}
    c.pfadd("g", *["e%d" % i for i in range(40)])
    assert c.execute_command("PFDEBUG", "ENCODING", "g") == b"sparse"
    assert c.strlen("g") <= 1024
    c.close()


def test_pfdebug_todense_and_getreg(r):
    r.pfadd("d", "a", "b", "c")
    regs = r.execute_command("PFDEBUG", "GETREG", "d")
    assert len(regs) == 16384 and sum(1 for x in regs if x) == 3
    assert r.strlen("d") == 12304
    assert r.execute_command("PFDEBUG", "TODENSE", "d") == 0
    assert r.execute_command("PFDEBUG", "ENCODING", "d") == b"dense"


def test_pfselftest(r):
    assert r.execute_command("PFSELFTEST") == b"OK"


def test_command_getkeys(r):
    assert r.command_getkeys("PFMERGE", "d", "a", "b") == ["d", "a", "b"]
    assert r.command_getkeys("PFCOUNT", "a", "b") == ["a", "b"]
    assert r.command_getkeys("PFDEBUG", "GETREG", "k") == ["k"]


def test_read_only_script_refuses_pfcount(r):
    # Redis 7 treats PFCOUNT (may-replicate: it may rewrite its cache) as a write in
    # read-only scripts.
    r.pfadd("h", "a")
    with pytest.raises(redis.ResponseError, match="Write commands are not allowed"):
        r.eval_ro("return redis.call('PFCOUNT', KEYS[1])", 1, "h")
    assert r.eval("return redis.call('PFCOUNT', KEYS[1])", 1, "h") == 1
