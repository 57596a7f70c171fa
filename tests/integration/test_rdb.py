"""RDB files: SAVE / BGSAVE / SHUTDOWN SAVE / SIGTERM / save points write dir/dbfilename, a
restart loads it (every type, TTLs, databases, function libraries), a file written by
redis-server 7.0 loads with identical contents, a corrupt or truncated file stops the start
with a log line and exit code 1, BGSAVE's snapshot is the fork's moment."""
import os
import shutil
import signal
import subprocess
import time

import pytest

from dqtest import DQ_SERVER, REDIS_SERVER, ServerProc, free_port, wait_for

LIB = "#!lua name=mylib\nredis.register_function('f1', function() return 'hi' end)"


def start(d, **directives):
    directives.setdefault("save", "")
    directives["dir"] = str(d)
    return ServerProc(DQ_SERVER, directives)


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
        groups = []
        for g in c.xinfo_groups(key):
            pending = c.xpending_range(key, g["name"], "-", "+", 1000)
            groups.append((g["name"], g["last-delivered-id"], g["entries-read"], g["pending"],
                           sorted((p["message_id"], p["consumer"], p["times_delivered"])
                                  for p in pending),
                           sorted(x["name"] for x in c.xinfo_consumers(key, g["name"]))))
        info = c.xinfo_stream(key)
        v = (c.xrange(key), info["last-generated-id"], info.get("max-deleted-entry-id"),
             info.get("entries-added"), groups)
    else:
        v = None
    return t, v


def everything(c):
    """{(db, key): (type, value, has_ttl)} for every database."""
    out = {}
    for db in range(16):
        c.execute_command("SELECT", db)
        for k in c.keys("*"):
            out[(db, k)] = snapshot(c, k) + (c.pttl(k) > 0,)
    c.execute_command("SELECT", 0)
    return out


def populate(c):
    c.set("int", 12345)
    c.set("str", "hello")
    c.set("big", "x" * 5000)
    c.set("ttl", "v", px=500000)
    c.rpush("list", *["e%d" % i for i in range(300)])
    c.rpush("smalllist", "a", "b")
    c.sadd("intset", 1, 2, 3)
    c.sadd("set", *["m%d" % i for i in range(300)])
    c.hset("hash", mapping={"a": "1", "b": "2"})
    c.hset("bighash", mapping={"f%d" % i: i for i in range(300)})
    c.zadd("zset", {"a": 1.5, "b": -2})
    c.zadd("bigzset", {"m%d" % i: i for i in range(300)})
    for i in range(1, 301):
        c.xadd("stream", {"f": i}, id="%d-1" % i)
    c.xdel("stream", "5-1")
    c.xgroup_create("stream", "g", id="0")
    c.xreadgroup("g", "alice", {"stream": ">"}, count=3)
    c.execute_command("SELECT", 5)
    c.set("in5", "five")
    c.expire("in5", 100000)
    c.execute_command("SELECT", 0)


def test_save_restart_every_type_ttl_and_db(tmp_path):
    s = start(tmp_path)
    c = s.client()
    populate(c)
    c.function_load(LIB)
    before = everything(c)
    last = c.lastsave()
    time.sleep(1.05)
    assert c.save() is True
    assert c.lastsave() > last
    assert c.info("persistence")["rdb_changes_since_last_save"] == 0
    s.stop()
    assert os.path.exists(tmp_path / "dump.rdb")
    with open(tmp_path / "dump.rdb", "rb") as f:
        assert f.read(9) == b"REDIS0011"
    s = start(tmp_path)
    c = s.client()
    assert everything(c) == before
    assert c.fcall("f1", 0) == b"hi"
    assert c.info("persistence")["rdb_last_load_keys_loaded"] == len(before)
    s.stop()


def test_lfu_counters_and_idle_times_survive_a_restart(tmp_path):
    # As Redis: under an LFU policy the file carries each key's counter (FREQ), under an LRU
    # policy its idle time (IDLE).
    s = start(tmp_path, maxmemory_policy="allkeys-lfu")
    c = s.client()
    c.set("hot", "v")
    c.set("cold", "v")
    for _ in range(300):
        c.get("hot")
    hot = c.object("freq", "hot")
    assert hot > 10 and c.object("freq", "cold") == 5
    assert c.save() is True
    s.stop()
    s = start(tmp_path, maxmemory_policy="allkeys-lfu")
    c = s.client()
    assert c.object("freq", "hot") == hot
    assert c.object("freq", "cold") == 5
    c.config_set("maxmemory-policy", "allkeys-lru")
    c.set("cold", "v")  # a write stamps the LRU clock (the old field meant an LFU counter)
    time.sleep(2.1)
    c.get("hot")
    assert c.save() is True
    s.stop()
    s = start(tmp_path, maxmemory_policy="allkeys-lru")
    c = s.client()
    assert c.object("idletime", "cold") >= 2
    assert c.object("idletime", "hot") <= 1
    s.stop()


def test_keys_loaded_without_freq_start_at_the_lfu_initial_value(tmp_path):
    # A file saved under an LRU policy carries IDLE, not FREQ: under an LFU policy its keys
    # start as new objects do (counter 5, Redis's LFU_INIT_VAL), not with an LRU clock read
    # as a counter.
    s = start(tmp_path, maxmemory_policy="allkeys-lru")
    c = s.client()
    for i in range(20):
        c.set("k%d" % i, "v")
    assert c.save() is True
    s.stop()
    s = start(tmp_path, maxmemory_policy="allkeys-lfu")
    c = s.client()
    assert {c.object("freq", "k%d" % i) for i in range(20)} == {5}
    s.stop()


def test_expired_keys_skipped_at_load(tmp_path):
    s = start(tmp_path)
    c = s.client()
    c.set("short", "v", px=300)
    c.set("long", "v")
    c.save()
    s.stop()
    time.sleep(0.4)
    s = start(tmp_path)
    c = s.client()
    assert c.keys("*") == [b"long"]
    info = c.info("persistence")
    assert info["rdb_last_load_keys_expired"] == 1
    assert info["rdb_last_load_keys_loaded"] == 1
    s.stop()


def test_bgsave_snapshot_is_the_fork_moment(tmp_path):
    s = start(tmp_path)
    c = s.client()
    pipe = c.pipeline(transaction=False)
    for i in range(20000):
        pipe.set("k%d" % i, i)
    pipe.execute()
    assert c.bgsave() is True
    # Writes after the reply are not in the snapshot; the child already forked.
    c.set("after", "1")
    c.delete("k0")
    wait_for(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0, timeout=20)
    info = c.info("persistence")
    assert info["rdb_last_bgsave_status"] == "ok"
    assert info["rdb_changes_since_last_save"] == 2  # the two writes after the fork
    s.stop()
    s = start(tmp_path)
    c = s.client()
    assert c.dbsize() == 20000
    assert c.get("k0") == b"0" and c.get("after") is None
    s.stop()


def test_bgsave_errors(tmp_path):
    s = start(tmp_path)
    c = s.client()
    pipe = c.pipeline(transaction=False)
    for i in range(300000):
        pipe.set("key:%d" % i, "v" * 20)
    pipe.execute()
    raw = s.raw()
    assert raw.cmd("BGSAVE") == b"+Background saving started\r\n"
    assert raw.cmd("BGSAVE") == b"-ERR Background save already in progress\r\n"
    assert raw.cmd("SAVE") == b"-ERR Background save already in progress\r\n"
    wait_for(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0, timeout=30)
    assert raw.cmd("BGSAVE", "foo") == b"-ERR syntax error\r\n"
    # Inside MULTI / EXEC the save is scheduled (Redis 7), then started by the cron.
    raw.cmd("MULTI")
    raw.cmd("BGSAVE")
    assert raw.cmd("EXEC") == b"*1\r\n+Background saving scheduled\r\n"
    wait_for(lambda: c.info("persistence")["rdb_saves"] == 2, timeout=10)
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert raw.cmd("SAVE") == b"-ERR Command not allowed inside a transaction\r\n"
    raw.cmd("DISCARD")
    raw.close()
    s.stop()


def test_save_points_trigger_bgsave(tmp_path):
    s = start(tmp_path, save="1 2")
    c = s.client()
    c.set("a", 1)
    time.sleep(1.5)
    assert c.info("persistence")["rdb_saves"] == 0  # one change is not enough
    c.set("b", 2)
    wait_for(lambda: c.info("persistence")["rdb_saves"] >= 1, timeout=10)
    wait_for(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0, timeout=10)
    assert os.path.exists(tmp_path / "dump.rdb")
    assert "changes in 1 seconds. Saving..." in s.log_text()
    # CONFIG SET save "" disables them.
    c.config_set("save", "")
    c.set("c", 3)
    c.set("d", 4)
    time.sleep(1.5)
    assert c.info("persistence")["rdb_changes_since_last_save"] == 2
    s.stop()


def test_shutdown_save_and_sigterm(tmp_path):
    s = start(tmp_path)
    c = s.client()
    c.set("a", "1")
    try:
        c.shutdown(save=True)
    except Exception:
        pass
    s.proc.wait(10)
    s.stop()
    s = start(tmp_path)
    c = s.client()
    assert c.get("a") == b"1"
    # Plain SHUTDOWN without save points does not save.
    c.set("b", "2")
    try:
        c.shutdown()
    except Exception:
        pass
    s.proc.wait(10)
    s.stop()
    # SIGTERM with save points saves.
    s = start(tmp_path, save="3600 1")
    c = s.client()
    assert c.get("b") is None
    c.set("c", "3")
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(10) == 0
    assert "Saving the final RDB snapshot before exiting." in s.log_text()
    s.stop()
    s = start(tmp_path)
    assert s.client().get("c") == b"3"
    s.stop()


def test_shutdown_save_failure_keeps_running(tmp_path):
    s = start(tmp_path, enable_protected_configs="yes")  # CONFIG SET dir is protected
    c = s.client()
    c.set("a", 1)
    c.config_set("dir", str(tmp_path / "missing"))
    raw = s.raw()
    assert raw.cmd("SHUTDOWN", "SAVE") == b"-ERR Errors trying to SHUTDOWN. Check logs.\r\n"
    assert raw.cmd("SAVE") == b"-ERR\r\n"
    # A failed SAVE leaves the bgsave status alone (Redis 7); a failed BGSAVE sets it.
    assert c.info("persistence")["rdb_last_bgsave_status"] == "ok"
    assert raw.cmd("BGSAVE") == b"+Background saving started\r\n"
    wait_for(lambda: c.info("persistence")["rdb_last_bgsave_status"] == "err", timeout=10)
    assert raw.cmd("PING") == b"+PONG\r\n"  # no save points: no MISCONF
    raw.close()
    s.stop()


MISCONF = (b"-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
           b"persist to disk. Commands that may modify the data set are disabled, because this "
           b"instance is configured to report errors during writes if RDB snapshotting fails "
           b"(stop-writes-on-bgsave-error option). Please check the Redis logs for details about "
           b"the RDB error.\r\n")


def test_failed_bgsave_stops_writes(tmp_path):
    s = start(tmp_path, save="3600 1", enable_protected_configs="yes")
    c = s.client()
    c.set("a", 1)
    c.config_set("dir", str(tmp_path / "missing"))
    raw = s.raw()
    assert raw.cmd("BGSAVE") == b"+Background saving started\r\n"
    wait_for(lambda: c.info("persistence")["rdb_last_bgsave_status"] == "err", timeout=10)
    assert raw.cmd("SET", "b", "1") == MISCONF
    assert raw.cmd("PING") == MISCONF
    assert raw.cmd("GET", "a") == b"$1\r\n1\r\n"
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert raw.cmd("SET", "b", "1") == MISCONF
    assert raw.cmd("EXEC") == (b"-EXECABORT Transaction discarded because of previous "
                               b"errors.\r\n")
    # Turning the option off, or a save that succeeds, lets writes in again.
    assert raw.cmd("CONFIG", "SET", "stop-writes-on-bgsave-error", "no") == b"+OK\r\n"
    assert raw.cmd("SET", "b", "1") == b"+OK\r\n"
    assert raw.cmd("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes") == b"+OK\r\n"
    assert raw.cmd("SET", "b", "1") == MISCONF
    assert raw.cmd("CONFIG", "SET", "dir", str(tmp_path)) == b"+OK\r\n"
    assert raw.cmd("BGSAVE") == b"+Background saving started\r\n"
    wait_for(lambda: c.info("persistence")["rdb_last_bgsave_status"] == "ok", timeout=10)
    assert raw.cmd("SET", "b", "1") == b"+OK\r\n"
    raw.close()
    s.stop()


def test_flushall_with_save_points_saves(tmp_path):
    s = start(tmp_path, save="3600 1000")
    c = s.client()
    c.set("a", 1)
    c.flushall()
    assert os.path.exists(tmp_path / "dump.rdb")
    # Redis 7: the save resets the counter, then the FLUSHALL itself counts one change.
    assert c.info("persistence")["rdb_changes_since_last_save"] == 1
    s.stop()


def test_debug_reload(tmp_path):
    s = start(tmp_path)
    c = s.client()
    populate(c)
    before = everything(c)
    assert c.execute_command("DEBUG", "RELOAD") == b"OK"
    assert everything(c) == before
    raw = s.raw()
    assert raw.cmd("DEBUG", "RELOAD", "BOGUS") == (
        b"-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n")
    raw.close()
    s.stop()


def test_rdbchecksum_no(tmp_path):
    s = start(tmp_path, rdbchecksum="no")
    c = s.client()
    c.set("a", 1)
    c.save()
    s.stop()
    with open(tmp_path / "dump.rdb", "rb") as f:
        assert f.read()[-8:] == b"\0" * 8
    s = start(tmp_path)
    assert s.client().get("a") == b"1"
    s.stop()


def failed_start(d):
    port = free_port()
    p = subprocess.run([DQ_SERVER, "--port", str(port), "--save", "", "--dir", str(d)],
                       capture_output=True, timeout=20)
    # (errors="replace": the log must stay readable whatever the corrupt file held)
    return p.returncode, (p.stdout + p.stderr).decode(errors="replace")


def test_corrupt_or_truncated_file_exits_1(tmp_path):
    s = start(tmp_path)
    c = s.client()
    populate(c)
    c.save()
    s.stop()
    good = (tmp_path / "dump.rdb").read_bytes()
    cases = {
        "truncated": good[: len(good) // 2],
        "no checksum": good[:-8],
        "bad checksum": good[:-1] + bytes([good[-1] ^ 1]),
        "bad magic": b"RUBBISH01" + good[9:],
        "future version": b"REDIS0012" + good[9:],
        "flipped byte": good[:200] + bytes([good[200] ^ 0x55]) + good[201:],
    }
    for name, data in cases.items():
        (tmp_path / "dump.rdb").write_bytes(data)
        rc, out = failed_start(tmp_path)
        assert rc == 1, name
        assert "Fatal error loading the DB" in out, (name, out)
        assert "\ufffd" not in out, (name, out)  # a corrupt key name is logged escaped
    # A key whose value is corrupt (a set holding a member twice), under a name with
    # non-printable bytes: the name is escaped in the log. (rdbchecksum no: no CRC to fail first.)
    (tmp_path / "dump.rdb").unlink()
    s = start(tmp_path, rdbchecksum="no")
    c = s.client()
    c.sadd(b"k\xc1\n\"", "member-one", "member-two")
    c.save()
    s.stop()
    good = (tmp_path / "dump.rdb").read_bytes()
    (tmp_path / "dump.rdb").write_bytes(good.replace(b"member-two", b"member-one"))
    rc, out = failed_start(tmp_path)
    assert rc == 1
    assert 'Bad data format for key "k\\xc1\\x0a\\""' in out, out


@pytest.mark.skipif(not os.path.exists(REDIS_SERVER), reason="redis-server not installed")
def test_redis_70_file_loads_into_dq(tmp_path):
    rdir = tmp_path / "redis"
    rdir.mkdir()
    ref = ServerProc(REDIS_SERVER, {"dir": str(rdir)})
    rc = ref.client()
    populate(rc)
    # Redis 7.0 writes LZF-compressed strings: a compressible big one and a 7.0 listpack list.
    rc.set("compressible", "ab" * 5000)
    rc.function_load(LIB)
    before = everything(rc)
    rc.save()
    shutil.copy(rdir / "dump.rdb", tmp_path / "dump.rdb")
    ref.stop()
    with open(tmp_path / "dump.rdb", "rb") as f:
        assert f.read(9) == b"REDIS0010"
    s = start(tmp_path)
    c = s.client()
    assert everything(c) == before
    assert c.fcall("f1", 0) == b"hi"
    s.stop()


def test_load_fires_no_keyspace_events(tmp_path):
    # Redis's dbAddRDBLoad notifies nothing: DEBUG RELOAD publishes no "new" events.
    s = start(tmp_path, **{"notify-keyspace-events": "KEAn"})
    c = s.client()
    c.set("a", 1)
    c.rpush("l", "x")
    p = c.pubsub()
    p.psubscribe("__key*__:*")
    p.get_message(timeout=1)
    assert c.execute_command("DEBUG", "RELOAD") == b"OK"
    c.set("end", 1)
    first = None
    while first is None:
        m = p.get_message(timeout=2)
        assert m is not None
        if m["type"] == "pmessage":
            first = m
    assert first["channel"] == b"__keyspace@0__:end"
    p.close()
    s.stop()
