"""CLIENT: ID, SETNAME/GETNAME, SETINFO, INFO, LIST, KILL, REPLY, NO-EVICT, NO-TOUCH, PAUSE."""
import re

import pytest

from dqtest import cli, wait_for

FIELDS = ["id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub",
          "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl",
          "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp", "lib-name",
          "lib-ver"]


def parse_line(line):
    out = {}
    for part in line.split(" "):
        k, _, v = part.partition("=")
        out[k] = v
    return out


def test_client_id(raw, server):
    out = raw.cmd("CLIENT", "ID")
    assert re.fullmatch(rb":\d+\r\n", out)
    other = server.raw()
    assert int(other.cmd("CLIENT", "ID")[1:-2]) > int(out[1:-2])
    other.close()


def test_setname_getname(raw):
    assert raw.cmd("CLIENT", "GETNAME") == b"$-1\r\n"
    assert raw.cmd("CLIENT", "SETNAME", "worker-1") == b"+OK\r\n"
    assert raw.cmd("CLIENT", "GETNAME") == b"$8\r\nworker-1\r\n"
    assert raw.cmd("CLIENT", "SETNAME", "bad name") == \
        b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n"
    assert raw.cmd("CLIENT", "GETNAME") == b"$8\r\nworker-1\r\n"
    assert raw.cmd("CLIENT", "SETNAME", "") == b"+OK\r\n"
    assert raw.cmd("CLIENT", "GETNAME") == b"$-1\r\n"


def test_client_list_fields_in_redis_order(raw):
    out = raw.cmd("CLIENT", "LIST")
    body = out.split(b"\r\n", 1)[1][:-2].decode()
    assert body.endswith("\n")
    line = body.rstrip("\n").split("\n")[0]
    keys = [p.split("=", 1)[0] for p in line.split(" ")]
    assert keys == FIELDS


def test_client_info_self(raw):
    raw.cmd("CLIENT", "SETNAME", "me")
    raw.cmd("SELECT", "3")
    out = raw.cmd("CLIENT", "INFO")
    assert out.startswith(b"$") and out.endswith(b"\n\r\n")
    f = parse_line(out.split(b"\r\n", 1)[1][:-3].decode())
    assert f["name"] == "me" and f["db"] == "3" and f["cmd"] == "client|info"
    assert f["flags"] == "N" and f["multi"] == "-1" and f["resp"] == "2"
    assert f["user"] == "default" and f["redir"] == "-1" and f["events"] == "r"
    assert f["argv-mem"] == "10"  # "client" + "info"
    assert f["laddr"].startswith("127.0.0.1:") and f["addr"].startswith("127.0.0.1:")


def test_client_info_resp3_verbatim(raw):
    raw.cmd("HELLO", "3")
    out = raw.cmd("CLIENT", "INFO")
    assert out.startswith(b"=") and b"\r\ntxt:id=" in out
    assert b" resp=3 " in out


def test_client_list_shows_others_last_command(r, server):
    other = server.raw()
    other.cmd("CLIENT", "SETNAME", "peer")
    other.cmd("GET", "x")
    lines = r.execute_command("CLIENT", "LIST").decode().strip().split("\n")
    peers = [parse_line(l) for l in lines if " name=peer " in l]
    assert len(peers) == 1 and peers[0]["cmd"] == "get"
    other.close()


def test_client_list_type_and_id(r, raw):
    my_id = int(raw.cmd("CLIENT", "ID")[1:-2])
    out = r.execute_command("CLIENT", "LIST", "ID", my_id, 999999).decode()
    assert out.count("\n") == 1 and out.startswith("id=%d " % my_id)
    normal = r.execute_command("CLIENT", "LIST", "TYPE", "normal").decode()
    assert ("id=%d " % my_id) in normal
    assert r.execute_command("CLIENT", "LIST", "TYPE", "pubsub") == b""
    assert raw.cmd("CLIENT", "LIST", "TYPE", "foo") == b"-ERR Unknown client type 'foo'\r\n"
    assert raw.cmd("CLIENT", "LIST", "ID", "abc") == b"-ERR Invalid client ID\r\n"
    assert raw.cmd("CLIENT", "LIST", "FOO") == b"-ERR syntax error\r\n"


def test_setinfo(raw):
    assert raw.cmd("CLIENT", "SETINFO", "LIB-NAME", "redis-py") == b"+OK\r\n"
    assert raw.cmd("CLIENT", "SETINFO", "lib-ver", "4.3.4") == b"+OK\r\n"
    f = parse_line(raw.cmd("CLIENT", "INFO").split(b"\r\n", 1)[1][:-3].decode())
    assert f["lib-name"] == "redis-py" and f["lib-ver"] == "4.3.4"
    assert raw.cmd("CLIENT", "SETINFO", "foo", "x") == b"-ERR Unrecognized option 'foo'\r\n"
    assert raw.cmd("CLIENT", "SETINFO", "lib-name", "a b") == \
        b"-ERR lib-name cannot contain spaces, newlines or special characters.\r\n"


def test_kill_old_form(r, server):
    victim = server.raw()
    vid = int(victim.cmd("CLIENT", "ID")[1:-2])
    f = parse_line(r.execute_command("CLIENT", "LIST", "ID", vid).decode().strip())
    assert r.execute_command("CLIENT", "KILL", f["addr"]) == b"OK"
    assert victim.closed_by_peer()
    with pytest.raises(Exception) as e:
        r.execute_command("CLIENT", "KILL", "1.2.3.4:5")
    assert str(e.value) == "No such client"


def test_kill_new_form(raw, server):
    victim = server.raw()
    vid = int(victim.cmd("CLIENT", "ID")[1:-2])
    assert raw.cmd("CLIENT", "KILL", "ID", str(vid)) == b":1\r\n"
    assert victim.closed_by_peer()
    assert raw.cmd("CLIENT", "KILL", "ID", str(vid)) == b":0\r\n"
    assert raw.cmd("CLIENT", "KILL", "ID", "abc") == \
        b"-ERR client-id should be greater than 0\r\n"
    assert raw.cmd("CLIENT", "KILL", "TYPE", "foo") == b"-ERR Unknown client type 'foo'\r\n"
    assert raw.cmd("CLIENT", "KILL", "SKIPME", "maybe") == b"-ERR syntax error\r\n"
    assert raw.cmd("CLIENT", "KILL", "FOO", "bar") == b"-ERR syntax error\r\n"
    assert raw.cmd("CLIENT", "KILL", "ID", "1", "TYPE") == b"-ERR syntax error\r\n"


def test_kill_skipme_and_laddr(server):
    a, b = server.raw(), server.raw()
    me = parse_line(a.cmd("CLIENT", "INFO").split(b"\r\n", 1)[1][:-3].decode())
    # By address of self: skipped by default.
    assert a.cmd("CLIENT", "KILL", "ADDR", me["addr"]) == b":0\r\n"
    n = int(a.cmd("CLIENT", "KILL", "LADDR", me["laddr"], "TYPE", "normal")[1:-2])
    assert n >= 1
    assert b.closed_by_peer()
    # SKIPME no: the caller gets its reply, then is closed.
    assert a.cmd("CLIENT", "KILL", "ADDR", me["addr"], "SKIPME", "no") == b":1\r\n"
    assert a.closed_by_peer()


def test_reply_off_skip_on(server):
    c = server.raw()
    c.send(b"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n")
    c.send(b"*1\r\n$4\r\nPING\r\n")
    c.send(b"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n")
    assert c.read_reply_bytes() == b"+OK\r\n"
    c.send(b"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n")
    c.send(b"*2\r\n$4\r\nECHO\r\n$1\r\na\r\n")
    assert c.cmd("ECHO", "b") == b"$1\r\nb\r\n"
    assert c.cmd("CLIENT", "REPLY", "maybe") == b"-ERR syntax error\r\n"
    c.close()


def test_no_evict_no_touch(raw):
    assert raw.cmd("CLIENT", "NO-EVICT", "on") == b"+OK\r\n"
    assert raw.cmd("CLIENT", "NO-TOUCH", "ON") == b"+OK\r\n"
    f = parse_line(raw.cmd("CLIENT", "INFO").split(b"\r\n", 1)[1][:-3].decode())
    assert f["flags"] == "eT"
    assert raw.cmd("CLIENT", "NO-EVICT", "off") == b"+OK\r\n"
    assert raw.cmd("CLIENT", "NO-TOUCH", "off") == b"+OK\r\n"
    assert raw.cmd("CLIENT", "NO-EVICT", "x") == b"-ERR syntax error\r\n"
    assert raw.cmd("CLIENT", "NO-TOUCH", "x") == b"-ERR syntax error\r\n"


def test_pause_unpause_replies(raw):
    assert raw.cmd("CLIENT", "PAUSE", "10") == b"+OK\r\n"
    assert raw.cmd("CLIENT", "PAUSE", "10", "WRITE") == b"+OK\r\n"
    assert raw.cmd("CLIENT", "UNPAUSE") == b"+OK\r\n"
    assert raw.cmd("CLIENT", "PAUSE", "abc") == \
        b"-ERR timeout is not an integer or out of range\r\n"
    assert raw.cmd("CLIENT", "PAUSE", "-1") == b"-ERR timeout is negative\r\n"
    assert raw.cmd("CLIENT", "PAUSE", "10", "FOO") == b"-ERR syntax error\r\n"


def test_client_errors_and_help(raw, r):
    assert raw.cmd("CLIENT") == b"-ERR wrong number of arguments for 'client' command\r\n"
    assert raw.cmd("CLIENT", "FOO") == b"-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n"
    assert raw.cmd("CLIENT", "ID", "x") == \
        b"-ERR wrong number of arguments for 'client|id' command\r\n"
    assert raw.cmd("CLIENT", "GETREDIR") == b":-1\r\n"
    h = r.execute_command("CLIENT", "HELP")
    assert h[0] == b"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert h[-1] == b"    Prints this help."


def test_client_list_via_redis_cli(server):
    out, rc = cli(server.port, "CLIENT", "LIST")
    assert rc == 0 and "cmd=client|list" in out and " lib-name= lib-ver=" in out


def test_redis_py_client_list(r):
    rows = r.client_list()
    assert rows and all("id" in x and "cmd" in x for x in rows)
    assert r.client_setname("py") is True and r.client_getname() == "py"
    assert isinstance(r.client_id(), int)


def test_unblock(server, raw):
    blocked = server.raw()
    bid = int(blocked.cmd("CLIENT", "ID")[1:-2])
    blocked.send(b"*3\r\n$5\r\nBLPOP\r\n$9\r\nunblock:q\r\n$1\r\n0\r\n")
    wait_for(lambda: b"blocked_clients:1" in raw.cmd("INFO", "clients"))
    assert raw.cmd("CLIENT", "UNBLOCK", str(bid), "ERROR") == b":1\r\n"
    assert blocked.read_reply_bytes().startswith(b"-UNBLOCKED")
    assert raw.cmd("CLIENT", "UNBLOCK", str(bid)) == b":0\r\n"
    assert raw.cmd("CLIENT", "UNBLOCK", "abc") == \
        b"-ERR value is not an integer or out of range\r\n"
    assert raw.cmd("CLIENT", "UNBLOCK", str(bid), "FOO") == \
        b"-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n"
    blocked.close()
