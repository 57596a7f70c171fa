"""Stream replies where Redis 7.2 differs from the 7.0 reference (so they cannot be diffed
against Debian's redis-server): dq follows 7.2, as documented on redis.io / in the 7.2 command
JSON files.

  - XINFO CONSUMERS gains `inactive` (ms since the last *successful* interaction, -1 if none)
    and `idle` becomes the time since the last *attempted* interaction;
  - XINFO STREAM FULL consumers gain `active-time` (unix ms of the last successful
    interaction, -1 if none) and `seen-time` becomes the last attempt;
  - the unbalanced XREAD / XREADGROUP error names the command ('xread' / 'xreadgroup') and
    suggests '$' or '>' respectively (#11799, #12238).
The other 7.2 change, re-running a woken XREADGROUP (its errors when the key or group goes
away), is covered in test_streams_blocking.py against both servers."""
import time


def now_ms():
    return int(time.time() * 1000)


def consumers(r, key, group):
    """XINFO CONSUMERS as a list of (field-order, dict)."""
    out = []
    for c in r.execute_command("XINFO", "CONSUMERS", key, group):
        keys = [c[i] for i in range(0, len(c), 2)]
        out.append((keys, {c[i]: c[i + 1] for i in range(0, len(c), 2)}))
    return out


# ---- XINFO CONSUMERS ------------------------------------------------------------------------

def test_xinfo_consumers_fields(r):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    assert r.xgroup_createconsumer("s", "g", "idle-one") == 1
    r.xadd("s", {"f": "v"}, id="1-0")
    r.xreadgroup("g", "reader", {"s": ">"})
    cs = consumers(r, "s", "g")
    assert [c[1][b"name"] for c in cs] == [b"idle-one", b"reader"]
    for keys, _ in cs:
        assert keys == [b"name", b"pending", b"idle", b"inactive"]
    idle_one, reader = cs[0][1], cs[1][1]
    assert idle_one[b"pending"] == 0 and reader[b"pending"] == 1
    # Never read anything: inactive is -1; created just now: idle is small.
    assert idle_one[b"inactive"] == -1
    assert 0 <= idle_one[b"idle"] < 1000
    assert 0 <= reader[b"idle"] < 1000 and 0 <= reader[b"inactive"] < 1000


def test_idle_tracks_attempts_inactive_tracks_success(r):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    r.xadd("s", {"f": "v"}, id="1-0")
    r.xreadgroup("g", "c", {"s": ">"})
    time.sleep(0.15)
    # An attempt that reads nothing: idle resets, inactive keeps counting.
    assert r.xreadgroup("g", "c", {"s": ">"}) == []
    (_, c), = consumers(r, "s", "g")
    assert c[b"idle"] < 100
    assert c[b"inactive"] >= 140
    time.sleep(0.05)
    r.xadd("s", {"f": "w"}, id="2-0")
    r.xreadgroup("g", "c", {"s": ">"})
    (_, c), = consumers(r, "s", "g")
    assert c[b"idle"] < 40 and c[b"inactive"] < 40


def test_consumer_never_successful_keeps_inactive_minus_one(r):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    r.xgroup_createconsumer("s", "g", "c")
    time.sleep(0.06)
    assert r.xreadgroup("g", "c", {"s": ">"}) == []          # attempt, nothing read
    (_, c), = consumers(r, "s", "g")
    assert c[b"inactive"] == -1 and c[b"idle"] < 50


def test_xclaim_success_sets_active(r):
    r.xadd("s", {"f": "v"}, id="1-0")
    r.xgroup_create("s", "g", id="0")
    r.xreadgroup("g", "a", {"s": ">"})
    r.xgroup_createconsumer("s", "g", "b")
    time.sleep(0.06)
    # Nothing old enough: an attempt only.
    assert r.xclaim("s", "g", "b", 100000000, ["1-0"]) == []
    b = {c[b"name"]: c for _, c in consumers(r, "s", "g")}[b"b"]
    assert b[b"inactive"] == -1 and b[b"idle"] < 50
    assert r.xclaim("s", "g", "b", 0, ["1-0"], justid=True) == [b"1-0"]
    b = {c[b"name"]: c for _, c in consumers(r, "s", "g")}[b"b"]
    assert 0 <= b[b"inactive"] < 50 and b[b"pending"] == 1


def test_xautoclaim_success_sets_active(r):
    r.xadd("s", {"f": "v"}, id="1-0")
    r.xgroup_create("s", "g", id="0")
    r.xreadgroup("g", "a", {"s": ">"})
    r.xgroup_createconsumer("s", "g", "b")
    time.sleep(0.06)
    r.execute_command("XAUTOCLAIM", "s", "g", "b", "100000000", "0")
    b = {c[b"name"]: c for _, c in consumers(r, "s", "g")}[b"b"]
    assert b[b"inactive"] == -1 and b[b"idle"] < 50
    r.execute_command("XAUTOCLAIM", "s", "g", "b", "0", "0")
    b = {c[b"name"]: c for _, c in consumers(r, "s", "g")}[b"b"]
    assert 0 <= b[b"inactive"] < 50 and b[b"pending"] == 1


def test_xinfo_consumers_errors(r, raw):
    r.set("str", "x")
    assert raw.cmd("XINFO", "CONSUMERS", "nokey", "g") == b"-ERR no such key\r\n"
    r.xadd("s", {"f": "v"}, id="1-0")
    assert raw.cmd("XINFO", "CONSUMERS", "s", "nog") == \
        b"-NOGROUP No such consumer group 'nog' for key name 's'\r\n"
    assert raw.cmd("XINFO", "CONSUMERS", "str", "g").startswith(b"-WRONGTYPE")
    assert raw.cmd("XINFO", "CONSUMERS", "s") == \
        b"-ERR wrong number of arguments for 'xinfo|consumers' command\r\n"
    r.xgroup_create("s", "g", id="0")
    assert raw.cmd("XINFO", "CONSUMERS", "s", "g") == b"*0\r\n"


def test_xinfo_consumers_resp3(server):
    c = server.raw()
    try:
        c.cmd("HELLO", "3")
        c.cmd("FLUSHALL")
        c.cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
        c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "c")
        rep = c.cmd("XINFO", "CONSUMERS", "s", "g")
        assert rep.startswith(b"*1\r\n%4\r\n$4\r\nname\r\n$1\r\nc\r\n$7\r\npending\r\n:0\r\n$4\r\nidle\r\n:")
        assert rep.endswith(b"$8\r\ninactive\r\n:-1\r\n")
    finally:
        c.close()


# ---- XINFO STREAM FULL ----------------------------------------------------------------------

def pairs(flat):
    keys = [flat[i] for i in range(0, len(flat), 2)]
    return keys, {flat[i]: flat[i + 1] for i in range(0, len(flat), 2)}


def test_xinfo_stream_full_shape(r):
    t0 = now_ms()
    for i in range(1, 4):
        r.xadd("s", {"f": "v%d" % i}, id="%d-0" % i)
    r.xgroup_create("s", "g", id="0")
    r.xgroup_createconsumer("s", "g", "lazy")
    r.xreadgroup("g", "busy", {"s": ">"}, count=2)
    t1 = now_ms()
    keys, top = pairs(r.execute_command("XINFO", "STREAM", "s", "FULL"))
    assert keys == [b"length", b"radix-tree-keys", b"radix-tree-nodes", b"last-generated-id",
                    b"max-deleted-entry-id", b"entries-added", b"recorded-first-entry-id",
                    b"entries", b"groups"]
    assert top[b"length"] == 3 and top[b"last-generated-id"] == b"3-0"
    assert top[b"max-deleted-entry-id"] == b"0-0" and top[b"entries-added"] == 3
    assert top[b"recorded-first-entry-id"] == b"1-0"
    assert top[b"entries"] == [[b"%d-0" % i, [b"f", b"v%d" % i]] for i in range(1, 4)]
    (group,) = top[b"groups"]
    gkeys, g = pairs(group)
    assert gkeys == [b"name", b"last-delivered-id", b"entries-read", b"lag", b"pel-count",
                     b"pending", b"consumers"]
    assert (g[b"name"], g[b"last-delivered-id"], g[b"entries-read"], g[b"lag"], g[b"pel-count"]) == \
        (b"g", b"2-0", 2, 1, 2)
    assert [(p[0], p[1], p[3]) for p in g[b"pending"]] == [(b"1-0", b"busy", 1), (b"2-0", b"busy", 1)]
    assert all(t0 <= p[2] <= t1 for p in g[b"pending"])
    cons = [pairs(c) for c in g[b"consumers"]]
    for ckeys, _ in cons:
        assert ckeys == [b"name", b"seen-time", b"active-time", b"pel-count", b"pending"]
    busy, lazy = cons[0][1], cons[1][1]
    assert (busy[b"name"], lazy[b"name"]) == (b"busy", b"lazy")
    assert t0 <= busy[b"seen-time"] <= t1 and t0 <= busy[b"active-time"] <= t1
    assert busy[b"pel-count"] == 2
    assert [(p[0], p[2]) for p in busy[b"pending"]] == [(b"1-0", 1), (b"2-0", 1)]
    assert t0 <= lazy[b"seen-time"] <= t1 and lazy[b"active-time"] == -1
    assert (lazy[b"pel-count"], lazy[b"pending"]) == (0, [])


def test_xinfo_stream_full_seen_vs_active(r):
    r.xadd("s", {"f": "v"}, id="1-0")
    r.xgroup_create("s", "g", id="0")
    r.xreadgroup("g", "c", {"s": ">"})
    time.sleep(0.1)
    t0 = now_ms()
    r.xreadgroup("g", "c", {"s": ">"})                       # nothing new: an attempt only
    _, top = pairs(r.execute_command("XINFO", "STREAM", "s", "FULL"))
    _, c = pairs(pairs(top[b"groups"][0])[1][b"consumers"][0])
    assert c[b"seen-time"] >= t0
    assert c[b"active-time"] < t0 - 80


def test_xinfo_stream_full_count(r):
    for i in range(1, 16):
        r.xadd("s", {"n": str(i)}, id="%d-0" % i)
    r.xgroup_create("s", "g", id="0")
    r.xreadgroup("g", "c", {"s": ">"})
    _, top = pairs(r.execute_command("XINFO", "STREAM", "s", "FULL"))
    assert len(top[b"entries"]) == 10                       # default COUNT 10
    _, g = pairs(top[b"groups"][0])
    assert g[b"pel-count"] == 15 and len(g[b"pending"]) == 10
    assert len(pairs(g[b"consumers"][0])[1][b"pending"]) == 10
    _, top = pairs(r.execute_command("XINFO", "STREAM", "s", "FULL", "COUNT", "2"))
    assert [e[0] for e in top[b"entries"]] == [b"1-0", b"2-0"]
    _, g = pairs(top[b"groups"][0])
    assert [p[0] for p in g[b"pending"]] == [b"1-0", b"2-0"]
    _, top = pairs(r.execute_command("XINFO", "STREAM", "s", "FULL", "COUNT", "0"))
    assert len(top[b"entries"]) == 15
    _, g = pairs(top[b"groups"][0])
    assert len(g[b"pending"]) == 15


def test_xinfo_stream_full_empty(r):
    r.xgroup_create("e", "g", id="$", mkstream=True)
    _, top = pairs(r.execute_command("XINFO", "STREAM", "e", "FULL"))
    assert top[b"length"] == 0 and top[b"entries"] == []
    _, g = pairs(top[b"groups"][0])
    assert (g[b"pel-count"], g[b"pending"], g[b"consumers"], g[b"entries-read"], g[b"lag"]) == \
        (0, [], [], None, 0)
    r.xadd("n", {"f": "v"}, id="1-0")
    _, top = pairs(r.execute_command("XINFO", "STREAM", "n", "FULL"))
    assert top[b"groups"] == []
    # Argument errors of XINFO STREAM FULL are diffed in tests/compat/test_diff_streams.py.


def test_xinfo_stream_full_resp3_maps(server):
    c = server.raw()
    try:
        c.cmd("HELLO", "3")
        c.cmd("FLUSHALL")
        c.cmd("XADD", "s", "1-0", "f", "v")
        c.cmd("XGROUP", "CREATE", "s", "g", "$")
        c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "c")
        rep = c.cmd("XINFO", "STREAM", "s", "FULL")
        assert rep.startswith(b"%9\r\n$6\r\nlength\r\n:1\r\n")
        groups = rep[rep.index(b"$6\r\ngroups\r\n"):]
        assert groups.startswith(b"$6\r\ngroups\r\n*1\r\n%7\r\n$4\r\nname\r\n$1\r\ng\r\n")
        cons = groups[groups.index(b"$9\r\nconsumers\r\n"):]
        assert cons.startswith(b"$9\r\nconsumers\r\n*1\r\n%5\r\n$4\r\nname\r\n$1\r\nc\r\n$9\r\nseen-time\r\n:")
        assert cons.endswith(b"$11\r\nactive-time\r\n:-1\r\n$9\r\npel-count\r\n:0\r\n$7\r\npending\r\n*0\r\n")
    finally:
        c.close()


# ---- unbalanced stream lists ----------------------------------------------------------------

def test_unbalanced_errors_name_the_command(r, raw):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    xread = "-ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.\r\n"
    xrg = "-ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.\r\n"
    assert raw.cmd("XREAD", "STREAMS", "s", "t", "0") == xread.encode()
    assert raw.cmd("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "t", "0") == xread.encode()
    assert raw.cmd("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">") == xrg.encode()
    assert raw.cmd("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s") == xrg.encode()
