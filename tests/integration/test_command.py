"""COMMAND: INFO, DOCS, COUNT, LIST, GETKEYS, GETKEYSANDFLAGS, HELP — exact replies."""
import subprocess

import pytest

from dqtest import REDIS_CLI, cli


@pytest.fixture
def c(server):
    cl = server.client()
    cl.response_callbacks.pop("COMMAND", None)
    yield cl
    cl.close()


def test_command_info_get_exact(raw):
    assert raw.cmd("COMMAND", "INFO", "get") == (
        b"*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
        b"*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n"
        b"*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+ACCESS\r\n"
        b"$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n"
        b"$5\r\nindex\r\n:1\r\n"
        b"$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n"
        b"$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n")


def test_command_info_resp3_uses_sets(raw):
    raw.cmd("HELLO", "3")
    out = raw.cmd("COMMAND", "INFO", "time")
    assert out == (b"*1\r\n*10\r\n$4\r\ntime\r\n:1\r\n~3\r\n+loading\r\n+stale\r\n+fast\r\n"
                   b":0\r\n:0\r\n:0\r\n~1\r\n+@fast\r\n~1\r\n+nondeterministic_output\r\n"
                   b"~0\r\n~0\r\n")


def test_command_info_unknown_is_null(raw):
    assert raw.cmd("COMMAND", "INFO", "nope") == b"*1\r\n$-1\r\n"


def test_command_info_case_insensitive_and_fullname(c):
    a = c.execute_command("COMMAND", "INFO", "GeT")[0]
    assert a[0] == b"get"
    sub = c.execute_command("COMMAND", "INFO", "config|get")[0]
    assert sub[0] == b"config|get" and sub[1] == -3
    assert sub[2] == [b"admin", b"noscript", b"loading", b"stale"]
    assert sub[6] == [b"@admin", b"@slow", b"@dangerous"]


def test_command_info_container_lists_subcommands(c):
    e = c.execute_command("COMMAND", "INFO", "config")[0]
    assert e[1] == -2 and e[2] == [] and e[6] == [b"@slow"]
    names = sorted(s[0] for s in e[9])
    assert names == [b"config|get", b"config|help", b"config|resetstat", b"config|rewrite",
                     b"config|set"]


def test_command_info_keys_negative_last(c):
    e = c.execute_command("COMMAND", "INFO", "del")[0]
    assert e[3:6] == [1, -1, 1]


def test_command_no_args_lists_everything(c):
    all_ = c.execute_command("COMMAND")
    names = {e[0] for e in all_}
    assert {b"get", b"set", b"command", b"config", b"client", b"info"} <= names
    assert len(all_) == c.execute_command("COMMAND", "COUNT")
    for e in all_:
        assert len(e) == 10
        assert isinstance(e[1], int) and isinstance(e[3], int)


def test_command_count(raw):
    out = raw.cmd("COMMAND", "COUNT")
    assert out.startswith(b":") and int(out[1:-2]) > 10


def test_command_list(c):
    names = set(c.execute_command("COMMAND", "LIST"))
    assert {b"get", b"config|get", b"client|list", b"command|docs"} <= names
    assert b"config" in names


def test_command_list_filterby(c):
    pat = c.execute_command("COMMAND", "LIST", "FILTERBY", "PATTERN", "config*")
    assert sorted(pat) == [b"config", b"config|get", b"config|help", b"config|resetstat",
                           b"config|rewrite", b"config|set"]
    cat = set(c.execute_command("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string"))
    assert b"get" in cat and b"config|get" not in cat
    assert c.execute_command("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nope") == []
    assert c.execute_command("COMMAND", "LIST", "FILTERBY", "MODULE", "x") == []


def test_command_list_errors(raw):
    assert raw.cmd("COMMAND", "LIST", "FILTERBY", "FOO", "x") == b"-ERR syntax error\r\n"
    assert raw.cmd("COMMAND", "LIST", "x") == b"-ERR syntax error\r\n"


def test_command_getkeys(c, raw):
    assert c.execute_command("COMMAND", "GETKEYS", "set", "a", "b") == [b"a"]
    assert c.execute_command("COMMAND", "GETKEYS", "del", "a", "b", "c") == [b"a", b"b", b"c"]
    assert raw.cmd("COMMAND", "GETKEYS", "foo", "a") == b"-ERR Invalid command specified\r\n"
    assert raw.cmd("COMMAND", "GETKEYS", "get", "a", "b") == \
        b"-ERR Invalid number of arguments specified for command\r\n"
    assert raw.cmd("COMMAND", "GETKEYS", "config", "get", "x") == \
        b"-ERR The command has no key arguments\r\n"
    assert raw.cmd("COMMAND", "GETKEYS", "get") == \
        b"-ERR wrong number of arguments for 'command|getkeys' command\r\n"


def test_command_getkeysandflags(c):
    out = c.execute_command("COMMAND", "GETKEYSANDFLAGS", "get", "k")
    assert out == [[b"k", [b"RO", b"ACCESS"]]]


def test_command_docs_get(raw):
    assert raw.cmd("COMMAND", "DOCS", "get").startswith(
        b"*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n")
    raw.cmd("HELLO", "3")
    out = raw.cmd("COMMAND", "DOCS", "get")
    assert out.startswith(b"%1\r\n$3\r\nget\r\n%5\r\n$7\r\nsummary\r\n")
    assert out.endswith(b"$9\r\narguments\r\n*1\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n"
                        b"$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n")


def _docs(c, name):
    out = c.execute_command("COMMAND", "DOCS", name)
    d = dict(zip(out[0::2], out[1::2]))
    doc = d[name.encode()]
    return dict(zip(doc[0::2], doc[1::2]))


def _arg(a):
    return dict(zip(a[0::2], a[1::2]))


def test_command_docs_set_argument_tree(c):
    doc = _docs(c, "set")
    assert doc[b"group"] == b"string" and doc[b"since"] == b"1.0.0"
    args = [_arg(a) for a in doc[b"arguments"]]
    assert args[0] == {b"name": b"key", b"type": b"key", b"key_spec_index": 0}
    assert args[1] == {b"name": b"value", b"type": b"string"}
    cond = args[2]
    assert cond[b"type"] == b"oneof" and cond[b"flags"] == [b"optional"]
    toks = [_arg(x)[b"token"] for x in cond[b"arguments"]]
    # NX | XX as Redis, plus dq's IFEQ extension (a block with its comparison value).
    assert toks == [b"NX", b"XX", b"IFEQ"]
    get = args[3]
    assert get == {b"name": b"get", b"type": b"pure-token", b"token": b"GET",
                   b"flags": [b"optional"]}
    exp = args[4]
    assert exp[b"type"] == b"oneof"
    ex = _arg(exp[b"arguments"][0])
    assert ex == {b"name": b"seconds", b"type": b"integer", b"token": b"EX"}


def test_command_docs_multiple_and_blocks(c):
    args = [_arg(a) for a in _docs(c, "del")[b"arguments"]]
    assert args == [{b"name": b"key", b"type": b"key", b"key_spec_index": 0,
                     b"flags": [b"multiple"]}]
    cs = _docs(c, "config")
    subs = dict(zip(cs[b"subcommands"][0::2], cs[b"subcommands"][1::2]))
    setdoc = dict(zip(subs[b"config|set"][0::2], subs[b"config|set"][1::2]))
    blk = _arg(setdoc[b"arguments"][0])
    assert blk[b"type"] == b"block" and blk[b"flags"] == [b"multiple"]
    assert [_arg(x)[b"name"] for x in blk[b"arguments"]] == [b"parameter", b"value"]


def test_command_docs_unknown_skipped_and_all(c):
    assert c.execute_command("COMMAND", "DOCS", "nope") == []
    everything = c.execute_command("COMMAND", "DOCS")
    assert len(everything) == 2 * c.execute_command("COMMAND", "COUNT")


def test_command_help_and_unknown_subcommand(raw, c):
    out = c.execute_command("COMMAND", "HELP")
    assert out[0] == b"COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert out[-1] == b"    Prints this help."
    assert raw.cmd("COMMAND", "FOO") == b"-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n"
    assert raw.cmd("command", "count", "x") == \
        b"-ERR wrong number of arguments for 'command|count' command\r\n"


def _interactive_cli(port, lines, timeout=10.0):
    """Runs redis-cli on a pseudo-terminal (so linenoise shows hints), typing `lines`.
    Answers linenoise's cursor-position query. Returns everything the terminal showed."""
    import os
    import pty
    import select
    import time
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(REDIS_CLI, [REDIS_CLI, "-p", str(port)])
    import fcntl
    import struct
    import termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    out = b""
    deadline = time.time() + timeout
    pending = list(lines)
    last_send = 0.0
    try:
        while time.time() < deadline:
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                if b"\x1b[6n" in chunk:
                    os.write(fd, b"\x1b[1;1R")
            elif pending and time.time() - last_send > 0.3:
                os.write(fd, pending.pop(0).encode())
                last_send = time.time()
            elif not pending and time.time() - last_send > 1.0:
                break
    finally:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return out.decode(errors="replace")


def test_redis_cli_hints_do_not_break(server):
    # redis-cli reads COMMAND DOCS to build its hints: a malformed argument tree makes it
    # print "Unknown type ..." warnings or crash. Type commands in a real interactive session.
    text = _interactive_cli(server.port, ["set ", "foo bar\r", "get foo\r", "client kill ",
                                          "\x15", "config get hz\r"])
    assert "Unknown type" not in text and "Unknown" not in text
    assert '"bar"' in text
    assert '"hz"' in text
    # The hint for SET, built from COMMAND DOCS: redis-server's text plus dq's IFEQ extension.
    assert ("key value [NX|XX|IFEQ comparison-value] [GET] [EX seconds|PX milliseconds|"
            "EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]") in text
    out, rc = cli(server.port, "COMMAND", "COUNT")
    assert rc == 0 and int(out) > 10
