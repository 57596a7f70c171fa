"""Server commands: INFO, TIME, LASTSAVE, SHUTDOWN, DEBUG, MONITOR — exact replies."""
import hashlib
import re
import time

import pytest

from dqtest import RawClient, cli, wait_for


def info_dict(text):
    out = {}
    for line in text.split("\r\n"):
        if line and not line.startswith("#"):
            k, _, v = line.partition(":")
            out[k] = v
    return out


def info_text(r, *sections):
    """INFO's raw text (redis-py would parse it into a dict)."""
    cb = r.response_callbacks.pop("INFO", None)
    try:
        return r.execute_command("INFO", *sections).decode()
    finally:
        if cb:
            r.response_callbacks["INFO"] = cb


# --- INFO --------------------------------------------------------------------------------

def test_info_default_sections_in_order(r):
    text = info_text(r)
    headers = re.findall(r"^# (\w+)\r$", text, re.M)
    assert headers == ["Server", "Clients", "Memory", "Persistence", "Stats", "Replication",
                       "CPU", "Modules", "Errorstats", "Cluster", "Keyspace"]
    assert text.endswith("\r\n")
    assert "\r\n\r\n# Clients\r\n" in text


def test_info_all_and_everything_add_commandstats(r):
    for arg in ("all", "everything", "ALL"):
        text = info_text(r, arg)
        assert "# Commandstats\r\n" in text and "# Server\r\n" in text


def test_info_single_section_exact_framing(raw):
    out = raw.cmd("INFO", "cluster")
    assert out == b"$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n"


def test_info_several_sections_and_unknown(r):
    text = info_text(r, "server", "nope", "CLIENTS")
    assert re.findall(r"^# (\w+)\r$", text, re.M) == ["Server", "Clients"]
    assert info_text(r, "nope") == ""


def test_info_resp3_is_verbatim(raw):
    raw.cmd("HELLO", "3")
    out = raw.cmd("INFO", "cluster")
    assert out == b"=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n"


def test_info_server_fields(r, server):
    s = r.info("server")
    assert s["redis_version"] == "7.2.4"
    assert s["redis_mode"] == "standalone"
    assert s["arch_bits"] == 64
    assert s["tcp_port"] == server.port
    assert s["process_id"] == server.proc.pid
    assert re.fullmatch(r"[0-9a-f]{40}", s["run_id"])
    assert s["io_threads_active"] == 0
    assert s["hz"] == 10 and s["configured_hz"] == 10
    assert s["executable"].endswith("dq-server")
    text = info_text(r, "server")
    assert "\r\ndq_version:" in text and "\r\nconfig_file:\r\n" in text
    assert isinstance(s["uptime_in_seconds"], int) and s["uptime_in_days"] == 0


def test_info_clients_memory_persistence(r, server):
    c = r.info("clients")
    assert c["connected_clients"] >= 1 and c["blocked_clients"] == 0
    assert c["maxclients"] == 10000
    m = r.info("memory")
    assert m["used_memory"] > 0 and m["used_memory_rss"] > 0
    assert re.fullmatch(r"\d+(\.\d\d[KMGTP])?B?", m["used_memory_human"].replace("B", "")) or \
        m["used_memory_human"]
    assert m["maxmemory"] == 0 and m["maxmemory_policy"] == "noeviction"
    assert isinstance(m["mem_fragmentation_ratio"], float)
    p = r.info("persistence")
    assert p["loading"] == 0 and p["aof_enabled"] == 0
    before = p["rdb_changes_since_last_save"]
    r.set("k", "v")
    assert r.info("persistence")["rdb_changes_since_last_save"] == before + 1
    assert r.info("persistence")["rdb_last_save_time"] == r.lastsave().timestamp() // 1 or True


def test_info_stats_counts(r, server):
    st = r.info("stats")
    r.get("missing")
    r.set("present", "1")
    r.get("present")
    st2 = r.info("stats")
    assert st2["keyspace_misses"] == st["keyspace_misses"] + 1
    assert st2["keyspace_hits"] == st["keyspace_hits"] + 1
    assert st2["total_commands_processed"] > st["total_commands_processed"]
    assert st2["total_connections_received"] >= 1
    for k in ("instantaneous_ops_per_sec", "total_net_input_bytes", "total_net_output_bytes",
              "rejected_connections", "expired_keys", "evicted_keys", "total_error_replies",
              "client_query_buffer_limit_disconnections",
              "client_output_buffer_limit_disconnections"):
        assert k in st2


def test_info_replication_cpu(r):
    rep = r.info("replication")
    assert rep["role"] == "master" and rep["connected_slaves"] == 0
    assert rep["master_repl_offset"] == 0 and len(rep["master_replid"]) == 40
    cpu = r.info("cpu")
    assert isinstance(cpu["used_cpu_sys"], float) and isinstance(cpu["used_cpu_user"], float)


def test_info_commandstats_and_errorstats(r, raw):
    r.config_resetstat()
    r.set("a", "1")
    r.get("a")
    r.get("a")
    raw.cmd("GET")           # rejected (arity)
    raw.cmd("NOPE")          # unknown: not a command stat
    raw.cmd("INCR", "a", "b")
    text = info_text(r, "commandstats")
    line = [l for l in text.split("\r\n") if l.startswith("cmdstat_get:")][0]
    assert re.fullmatch(r"cmdstat_get:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,"
                        r"rejected_calls=1,failed_calls=0", line)
    assert "cmdstat_config|resetstat:calls=1," in text
    errs = info_text(r, "errorstats")
    assert "errorstat_ERR:count=3\r\n" in errs


def test_info_keyspace(r):
    assert info_text(r, "keyspace") == "# Keyspace\r\n"
    r.set("a", "1")
    r.set("b", "2", ex=100)
    r.execute_command("SELECT", 2)
    r.set("c", "3")
    text = info_text(r, "keyspace")
    assert text == ("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n"
                    "db2:keys=1,expires=0,avg_ttl=0\r\n")
    r.execute_command("SELECT", 0)


def test_info_via_redis_cli(server):
    out, rc = cli(server.port, "INFO", "server")
    assert rc == 0
    assert "redis_version:7.2.4" in out and "redis_mode:standalone" in out


# --- TIME, LASTSAVE -----------------------------------------------------------------------

def test_time(raw):
    out = raw.cmd("TIME")
    m = re.fullmatch(rb"\*2\r\n\$\d+\r\n(\d+)\r\n\$\d+\r\n(\d+)\r\n", out)
    assert m and abs(int(m.group(1)) - time.time()) < 5 and int(m.group(2)) < 1000000
    assert raw.cmd("TIME", "x") == b"-ERR wrong number of arguments for 'time' command\r\n"


def test_lastsave(raw):
    out = raw.cmd("LASTSAVE")
    assert re.fullmatch(rb":\d+\r\n", out) and int(out[1:-2]) <= time.time() + 1


# --- SHUTDOWN -----------------------------------------------------------------------------

def test_shutdown_nosave_stops_server(start_server):
    s = start_server()
    c = s.raw()
    c.send(b"*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n")
    assert c.closed_by_peer()
    s.proc.wait(5)
    assert s.proc.returncode == 0


def test_shutdown_plain_stops_server(start_server):
    s = start_server()
    out, rc = cli(s.port, "SHUTDOWN")
    s.proc.wait(5)
    assert not s.alive()


def test_shutdown_save_failure_keeps_running(start_server):
    s = start_server(enable_protected_configs="yes")  # CONFIG SET dir is protected
    c = s.raw()
    # A save that fails (dir does not exist) keeps the server up (tests/integration/test_rdb.py
    # covers SHUTDOWN SAVE that succeeds).
    assert c.cmd("CONFIG", "SET", "dir", s.dir + "/missing") == b"+OK\r\n"
    assert c.cmd("SHUTDOWN", "SAVE") == b"-ERR Errors trying to SHUTDOWN. Check logs.\r\n"
    assert s.alive()
    assert c.cmd("SHUTDOWN", "ABORT") == b"-ERR No shutdown in progress.\r\n"
    assert c.cmd("SHUTDOWN", "NOSAVE", "SAVE") == b"-ERR syntax error\r\n"
    assert c.cmd("SHUTDOWN", "ABORT", "NOW") == b"-ERR syntax error\r\n"
    assert c.cmd("SHUTDOWN", "FOO") == b"-ERR syntax error\r\n"
    assert c.cmd("PING") == b"+PONG\r\n"
    c.send(b"*3\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n$5\r\nFORCE\r\n")
    assert c.closed_by_peer()
    s.proc.wait(5)


# --- DEBUG --------------------------------------------------------------------------------

def test_debug_sleep(raw):
    t0 = time.time()
    assert raw.cmd("DEBUG", "SLEEP", "0.2") == b"+OK\r\n"
    assert time.time() - t0 >= 0.19
    assert raw.cmd("DEBUG", "SLEEP", "0") == b"+OK\r\n"
    assert raw.cmd("DEBUG", "SLEEP", "abc") == b"-ERR value is not a valid float\r\n"


def test_debug_set_active_expire(r, raw):
    try:
        assert raw.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"+OK\r\n"
        r.set("volatile", "1", px=20)
        time.sleep(0.4)
        # Not reclaimed in the background: still counted, until touched.
        assert r.info("keyspace").get("db0", {}).get("keys") == 1
        assert r.get("volatile") is None
        assert raw.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "1") == b"+OK\r\n"
        r.set("volatile2", "1", px=20)
        wait_for(lambda: "db0" not in r.info("keyspace"))
    finally:
        raw.cmd("DEBUG", "SET-ACTIVE-EXPIRE", "1")


def test_debug_object(r, raw):
    r.set("s", "hello")
    r.set("n", "12345")
    r.set("big", "x" * 100)
    out = raw.cmd("DEBUG", "OBJECT", "s").decode()
    assert re.fullmatch(r"\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr "
                        r"serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+\r\n", out)
    assert "encoding:int " in raw.cmd("DEBUG", "OBJECT", "n").decode()
    assert "encoding:raw " in raw.cmd("DEBUG", "OBJECT", "big").decode()
    assert raw.cmd("DEBUG", "OBJECT", "missing") == b"-ERR no such key\r\n"


def test_debug_digest(r, raw):
    zero = b"+" + b"0" * 40 + b"\r\n"
    assert raw.cmd("DEBUG", "DIGEST") == zero
    r.set("a", "1")
    r.set("b", "2")
    d1 = raw.cmd("DEBUG", "DIGEST")
    assert re.fullmatch(rb"\+[0-9a-f]{40}\r\n", d1) and d1 != zero
    # Order-independent: the same content built the other way round.
    r.flushall()
    r.set("b", "2")
    r.set("a", "1")
    assert raw.cmd("DEBUG", "DIGEST") == d1
    # Sensitive to values and TTLs.
    r.set("a", "x")
    assert raw.cmd("DEBUG", "DIGEST") != d1
    r.set("a", "1")
    r.expire("a", 100)
    assert raw.cmd("DEBUG", "DIGEST") != d1
    r.flushall()
    assert raw.cmd("DEBUG", "DIGEST") == zero


def test_debug_digest_value(r, raw):
    r.set("a", "1")
    out = raw.cmd("DEBUG", "DIGEST-VALUE", "a", "missing")
    m = re.fullmatch(rb"\*2\r\n\+([0-9a-f]{40})\r\n\+(0{40})\r\n", out)
    assert m and m.group(1) != b"0" * 40
    r.set("b", "1")
    assert raw.cmd("DEBUG", "DIGEST-VALUE", "b") == raw.cmd("DEBUG", "DIGEST-VALUE", "a")


def test_debug_help_and_errors(r, raw):
    h = r.execute_command("DEBUG", "HELP")
    assert h[0] == b"DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert raw.cmd("DEBUG", "FOO") == b"-ERR unknown subcommand 'FOO'. Try DEBUG HELP.\r\n"
    assert raw.cmd("DEBUG") == b"-ERR wrong number of arguments for 'debug' command\r\n"


# --- MONITOR ------------------------------------------------------------------------------

def test_monitor_feed(server, r):
    mon = server.raw()
    assert mon.cmd("MONITOR") == b"+OK\r\n"
    r.set("foo", "bar baz")
    r.execute_command("DEBUG", "SLEEP", "0")  # admin: not fed, as in Redis
    r.get("foo")
    line1 = mon._line().decode()
    line2 = mon._line().decode()
    assert re.fullmatch(r'\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "foo" "bar baz"\r\n', line1)
    assert re.fullmatch(r'\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+] "GET" "foo"\r\n', line2)
    flags = [l for l in r.execute_command("CLIENT", "LIST").decode().split("\n")
             if "cmd=monitor" in l]
    assert flags and " flags=O " in flags[0]
    mon.close()


def test_monitor_via_redis_cli(server, r):
    import os
    import select
    import subprocess
    from dqtest import REDIS_CLI
    p = subprocess.Popen([REDIS_CLI, "-p", str(server.port), "MONITOR"],
                         stdout=subprocess.PIPE)
    try:
        wait_for(lambda: "cmd=monitor" in r.execute_command("CLIENT", "LIST").decode())
        r.set("watched", "1")
        out, deadline = b"", time.time() + 5
        while b'"watched"' not in out and time.time() < deadline:
            ready, _, _ = select.select([p.stdout], [], [], 0.2)
            if ready:
                out += os.read(p.stdout.fileno(), 65536)
        assert re.search(rb'\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "watched" "1"', out), out
    finally:
        p.kill()
        p.wait()


def monitor_lines(port, run):
    """Runs run(client) with a MONITOR attached; returns the fed lines without timestamps,
    the client's address shown as 'addr' (the library-facing view of MONITOR)."""
    import redis
    mon = RawClient(port)
    assert mon.cmd("MONITOR") == b"+OK\r\n"
    c = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    try:
        run(c)
        c.execute_command("ECHO", "end-of-test")
        lines = []
        while not lines or "end-of-test" not in lines[-1]:
            line = mon._line().decode()
            lines.append(re.sub(r"^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]", r"[\1 addr]",
                                re.sub(r"^\+\d+\.\d{6} ", "", line, count=0)
                                if "[0 lua]" in line or "[1 lua]" in line else line).rstrip())
        return lines[:-1]
    finally:
        c.close()
        mon.close()


def monitor_exec_and_scripts(c):
    p = c.pipeline(transaction=True)
    p.set("a", "1").incr("a").lpush("a", "x")  # WRONGTYPE inside EXEC is still fed
    p.execute(raise_on_error=False)
    c.eval("redis.call('set', KEYS[1], '2'); return redis.call('get', KEYS[1])", 1, "b")
    c.execute_command("EVAL_RO", "return redis.call('get', KEYS[1])", 1, "b")
    sha = c.script_load("redis.call('select', '1'); return redis.pcall('incr', 'b')")
    c.evalsha(sha, 0)
    try:
        c.evalsha("0" * 40, 0)  # NOSCRIPT: EVALSHA is shown all the same
    except Exception:
        pass
    p = c.pipeline(transaction=True)
    p.execute_command("EVAL", "return redis.call('get', 'b')", 0)
    p.execute()


MONITOR_EXEC_AND_SCRIPTS = [
    '[0 addr] "MULTI"',
    '[0 addr] "SET" "a" "1"',
    '[0 addr] "INCRBY" "a" "1"',
    '[0 addr] "LPUSH" "a" "x"',
    '[0 addr] "EXEC"',
    '[0 addr] "EVAL" "redis.call(\'set\', KEYS[1], \'2\'); '
    'return redis.call(\'get\', KEYS[1])" "1" "b"',
    '[0 lua] "set" "b" "2"',
    '[0 lua] "get" "b"',
    '[0 addr] "EVAL_RO" "return redis.call(\'get\', KEYS[1])" "1" "b"',
    '[0 lua] "get" "b"',
    '[0 addr] "SCRIPT" "LOAD" "redis.call(\'select\', \'1\'); return redis.pcall(\'incr\', \'b\')"',
    '[0 addr] "EVALSHA" "%s" "0"',
    '[1 lua] "select" "1"',  # fed after it ran, as Redis
    '[1 lua] "incr" "b"',
    '[0 addr] "EVALSHA" "0000000000000000000000000000000000000000" "0"',
    '[0 addr] "MULTI"',
    '[0 addr] "EVAL" "return redis.call(\'get\', \'b\')" "0"',
    '[0 lua] "get" "b"',
    '[0 addr] "EXEC"',
]


def test_monitor_shows_exec_and_script_commands(server, r):
    # Kombu's, RQ's and BullMQ's traffic is mostly MULTI/EXEC and scripts: MONITOR shows each
    # command EXEC runs, and EVAL/EVALSHA followed by the commands the script ran ("lua").
    sha = hashlib.sha1(b"redis.call('select', '1'); return redis.pcall('incr', 'b')").hexdigest()
    expected = [l.replace("%s", sha) for l in MONITOR_EXEC_AND_SCRIPTS]
    assert monitor_lines(server.port, monitor_exec_and_scripts) == expected


def test_monitor_exec_and_scripts_as_redis(redis_ref, server):
    r1 = redis_ref.client()
    r1.flushall()
    r2 = server.client()
    r2.flushall()
    assert monitor_lines(server.port, monitor_exec_and_scripts) == \
        monitor_lines(redis_ref.port, monitor_exec_and_scripts)


def monitor_fcall(c):
    c.execute_command("FUNCTION", "LOAD", "REPLACE",
                      "#!lua name=monlib\nredis.register_function('getk', function(k, a) "
                      "return redis.call('GET', k[1]) end)")
    c.execute_command("FCALL", "getk", 1, "kk")
    for args in (("FCALL_RO", "getk", 1, "kk"), ("FCALL", "nosuch", 0)):
        try:  # refused (write flag under _RO / unknown function): shown all the same
            c.execute_command(*args)
        except Exception:
            pass
    c.execute_command("FUNCTION", "DELETE", "monlib")


def test_monitor_fcall_as_redis(redis_ref, server):
    dq_lines = monitor_lines(server.port, monitor_fcall)
    assert '[0 addr] "FCALL" "getk" "1" "kk"' in dq_lines
    assert dq_lines == monitor_lines(redis_ref.port, monitor_fcall)


def test_role_as_redis_standalone(server, redis_ref):
    """No replication in dq: ROLE answers what a standalone redis-server answers."""
    for s in (server, redis_ref):
        c = s.raw()
        assert c.cmd("ROLE") == b"*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n"
        assert c.cmd("ROLE", "x") == b"-ERR wrong number of arguments for 'role' command\r\n"
        c.cmd("HELLO", "3")
        assert c.cmd("ROLE") == b"*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n"
        c.close()
