"""Differential tests for Redis 7 functions: the same FUNCTION / FCALL / FCALL_RO streams go
to dq and to redis-server (7.0), and the raw reply bytes must be equal (RESP2, and RESP3
after HELLO 3): load errors and the load-time sandbox, register_function's checks, FCALL's
argument errors and FCALL_RO rules, error formats, FUNCTION LIST shapes, STATS, DELETE,
FLUSH and RESTORE errors; EVAL's `#!lua flags=` shebang. A payload dumped by redis-server
restores into dq. Left out, each where it would be:
  - FUNCTION LIST of several libraries or functions (Redis's order is its dicts');
  - FUNCTION DUMP bytes (dq writes RDB version 11 as 7.2, uncompressed);
  - FUNCTION HELP (7.0 lists a "Library description" line later versions dropped);
  - redis.REDIS_VERSION (dq reports 7.2.4).
"""
import pytest

from dqtest import both_raw, diff_stream as run_stream


@pytest.fixture
def pair(server, redis_ref):
    yield from both_raw(server, redis_ref, setup=[("FUNCTION", "FLUSH"), ("SCRIPT", "FLUSH")],
                        teardown=[("FUNCTION", "FLUSH")])


def L(body, name="t"):
    """Loads a library named `name` (after flushing) whose code is body."""
    return [("FUNCTION", "FLUSH"), ("FUNCTION", "LOAD", "#!lua name=%s\n%s" % (name, body))]


def reg(fn="f", body="return 1", flags=None, desc=None):
    if flags is None and desc is None:
        return "redis.register_function('%s', function(keys, args) %s end)" % (fn, body)
    parts = ["function_name='%s'" % fn, "callback=function(keys, args) %s end" % body]
    if flags is not None:
        parts.append("flags={%s}" % ",".join("'%s'" % f for f in flags))
    if desc is not None:
        parts.append("description='%s'" % desc)
    return "redis.register_function{%s}" % ", ".join(parts)


LOAD_BODIES = [
    "redis.register_function('a b', function() end)",
    "redis.register_function('', function() end)",
    "redis.register_function('f', 5)",
    "redis.register_function(5, function() end)",
    "redis.register_function({}, function() end)",
    "redis.register_function()",
    "redis.register_function('a', function() end, 3)",
    "redis.register_function('a')",
    "redis.register_function{function_name='a'}",
    "redis.register_function{callback=function() end}",
    "redis.register_function{function_name='a', callback=function() end, flags={'bad'}}",
    "redis.register_function{function_name='a', callback=function() end, flags='no-writes'}",
    "redis.register_function{function_name='a', callback=function() end, flags={5}}",
    "redis.register_function{function_name='a', callback=function() end, flags={'NO-WRITES'}}",
    "redis.register_function{function_name='a', callback=function() end, description=5}",
    "redis.register_function{function_name='a', callback=function() end, description={}}",
    "redis.register_function{function_name='a', callback=function() end, other=1}",
    "redis.register_function{function_name='a', callback=5}",
    "redis.register_function{function_name=5, callback=function() end}",
    "redis.register_function{[1]=5, callback=function() end}",
    "redis.register_function(5)",
    "redis.register_function('a', function() end) redis.register_function('a', function() end)",
    "error('x')", "local x = 1 +", "local x = nil + 1", "local t = {}", "x = 1", "redis.x = 1",
    "redis.log(redis.LOG_WARNING, 'x')", "return redis.setresp", "return _G",
    "local a = redis.REDIS_VERSION_NUM", "local x = string.format('%d', 5)",
    "redis.call('set','a','b')", "redis.pcall('ping')", "return redis.sha1hex('a')",
    "print('x')", "os.clock()", "bit.band(1,1)", "local t = table", "return KEYS",
    "local a = redis.register_function; a('a', function() return 1 end)",
    "local f = function() return 1 end redis.register_function('a', f) "
    "redis.register_function('b', f)",
    "redis.register_function('a', function() return 1 end) error('after')",
]

LOAD_ERRORS = [s for body in LOAD_BODIES for s in L(body)] + [
    ("FUNCTION", "LOAD", code) for code in [
        "#!lua", "#!lua name=t", "#!lua\nreturn 1", "#!lua name=t foo=bar\nreturn 1",
        "#!lua name=t name=q\nreturn 1", "#!lua name=\nreturn 1", "#!lua name=a-b\nreturn 1",
        "#!python name=ab\nreturn 1", "#! name=ab\nreturn 1", "#!lua name=\"ab\nreturn 1",
        "#!lua \"name=a b\"\nreturn 1", "local x", "", "replace", "#!lua NAME=n1\n" + reg("n1"),
        "#!LUA name=n2\n" + reg("n2"), "#!lua \"name=n3\"\n" + reg("n3"),
    ]] + [
    ("FUNCTION", "LOAD", "foo", "bar"),
    ("FUNCTION", "LOAD", "replace", "replace", "#!lua name=zz\n" + reg("zz")),
    ("FUNCTION", "LOAD", "#!lua name=zz\n" + reg("zz")),
    ("FUNCTION", "LOAD", "#!lua name=zz2\n" + reg("ZZ")),
    ("FUNCTION", "LOAD", "#!lua name=zz\n" + reg("other")),
    ("FUNCTION", "LOAD", "REPLACE", "#!lua name=zz\n" + reg("zz", "return 2")),
    ("FCALL", "zz", "0"), ("FCALL", "ZZ", "0"),
]

FUNCTIONS = "\n".join([
    reg("echo", "return {keys, args}"),
    reg("err1", "return error('boom')"),
    reg("err2", "return redis.call('nosuch')"),
    reg("err3", "return redis.error_reply('MY err')"),
    reg("err4", "x = 1"),
    reg("err5", "return redis.call('incr', 'str')"),
    reg("err6", "return error({err='CODE custom'})"),
    reg("ro1", "return redis.call('set', 'k', 'v')", flags=["no-writes"]),
    reg("ro2", "return redis.call('get', 'k')", flags=["no-writes", "allow-oom"]),
    reg("w1", "return redis.call('set', keys[1], args[1])"),
    reg("g", "return KEYS"),
    reg("reg", "return redis.register_function('zz', function() end)"),
    reg("pc", "return redis.pcall('incr', 'str')"),
    reg("types", "return {1, 'x', true, false, {ok='fine'}, 3.7}"),
    reg("resp3", "redis.setresp(3) return redis.call('hgetall', 'h')"),
    reg("sha", "return redis.sha1hex('x')"),
    reg("nested", "return redis.call('fcall', 'echo', 0)"),
    reg("evalin", "return redis.call('eval', 'return 1', 0)"),
])

FCALL = [("SET", "str", "abc"), ("HSET", "h", "f", "v")] + L(FUNCTIONS, "lib1") + [
    (cmd, f, "0") for f in ["echo", "err1", "err2", "err3", "err4", "err5", "err6", "ro1",
                            "ro2", "g", "reg", "pc", "types", "resp3", "sha", "nested",
                            "evalin", "w1"]
    for cmd in ("FCALL", "FCALL_RO")] + [
    ("FCALL", "echo", "2", "a", "b", "c", "d"), ("FCALL", "ECHO", "1", "a"),
    ("FCALL", "w1", "1", "k", "v"), ("FCALL_RO", "w1", "1", "k", "v"), ("GET", "k"),
    ("FCALL", "nosuch", "0"), ("FCALL_RO", "nosuch", "0"), ("FCALL", "w1", "x"),
    ("FCALL", "w1", "-1"), ("FCALL", "w1", "3", "a"), ("FCALL", "w1", "1.5", "a"),
    ("FCALL", "nosuch", "x"), ("FCALL_RO", "w1", "x"), ("FCALL",), ("FCALL", "w1"),
    ("FCALL_RO", "w1"),
]

SINGLE = "#!lua name=single\n" + reg("only", "return 1", flags=["no-writes", "allow-stale"],
                                       desc="the one")
MANAGE = [
    ("FUNCTION", "FLUSH"),
    ("FUNCTION", "LIST"), ("FUNCTION", "STATS"),
    ("FUNCTION", "LOAD", SINGLE), ("FUNCTION", "LIST"), ("FUNCTION", "LIST", "WITHCODE"),
    ("FUNCTION", "LIST", "LIBRARYNAME", "sing*"), ("FUNCTION", "LIST", "libraryname", "SING*"),
    ("FUNCTION", "LIST", "LIBRARYNAME", "x*"), ("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME"),
    ("FUNCTION", "LIST", "withcode", "withcode"), ("FUNCTION", "LIST", "foo"),
    ("FUNCTION", "LIST", "LIBRARYNAME", "a", "LIBRARYNAME", "b"), ("FUNCTION", "STATS"),
    ("FUNCTION", "LOAD", "#!lua name=plain\n" + reg("p")),
    ("FUNCTION", "LIST", "LIBRARYNAME", "plain"), ("FUNCTION", "STATS"),
    ("FUNCTION", "DELETE", "single"), ("FUNCTION", "DELETE", "single"),
    ("FUNCTION", "DELETE", "PLAIN"), ("FUNCTION", "DELETE"), ("FUNCTION", "DELETE", "a", "b"),
    ("FUNCTION", "KILL"), ("FUNCTION", "KILL", "x"), ("FUNCTION", "STATS", "x"),
    ("FUNCTION", "DUMP", "x"), ("FUNCTION", "FLUSH", "bad"), ("FUNCTION", "FLUSH", "sync", "x"),
    ("FUNCTION", "FLUSH", "ASYNC"), ("FUNCTION", "FLUSH", "sync"), ("FUNCTION", "LIST"),
    ("FUNCTION", "RESTORE", "garbage"), ("FUNCTION", "RESTORE", "garbage", "bad"),
    ("FUNCTION", "RESTORE", "garbage", "flush", "extra"), ("FUNCTION", "RESTORE", ""),
    ("FUNCTION", "RESTORE", "garbage", "REPLACE"), ("FUNCTION", "NOPE"), ("FUNCTION",),
    ("FUNCTION", "LOAD"),
]

EVAL_SHEBANG = [("SET", "a", "1")] + [("EVAL", body, "0") for body in [
    "#!lua flags=no-writes\nreturn redis.call('set','a','b')",
    "#!lua flags=no-writes,allow-oom\nreturn redis.call('get','a')",
    "#!lua flags=bad\nreturn 1", "#!lua foo=bar\nreturn 1", "#!python\nreturn 1", "#!lua",
    "#!lua name=x\nreturn 1", "#!lua flags=\nreturn 1", "#!lua flags=no-writes,\nreturn 1",
    "#!lua flags=,no-writes\nreturn 1", "#!lua flags=NO-WRITES\nreturn 1",
    "#!lua \"flags=no-writes\"\nreturn redis.call('set','x','y')", "#!lua \"flags\nreturn 1",
    "#!lua flags=no-writes flags=allow-stale\nreturn 1", "#!lua   flags=no-writes\nreturn 1",
    "#!luaflags=no-writes\nreturn 1", "#!lua\nerror('x')", "#!lua\n\nreturn redis.call('x')",
    "#!lua flags=no-cluster,allow-cross-slot-keys\nreturn redis.call('get', 'undeclared')",
]] + [("EVAL_RO", body, "0") for body in [
    "#!lua\nreturn redis.call('get','a')", "#!lua\nreturn 1", "#!lua flags=no-writes\nreturn 1",
    "#!lua flags=no-writes\nreturn redis.call('incr','a')", "return redis.call('get','a')",
]] + [
    ("SCRIPT", "LOAD", "#!lua flags=bad\nreturn 1"),
    ("SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn redis.call('get', 'a')"),
    ("EVALSHA_RO", "5c0b0b1ac0bfe21ba8b2d6b05c1cb6eea43b9d29", "0"),
]

STREAMS = {"load_errors": LOAD_ERRORS, "fcall": FCALL, "manage": MANAGE,
           "eval_shebang": EVAL_SHEBANG}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream(pair, name):
    run_stream(pair, STREAMS[name])


def test_resp3_stream(pair):
    a, b = pair
    for c in (a, b):
        assert c.cmd("HELLO", "3").startswith(b"%")  # server info differs: not compared
    run_stream(pair, FCALL + MANAGE)


def test_payload_from_redis_restores_into_dq(pair):
    a, b = pair
    code = ("#!lua name=moved\n" + reg("moved_fn", "return 'hello hello hello hello hello "
                                       "hello hello'", flags=["no-writes"], desc="from redis"))
    assert b.cmd("FUNCTION", "LOAD", code) == b"$5\r\nmoved\r\n"
    dumped = b.cmd("FUNCTION", "DUMP")
    payload = dumped[dumped.index(b"\r\n") + 2:-2]
    assert b"\xf5\xc3" in payload  # redis-server compressed the code with LZF
    assert a.cmd("FUNCTION", "RESTORE", payload) == b"+OK\r\n"
    assert a.cmd("FUNCTION", "RESTORE", payload, "REPLACE") == b"+OK\r\n"
    assert a.cmd("FUNCTION", "RESTORE", payload, "FLUSH") == b"+OK\r\n"
    # Both already hold the library: APPEND fails alike.
    assert a.cmd("FUNCTION", "RESTORE", payload, "APPEND") == \
        b.cmd("FUNCTION", "RESTORE", payload, "APPEND")
    run_stream(pair, [("FUNCTION", "LIST", "WITHCODE"), ("FCALL_RO", "moved_fn", "0"),
                      ("FUNCTION", "STATS")])
