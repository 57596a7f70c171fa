"""Differential tests for scripting: the same EVAL/EVALSHA/SCRIPT streams go to dq and to
redis-server (7.0), and the raw reply bytes must be equal: conversions both ways (RESP2 and,
after HELLO 3, RESP3), the redis.* API, the sandbox's error texts, error formats with the
script suffix. Cases where 7.0 and 7.2 (what dq speaks) differ are left out, each with a
comment where it would be:
  - `os` (7.2 adds os.clock; 7.0 has no os at all);
  - Lua numbers passed to commands with a fraction (7.2 prints them shortest-round-trip);
  - SCRIPT HELP (7.0 lists SCRIPT DEBUG, which dq does not implement);
  - error({err='-X ...'}) (7.0 answers "--X ...");
  - iterating _G with next/pairs (dq's read-only globals are a proxy: nothing to iterate).
"""
import pytest

from dqtest import both_raw, diff_stream


@pytest.fixture
def pair(server, redis_ref):
    yield from both_raw(server, redis_ref, setup=[("SCRIPT", "FLUSH")])


def E(body, *rest):
    return ("EVAL", body) + (rest or ("0",))


CONVERSIONS = [E(x) for x in [
    "return 1", "return 3.99", "return -3.99", "return 0.5", "return -0.5", "return 2^53",
    "return 2^63", "return -2^63", "return 1e20", "return 9007199254740993", "return 'x'",
    "return ''", "return true", "return false", "return nil", "return", "return 1, 2",
    "return {}", "return {1,2,nil,4}", "return {1,'a',{2,3},true,false}", "return {a=1}",
    "return {[1]=1,[3]=3}", "return {1, {}, 3}", "return {ok='fine'}", "return {err='My err'}",
    "return {err='-X y'}", "return {err=1}", "return {ok=1}", "return {err='a\\r\\nb'}",
    "return {1, {ok='x'}, {err='y'}}", "return function() end", "return redis",
    "return math.huge", "return 0/0", "return tostring(math.huge)", "return tostring(0.1)",
    "return {double=3.5}", "return {double=1.5}", "return {map={a=1}}", "return {set={a=true}}",
    "return {big_number='123'}",
    "return redis.status_reply('OKAY')", "return redis.status_reply('a\\r\\nb')",
    "return redis.status_reply()", "return redis.status_reply({})",
    "return redis.error_reply('boom')", "return redis.error_reply('-boom')",
    "return redis.error_reply('X boom')", "return redis.error_reply('a\\r\\nb')",
    "return redis.error_reply()", "return redis.error_reply(1)",
]] + [
    E("return KEYS", "2", "a", "b", "c"), E("return {KEYS[1], ARGV[1]}", "1", "a", "b"),
    E("KEYS[1] = 'z'; return KEYS[1]", "1", "a"),
]

REDIS_TO_LUA = [
    ("RPUSH", "l", "a"),
] + [E(x) for x in [
    "return redis.call('get', 'nokey')", "return type(redis.call('get', 'nokey'))",
    "redis.call('set','k','v'); return redis.call('get','k')", "return redis.call('incr','n')",
    "return type(redis.call('incr','n'))", "return redis.call('incr','n') + 0.5",
    "local t = redis.call('set','k','v'); return type(t) .. t.ok",
    "redis.call('rpush','l2','a','b'); return redis.call('lrange','l2',0,-1)",
    "local r = redis.pcall('incr','l'); return type(r) .. r.err",
    "return redis.pcall('incr','l')", "return redis.call('incr','l')",
    "return redis.call('mget', 'a', 'k', 'b')",
    "local t = redis.call('mget', 'a', 'k', 'b'); return {#t, t[1] == false, t[2]}",
    "return redis.call('set', 'k', 10)", "return redis.call('get', 'k')",
    # redis.call('set', 'k', 1.5e300): 7.0 sends 1.5000000000000001e+300, 7.2 1.5e+300.
    "redis.call('zadd', 'zz', 1.5, 'a'); return redis.call('zrange', 'zz', 0, -1, 'withscores')",
    "return redis.call('zscore', 'zz', 'a')", "return tonumber(redis.call('zincrby', 'zz', 1, 'a'))",
    "return redis.call('incrbyfloat', 'fl', '0.1')", "return redis.call('type', 'k')",
    "return redis.call('type', 'nokey')", "return redis.call('hgetall', 'nohash')",
    "redis.call('hset', 'hh', 'f', 'v'); return redis.call('hgetall', 'hh')",
    "return redis.call('ping')", "return redis.call('PING')", "return redis.call('echo', 'hi')",
    "return redis.call('exists', 'k', 'k')", "return redis.call('set', 'k', 'v', 'get')",
    "return redis.call('set', 'k', 'v', 'nx')", "return redis.call('getdel', 'nokey')",
    "return redis.call('expire', 'nokey', 10)", "return redis.call('config', 'get', 'maxmemory')",
    "return redis.call('set', 'undeclared', 1)",
    # RESP3 inside the script (setresp), converted back for a RESP2 caller.
    "redis.setresp(3); return redis.call('hgetall', 'nohash')",
    "redis.setresp(3); return redis.call('hgetall', 'hh')",
    "redis.setresp(3); local r = redis.call('hgetall', 'hh'); return r.map.f",
    "redis.call('sadd','s','a'); redis.setresp(3); return tostring(redis.call('smembers', 's').set.a)",
    "redis.setresp(3); return redis.call('smembers', 's')",
    "redis.setresp(3); local r = redis.call('get', 'nokey'); return type(r)",
    "redis.setresp(3); return tostring(redis.call('zscore', 'zz', 'a').double)",
    "redis.setresp(3); return redis.call('zscore', 'zz', 'a')",
    "redis.setresp(3); return type(redis.call('exists', 'k'))",
]]

API = [E(x) for x in [
    "return redis.sha1hex('')", "return redis.sha1hex('abc')", "return redis.sha1hex()",
    "return redis.REDIS_VERSION_NUM > 0",
    "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}",
    "return redis.log(redis.LOG_WARNING, 'hello', 'x')", "return redis.log(redis.LOG_WARNING)",
    "return redis.log('a', 'x')", "return redis.log(9, 'x')",
    "return redis.set_repl(redis.REPL_ALL)", "return redis.set_repl()", "return redis.set_repl(99)",
    "return redis.replicate_commands()", "return redis.setresp(4)", "return redis.setresp()",
    "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_REPLICA, redis.REPL_SLAVE, redis.REPL_ALL}",
    "return string.format('%d', 5)", "return tostring(unpack({1,2}))", "return ('x'):upper()",
    "return table.concat({1,2}, ',')", "return math.floor(-3.5)",
    "return loadstring('return 1')()",
]]

SANDBOX = [E(x) for x in [
    "return x", "x = 5", "_G.x = 1", "return _G.nosuch", "return rawget(_G, 'nosuch')",
    "return rawset(_G, 'x', 1)", "return setmetatable(_G, nil)", "string.x = 1",
    "redis.call = nil", "table.insert = nil", "rawset(redis, 'call', nil)",
    "local mt = getmetatable(''); mt.__index = nil; return 1", "return ('y'):upper()",
    "return redis.call('ping')", "return io", "return require", "return loadfile",
    "return dofile", "return print", "return type(loadstring)", "return type(getfenv)",
    "return type(setfenv)", "return type(newproxy)", "return type(module)", "return type(debug)",
    "return type(package)", "return type(xpcall)", "return _VERSION",
    "local t = {}; t.x = 1; rawset(t, 'y', 2); return t.x + t.y",
    "return loadstring('x = 1')()",
    "local function f() y = 1 end f()",
    # math.random: Redis's own generator, not reset per script (the same sequence from start).
    "return math.random(100)", "return {math.random(100), math.random(100), math.random(1, 10)}",
    "return math.random()", "math.randomseed(5); return math.random(100)",
    "return math.random(100)",
]]

ERRORS = [
    ("RPUSH", "l", "a"),
] + [E(x) for x in [
    "error('boom')", "error({err='TABLE err'})", "error(123)", "error()", "error('a\\nb')",
    "local t = 1 +", "local a = 1\nlocal b = nil + a",
    "return redis.call('nosuch')", "return redis.pcall('nosuch')", "return redis.call('get')",
    "return redis.pcall('get')", "return redis.call()", "return redis.pcall()",
    "return redis.call('get', {})", "return redis.pcall('get', {})", "return redis.call('get', nil)",
    "return redis.call('get', true)", "return redis.call('incr', 'l', 'x', 'y')",
    "return redis.call('eval', 'return 1', 0)", "return redis.pcall('eval', 'return 1', 0)",
    "return redis.call('multi')", "return redis.call('exec')", "return redis.call('subscribe', 'x')",
    "return redis.call('psubscribe', 'x')", "return redis.call('watch', 'x')",
    "return redis.call('select', 1)", "return redis.call('shutdown')",
    "return redis.call('script', 'flush')", "return redis.call('script', 'kill')",
    "return redis.call('script', 'load', 'return 1')", "return redis.call('hello', '3')",
    "return redis.call('client', 'pause', 1)", "return redis.call('debug', 'sleep', 0)",
    "return redis.call('blpop', 'nolist', 0)", "return redis.call('brpoplpush', 'nolist', 'x', 0)",
    "return redis.call('bzpopmin', 'a', 0)", "return redis.call('blmpop', 0, 1, 'a', 'left')",
    "local ok, e = pcall(function() return redis.call('incr', 'l') end); return {tostring(ok), e}",
    "local ok, e = pcall(function() return redis.call('nosuch') end); return e",
    "local ok, e = pcall(function() return redis.sha1hex() end); return e",
    "local ok, e = pcall(function() error('x') end); return e",
    "local ok, e = pcall(function() x = 1 end); return e",
    "local ok, e = pcall(function() return y end); return e",
    "return {pcall(function() error({err='E1'}) end)}", "return pcall(error, 'x')",
    "return {pcall(function() return 1, 2 end)}",
    "return {xpcall(function() error('x') end, function(e) return 'h:' .. e end)}",
]] + [
    ("EVAL", "return 1", "-1"), ("EVAL", "return 1", "2", "a"), ("EVAL", "return 1", "x"),
    ("EVAL", "return 1", "9999999999999999999999"), ("EVAL", "return 1"), ("EVAL",),
    ("EVAL_RO", "return redis.call('set','k','v')", "0"),
    ("EVAL_RO", "return redis.pcall('set','k','v')", "0"),
    ("EVAL_RO", "return redis.call('get','k')", "0"),
    ("EVAL_RO", "return redis.call('eval', 'return 1', 0)", "0"),
    ("EVAL_RO", "return redis.call('publish','ch','m')", "0"),  # may-replicate: refused
    ("EVAL_RO", "return redis.pcall('spublish','ch','m')", "0"),
]

SCRIPT_CMDS = [
    ("EVALSHA", "f" * 40, "0"), ("EVALSHA", "fff", "0"), ("EVALSHA_RO", "f" * 40, "0"),
    ("SCRIPT", "LOAD", "return 1"), ("SCRIPT", "LOAD", "return +"),
    ("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db",
     "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "abc"),
    ("EVALSHA", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "0"),
    ("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"),
    ("EVALSHA_RO", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"),
    ("SCRIPT", "FLUSH", "ASYNC"), ("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"),
    ("SCRIPT", "FLUSH", "sync"), ("SCRIPT", "FLUSH"), ("SCRIPT", "FLUSH", "foo"),
    ("SCRIPT", "FLUSH", "sync", "async"), ("SCRIPT", "KILL"), ("SCRIPT", "FOO"), ("SCRIPT",),
    ("SCRIPT", "EXISTS"), ("SCRIPT", "LOAD"),
    # SCRIPT HELP: 7.0 lists SCRIPT DEBUG (not in dq).
    ("EVAL", "return 'cached'", "0"),
    ("SCRIPT", "EXISTS", "5d4ec62a8b2b1c0fc7c3c8dd8d93fdbb3fc0b2fd"),
    ("MULTI",), ("EVAL", "return redis.call('incr', KEYS[1])", "1", "m"),
    ("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"), ("EXEC",),
    ("MULTI",), ("EVAL", "return redis.call('incr', KEYS[1])", "1", "m"),
    ("EVAL", "return redis.call('incrby', KEYS[1], 10)", "1", "m"), ("EXEC",),
]

# bit and cjson (Debian's lua-bitop and lua-cjson, the libraries Redis embeds).
LIBS = [E(x) for x in [
    "return bit.band(7, 3)", "return bit.bor(1, 6)", "return bit.bxor(5, 3)",
    "return bit.lshift(1, 40)", "return bit.tohex(255)", "return bit.tobit(2^32 + 5)",
    "return bit.bnot(0)", "return bit.arshift(-256, 4)", "return type(bit)",
    "return cjson.encode({1,2,3})", "return cjson.encode({a={true,false}})",
    "return cjson.encode('x\"y')", "return cjson.decode('[1,2,3]')",
    "return cjson.decode('{\"a\":[1,\"b\",null]}').a[2]",
    "return cjson.encode(cjson.decode('{\"k\":1.5}'))", "return cjson.decode('[1,')",
    "return type(cjson.null)", "bit.band = nil", "cjson.encode = nil",
    # struct and cmsgpack: tests/compat/test_diff_scripting_libs.py.
]]

STREAMS = {
    "conversions": CONVERSIONS, "redis_to_lua": REDIS_TO_LUA, "api": API, "sandbox": SANDBOX,
    "errors": ERRORS, "script_cmds": SCRIPT_CMDS, "libs": LIBS,
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream(pair, name):
    diff_stream(pair, STREAMS[name])


RESP3 = [E(x) for x in [
    "return {double=3.5}", "return {map={a=1}}", "return {set={a=true}}",
    "return {big_number='123'}", "return true", "return false", "return nil", "return 1",
    "return 'x'", "return {1, false, 'x'}", "return {ok='fine'}", "return {err='E x'}",
    "redis.call('hset', 'h', 'f', 'v'); redis.setresp(3); return redis.call('hgetall', 'h')",
    "redis.setresp(3); return redis.call('hgetall', 'nohash')",
    "redis.call('sadd', 's', 'm'); redis.setresp(3); return redis.call('smembers', 's')",
    "redis.setresp(3); return redis.call('get', 'nokey')",
    "redis.setresp(3); return type(redis.call('get', 'nokey'))",
    "redis.call('zadd', 'z', 1.5, 'a'); redis.setresp(3); return redis.call('zscore', 'z', 'a')",
    "redis.setresp(3); return redis.call('zrange', 'z', 0, -1, 'withscores')",
    "redis.setresp(3); return redis.call('exists', 'h')",
    "return redis.call('hgetall', 'h')", "return redis.call('get', 'nokey')",
    "return redis.call('smembers', 's')",
    "local t = redis.call('get', 'nokey'); return type(t)",
]]


def test_resp3_stream(pair):
    a, b = pair
    for c in (a, b):
        assert c.cmd("HELLO", "3").startswith(b"%")  # server info differs: not compared
    diff_stream(pair, RESP3)
