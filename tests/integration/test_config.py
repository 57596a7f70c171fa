"""CONFIG GET / SET / RESETSTAT / REWRITE / HELP — exact replies and errors as Redis 7."""
import os

import pytest

from dqtest import start_either


def test_config_get_single(raw):
    assert raw.cmd("CONFIG", "GET", "maxmemory") == b"*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"


def test_config_get_resp3_map(raw):
    raw.cmd("HELLO", "3")
    assert raw.cmd("CONFIG", "GET", "maxmemory") == b"%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"


def test_config_get_patterns(r):
    got = r.config_get("maxmemory*")
    # Redis 7 also lists maxmemory-clients (client eviction), which dq does not have.
    assert got == {"maxmemory": "0", "maxmemory-policy": "noeviction", "maxmemory-samples": "5",
                   "maxmemory-eviction-tenacity": "10"}
    got = r.execute_command("CONFIG", "GET", "hz", "MAXCLIENTS", "hz")
    d = dict(zip(got[0::2], got[1::2]))
    assert d == {b"hz": b"10", b"maxclients": b"10000"}
    assert r.config_get("nope*") == {}
    assert len(r.config_get("*")) > 30


def test_config_get_values_print_as_redis(r):
    c = r.config_get("*")
    assert c["client-output-buffer-limit"] == \
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
    assert c["appendonly"] == "no" and c["save"] == ""
    assert c["port"] == str(r.connection_pool.connection_kwargs["port"])


def test_config_set_and_get(r, server):
    try:
        assert r.config_set("proto-max-bulk-len", "2mb") is True
        assert r.config_get("proto-max-bulk-len") == {"proto-max-bulk-len": "2097152"}
        assert r.execute_command("CONFIG", "SET", "hz", "20", "timeout", "7") == b"OK"
        assert r.config_get("hz") == {"hz": "20"}
        assert r.config_get("timeout") == {"timeout": "7"}
        assert r.info("server")["hz"] == 20
    finally:
        r.execute_command("CONFIG", "SET", "hz", "10", "timeout", "0",
                          "proto-max-bulk-len", "512mb")


def test_config_set_errors(raw):
    assert raw.cmd("CONFIG", "SET", "foo", "bar") == \
        b"-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n"
    assert raw.cmd("CONFIG", "SET", "hz", "abc") == \
        b"-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be " \
        b"parsed into an integer\r\n"
    assert raw.cmd("CONFIG", "SET", "hz", "5", "hz", "6") == \
        b"-ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter\r\n"
    assert raw.cmd("CONFIG", "SET", "daemonize", "yes") == \
        b"-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set " \
        b"immutable config\r\n"
    assert raw.cmd("CONFIG", "SET", "proto-max-bulk-len", "1x") == \
        b"-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - " \
        b"argument must be a memory value\r\n"
    assert raw.cmd("CONFIG", "SET", "maxmemory-policy", "foo") == \
        b"-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - " \
        b"argument(s) must be one of the following: volatile-lru, volatile-lfu, " \
        b"volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, " \
        b"noeviction\r\n"
    assert raw.cmd("CONFIG", "SET", "hz") == \
        b"-ERR wrong number of arguments for 'config|set' command\r\n"
    assert raw.cmd("CONFIG", "SET", "hz", "5", "maxmemory") == \
        b"-ERR wrong number of arguments for 'config|set' command\r\n"
    assert raw.cmd("CONFIG", "GET") == \
        b"-ERR wrong number of arguments for 'config|get' command\r\n"
    assert raw.cmd("CONFIG", "NOPE") == b"-ERR unknown subcommand 'NOPE'. Try CONFIG HELP.\r\n"
    assert raw.cmd("CONFIG") == b"-ERR wrong number of arguments for 'config' command\r\n"


def test_config_set_is_atomic(r):
    before = r.config_get("timeout")
    with pytest.raises(Exception) as e:
        r.execute_command("CONFIG", "SET", "timeout", "5", "hz", "bad")
    assert "possibly related to argument 'hz'" in str(e.value)
    assert r.config_get("timeout") == before
    with pytest.raises(Exception):
        r.execute_command("CONFIG", "SET", "timeout", "5", "nope", "1")
    assert r.config_get("timeout") == before


def test_config_set_case_insensitive_name(r):
    try:
        assert r.execute_command("CONFIG", "SET", "Proto-Max-Bulk-Len", "2mb") == b"OK"
        assert r.config_get("proto-max-bulk-len") == {"proto-max-bulk-len": "2097152"}
    finally:
        r.config_set("proto-max-bulk-len", "512mb")


def test_config_set_loglevel_applies(r):
    try:
        assert r.config_set("loglevel", "warning") is True
        assert r.config_get("loglevel") == {"loglevel": "warning"}
    finally:
        r.config_set("loglevel", "notice")


def test_config_resetstat(r):
    r.set("a", "1")
    r.get("a")
    with pytest.raises(Exception):
        r.execute_command("NOPE")
    assert r.info("stats")["total_error_replies"] >= 1
    assert r.config_resetstat() is True
    st = r.info("stats")
    assert st["total_error_replies"] == 0
    assert st["keyspace_hits"] == 0
    assert r.info("errorstats") == {}
    cs = r.info("commandstats")
    assert set(cs) <= {"cmdstat_info", "cmdstat_config|resetstat"}


def test_config_rewrite_without_file(raw):
    assert raw.cmd("CONFIG", "REWRITE") == b"-ERR The server is running without a config file\r\n"


def test_config_rewrite_with_file(tmp_path):
    from dqtest import DQ_SERVER, ServerProc
    conf = tmp_path / "dq.conf"
    conf.write_text("hz 15\n")
    s = ServerProc(DQ_SERVER, config_file=str(conf))
    try:
        c = s.client()
        assert c.config_set("proto-max-bulk-len", "3mb") is True
        assert c.execute_command("CONFIG", "REWRITE") == b"OK"
        text = conf.read_text()
        assert 'hz "15"' in text or "hz 15" in text
        assert "proto-max-bulk-len" in text and "3145728" in text
        c.close()
    finally:
        s.stop()


def test_config_help(r):
    out = r.execute_command("CONFIG", "HELP")
    assert out[0] == b"CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert b"GET <pattern>" in out and out[-1] == b"    Prints this help."


@pytest.mark.parametrize("which", ["dq", "redis"])
def test_protected_configs(which, tmp_path):
    # dir and dbfilename are protected (Redis 7): CONFIG SET refuses them unless the server
    # started with enable-protected-configs yes (or local, for loopback / unix clients), which
    # itself cannot be changed at runtime. Same replies from dq and redis-server.
    prot = b"-ERR CONFIG SET failed (possibly related to argument '%s') - can't set protected config\r\n"
    s = start_either(which)
    c = s.raw()
    assert c.cmd("CONFIG", "SET", "dir", str(tmp_path)) == prot % b"dir"
    assert c.cmd("CONFIG", "SET", "dbfilename", "x.rdb") == prot % b"dbfilename"
    assert c.cmd("CONFIG", "SET", "maxmemory", "10mb", "dir", str(tmp_path)) == prot % b"dir"
    assert c.cmd("CONFIG", "GET", "maxmemory") == b"*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"
    assert c.cmd("CONFIG", "GET", "enable-protected-configs") == (
        b"*2\r\n$24\r\nenable-protected-configs\r\n$2\r\nno\r\n")
    assert c.cmd("CONFIG", "SET", "enable-protected-configs", "yes") == (
        b"-ERR CONFIG SET failed (possibly related to argument 'enable-protected-configs') - "
        b"can't set immutable config\r\n")
    c.close()
    s.stop()
    for mode in ("yes", "local"):  # the test connects over loopback
        s = start_either(which, {"enable-protected-configs": mode})
        c = s.raw()
        assert c.cmd("CONFIG", "SET", "dir", str(tmp_path)) == b"+OK\r\n"
        assert c.cmd("CONFIG", "SET", "dbfilename", "x.rdb") == b"+OK\r\n"
        assert c.cmd("SAVE") == b"+OK\r\n"
        assert (tmp_path / "x.rdb").exists()
        (tmp_path / "x.rdb").unlink()
        c.close()
        s.stop()
