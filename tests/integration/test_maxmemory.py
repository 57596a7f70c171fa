"""maxmemory and eviction (server/evict.cpp, storage/evict.h, storage/memory.h).

Where the outcome is deterministic (maxmemory 1: everything evictable goes, then OOM) the
same scenario runs against dq and Debian's redis-server and the replies are compared byte
for byte. Where it is statistical (sampling), the test runs on both servers with the same
assertions, so the assertions measure Redis's behaviour, not dq's."""
import time

import pytest
import redis

from dqtest import start_either, wait_for, watch_then

OOM = b"-OOM command not allowed when used memory > 'maxmemory'.\r\n"
BOTH = ["dq", "redis"]


@pytest.fixture
def either(request):
    started = []

    def _start(**directives):
        s = start_either(request.param, directives)
        started.append(s)
        return s

    yield _start
    for s in started:
        s.stop()


def used(c):
    return c.info("memory")["used_memory"]


def fill(c, prefix, n, size=1000, ex=None, batch=50):
    val = b"x" * size
    for i in range(0, n, batch):
        p = c.pipeline(transaction=False)
        for j in range(i, min(n, i + batch)):
            p.set("%s%d" % (prefix, j), val, ex=ex)
        p.execute()


# --- deterministic: differential against redis-server ---------------------------------------


def run_both(script, **directives):
    """Runs script(raw) on a fresh dq and a fresh redis-server (raw.server is the process);
    returns both results."""
    out = []
    for which in ("dq", "redis"):
        s = start_either(which, directives)
        try:
            raw = s.raw()
            raw.server = s
            out.append(script(raw))
            raw.close()
        finally:
            s.stop()
    return out


def test_noeviction_oom_for_writes_not_reads():
    def script(raw):
        got = [raw.cmd("SET", "a", "1"), raw.cmd("RPUSH", "l", "x"),
               raw.cmd("CONFIG", "SET", "maxmemory", "1")]
        got += [raw.cmd("SET", "b", "2"), raw.cmd("GET", "a"), raw.cmd("APPEND", "a", "x"),
                raw.cmd("LPUSH", "l", "y"), raw.cmd("INCR", "n"), raw.cmd("EXISTS", "a"),
                raw.cmd("LRANGE", "l", "0", "-1"), raw.cmd("EXPIRE", "a", "100"),
                raw.cmd("DEL", "a"), raw.cmd("LPOP", "l"), raw.cmd("DBSIZE"), raw.cmd("PING")]
        got.append(raw.cmd("CONFIG", "SET", "maxmemory", "0"))
        got.append(raw.cmd("SET", "b", "2"))
        return got

    dq, ref = run_both(script)
    assert dq == ref
    assert dq[3] == OOM and dq[4] == b"$1\r\n1\r\n" and dq[-1] == b"+OK\r\n"


@pytest.mark.parametrize("policy", ["allkeys-random", "allkeys-lru", "allkeys-lfu"])
def test_allkeys_lowest_limit_evicts_everything_then_oom(policy):
    def script(raw):
        for i in range(200):
            raw.cmd("SET", "k%d" % i, "v" * 100)
        raw.cmd("SET", "t", "v", "EX", "1000")
        got = [raw.cmd("CONFIG", "SET", "maxmemory", "1"), raw.cmd("DBSIZE"),
               raw.cmd("SET", "x", "y"), raw.cmd("GET", "k1"), raw.cmd("DBSIZE")]
        info = raw.cmd("INFO", "stats").decode()
        got.append([ln for ln in info.split("\r\n") if ln.startswith("evicted_keys:")])
        return got

    dq, ref = run_both(script, maxmemory_policy=policy)
    assert dq == ref
    assert dq[1] == b":0\r\n" and dq[2] == OOM and dq[-1] == ["evicted_keys:201"]


@pytest.mark.parametrize("policy", ["volatile-random", "volatile-lru", "volatile-lfu",
                                    "volatile-ttl"])
def test_volatile_evicts_only_keys_with_ttl_then_oom(policy):
    def script(raw):
        for i in range(100):
            raw.cmd("SET", "p%d" % i, "v" * 100)
        for i in range(100):
            raw.cmd("SET", "v%d" % i, "v" * 100, "EX", str(1000 + i))
        got = [raw.cmd("CONFIG", "SET", "maxmemory", "1"), raw.cmd("DBSIZE"),
               raw.cmd("SET", "x", "y"), raw.cmd("EXISTS", "v3"), raw.cmd("EXISTS", "p3"),
               raw.cmd("SET", "w", "y", "EX", "10"), raw.cmd("INFO", "keyspace")]
        return got

    dq, ref = run_both(script, maxmemory_policy=policy)
    assert dq == ref
    assert dq[1] == b":100\r\n" and dq[2] == OOM and dq[3] == b":0\r\n" and dq[4] == b":1\r\n"


def test_multi_and_exec_under_oom():
    def script(raw):
        admin = raw.server.raw()
        got = [raw.cmd("SET", "a", "1"), raw.cmd("MULTI"), raw.cmd("SET", "b", "2"),
               raw.cmd("GET", "a"), admin.cmd("CONFIG", "SET", "maxmemory", "1"),
               # EXEC of a queued denyoom command is refused: EXECABORT with the OOM error
               raw.cmd("EXEC"),
               # any command queued while OOM is refused (dooming the transaction)
               raw.cmd("MULTI"), raw.cmd("GET", "a"), raw.cmd("EXEC"),
               # an empty transaction and DISCARD still work
               raw.cmd("MULTI"), raw.cmd("DISCARD"), raw.cmd("MULTI"), raw.cmd("EXEC"),
               raw.cmd("CONFIG", "SET", "maxmemory", "0")]
        admin.close()
        return got

    dq, ref = run_both(script)
    assert dq == ref
    assert dq[5] == (b"-EXECABORT Transaction discarded because of: OOM command not allowed "
                     b"when used memory > 'maxmemory'.\r\n")
    assert dq[7] == OOM
    assert dq[8] == b"-EXECABORT Transaction discarded because of previous errors.\r\n"


def test_scripts_under_oom():
    def script(raw):
        raw.cmd("SET", "a", "1")
        raw.cmd("FUNCTION", "LOAD",
                "#!lua name=lib\n"
                "redis.register_function('w', function(k) return redis.call('set', k[1], 'x') end)\n"
                "redis.register_function{function_name='r', callback=function(k) "
                "return redis.call('get', k[1]) end, flags={'no-writes'}}\n"
                "redis.register_function{function_name='o', callback=function(k) "
                "return redis.call('set', k[1], 'o') end, flags={'allow-oom'}}\n")
        got = [raw.cmd("CONFIG", "SET", "maxmemory", "1")]
        got += [
            # compatibility mode (no shebang): refused at its first denyoom call
            raw.cmd("EVAL", "return redis.call('set','x','y')", "0"),
            raw.cmd("EVAL", "return redis.call('get','a')", "0"),
            raw.cmd("EVAL", "redis.call('get','a'); return redis.call('set','x','y')", "0"),
            raw.cmd("EVAL", "return redis.pcall('set','x','y')", "0"),
            # a shebang script that may write does not start
            raw.cmd("EVAL", "#!lua\nreturn redis.call('get','a')", "0"),
            raw.cmd("EVAL_RO", "#!lua\nreturn 1", "0"),
            raw.cmd("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','a')", "0"),
            raw.cmd("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','x','y')", "0"),
            raw.cmd("EVAL_RO", "return 1", "0"),
            raw.cmd("FCALL", "w", "1", "k"), raw.cmd("FCALL", "r", "1", "a"),
            raw.cmd("FCALL_RO", "r", "1", "a"), raw.cmd("FCALL", "o", "1", "k"),
            raw.cmd("CONFIG", "SET", "maxmemory", "0"),
        ]
        return got

    dq, ref = run_both(script)
    assert dq == ref
    assert dq[1].startswith(b"-OOM command not allowed when used memory > 'maxmemory'. script: ")
    assert dq[5] == OOM and dq[10] == OOM


def test_config_set_maxmemory_lower_evicts_at_once():
    def script(raw):
        for i in range(300):
            raw.cmd("SET", "k%d" % i, "v" * 500)
        return [raw.cmd("CONFIG", "SET", "maxmemory", "1"), raw.cmd("DBSIZE"),
                raw.cmd("CONFIG", "GET", "maxmemory")]

    dq, ref = run_both(script, maxmemory_policy="allkeys-lru")
    assert dq == ref and dq[1] == b":0\r\n"


def test_config_directives_and_errors():
    def script(raw):
        got = []
        for name, good, bad in [("maxmemory-samples", "10", "0"),
                                ("maxmemory-eviction-tenacity", "50", "101"),
                                ("lfu-log-factor", "5", "-1"), ("lfu-decay-time", "3", "-1"),
                                ("maxmemory", "10mb", "1x")]:
            got += [raw.cmd("CONFIG", "GET", name), raw.cmd("CONFIG", "SET", name, good),
                    raw.cmd("CONFIG", "GET", name), raw.cmd("CONFIG", "SET", name, bad)]
        got.append(raw.cmd("CONFIG", "SET", "maxmemory", "0"))
        return got

    dq, ref = run_both(script)
    assert dq == ref


def test_object_freq_starts_at_init_value_and_needs_lfu():
    def script(raw):
        got = [raw.cmd("SET", "k", "v"), raw.cmd("OBJECT", "FREQ", "k"),
               raw.cmd("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"),
               raw.cmd("SET", "k2", "v"), raw.cmd("OBJECT", "FREQ", "k2"),
               raw.cmd("OBJECT", "IDLETIME", "k2")]
        return got

    dq, ref = run_both(script)
    assert dq == ref
    assert dq[4] == b":5\r\n"


def test_evicted_key_dirties_watch_and_blocked_clients_stay_blocked():
    def script(raw):
        r = raw.server.client()
        other = raw.server.client()
        r.set("w", "1")
        waiter = raw.server.client()
        import threading
        res = {}
        t = threading.Thread(target=lambda: res.setdefault("b", waiter.blpop("q", 5)))
        t.start()
        wait_for(lambda: other.info("clients")["blocked_clients"] == 1)

        def evict_all():
            other.config_set("maxmemory-policy", "allkeys-random")
            other.config_set("maxmemory", "1")
            other.config_set("maxmemory", "0")

        ran = watch_then(r, "w", evict_all)
        blocked = other.info("clients")["blocked_clients"]
        other.rpush("q", "item")
        t.join()
        out = [ran, other.exists("w"), blocked, res["b"]]
        for c in (r, other, waiter):
            c.close()
        return out

    dq, ref = run_both(script)
    assert dq == ref == [False, 0, 1, (b"q", b"item")]


# --- statistical: same assertions against dq and redis-server ------------------------------


@pytest.mark.parametrize("either", BOTH, indirect=True)
@pytest.mark.parametrize("policy", ["allkeys-random", "allkeys-lru", "allkeys-lfu"])
def test_used_memory_stays_under_limit_writing_3x(either, policy):
    s = either(maxmemory_policy=policy)
    c = s.client()
    base = used(c)
    limit = base + 400 * 1024
    c.config_set("maxmemory", limit)
    # Write three times the room in 1000-byte values, one command at a time.
    n = 3 * 400
    for i in range(n):
        c.set("key:%d" % i, b"x" * 1000)
    u = used(c)
    assert u <= limit + 32 * 1024, (u, limit)
    keys = c.dbsize()
    evicted = c.info("stats")["evicted_keys"]
    assert 0 < keys < n * 2 // 3
    assert evicted >= n - keys - 1 and evicted > n // 3
    assert c.set("after", "x")  # evicting policies keep accepting writes
    c.close()


@pytest.mark.parametrize("either", BOTH, indirect=True)
def test_allkeys_lru_keeps_keys_that_are_read(either):
    s = either(maxmemory_policy="allkeys-lru", maxmemory_samples="10")
    c = s.client()
    fill(c, "cold:", 1000)
    fill(c, "hot:", 100)
    c.config_set("maxmemory", used(c) + 20 * 1024)
    time.sleep(2.2)  # the LRU clock has a one-second resolution (as Redis's)
    for _ in range(3):
        for i in range(100):
            c.get("hot:%d" % i)
    # 500 new keys need about 500 keys' room: cold ones are the idle ones.
    for i in range(500):
        c.set("new:%d" % i, b"x" * 1000)
        if i % 50 == 0:
            for j in range(100):
                c.get("hot:%d" % j)
    hot_left = sum(c.exists("hot:%d" % i) for i in range(100))
    cold_left = sum(c.exists("cold:%d" % i) for i in range(1000))
    assert c.info("stats")["evicted_keys"] >= 400
    assert hot_left >= 90, hot_left
    assert cold_left <= 650, cold_left
    c.close()


@pytest.mark.parametrize("either", BOTH, indirect=True)
def test_volatile_ttl_evicts_soonest_expiring_first(either):
    s = either(maxmemory_policy="volatile-ttl", maxmemory_samples="10")
    c = s.client()
    val = b"x" * 1000
    p = c.pipeline(transaction=False)
    for i in range(400):
        p.set("t%d" % i, val, ex=10000 + i * 10)
    p.execute()
    before = used(c)
    # Room for about half of them.
    limit = before - 200 * 1100
    c.config_set("maxmemory", limit)
    wait_for(lambda: used(c) <= limit + 16 * 1024)  # a pass cut short continues on a timer
    left = [i for i in range(400) if c.exists("t%d" % i)]
    gone = [i for i in range(400) if i not in set(left)]
    assert 100 < len(gone) < 300
    # The ones evicted are (mostly) the soonest-expiring.
    assert sorted(gone)[len(gone) * 9 // 10] < len(gone) + 40
    c.close()


@pytest.mark.parametrize("either", BOTH, indirect=True)
def test_object_freq_grows_with_accesses(either):
    s = either(maxmemory_policy="allkeys-lfu")
    c = s.client()
    c.set("hot", "v")
    c.set("cold", "v")
    f0 = c.object("freq", "hot")
    for _ in range(200):
        c.get("hot")
    f1 = c.object("freq", "hot")
    assert f1 > f0 + 3
    assert c.object("freq", "cold") <= f0  # OBJECT FREQ itself does not count
    c.close()


@pytest.mark.parametrize("either", BOTH, indirect=True)
def test_info_fields(either):
    s = either(maxmemory="100mb", maxmemory_policy="allkeys-lru")
    c = s.client()
    mem = c.info("memory")
    for f in ("used_memory", "maxmemory", "maxmemory_human", "maxmemory_policy",
              "mem_not_counted_for_evict"):
        assert f in mem, f
    assert mem["maxmemory"] == 100 * 1024 * 1024
    assert mem["maxmemory_human"] == "100.00M"
    assert mem["maxmemory_policy"] == "allkeys-lru"
    assert mem["mem_not_counted_for_evict"] == 0
    st = c.info("stats")
    assert st["evicted_keys"] == 0 and st["evicted_clients"] == 0
    c.close()


def test_used_memory_follows_writes_and_deletes():
    s = start_either("dq")
    try:
        c = s.client()
        u0 = used(c)
        fill(c, "k", 1000, size=1000)
        u1 = used(c)
        assert 1000 * 1000 < u1 - u0 < 1000 * 1400
        c.flushall()
        u2 = used(c)
        assert u2 - u0 < 100 * 1024
        c.close()
    finally:
        s.stop()


@pytest.mark.parametrize("either", BOTH, indirect=True)
def test_writes_record_access_too(either):
    # Redis's lookupKeyWrite updates the LRU clock as lookupKeyRead does; TTL and TYPE do not.
    s = either()
    c = s.client()
    c.set("a", "v")  # not integers: Redis shares those, and a shared object has no clock
    c.set("b", "v")
    c.rpush("l", "x")
    time.sleep(2.2)
    c.ttl("a")
    c.type("a")
    assert c.object("idletime", "a") >= 2
    c.append("a", "x")
    c.rpush("l", "y")
    assert c.object("idletime", "a") <= 1
    assert c.object("idletime", "l") <= 1
    assert c.object("idletime", "b") >= 2
    c.close()


@pytest.mark.parametrize("either", BOTH, indirect=True)
def test_lfu_counter_survives_overwrite_not_rename(either):
    s = either(maxmemory_policy="allkeys-lfu", lfu_log_factor="0")
    c = s.client()
    c.set("k", "v")
    for _ in range(30):
        c.get("k")
    f = c.object("freq", "k")
    assert f >= 30
    c.set("k", "v2")  # overwrite: the counter carries over (and the write counts)
    assert c.object("freq", "k") >= f
    c.set("src", "v")
    c.rename("src", "k")  # RENAME: the moved key keeps its own counter
    assert c.object("freq", "k") <= 6
    c.close()


@pytest.mark.parametrize("either", BOTH, indirect=True)
def test_eviction_cut_short_by_tenacity_continues_in_background(either):
    # Tenacity 0: each pass stops after 16 keys; the rest continues from a timer, without
    # any command arriving (Redis's evictionTimeProc).
    s = either(maxmemory_policy="allkeys-random", maxmemory_eviction_tenacity="0")
    c = s.client()
    fill(c, "k", 3000, size=100)
    c.config_set("maxmemory", 1)
    time.sleep(1.0)
    assert c.info("stats")["evicted_keys"] >= 2900
    c.close()


@pytest.mark.parametrize("either", BOTH, indirect=True)
def test_evicted_keys_send_keyspace_events_and_invalidations(either):
    # Each evicted key: an "evicted" keyspace event (class e) and, for a client that read it
    # with CLIENT TRACKING on, an invalidation (here redirected to a RESP2 subscriber).
    s = either(maxmemory_policy="allkeys-random")
    c = s.client()
    c.config_set("notify-keyspace-events", "Ee")
    fill(c, "k", 200, size=1000)
    sub = s.raw()
    sub.cmd("SUBSCRIBE", "__keyevent@0__:evicted", "__redis__:invalidate")
    sub.read_reply_bytes()
    trk = s.raw()
    target = [l for l in c.client_list() if "SUBSCRIBE" in l.get("cmd", "").upper()][0]["id"]
    assert trk.cmd("CLIENT", "TRACKING", "on", "REDIRECT", target) == b"+OK\r\n"
    for i in range(200):
        trk.cmd("GET", "k%d" % i)
    c.config_set("maxmemory", used(c) - 100 * 1024)  # evicts ~100 keys at once
    evicted = c.info("stats")["evicted_keys"]
    assert evicted > 0
    events, invalidated = set(), set()
    while len(events) < evicted or len(invalidated) < evicted:
        m = sub.read_reply_bytes()
        parts = m.split(b"\r\n")
        channel, payload = parts[4], parts[6]
        if channel == b"__keyevent@0__:evicted":
            events.add(payload)
        else:
            assert channel == b"__redis__:invalidate"
            invalidated.update(parts[7:-1:2])
    assert events == invalidated
    assert all(not c.exists(k) for k in events)
    sub.close()
    trk.close()
    c.close()
