"""DUMP / RESTORE against redis-server (7.0): payloads move both ways.

- redis -> dq: every type and encoding Redis 7.0 writes (int/embstr/raw strings, quicklist
  lists, intset / hashtable sets, listpack / hashtable hashes, listpack / skiplist zsets,
  streams with consumer groups, PELs and deleted entries, big values beyond the compact
  thresholds) is built in redis-server, DUMPed there, RESTOREd into dq and compared.
- dq -> redis: dq's DUMP says RDB version 11 (Redis 7.2); the test rewrites the two version
  bytes to 10 and recomputes the CRC-64 (dq writes only types 7.0 reads), RESTOREs into
  redis-server 7.0 and compares.
- Errors (checksum, BUSYKEY, TTL, IDLETIME / FREQ, syntax, bad data) byte for byte.
Older encodings Redis 7 no longer writes (zipmap, ziplist, quicklist v1, type 3 zsets, 7.2's
set listpack and stream v3) are covered by tests/unit/storage_rdb_value.cpp."""
import struct

import pytest

from dqtest import both_raw, diff_stream


def _crc_table():
    poly = 0x95AC9329AC4BC9B5
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        t.append(c)
    return t


_T = _crc_table()


def crc64(data):
    crc = 0
    for b in data:
        crc = _T[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


def with_version(payload, version):
    body = payload[:-10] + struct.pack("<H", version)
    return body + struct.pack("<Q", crc64(body))


@pytest.fixture
def dq(server):
    c = server.client()
    c.flushall()
    yield c
    c.close()


def snapshot(c, key):
    t = c.type(key).decode()
    if t == "string":
        v = c.get(key)
    elif t == "list":
        v = c.lrange(key, 0, -1)
    elif t == "set":
        v = sorted(c.smembers(key))
    elif t == "hash":
        v = sorted(c.hgetall(key).items())
    elif t == "zset":
        v = c.zrange(key, 0, -1, withscores=True)
    elif t == "stream":
        info = c.execute_command("XINFO", "STREAM", key, "FULL")
        info = dict(zip(info[::2], info[1::2]))
        groups = []
        for g in info[b"groups"]:
            g = dict(zip(g[::2], g[1::2]))
            consumers = []
            for cons in g[b"consumers"]:
                cons = dict(zip(cons[::2], cons[1::2]))
                consumers.append((cons[b"name"], cons[b"seen-time"], cons[b"pel-count"],
                                  cons[b"pending"]))
            groups.append((g[b"name"], g[b"last-delivered-id"], g[b"entries-read"],
                           g[b"pel-count"], g[b"pending"], consumers))
        v = (c.xrange(key), info[b"length"], info[b"last-generated-id"],
             info[b"max-deleted-entry-id"], info[b"entries-added"],
             info[b"recorded-first-entry-id"], groups)
    else:
        v = None
    return t, v


def build_stream(c, key, n, groups=True, deleted=()):
    for i in range(1, n + 1):
        if i % 3 == 0:
            c.xadd(key, {"other": i, "x": "y" * (i % 7)}, id="%d-%d" % (1000 + i, i))
        else:
            c.xadd(key, {"f": i, "g": "v%d" % i}, id="%d-%d" % (1000 + i, i))
    for i in deleted:
        c.xdel(key, "%d-%d" % (1000 + i, i))
    if groups:
        c.xgroup_create(key, "g1", id="0")
        c.xgroup_create(key, "g2", id="$")
        c.xreadgroup("g1", "alice", {key: ">"}, count=min(5, n))
        c.xreadgroup("g1", "bob", {key: ">"}, count=min(3, n))
        c.xgroup_createconsumer(key, "g1", "carol")
        c.xack(key, "g1", "%d-%d" % (1001, 1))


BUILDERS = {
    "int": lambda c, k: c.set(k, "12345"),
    "bigint": lambda c, k: c.set(k, "-9223372036854775808"),
    "embstr": lambda c, k: c.set(k, "hello world"),
    "raw": lambda c, k: c.set(k, "x" * 100),
    "binary": lambda c, k: c.set(k, bytes(range(256)) * 3),
    "compressible": lambda c, k: c.set(k, "ab" * 5000),
    "list_small": lambda c, k: c.rpush(k, "a", "1", "-5", "b" * 70, "3000000000"),
    "list_big": lambda c, k: c.rpush(k, *["item%d" % i for i in range(3000)]),
    "list_bigelems": lambda c, k: c.rpush(k, *[("e%d" % i) * 2000 for i in range(20)]),
    "set_intset": lambda c, k: c.sadd(k, 1, 2, 3, -70000, 5000000000),
    "set_small": lambda c, k: c.sadd(k, "a", "b", "c", "1"),
    "set_big_ints": lambda c, k: c.sadd(k, *range(1000)),
    "set_big": lambda c, k: c.sadd(k, *["m%d" % i for i in range(1000)]),
    "hash_small": lambda c, k: c.hset(k, mapping={"a": "1", "b": "two", "c": "-300"}),
    "hash_bigvalue": lambda c, k: c.hset(k, mapping={"a": "1", "b": "x" * 100}),
    "hash_big": lambda c, k: c.hset(k, mapping={"f%d" % i: "v%d" % i for i in range(1000)}),
    "zset_small": lambda c, k: c.zadd(k, {"a": 1, "b": 2.5, "c": -3, "d": 1e300, "e": 0}),
    "zset_inf": lambda c, k: c.zadd(k, {"lo": float("-inf"), "hi": float("inf")}),
    "zset_big": lambda c, k: c.zadd(k, {"m%d" % i: i / 3 for i in range(1000)}),
    "stream_small": lambda c, k: build_stream(c, k, 10),
    "stream_nogroups": lambda c, k: build_stream(c, k, 5, groups=False),
    "stream_deleted": lambda c, k: build_stream(c, k, 20, deleted=(2, 7, 20)),
    "stream_big": lambda c, k: build_stream(c, k, 2500, deleted=(1, 150, 999)),
    "stream_empty": lambda c, k: (c.xadd(k, {"a": 1}, id="5-1"), c.xdel(k, "5-1"),
                                  c.xgroup_create(k, "g", id="$")),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_redis_dump_restores_into_dq(name, dq, ref):
    BUILDERS[name](ref, "k")
    payload = ref.dump("k")
    assert payload[-10:-8] == b"\x0a\x00"  # Redis 7.0 writes RDB version 10
    assert dq.restore("k", 0, payload) == b"OK"
    assert snapshot(dq, "k") == snapshot(ref, "k")
    assert dq.pttl("k") == -1


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_dq_dump_restores_into_redis(name, dq, ref):
    BUILDERS[name](dq, "k")
    payload = dq.dump("k")
    assert payload[-10:-8] == b"\x0b\x00"  # dq's DUMP says RDB version 11 (7.2)
    # Redis 7.0 refuses version 11 ...
    with pytest.raises(Exception, match="DUMP payload version or checksum are wrong"):
        ref.restore("k", 0, payload)
    # ... but reads the same objects under version 10.
    assert ref.restore("k", 0, with_version(payload, 10)) == b"OK"
    assert snapshot(ref, "k") == snapshot(dq, "k")
    # And back: dq restores its own payload.
    assert dq.restore("k2", 0, payload) == b"OK"
    assert snapshot(dq, "k2") == snapshot(dq, "k")


def test_ttl_and_idletime(dq, ref):
    for c in (dq, ref):
        c.set("s", "v")
        p = c.dump("s")
        assert c.restore("a", 100000, p) == b"OK"
        assert 99000 < c.pttl("a") <= 100000
        assert c.restore("b", 0, p, idletime=1000) == b"OK"
        assert c.object("idletime", "b") >= 1000
        assert c.restore("c", 0, p, frequency=5) == b"OK"
        assert c.object("idletime", "c") < 5
        # ABSTTL in the future keeps the absolute time.
        assert c.restore("d", 4102444800000, p, absttl=True) == b"OK"
        assert c.pexpiretime("d") == 4102444800000


def test_freq_sets_the_lfu_counter_under_an_lfu_policy(dq, ref):
    # objectSetLRUOrLFU: FREQ is the LFU counter under allkeys-lfu; IDLETIME is ignored there.
    for c in (dq, ref):
        c.config_set("maxmemory-policy", "allkeys-lfu")
        c.set("s", "v")
        p = c.dump("s")
        assert c.restore("f", 0, p, frequency=200) == b"OK"
        assert c.object("freq", "f") == 200
        assert c.restore("g", 0, p, idletime=1000) == b"OK"
        assert c.object("freq", "g") == 5  # a new key's counter (LFU_INIT_VAL)
        c.config_set("maxmemory-policy", "noeviction")


@pytest.fixture
def pair(server, redis_ref):
    yield from both_raw(server, redis_ref)


def test_errors_match_redis(pair):
    dq, ref = pair
    ref.cmd("SET", "src", "value")
    payload = ref.cmd("DUMP", "src")
    # the bulk reply's payload bytes
    body = payload.split(b"\r\n", 1)[1][:-2]
    bad_crc = body[:-1] + bytes([body[-1] ^ 1])
    bad_type = with_version(b"\x08" + body[1:], 10)
    truncated = with_version(body[:3] + body[-10:], 10)
    module = with_version(b"\x07" + body[1:], 10)
    stream = [
        ("SET", "busy", "x"),
        ("RESTORE", "busy", "0", body),
        ("RESTORE", "busy", "0", body, "REPLACE"),
        ("GET", "busy"),
        ("RESTORE", "new", "-1", body),
        ("RESTORE", "new", "abc", body),
        ("RESTORE", "new", "0", bad_crc),
        ("RESTORE", "new", "0", b"short"),
        ("RESTORE", "new", "0", b""),
        ("RESTORE", "new", "0", bad_type),
        ("RESTORE", "new", "0", truncated),
        ("RESTORE", "new", "0", module),
        ("RESTORE", "new", "0", body, "IDLETIME", "-1"),
        ("RESTORE", "new", "0", body, "IDLETIME", "x"),
        ("RESTORE", "new", "0", body, "FREQ", "256"),
        ("RESTORE", "new", "0", body, "FREQ", "-1"),
        ("RESTORE", "new", "0", body, "IDLETIME", "1", "FREQ", "1"),
        ("RESTORE", "new", "0", body, "FREQ", "1", "IDLETIME", "1"),
        ("RESTORE", "new", "0", body, "IDLETIME"),
        ("RESTORE", "new", "0", body, "BOGUS"),
        ("RESTORE", "new", "0", body, "REPLACE", "ABSTTL", "IDLETIME", "10"),
        ("EXISTS", "new"),
        # A TTL in the past restores nothing; with REPLACE it deletes the old key.
        ("RESTORE", "past", "1", body, "ABSTTL"),
        ("EXISTS", "past"),
        ("RESTORE", "new", "1", body, "ABSTTL", "REPLACE"),
        ("EXISTS", "new"),
        ("RESTORE", "new", "1", body, "ABSTTL"),
        ("RESTORE", "huge", "9223372036854775807", body),
        ("EXISTS", "huge"),
        ("DUMP", "missing"),
        ("RESTORE", "k"),
        ("DUMP",),
        ("DUMP", "a", "b"),
    ]
    diff_stream((dq, ref), stream)


def test_restore_wakes_watch(dq, server):
    dq.set("src", "v")
    p = dq.dump("src")
    other = server.client()
    pipe = other.pipeline()
    pipe.watch("w")
    dq.restore("w", 0, p)
    pipe.multi()
    pipe.set("w", "mine")
    with pytest.raises(Exception):
        pipe.execute()
    other.close()


def test_restore_wakes_blocked_client(dq, server):
    import threading
    dq.rpush("src", "a", "b")
    p = dq.dump("src")
    out = []
    other = server.client()
    t = threading.Thread(target=lambda: out.append(other.blpop("q", 5)))
    t.start()
    import time
    deadline = time.time() + 5
    while time.time() < deadline:
        if dq.info("clients")["blocked_clients"] == 1:
            break
        time.sleep(0.01)
    dq.restore("q", 0, p)
    t.join()
    assert out == [(b"q", b"a")]
    assert dq.lrange("q", 0, -1) == [b"b"]
    other.close()


def test_restore_keyspace_events_match_redis(server, redis_ref):
    """RESTORE fires "restore" (and "new" via the add); a TTL in the past with REPLACE fires
    "del"; as redis-server with notify-keyspace-events KEA + n."""
    events = []
    for s in (server, redis_ref):
        c = s.client()
        c.flushall()
        c.config_set("notify-keyspace-events", "KEAn")
        c.set("src", "v")
        payload = c.dump("src")
        p = c.pubsub()
        p.psubscribe("__key*__:*")
        p.get_message(timeout=1)
        c.restore("a", 0, payload)
        c.restore("a", 0, payload, replace=True)
        c.restore("b", 100000, payload)
        c.restore("a", 1, payload, absttl=True, replace=True)
        c.set("end", "x")
        got = []
        while True:
            m = p.get_message(timeout=2)
            if m is None:
                break
            if m["type"] == "pmessage":
                got.append((m["channel"], m["data"]))
                if m["channel"] == b"__keyevent@0__:set":
                    break
        events.append(got)
        c.config_set("notify-keyspace-events", "")
        p.close()
        c.close()
    assert events[0] == events[1]
    assert (b"__keyevent@0__:restore", b"a") in events[0]
