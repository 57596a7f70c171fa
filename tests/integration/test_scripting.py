"""Lua scripting (issue 5): EVAL/EVALSHA/EVAL_RO/EVALSHA_RO, SCRIPT, the redis.* API, the
conversions in both directions, the Redis 7 sandbox, error formats, and what real clients
build on it (redis-py's Lock, token-checked release, a sliding-window rate limiter). Also the
native compare-and-delete for locks: DELIFEQ and SET ... IFEQ (dq extensions, as Valkey).

Replies are checked as exact RESP bytes on a raw socket where the byte form is the point."""
import hashlib
import threading
import time

import pytest
import redis
from redis.exceptions import LockError, LockNotOwnedError, NoScriptError, ResponseError

from dqtest import RawClient, wait_for


def sha(body):
    return hashlib.sha1(body.encode()).hexdigest()


def ev(raw, body, *rest):
    """EVAL body with numkeys/keys/args in rest (numkeys 0 if rest is empty)."""
    return raw.cmd("EVAL", body, *(rest or ("0",)))


def err_suffix(body, line=1):
    return b" script: %s, on @user_script:%d.\r\n" % (sha(body).encode(), line)


# --- Redis -> Lua -----------------------------------------------------------------------

def test_integer_reply_becomes_number(raw):
    assert ev(raw, "return type(redis.call('incr', 'n'))") == b"$6\r\nnumber\r\n"
    assert ev(raw, "return redis.call('incr', 'n') + 1") == b":3\r\n"


def test_bulk_reply_becomes_string(raw):
    raw.cmd("SET", "k", "a\x00b")
    assert ev(raw, "local v = redis.call('get', 'k'); return {type(v), #v}") == \
        b"*2\r\n$6\r\nstring\r\n:3\r\n"


def test_nil_bulk_becomes_false(raw):
    raw.cmd("DEL", "nokey")
    assert ev(raw, "return type(redis.call('get', 'nokey'))") == b"$7\r\nboolean\r\n"
    assert ev(raw, "return redis.call('get', 'nokey') == false") == b":1\r\n"


def test_array_reply_becomes_table_and_nil_elements_false(raw):
    raw.cmd("FLUSHALL")
    raw.cmd("SET", "b", "2")
    # MGET's nil elements are false inside Lua, so the table has all three entries ...
    assert ev(raw, "local t = redis.call('mget', 'a', 'b', 'c'); "
                   "return {#t, tostring(t[1]), t[2], tostring(t[3])}") == \
        b"*4\r\n:3\r\n$5\r\nfalse\r\n$1\r\n2\r\n$5\r\nfalse\r\n"
    # ... and false converts back to a nil bulk.
    assert ev(raw, "return redis.call('mget', 'a', 'b', 'c')") == \
        b"*3\r\n$-1\r\n$1\r\n2\r\n$-1\r\n"
    raw.cmd("RPUSH", "l", "x", "y")
    assert ev(raw, "return redis.call('lrange', 'l', 0, -1)") == b"*2\r\n$1\r\nx\r\n$1\r\ny\r\n"


def test_status_reply_becomes_ok_table(raw):
    assert ev(raw, "local t = redis.call('set', 'k', 'v'); return {type(t), t.ok}") == \
        b"*2\r\n$5\r\ntable\r\n$2\r\nOK\r\n"
    assert ev(raw, "return redis.call('set', 'k', 'v')") == b"+OK\r\n"
    assert ev(raw, "return redis.call('ping')") == b"+PONG\r\n"


def test_error_reply_becomes_err_table_with_pcall(raw):
    raw.cmd("DEL", "l")
    raw.cmd("RPUSH", "l", "a")
    assert ev(raw, "local t = redis.pcall('incr', 'l'); return {type(t), t.err}") == \
        b"*2\r\n$5\r\ntable\r\n$65\r\nWRONGTYPE Operation against a key holding the wrong " \
        b"kind of value\r\n"
    # Returned as is, the table is the error reply, without the script suffix.
    assert ev(raw, "return redis.pcall('incr', 'l')") == \
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"


# --- Lua -> Redis -----------------------------------------------------------------------

@pytest.mark.parametrize("expr,want", [
    ("1", b":1\r\n"), ("3.99", b":3\r\n"), ("-3.99", b":-3\r\n"), ("0.5", b":0\r\n"),
    ("-0.5", b":0\r\n"), ("2^53", b":9007199254740992\r\n"), ("'x'", b"$1\r\nx\r\n"),
    ("''", b"$0\r\n\r\n"), ("true", b":1\r\n"), ("false", b"$-1\r\n"), ("nil", b"$-1\r\n"),
    ("{}", b"*0\r\n"), ("{1, 'a', {2, 3}}", b"*3\r\n:1\r\n$1\r\na\r\n*2\r\n:2\r\n:3\r\n"),
    ("{1, 2, nil, 4}", b"*2\r\n:1\r\n:2\r\n"), ("{1, false, 3}", b"*3\r\n:1\r\n$-1\r\n:3\r\n"),
    ("{a=1}", b"*0\r\n"), ("{ok='fine'}", b"+fine\r\n"), ("{err='My err'}", b"-My err\r\n"),
    ("{1, {ok='x'}, {err='E y'}}", b"*3\r\n:1\r\n+x\r\n-E y\r\n"),
    ("redis.status_reply('OKAY')", b"+OKAY\r\n"),
    ("redis.status_reply('a\\r\\nb')", b"+a  b\r\n"),
    ("redis.error_reply('boom')", b"-ERR boom\r\n"),
    ("redis.error_reply('-boom')", b"-ERR boom\r\n"),
    ("redis.error_reply('MYERR boom')", b"-MYERR boom\r\n"),
    ("redis.error_reply()", b"-ERR wrong number or type of arguments\r\n"),
    ("redis.status_reply(1)", b"-ERR wrong number or type of arguments\r\n"),
    ("function() end", b"$-1\r\n"),
])
def test_lua_to_resp2(raw, expr, want):
    assert ev(raw, "return " + expr) == want


def test_first_return_value_only(raw):
    assert ev(raw, "return 1, 2") == b":1\r\n"
    assert ev(raw, "return") == b"$-1\r\n"


def test_keys_and_argv(raw):
    assert raw.cmd("EVAL", "return {KEYS[1], KEYS[2], ARGV[1], #ARGV}", "2", "a", "b", "c") == \
        b"*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n:1\r\n"
    assert raw.cmd("EVAL", "return #KEYS", "0") == b":0\r\n"


def test_numbers_as_command_arguments(raw):
    assert ev(raw, "redis.call('set', 'k', 10); return redis.call('get', 'k')") == \
        b"$2\r\n10\r\n"
    # 7.2 prints doubles shortest-round-trip (7.0 used %.17g).
    assert ev(raw, "redis.call('set', 'k', 3.5); return redis.call('get', 'k')") == \
        b"$3\r\n3.5\r\n"
    assert ev(raw, "return redis.call('get', {})") == \
        b"-ERR Lua redis lib command arguments must be strings or integers" + \
        err_suffix("return redis.call('get', {})")


# --- RESP3 ------------------------------------------------------------------------------

def test_setresp3_types_inside_lua(raw):
    raw.cmd("FLUSHALL")
    raw.cmd("HSET", "h", "a", "1")
    raw.cmd("SADD", "s", "m")
    raw.cmd("ZADD", "z", "1.5", "a")
    assert ev(raw, "redis.setresp(3); return redis.call('hgetall', 'h').map.a") == b"$1\r\n1\r\n"
    assert ev(raw, "redis.setresp(3); return tostring(redis.call('smembers', 's').set.m)") == \
        b"$4\r\ntrue\r\n"
    assert ev(raw, "redis.setresp(3); return tostring(redis.call('zscore', 'z', 'a').double)") \
        == b"$3\r\n1.5\r\n"
    assert ev(raw, "redis.setresp(3); return type(redis.call('get', 'nokey'))") == \
        b"$3\r\nnil\r\n"
    # Under RESP2 the same replies keep their RESP2 shapes.
    assert ev(raw, "return redis.call('hgetall', 'h')") == b"*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert ev(raw, "return redis.setresp(4)") == \
        b"-ERR RESP version must be 2 or 3." + err_suffix("return redis.setresp(4)")


def test_resp3_values_to_resp2_caller(raw):
    assert ev(raw, "return {double=3.5}") == b"$3\r\n3.5\r\n"
    assert ev(raw, "return {map={a=1}}") == b"*2\r\n$1\r\na\r\n:1\r\n"
    assert ev(raw, "return {set={a=true}}") == b"*1\r\n$1\r\na\r\n"
    assert ev(raw, "return {big_number='123'}") == b"$3\r\n123\r\n"


def test_resp3_values_to_resp3_caller(server):
    c = RawClient(server.port)
    c.cmd("HELLO", "3")
    assert ev(c, "return {double=3.5}") == b",3.5\r\n"
    assert ev(c, "return {map={a=1}}") == b"%1\r\n$1\r\na\r\n:1\r\n"
    assert ev(c, "return {set={a=true}}") == b"~1\r\n$1\r\na\r\n"
    assert ev(c, "return {big_number='123'}") == b"(123\r\n"
    # Booleans follow the script's protocol (redis.setresp), not the caller's, as Redis 7.
    assert ev(c, "return true") == b":1\r\n"
    assert ev(c, "return false") == b"_\r\n"
    assert ev(c, "redis.setresp(3); return true") == b"#t\r\n"
    assert ev(c, "redis.setresp(3); return false") == b"#f\r\n"
    assert ev(c, "return nil") == b"_\r\n"
    # A script's own RESP3 replies (setresp 3) pass through to a RESP3 caller.
    c.cmd("DEL", "h")
    c.cmd("HSET", "h", "f", "v")
    assert ev(c, "redis.setresp(3); return redis.call('hgetall', 'h')") == \
        b"%1\r\n$1\r\nf\r\n$1\r\nv\r\n"
    assert ev(c, "redis.setresp(3); return redis.call('get', 'nokey')") == b"_\r\n"
    assert ev(c, "redis.setresp(3); return redis.call('exists', 'h') ") == b":1\r\n"
    c.close()


# --- the redis API ----------------------------------------------------------------------

def test_sha1hex(raw):
    assert ev(raw, "return redis.sha1hex('')") == \
        b"$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n"
    assert ev(raw, "return redis.sha1hex('abc')") == b"$40\r\n%s\r\n" % sha("abc").encode()
    body = "return redis.sha1hex()"
    assert ev(raw, body) == b"-ERR wrong number of arguments" + err_suffix(body)


def test_log_levels(server, raw):
    assert ev(raw, "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, "
                   "redis.LOG_WARNING}") == b"*4\r\n:0\r\n:1\r\n:2\r\n:3\r\n"
    assert ev(raw, "redis.log(redis.LOG_WARNING, 'hello from', 'lua'); return 1") == b":1\r\n"
    wait_for(lambda: "hello from lua" in server.log_text())
    for body, text in [
            ("redis.log(redis.LOG_WARNING)", b"redis.log() requires two arguments or more."),
            ("redis.log('a', 'x')", b"First argument must be a number (log level)."),
            ("redis.log(9, 'x')", b"Invalid debug level.")]:
        assert ev(raw, body) == b"-ERR " + text + err_suffix(body)


def test_set_repl_and_replicate_commands_accepted(raw):
    assert ev(raw, "redis.set_repl(redis.REPL_ALL); redis.set_repl(redis.REPL_NONE); "
                   "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_REPLICA, "
                   "redis.REPL_SLAVE, redis.REPL_ALL}") == b"*5\r\n:0\r\n:1\r\n:2\r\n:2\r\n:3\r\n"
    assert ev(raw, "return redis.replicate_commands()") == b":1\r\n"
    body = "redis.set_repl(99)"
    assert ev(raw, body) == b"-ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, " \
                            b"REPL_ALL or REPL_NONE." + err_suffix(body)


def test_version_constants(raw):
    v = ev(raw, "return redis.REDIS_VERSION")
    assert v.startswith(b"$5\r\n7.2.")
    major, minor, patch = (int(x) for x in v.split(b"\r\n")[1].split(b"."))
    assert ev(raw, "return redis.REDIS_VERSION_NUM") == \
        b":%d\r\n" % ((major << 16) | (minor << 8) | patch)


def test_math_random_is_redis_rand48(start_server):
    # Redis 7 draws from its own 48-bit generator seeded at start-up (not per script):
    # a fresh redis-server returns 40, 85, 36 for math.random(100).
    s = start_server()
    c = s.raw()
    assert ev(c, "return math.random(100)") == b":40\r\n"
    assert ev(c, "return {math.random(100), math.random(100)}") == b"*2\r\n:85\r\n:36\r\n"
    assert ev(c, "math.randomseed(5); return math.random(1, 1000) > 0") == b":1\r\n"
    c.close()


def test_standard_libraries(raw):
    assert ev(raw, "return string.format('%d-%s', 5, 'x')") == b"$3\r\n5-x\r\n"
    assert ev(raw, "return ('x'):upper()") == b"$1\r\nX\r\n"
    assert ev(raw, "return table.concat({1, 2}, ',')") == b"$3\r\n1,2\r\n"
    assert ev(raw, "return math.floor(-3.5)") == b":-4\r\n"
    assert ev(raw, "return select('#', unpack({1, 2, 3}))") == b":3\r\n"
    assert ev(raw, "return loadstring('return 7')()") == b":7\r\n"


def test_bit_and_cjson_libraries(raw):
    assert ev(raw, "return bit.band(7, 3)") == b":3\r\n"
    assert ev(raw, "return bit.tohex(255)") == b"$8\r\n000000ff\r\n"
    assert ev(raw, "return cjson.encode({1, 2, 3})") == b"$7\r\n[1,2,3]\r\n"
    assert ev(raw, "return cjson.decode('{\"a\":[1,\"b\"]}').a[2]") == b"$1\r\nb\r\n"
    body = "bit.band = nil"
    assert ev(raw, body) == b"-ERR user_script:1: Attempt to modify a readonly table" + \
        err_suffix(body)


# --- sandbox ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["io", "require", "loadfile", "dofile", "print", "package",
                                  "debug", "getfenv", "setfenv", "newproxy"])
def test_sandbox_missing_globals(raw, name):
    body = "return %s" % name
    assert ev(raw, body) == b"-ERR user_script:1: Script attempted to access nonexistent " \
        b"global variable '%s'" % name.encode() + err_suffix(body)


def test_os_has_only_clock(raw):
    # Redis 7.2 exposes os.clock only (7.0 has no os at all).
    assert ev(raw, "return type(os.clock())") == b"$6\r\nnumber\r\n"
    assert ev(raw, "return type(os.time)") == b"$3\r\nnil\r\n"
    assert ev(raw, "return type(os.execute)") == b"$3\r\nnil\r\n"


def test_sandbox_unknown_global_read(raw):
    for body in ("return x", "return _G.nosuch"):
        want = b"-ERR user_script:1: Script attempted to access nonexistent global variable " \
            b"'%s'" % body.split(".")[-1].split(" ")[-1].encode()
        assert ev(raw, body) == want + err_suffix(body)
    assert ev(raw, "return rawget(_G, 'nosuch')") == b"$-1\r\n"


@pytest.mark.parametrize("body", ["x = 5", "_G.x = 1", "string.x = 1", "redis.call = nil",
                                  "table.insert = nil", "math.pi = 3",
                                  "getmetatable('').__index = nil",
                                  "local function f() y = 1 end f()"])
def test_sandbox_assigning_globals_or_libraries(raw, body):
    assert ev(raw, body) == b"-ERR user_script:1: Attempt to modify a readonly table" + \
        err_suffix(body)


@pytest.mark.parametrize("body", ["rawset(_G, 'x', 1)", "rawset(redis, 'call', nil)",
                                  "setmetatable(_G, nil)"])
def test_sandbox_rawset_and_setmetatable(raw, body):
    assert ev(raw, body) == b"-ERR Attempt to modify a readonly table" + err_suffix(body)


def test_sandbox_state_does_not_leak_between_scripts(raw):
    ev(raw, "redis.call = nil")
    ev(raw, "rawset(_G, 'leak', 1)")
    assert ev(raw, "return redis.call('ping')") == b"+PONG\r\n"
    assert ev(raw, "return rawget(_G, 'leak')") == b"$-1\r\n"
    # Local tables stay ordinary tables.
    assert ev(raw, "local t = {}; rawset(t, 'a', 1); t.b = 2; return t.a + t.b") == b":3\r\n"


# --- error formats ----------------------------------------------------------------------

def test_runtime_error_format(raw):
    body = "error('boom')"
    assert ev(raw, body) == b"-ERR user_script:1: boom" + err_suffix(body)
    body = "local a = 1\nlocal b = nil + a"
    got = ev(raw, body)
    assert got.startswith(b"-ERR user_script:2: attempt to perform arithmetic on a nil value")
    assert got.endswith(err_suffix(body, 2))
    body = "error()"
    assert ev(raw, body) == b"-ERR nil" + err_suffix(body)
    body = "error(123)"
    assert ev(raw, body) == b"-ERR user_script:1: 123" + err_suffix(body)


def test_error_with_table_passes_custom_error(raw):
    body = "error({err='MYCODE custom'})"
    assert ev(raw, body) == b"-MYCODE custom" + err_suffix(body)
    body = "return redis.error_reply('MYCODE custom')"
    assert ev(raw, body) == b"-MYCODE custom\r\n"


def test_compile_error(raw):
    got = raw.cmd("EVAL", "local t = 1 +", "0")
    assert got == b"-ERR Error compiling script (new function): user_script:1: unexpected " \
                  b"symbol near '<eof>'\r\n"
    assert raw.cmd("SCRIPT", "LOAD", "return +") == \
        b"-ERR Error compiling script (new function): user_script:1: unexpected symbol " \
        b"near '+'\r\n"


def test_redis_call_errors_carry_script_suffix_pcall_does_not(raw):
    raw.cmd("DEL", "l")
    raw.cmd("RPUSH", "l", "a")
    body = "return redis.call('incr', 'l')"
    assert ev(raw, body) == b"-WRONGTYPE Operation against a key holding the wrong kind of " \
        b"value" + err_suffix(body)
    for body, text in [
            ("return redis.call('nosuch')", b"ERR Unknown Redis command called from script"),
            ("return redis.call('get')", b"ERR Wrong number of args calling Redis command from "
                                         b"script"),
            ("return redis.call()", b"ERR Please specify at least one argument for this redis "
                                    b"lib call")]:
        assert ev(raw, body) == b"-" + text + err_suffix(body)
        pbody = body.replace("redis.call", "redis.pcall")
        assert ev(raw, pbody) == b"-" + text + b"\r\n"


def test_lua_pcall_sees_error_strings(raw):
    raw.cmd("DEL", "l")
    raw.cmd("RPUSH", "l", "a")
    # Redis 7's pcall turns caught error tables into their message.
    assert ev(raw, "local ok, e = pcall(function() return redis.call('incr', 'l') end); "
                   "return {tostring(ok), e}") == \
        b"*2\r\n$5\r\nfalse\r\n$65\r\nWRONGTYPE Operation against a key holding the wrong " \
        b"kind of value\r\n"
    assert ev(raw, "local ok, e = pcall(error, 'x'); return e") == b"$1\r\nx\r\n"
    assert ev(raw, "return {pcall(function() return 1, 2 end)}") == b"*3\r\n:1\r\n:1\r\n:2\r\n"


@pytest.mark.parametrize("cmd", ["'eval', 'return 1', 0", "'multi'", "'exec'",
                                 "'subscribe', 'x'", "'watch', 'x'", "'script', 'load', 'x'",
                                 "'script', 'flush'", "'evalsha', 'x', 0"])
def test_noscript_commands_refused(raw, cmd):
    body = "return redis.call(%s)" % cmd
    assert ev(raw, body) == b"-ERR This Redis command is not allowed from script" + \
        err_suffix(body)


def test_eval_ro_refuses_writes(raw):
    body = "return redis.call('set', 'k', 'v')"
    assert raw.cmd("EVAL_RO", body, "0") == \
        b"-ERR Write commands are not allowed from read-only scripts." + err_suffix(body)
    assert raw.cmd("EVAL_RO", "return redis.pcall('set', 'k', 'v')", "0") == \
        b"-ERR Write commands are not allowed from read-only scripts.\r\n"
    raw.cmd("SET", "k", "v")
    assert raw.cmd("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "k") == b"$1\r\nv\r\n"
    sha1 = raw.cmd("SCRIPT", "LOAD", "return redis.call('incr', 'c')").split(b"\r\n")[1]
    assert raw.cmd("EVALSHA_RO", sha1, "0").startswith(
        b"-ERR Write commands are not allowed from read-only scripts.")
    assert raw.cmd("EVALSHA", sha1, "0") == b":1\r\n"


def test_numkeys_errors(raw):
    assert raw.cmd("EVAL", "return 1", "-1") == b"-ERR Number of keys can't be negative\r\n"
    assert raw.cmd("EVAL", "return 1", "2", "a") == \
        b"-ERR Number of keys can't be greater than number of args\r\n"
    assert raw.cmd("EVAL", "return 1", "x") == \
        b"-ERR value is not an integer or out of range\r\n"
    assert raw.cmd("EVAL", "return 1") == b"-ERR wrong number of arguments for 'eval' command\r\n"


# --- EVALSHA and SCRIPT -----------------------------------------------------------------

def test_eval_caches_script_and_evalsha(raw):
    raw.cmd("SCRIPT", "FLUSH")
    body = "return 'cached'"
    assert raw.cmd("SCRIPT", "EXISTS", sha(body)) == b"*1\r\n:0\r\n"
    assert raw.cmd("EVAL", body, "0") == b"$6\r\ncached\r\n"
    assert raw.cmd("SCRIPT", "EXISTS", sha(body), sha(body).upper(), "nope") == \
        b"*3\r\n:1\r\n:1\r\n:0\r\n"
    assert raw.cmd("EVALSHA", sha(body), "0") == b"$6\r\ncached\r\n"
    assert raw.cmd("EVALSHA", sha(body).upper(), "0") == b"$6\r\ncached\r\n"


def test_evalsha_noscript(raw):
    want = b"-NOSCRIPT No matching script. Please use EVAL.\r\n"
    assert raw.cmd("EVALSHA", "f" * 40, "0") == want
    assert raw.cmd("EVALSHA", "fff", "0") == want
    assert raw.cmd("EVALSHA_RO", "F" * 40, "0") == want


def test_script_load_exists_flush(raw):
    body = "return 1"
    assert raw.cmd("SCRIPT", "LOAD", body) == b"$40\r\n%s\r\n" % sha(body).encode()
    assert raw.cmd("EVALSHA", sha(body), "0") == b":1\r\n"
    for mode in ((), ("ASYNC",), ("sync",)):
        raw.cmd("SCRIPT", "LOAD", body)
        assert raw.cmd("SCRIPT", "FLUSH", *mode) == b"+OK\r\n"
        assert raw.cmd("SCRIPT", "EXISTS", sha(body)) == b"*1\r\n:0\r\n"
        assert raw.cmd("EVALSHA", sha(body), "0") == \
            b"-NOSCRIPT No matching script. Please use EVAL.\r\n"
    assert raw.cmd("SCRIPT", "FLUSH", "foo") == \
        b"-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n"
    assert raw.cmd("SCRIPT", "FLUSH", "sync", "async") == \
        b"-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n"


def test_script_kill_notbusy_and_help(raw):
    assert raw.cmd("SCRIPT", "KILL") == b"-NOTBUSY No scripts in execution right now.\r\n"
    help_ = raw.cmd("SCRIPT", "HELP")
    assert help_.startswith(b"*") and b"+LOAD <script>\r\n" in help_
    assert b"+FLUSH [ASYNC|SYNC]\r\n" in help_
    assert raw.cmd("SCRIPT", "FOO").startswith(b"-ERR unknown subcommand 'FOO'")


def test_redis_py_register_script(r):
    s = r.register_script("return {KEYS[1], ARGV[1]}")
    assert s(keys=["a"], args=["b"]) == [b"a", b"b"]
    r.script_flush()
    assert s(keys=["a"], args=["c"]) == [b"a", b"c"]  # NOSCRIPT -> reload -> retry
    with pytest.raises(NoScriptError):
        r.evalsha("0" * 40, 0)


# --- atomicity, blocking, MULTI ---------------------------------------------------------

def test_script_in_multi_exec(raw):
    raw.cmd("DEL", "k")
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert raw.cmd("EVAL", "return redis.call('incr', KEYS[1])", "1", "k") == b"+QUEUED\r\n"
    assert raw.cmd("EVAL", "return redis.call('incrby', KEYS[1], 10)", "1", "k") == \
        b"+QUEUED\r\n"
    assert raw.cmd("EXEC") == b"*2\r\n:1\r\n:11\r\n"


def test_script_wakes_blpop_waiter_after_it_ends(server, raw):
    raw.cmd("DEL", "q")
    waiter = RawClient(server.port)
    waiter.send(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n5\r\n")
    wait_for(lambda: b"cmd=blpop" in raw.cmd("CLIENT", "LIST"))
    # The script pushes two and pops one itself: the waiter gets what is left after it.
    got = raw.cmd("EVAL", "redis.call('rpush', KEYS[1], 'a', 'b'); "
                          "return redis.call('lpop', KEYS[1])", "1", "q")
    assert got == b"$1\r\na\r\n"
    assert waiter.read_reply_bytes() == b"*2\r\n$1\r\nq\r\n$1\r\nb\r\n"
    waiter.close()


def test_blocking_commands_in_scripts(raw):
    # Redis 7.0's table (which dq's COMMAND INFO matches) flags the list/zset blocking
    # commands noscript: refused, never blocking the server.
    raw.cmd("DEL", "nolist")
    t = time.time()
    for cmd in ("'blpop', 'nolist', 0", "'brpoplpush', 'nolist', 'x', 0",
                "'bzpopmin', 'nolist', 0", "'blmove', 'a', 'b', 'left', 'left', 0"):
        body = "return redis.call(%s)" % cmd
        assert ev(raw, body) == b"-ERR This Redis command is not allowed from script" + \
            err_suffix(body)
    assert time.time() - t < 2


def test_undeclared_keys_work(raw):
    raw.cmd("DEL", "undeclared")
    assert ev(raw, "redis.call('set', 'undeclared', 'v'); return redis.call('get', "
                   "'undeclared')") == b"$1\r\nv\r\n"
    assert raw.cmd("GET", "undeclared") == b"$1\r\nv\r\n"


def test_script_uses_callers_db(raw):
    raw.cmd("SELECT", "3")
    raw.cmd("SET", "dbk", "three")
    assert ev(raw, "return redis.call('get', 'dbk')") == b"$5\r\nthree\r\n"
    raw.cmd("SELECT", "0")
    raw.cmd("DEL", "dbk")
    assert ev(raw, "return redis.call('get', 'dbk')") == b"$-1\r\n"


# --- locks ------------------------------------------------------------------------------

def test_redis_py_lock_two_threads(server):
    c1, c2 = server.client(), server.client()
    c1.delete("lock:res")
    order = []
    a = c1.lock("lock:res", timeout=5, blocking_timeout=5)
    assert a.acquire()
    assert c1.pttl("lock:res") > 0
    b = c2.lock("lock:res", timeout=5, blocking_timeout=0.2)
    assert not b.acquire()  # held by a

    def second():
        lk = c2.lock("lock:res", timeout=5, blocking_timeout=5)
        assert lk.acquire()
        order.append("b acquired")
        lk.release()

    t = threading.Thread(target=second)
    t.start()
    time.sleep(0.2)
    assert a.extend(10)  # EVALSHA extend
    assert c1.pttl("lock:res") > 10000
    assert a.reacquire()  # EVALSHA reacquire: back to the timeout
    assert c1.pttl("lock:res") <= 5000
    order.append("a releasing")
    a.release()  # EVALSHA token-checked release
    t.join(10)
    assert order == ["a releasing", "b acquired"]
    assert c1.exists("lock:res") == 0
    c1.close()
    c2.close()


def test_redis_py_lock_stale_holder_refused(server):
    c1, c2 = server.client(), server.client()
    c1.delete("lock:stale")
    a = c1.lock("lock:stale", timeout=0.2)
    assert a.acquire()
    time.sleep(0.35)  # a's lock expires ...
    b = c2.lock("lock:stale", timeout=5)
    assert b.acquire()  # ... and b takes it
    with pytest.raises(LockNotOwnedError):
        a.extend(5)  # a's token no longer holds: the extend script refuses
    with pytest.raises(LockNotOwnedError):
        a.reacquire()
    with pytest.raises(LockNotOwnedError):
        a.release()  # and so does the release script
    assert c1.get("lock:stale") == b.local.token
    b.release()
    with pytest.raises(LockError):
        b.release()  # already released: redis-py refuses locally
    c1.close()
    c2.close()


RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then " \
          "return redis.call('del', KEYS[1]) else return 0 end"


def test_token_checked_release_script(r):
    assert r.set("lk", "token-a", nx=True, px=10000)
    assert not r.set("lk", "token-b", nx=True, px=10000)
    release = r.register_script(RELEASE)
    assert release(keys=["lk"], args=["token-b"]) == 0
    assert r.get("lk") == b"token-a"
    assert release(keys=["lk"], args=["token-a"]) == 1
    assert r.exists("lk") == 0
    assert release(keys=["lk"], args=["token-a"]) == 0


RATE = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('EXPIRE', key, math.ceil(window / 1000))
  return 1
end
return 0
"""


def test_sliding_window_rate_limiter(r):
    limiter = r.register_script(RATE)
    r.delete("rl")
    t0 = 1_000_000
    got = [limiter(keys=["rl"], args=[t0 + i, 1000, 3, "req%d" % i]) for i in range(5)]
    assert got == [1, 1, 1, 0, 0]
    assert r.zcard("rl") == 3
    assert 0 < r.ttl("rl") <= 1
    # 1 s later the window has slid past the first requests.
    assert limiter(keys=["rl"], args=[t0 + 1001, 1000, 3, "late"]) == 1
    assert r.zrange("rl", 0, -1) == [b"req2", b"late"]  # req0 and req1 slid out


# --- DELIFEQ and SET IFEQ (dq extensions) -----------------------------------------------

def test_delifeq(raw):
    raw.cmd("SET", "k", "v")
    assert raw.cmd("DELIFEQ", "k", "x") == b":0\r\n"
    assert raw.cmd("GET", "k") == b"$1\r\nv\r\n"
    assert raw.cmd("DELIFEQ", "k", "v") == b":1\r\n"
    assert raw.cmd("EXISTS", "k") == b":0\r\n"
    assert raw.cmd("DELIFEQ", "k", "v") == b":0\r\n"
    raw.cmd("SET", "n", "10")  # int-encoded values compare as their text
    assert raw.cmd("DELIFEQ", "n", "010") == b":0\r\n"
    assert raw.cmd("DELIFEQ", "n", "10") == b":1\r\n"
    raw.cmd("RPUSH", "l", "a")
    assert raw.cmd("DELIFEQ", "l", "a") == \
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    assert raw.cmd("DELIFEQ", "k") == b"-ERR wrong number of arguments for 'delifeq' command\r\n"
    assert b"delifeq" in raw.cmd("COMMAND", "INFO", "delifeq")


def test_delifeq_dirties_watch(server):
    a, b = RawClient(server.port), RawClient(server.port)
    a.cmd("SET", "wk", "t")
    a.cmd("WATCH", "wk")
    assert b.cmd("DELIFEQ", "wk", "t") == b":1\r\n"
    a.cmd("MULTI")
    a.cmd("SET", "wk", "x")
    assert a.cmd("EXEC") == b"*-1\r\n"
    a.close()
    b.close()


def test_set_ifeq(raw):
    raw.cmd("DEL", "k")
    assert raw.cmd("SET", "k", "v", "IFEQ", "x") == b"$-1\r\n"  # absent: not created
    assert raw.cmd("EXISTS", "k") == b":0\r\n"
    assert raw.cmd("SET", "k", "v", "IFEQ", "x", "GET") == b"$-1\r\n"
    raw.cmd("SET", "k", "v")
    assert raw.cmd("SET", "k", "w", "IFEQ", "nope") == b"$-1\r\n"
    assert raw.cmd("GET", "k") == b"$1\r\nv\r\n"
    assert raw.cmd("SET", "k", "w", "IFEQ", "v") == b"+OK\r\n"
    assert raw.cmd("GET", "k") == b"$1\r\nw\r\n"
    assert raw.cmd("SET", "k", "z", "IFEQ", "nope", "GET") == b"$1\r\nw\r\n"
    assert raw.cmd("SET", "k", "z", "ifeq", "w", "GET") == b"$1\r\nw\r\n"
    assert raw.cmd("SET", "k", "y", "IFEQ", "z", "EX", "100") == b"+OK\r\n"
    assert raw.cmd("TTL", "k") == b":100\r\n"
    assert raw.cmd("SET", "k", "x", "IFEQ", "y", "KEEPTTL") == b"+OK\r\n"
    assert raw.cmd("TTL", "k") == b":100\r\n"
    syntax = b"-ERR syntax error\r\n"
    for opts in (("IFEQ", "x", "NX"), ("NX", "IFEQ", "x"), ("XX", "IFEQ", "x"),
                 ("IFEQ", "x", "XX"), ("IFEQ",), ("IFEQ", "a", "IFEQ", "b")):
        assert raw.cmd("SET", "k", "v", *opts) == syntax, opts
    raw.cmd("RPUSH", "l", "a")
    wrongtype = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    assert raw.cmd("SET", "l", "v", "IFEQ", "a") == wrongtype
    assert raw.cmd("SET", "l", "v", "IFEQ", "a", "GET") == wrongtype
    assert raw.cmd("TYPE", "l") == b"+list\r\n"


def test_delifeq_inside_script_and_lock_release(r):
    assert r.set("lk", "tok", nx=True, px=10000)
    assert r.eval("return redis.call('delifeq', KEYS[1], ARGV[1])", 1, "lk", "other") == 0
    assert r.eval("return redis.call('delifeq', KEYS[1], ARGV[1])", 1, "lk", "tok") == 1
    assert r.exists("lk") == 0


def test_call_reply_larger_than_output_blocks(r):
    """A redis.call reply of several MB (many output-buffer blocks) reaches the script whole."""
    big = b"x" * (3 * 1024 * 1024 + 7)
    r.set("big", big)
    assert r.eval("return string.len(redis.call('GET', KEYS[1]))", 1, "big") == len(big)
    r.rpush("l", *[b"%06d" % i for i in range(200000)])
    assert r.eval("local t = redis.call('LRANGE', KEYS[1], 0, -1) return {#t, t[200000]}",
                  1, "l") == [200000, b"199999"]
