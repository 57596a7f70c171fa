"""Redis 7 functions (issue 5): FUNCTION LOAD | LIST | DELETE | FLUSH | DUMP | RESTORE |
STATS | KILL | HELP, FCALL and FCALL_RO; also EVAL's `#!lua flags=...` shebang.

Replies are checked as exact RESP bytes on a raw socket, in RESP2 and (after HELLO 3)
RESP3. The byte-for-byte comparison with redis-server is tests/compat/test_diff_functions.py;
this file covers what that cannot: dq's own orders and payloads, timing, blocking, MULTI."""
import time

import pytest
import redis
from redis.exceptions import ResponseError

from dqtest import RawClient, encode_command, wait_for

LIB = """#!lua name=mylib
redis.register_function('echo_kv', function(keys, args) return {keys, args} end)
redis.register_function{function_name='getter', description='reads a key',
    callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}}
redis.register_function('setter', function(keys, args)
    return redis.call('set', keys[1], args[1]) end)
"""


def lib(name, *functions):
    """A library registering each function name as `return '<name>'`."""
    body = "".join("redis.register_function('%s', function() return '%s' end)\n" % (f, f)
                   for f in functions)
    return "#!lua name=%s\n%s" % (name, body)


def bulk(s):
    b = s.encode() if isinstance(s, str) else s
    return b"$%d\r\n%s\r\n" % (len(b), b)


@pytest.fixture
def fr(server):
    """A raw client with no functions loaded."""
    c = server.raw()
    assert c.cmd("FUNCTION", "FLUSH") == b"+OK\r\n"
    c.cmd("FLUSHALL")
    yield c
    c.cmd("FUNCTION", "FLUSH")
    c.close()


# --- LOAD -------------------------------------------------------------------------------

def test_load_returns_library_name_and_functions_run(fr):
    assert fr.cmd("FUNCTION", "LOAD", LIB) == b"$5\r\nmylib\r\n"
    assert fr.cmd("FCALL", "setter", "1", "k", "v") == b"+OK\r\n"
    assert fr.cmd("FCALL", "getter", "1", "k") == b"$1\r\nv\r\n"
    assert fr.cmd("FCALL_RO", "getter", "1", "k") == b"$1\r\nv\r\n"


def test_keys_and_args_are_parameters_not_globals(fr):
    fr.cmd("FUNCTION", "LOAD", LIB)
    assert fr.cmd("FCALL", "echo_kv", "2", "a", "b", "c") == \
        b"*2\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*1\r\n$1\r\nc\r\n"
    assert fr.cmd("FCALL", "echo_kv", "0") == b"*2\r\n*0\r\n*0\r\n"
    assert fr.cmd("FCALL", "echo_kv", "0", "x") == b"*2\r\n*0\r\n*1\r\n$1\r\nx\r\n"
    fr.cmd("FUNCTION", "LOAD",
           "#!lua name=g\nredis.register_function('uses_keys', function() return KEYS end)")
    got = fr.cmd("FCALL", "uses_keys", "1", "a")
    assert got.startswith(b"-ERR user_function:2: Script attempted to access nonexistent "
                          b"global variable 'KEYS' script: uses_keys, on @user_function:2.")


def test_function_names_ignore_case_library_names_do_not(fr):
    fr.cmd("FUNCTION", "LOAD", LIB)
    assert fr.cmd("FCALL", "ECHO_KV", "0") == b"*2\r\n*0\r\n*0\r\n"
    assert fr.cmd("FUNCTION", "LOAD", lib("other", "Echo_KV")) == \
        b"-ERR Function Echo_KV already exists\r\n"
    assert fr.cmd("FUNCTION", "LOAD", lib("MYLIB", "f2")) == b"$5\r\nMYLIB\r\n"
    assert fr.cmd("FUNCTION", "DELETE", "Mylib") == b"-ERR Library not found\r\n"


def test_load_errors(fr):
    cases = [
        ("return 1", b"-ERR Missing library metadata\r\n"),
        ("#!lua name=x", b"-ERR Invalid library metadata\r\n"),
        ("#!lua\nreturn 1", b"-ERR Library name was not given\r\n"),
        ("#!lua name=x foo=1\n", b"-ERR Invalid metadata value given: foo=1\r\n"),
        ("#!lua name=a-b\n", b"-ERR Library names can only contain letters, numbers, or "
                             b"underscores(_) and must be at least one character long\r\n"),
        ("#!js name=x\n", b"-ERR Engine 'js' not found\r\n"),
        ("#!lua name=x\nlocal a = 1", b"-ERR No functions registered\r\n"),
        ("#!lua name=x\nlocal a = ", b"-ERR Error compiling function: user_function:2: "
                                     b"unexpected symbol near '<eof>'\r\n"),
        ("#!lua name=x\nredis.register_function('f-g', function() end)",
         b"-ERR Error registering functions: ERR Library names can only contain letters, "
         b"numbers, or underscores(_) and must be at least one character long\r\n"),
        ("#!lua name=x\nredis.call('ping')",
         b"-ERR Error registering functions: ERR user_function:2: Script attempted to access "
         b"nonexistent global variable 'call'\r\n"),
        ("#!lua name=x\nlocal s = string.rep('a', 2)",
         b"-ERR Error registering functions: ERR user_function:2: Script attempted to access "
         b"nonexistent global variable 'string'\r\n"),
    ]
    for code, want in cases:
        assert fr.cmd("FUNCTION", "LOAD", code) == want, code
    assert fr.cmd("FUNCTION", "LOAD", "x", "y") == b"-ERR Unknown option given: x\r\n"
    assert fr.cmd("FUNCTION", "LIST") == b"*0\r\n"  # a failed load leaves nothing behind


def test_load_time_api_is_restricted_but_functions_get_the_full_sandbox(fr):
    code = ("#!lua name=x\nlocal v = redis.REDIS_VERSION\nredis.log(redis.LOG_DEBUG, 'loading')\n"
            "redis.register_function('f', function() return {type(string), type(redis.call), "
            "redis.register_function == nil, v} end)")
    assert fr.cmd("FUNCTION", "LOAD", code) == b"$1\r\nx\r\n"
    assert fr.cmd("FCALL", "f", "0") == \
        b"*4\r\n$5\r\ntable\r\n$8\r\nfunction\r\n:1\r\n$5\r\n7.2.4\r\n"
    # A register_function kept from load time refuses to work later.
    code = ("#!lua name=y\nlocal reg = redis.register_function\n"
            "reg('later', function() reg('z', function() end) end)")
    fr.cmd("FUNCTION", "LOAD", code)
    assert fr.cmd("FCALL", "later", "0") == \
        b"-ERR redis.register_function can only be called on FUNCTION LOAD command script: " \
        b"later, on @user_function:3.\r\n"


def test_load_timeout(fr, raw):
    t = time.time()
    got = fr.cmd("FUNCTION", "LOAD", "#!lua name=x\nwhile true do end")
    assert got == b"-ERR Error registering functions: ERR FUNCTION LOAD timeout\r\n"
    assert 0.4 < time.time() - t < 5
    assert raw.cmd("PING") == b"+PONG\r\n"
    assert fr.cmd("FUNCTION", "LOAD", lib("x", "f")) == b"$1\r\nx\r\n"


def test_load_replace(fr):
    fr.cmd("FUNCTION", "LOAD", lib("l1", "a", "b"))
    assert fr.cmd("FUNCTION", "LOAD", lib("l1", "c")) == b"-ERR Library 'l1' already exists\r\n"
    assert fr.cmd("FUNCTION", "LOAD", "REPLACE", lib("l1", "a", "c")) == b"$2\r\nl1\r\n"
    assert fr.cmd("FCALL", "c", "0") == b"$1\r\nc\r\n"
    assert fr.cmd("FCALL", "b", "0") == b"-ERR Function not found\r\n"
    # REPLACE frees the old library's names, not another library's.
    fr.cmd("FUNCTION", "LOAD", lib("l2", "d"))
    assert fr.cmd("FUNCTION", "LOAD", "replace", lib("l1", "d")) == \
        b"-ERR Function d already exists\r\n"
    assert fr.cmd("FCALL", "a", "0") == b"$1\r\na\r\n"  # l1 unchanged after the failure


# --- FCALL / FCALL_RO ---------------------------------------------------------------------

def test_fcall_argument_errors(fr):
    fr.cmd("FUNCTION", "LOAD", LIB)
    assert fr.cmd("FCALL", "nope", "0") == b"-ERR Function not found\r\n"
    assert fr.cmd("FCALL", "getter", "x") == b"-ERR Bad number of keys provided\r\n"
    assert fr.cmd("FCALL", "getter", "-1") == b"-ERR Number of keys can't be negative\r\n"
    assert fr.cmd("FCALL", "getter", "2", "a") == \
        b"-ERR Number of keys can't be greater than number of args\r\n"


def test_fcall_ro_rules(fr):
    fr.cmd("FUNCTION", "LOAD", LIB)
    assert fr.cmd("FCALL_RO", "setter", "1", "k", "v") == \
        b"-ERR Can not execute a script with write flag using *_ro command.\r\n"
    assert fr.cmd("GET", "k") == b"$-1\r\n"
    code = ("#!lua name=ro\nredis.register_function{function_name='sneaky', flags={'no-writes'}, "
            "callback=function(keys) return redis.call('set', keys[1], 'x') end}")
    fr.cmd("FUNCTION", "LOAD", code)
    want = b"-ERR Write commands are not allowed from read-only scripts. script: sneaky, " \
           b"on @user_function:2.\r\n"
    assert fr.cmd("FCALL", "sneaky", "1", "k") == want  # no-writes holds under FCALL too
    assert fr.cmd("FCALL_RO", "sneaky", "1", "k") == want
    assert fr.cmd("GET", "k") == b"$-1\r\n"


def test_function_errors_carry_function_name(fr):
    code = "#!lua name=e\nredis.register_function('boom', function()\n  error('bad')\nend)"
    fr.cmd("FUNCTION", "LOAD", code)
    assert fr.cmd("FCALL", "boom", "0") == \
        b"-ERR user_function:3: bad script: boom, on @user_function:3.\r\n"
    code = "#!lua name=e2\nredis.register_function('custom', function() " \
           "return redis.error_reply('MYERR nope') end)"
    fr.cmd("FUNCTION", "LOAD", code)
    assert fr.cmd("FCALL", "custom", "0") == b"-MYERR nope\r\n"


def test_fcall_uses_callers_db_and_resp3(server, fr):
    code = ("#!lua name=d\nredis.register_function('get1', function(keys) "
            "return redis.call('get', keys[1]) end)\n"
            "redis.register_function('r3', function() redis.setresp(3) "
            "return {map={a=1}} end)\n"
            "redis.register_function('t', function() return true end)")
    fr.cmd("FUNCTION", "LOAD", code)
    c = server.raw()
    c.cmd("SELECT", "4")
    c.cmd("SET", "dbk", "four")
    assert c.cmd("FCALL", "get1", "1", "dbk") == b"$4\r\nfour\r\n"
    assert fr.cmd("FCALL", "get1", "1", "dbk") == b"$-1\r\n"
    assert c.cmd("FCALL", "t", "0") == b":1\r\n"
    c.cmd("HELLO", "3")
    assert c.cmd("FCALL", "r3", "0") == b"%1\r\n$1\r\na\r\n:1\r\n"
    assert c.cmd("FCALL", "t", "0") == b":1\r\n"  # the function's own RESP is 2 again
    c.cmd("FLUSHDB")
    c.close()


def test_scripts_and_functions_are_separate(fr):
    fr.cmd("FUNCTION", "LOAD", lib("sep", "f"))
    sha = fr.cmd("SCRIPT", "LOAD", "return 1")[5:-2]
    assert fr.cmd("SCRIPT", "FLUSH") == b"+OK\r\n"
    assert fr.cmd("FCALL", "f", "0") == b"$1\r\nf\r\n"
    sha = fr.cmd("SCRIPT", "LOAD", "return 1")[5:-2]
    assert fr.cmd("FUNCTION", "FLUSH") == b"+OK\r\n"
    assert fr.cmd("EVALSHA", sha, "0") == b":1\r\n"


def test_fcall_and_function_refused_inside_scripts(fr):
    fr.cmd("FUNCTION", "LOAD", lib("s", "f"))
    for call in ("'fcall', 'f', 0", "'function', 'list'", "'function', 'flush'"):
        body = "return redis.call(%s)" % call
        got = fr.cmd("EVAL", body, "0")
        assert got.startswith(b"-ERR This Redis command is not allowed from script script: ")


def test_getkeys(fr):
    assert fr.cmd("COMMAND", "GETKEYS", "FCALL", "f", "2", "a", "b", "c") == \
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert fr.cmd("COMMAND", "GETKEYS", "FCALL_RO", "f", "1", "a") == b"*1\r\n$1\r\na\r\n"


# --- LIST -------------------------------------------------------------------------------

LIST_RESP2 = (
    b"*1\r\n*6\r\n$12\r\nlibrary_name\r\n$5\r\nmylib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n"
    b"$9\r\nfunctions\r\n*3\r\n"
    b"*6\r\n$4\r\nname\r\n$7\r\necho_kv\r\n$11\r\ndescription\r\n$-1\r\n$5\r\nflags\r\n*0\r\n"
    b"*6\r\n$4\r\nname\r\n$6\r\ngetter\r\n$11\r\ndescription\r\n$11\r\nreads a key\r\n"
    b"$5\r\nflags\r\n*1\r\n+no-writes\r\n"
    b"*6\r\n$4\r\nname\r\n$6\r\nsetter\r\n$11\r\ndescription\r\n$-1\r\n$5\r\nflags\r\n*0\r\n")

LIST_RESP3 = (
    b"*1\r\n%3\r\n$12\r\nlibrary_name\r\n$5\r\nmylib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n"
    b"$9\r\nfunctions\r\n*3\r\n"
    b"%3\r\n$4\r\nname\r\n$7\r\necho_kv\r\n$11\r\ndescription\r\n_\r\n$5\r\nflags\r\n~0\r\n"
    b"%3\r\n$4\r\nname\r\n$6\r\ngetter\r\n$11\r\ndescription\r\n$11\r\nreads a key\r\n"
    b"$5\r\nflags\r\n~1\r\n+no-writes\r\n"
    b"%3\r\n$4\r\nname\r\n$6\r\nsetter\r\n$11\r\ndescription\r\n_\r\n$5\r\nflags\r\n~0\r\n")


def test_list_shapes_resp2_and_resp3(server, fr):
    fr.cmd("FUNCTION", "LOAD", LIB)
    assert fr.cmd("FUNCTION", "LIST") == LIST_RESP2
    c = server.raw()
    c.cmd("HELLO", "3")
    assert c.cmd("FUNCTION", "LIST") == LIST_RESP3
    with_code = c.cmd("FUNCTION", "LIST", "WITHCODE")
    assert with_code.startswith(b"*1\r\n%4\r\n")
    assert with_code.endswith(b"$12\r\nlibrary_code\r\n" + bulk(LIB))
    c.close()


def test_list_order_pattern_and_errors(server, fr):
    for name in ("zeta", "alpha", "Beta"):
        fr.cmd("FUNCTION", "LOAD", lib(name, "f_" + name))
    c = server.client()
    assert [e[1] for e in c.function_list()] == [b"Beta", b"alpha", b"zeta"]  # by name
    c.close()
    got = fr.cmd("FUNCTION", "LIST", "LIBRARYNAME", "*ta")
    assert got.count(b"library_name") == 2
    got = fr.cmd("FUNCTION", "LIST", "libraryname", "b*", "withcode")  # nocase, any order
    assert got.startswith(b"*1\r\n*8\r\n") and b"Beta" in got
    assert fr.cmd("FUNCTION", "LIST", "LIBRARYNAME", "nomatch") == b"*0\r\n"
    assert fr.cmd("FUNCTION", "LIST", "LIBRARYNAME") == \
        b"-ERR library name argument was not given\r\n"
    assert fr.cmd("FUNCTION", "LIST", "WITHCODE", "WITHCODE") == \
        b"-ERR Unknown argument WITHCODE\r\n"
    assert fr.cmd("FUNCTION", "LIST", "bogus") == b"-ERR Unknown argument bogus\r\n"


# --- DELETE / FLUSH ---------------------------------------------------------------------

def test_delete_and_flush(fr):
    fr.cmd("FUNCTION", "LOAD", lib("a", "fa"))
    fr.cmd("FUNCTION", "LOAD", lib("b", "fb"))
    assert fr.cmd("FUNCTION", "DELETE", "a") == b"+OK\r\n"
    assert fr.cmd("FUNCTION", "DELETE", "a") == b"-ERR Library not found\r\n"
    assert fr.cmd("FCALL", "fa", "0") == b"-ERR Function not found\r\n"
    assert fr.cmd("FCALL", "fb", "0") == b"$2\r\nfb\r\n"
    for mode in ((), ("SYNC",), ("async",)):
        fr.cmd("FUNCTION", "LOAD", "REPLACE", lib("b", "fb"))
        assert fr.cmd("FUNCTION", "FLUSH", *mode) == b"+OK\r\n"
        assert fr.cmd("FUNCTION", "LIST") == b"*0\r\n"
    assert fr.cmd("FUNCTION", "FLUSH", "bad") == \
        b"-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n"
    assert fr.cmd("FUNCTION", "FLUSH", "sync", "x") == \
        b"-ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.\r\n"
    # A fresh state after FLUSH: loading works as before.
    assert fr.cmd("FUNCTION", "LOAD", LIB) == b"$5\r\nmylib\r\n"
    assert fr.cmd("FCALL", "echo_kv", "0") == b"*2\r\n*0\r\n*0\r\n"


# --- DUMP / RESTORE -----------------------------------------------------------------------

def test_dump_restore_round_trip_each_policy(server, fr):
    c = server.client()
    fr.cmd("FUNCTION", "LOAD", LIB)
    fr.cmd("FUNCTION", "LOAD", lib("second", "s1", "s2"))
    before = c.function_list(withcode=True)
    payload = c.function_dump()
    assert payload[-10:-8] == b"\x0b\x00"  # RDB version 11 (7.2), then the CRC-64

    c.function_flush()
    assert c.function_restore(payload) is True  # APPEND into an empty set
    assert c.function_list(withcode=True) == before
    assert c.fcall("s2", 0) == b"s2"

    with pytest.raises(ResponseError, match="^Library mylib already exists$"):
        c.function_restore(payload, "APPEND")
    assert c.function_list(withcode=True) == before

    c.function_load(lib("extra", "x1"), replace=True)
    assert c.function_restore(payload, "REPLACE") is True
    assert c.fcall("x1", 0) == b"x1"  # REPLACE keeps libraries not in the payload
    assert len(c.function_list()) == 3

    assert c.function_restore(payload, "FLUSH") is True
    assert c.function_list(withcode=True) == before  # FLUSH drops "extra"
    with pytest.raises(ResponseError, match="^Function not found$"):
        c.fcall("x1", 0)

    # REPLACE cannot take a function name another library keeps.
    c.function_flush()
    c.function_load(lib("thief", "s1"))
    with pytest.raises(ResponseError, match="^Function s1 already exists$"):
        c.function_restore(payload, "REPLACE")
    assert [e[1] for e in c.function_list()] == [b"thief"]
    c.close()


def test_dump_of_nothing_and_restore_errors(fr):
    empty = fr.cmd("FUNCTION", "DUMP")
    assert empty == b"$10\r\n\x0b\x00" + empty[7:15] + b"\r\n"
    payload = empty[5:-2]
    assert fr.cmd("FUNCTION", "RESTORE", payload) == b"+OK\r\n"
    bad = b"-ERR DUMP payload version or checksum are wrong\r\n"
    assert fr.cmd("FUNCTION", "RESTORE", "garbage") == bad
    assert fr.cmd("FUNCTION", "RESTORE", "") == bad
    flipped = bytearray(payload)
    flipped[3] ^= 1
    assert fr.cmd("FUNCTION", "RESTORE", bytes(flipped)) == bad
    newer = b"\x0c\x00" + payload[2:]  # a later RDB version than dq writes
    assert fr.cmd("FUNCTION", "RESTORE", newer) == bad
    assert fr.cmd("FUNCTION", "RESTORE", payload, "bogus") == \
        b"-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n"
    assert fr.cmd("FUNCTION", "RESTORE", payload, "FLUSH", "x") == \
        b"-ERR unknown subcommand or wrong number of arguments for 'RESTORE'. " \
        b"Try FUNCTION HELP.\r\n"


# --- STATS / KILL / HELP ------------------------------------------------------------------

def test_stats_kill_help(server, fr):
    fr.cmd("FUNCTION", "LOAD", LIB)
    assert fr.cmd("FUNCTION", "STATS") == (
        b"*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n"
        b"*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:3\r\n")
    c = server.raw()
    c.cmd("HELLO", "3")
    assert c.cmd("FUNCTION", "STATS") == (
        b"%2\r\n$14\r\nrunning_script\r\n_\r\n$7\r\nengines\r\n%1\r\n$3\r\nLUA\r\n"
        b"%2\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:3\r\n")
    c.close()
    assert fr.cmd("FUNCTION", "KILL") == b"-NOTBUSY No scripts in execution right now.\r\n"
    help_lines = fr.cmd("FUNCTION", "HELP")
    assert help_lines.startswith(
        b"*39\r\n+FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
        b"+LOAD [REPLACE] <FUNCTION CODE>\r\n")
    assert help_lines.endswith(b"+HELP\r\n+    Prints this help.\r\n")
    assert fr.cmd("FUNCTION", "NOPE") == \
        b"-ERR unknown subcommand 'NOPE'. Try FUNCTION HELP.\r\n"


# --- blocking, MULTI ----------------------------------------------------------------------

def test_function_wakes_blpop_waiter_after_it_returns(server, fr):
    code = ("#!lua name=q\nredis.register_function('push2pop1', function(keys) "
            "redis.call('rpush', keys[1], 'a', 'b') return redis.call('lpop', keys[1]) end)")
    fr.cmd("FUNCTION", "LOAD", code)
    waiter = RawClient(server.port)
    waiter.send(encode_command("BLPOP", "q", "5"))
    wait_for(lambda: b"cmd=blpop" in fr.cmd("CLIENT", "LIST"))
    assert fr.cmd("FCALL", "push2pop1", "1", "q") == b"$1\r\na\r\n"
    assert waiter.read_reply_bytes() == b"*2\r\n$1\r\nq\r\n$1\r\nb\r\n"
    waiter.close()


def test_fcall_and_function_load_in_multi_exec(fr):
    assert fr.cmd("MULTI") == b"+OK\r\n"
    assert fr.cmd("FUNCTION", "LOAD", LIB) == b"+QUEUED\r\n"
    assert fr.cmd("FCALL", "setter", "1", "k", "v1") == b"+QUEUED\r\n"
    assert fr.cmd("FCALL_RO", "getter", "1", "k") == b"+QUEUED\r\n"
    assert fr.cmd("FCALL_RO", "setter", "1", "k", "v2") == b"+QUEUED\r\n"
    assert fr.cmd("EXEC") == (
        b"*4\r\n$5\r\nmylib\r\n+OK\r\n$2\r\nv1\r\n"
        b"-ERR Can not execute a script with write flag using *_ro command.\r\n")


def test_watch_sees_function_writes(server, fr):
    fr.cmd("FUNCTION", "LOAD", LIB)
    other = server.raw()
    assert fr.cmd("WATCH", "wk") == b"+OK\r\n"
    other.cmd("FCALL", "setter", "1", "wk", "x")
    fr.cmd("MULTI")
    fr.cmd("GET", "wk")
    assert fr.cmd("EXEC") == b"*-1\r\n"
    other.close()


def test_redis_py_function_api(r):
    r.function_flush()
    assert r.function_load(LIB) in (b"mylib", "mylib")
    assert r.fcall("setter", 1, "k", "v") == b"OK"
    assert r.fcall_ro("getter", 1, "k") == b"v"
    r.function_flush()


# --- EVAL shebang flags (Redis 7) -----------------------------------------------------------

def test_eval_shebang_flags(fr):
    fr.cmd("SET", "k", "v")
    ro = "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])"
    assert fr.cmd("EVAL_RO", ro, "1", "k") == b"$1\r\nv\r\n"
    plain = "#!lua\nreturn redis.call('get', KEYS[1])"
    assert fr.cmd("EVAL_RO", plain, "1", "k") == \
        b"-ERR Can not execute a script with write flag using *_ro command.\r\n"
    assert fr.cmd("EVAL", plain, "1", "k") == b"$1\r\nv\r\n"
    writer = "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'w')"
    got = fr.cmd("EVAL", writer, "1", "k")
    assert got.startswith(b"-ERR Write commands are not allowed from read-only scripts. script: ")
    assert got.endswith(b", on @user_script:2.\r\n")  # the shebang counts as line 1
    # The flags are kept with the cached script.
    sha = fr.cmd("SCRIPT", "LOAD", ro)[5:-2]
    assert fr.cmd("EVALSHA_RO", sha, "1", "k") == b"$1\r\nv\r\n"
    sha = fr.cmd("SCRIPT", "LOAD", plain)[5:-2]
    assert fr.cmd("EVALSHA_RO", sha, "1", "k") == \
        b"-ERR Can not execute a script with write flag using *_ro command.\r\n"
    # Scripts without a shebang keep EVAL's old rules.
    assert fr.cmd("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "k") == b"$1\r\nv\r\n"


def test_eval_shebang_errors(fr):
    cases = [
        ("#!lua", b"-ERR Invalid script shebang\r\n"),
        ("#!lua flags=bad\n", b"-ERR Unexpected flag in script shebang: bad\r\n"),
        ("#!lua flags=no-writes,\n", b"-ERR Unexpected flag in script shebang: \r\n"),
        ("#!lua name=x\n", b"-ERR Unknown lua shebang option: name=x\r\n"),
        ("#!python\n", b"-ERR Unexpected engine in script shebang: #!python\r\n"),
        ("#!lua \"flags\n", b"-ERR Invalid engine in script shebang\r\n"),
    ]
    for body, want in cases:
        assert fr.cmd("EVAL", body, "0") == want, body
        assert fr.cmd("SCRIPT", "LOAD", body) == want, body
    assert fr.cmd("EVAL", "#!lua flags=\nreturn 1", "0") == b":1\r\n"
