"""Differential tests for the cmsgpack and struct libraries of scripts (dq's own
server/lua_cmsgpack.cpp and server/lua_struct.cpp against the ones bundled in redis-server):
the same EVAL scripts go to both servers and the raw reply bytes must be equal. Packed bytes
come back as bulk strings; unpacked values come back through `dump` (below), which prints
numbers with 17 significant digits, so every bit of every value is compared."""
import struct as pystruct

import pytest

from dqtest import encode_command

# A local serializer every script starts with: values (tables with sorted keys) -> text.
DUMP = r"""
local function dump(v)
  local t = type(v)
  if t == 'number' then return string.format('%.17g', v) end
  if t == 'string' then return string.format('%q', v) end
  if t ~= 'table' then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) ~= type(b) then return type(a) < type(b) end
    if type(a) == 'table' or type(a) == 'boolean' then return tostring(a) < tostring(b) end
    return a < b
  end)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = '[' .. dump(k) .. ']=' .. dump(v[k]) end
  return '{' .. table.concat(out, ',') .. '}'
end
local function all(...)
  local out = {'n=' .. select('#', ...)}
  for i = 1, select('#', ...) do out[#out + 1] = dump((select(i, ...))) end
  return table.concat(out, ' ')
end
"""


@pytest.fixture(scope="module")
def pair(server, redis_ref):
    a, b = server.raw(), redis_ref.raw()
    yield a, b
    a.close()
    b.close()


def run(pair, cases):
    """cases: (body, *argv) tuples; each is EVAL'ed with no keys on both servers."""
    a, b = pair
    cmds = [("EVAL", DUMP + body, "0") + tuple(argv) for body, *argv in cases]
    payload = b"".join(encode_command(*c) for c in cmds)
    a.send(payload)
    b.send(payload)
    for (body, *argv) in cases:
        ra, rb = a.read_reply_bytes(), b.read_reply_bytes()
        assert ra == rb, "%r %r: dq %r != redis %r" % (body, argv, ra[:300], rb[:300])


def P(expr):
    return ("return cmsgpack.pack(%s)" % expr,)


def U(data, fn="all(cmsgpack.unpack(ARGV[1]))"):
    return ("return " + fn, data)


def safe(expr):
    """The error text (or the values) of expr, through pcall."""
    return ("return all(pcall(function() return %s end))" % expr,)


INTS = ["0", "1", "127", "128", "255", "256", "65535", "65536", "2^32-1", "2^32", "2^53",
        "2^53+2", "2^62", "2^63-1024", "2^63", "2^64", "-1", "-31", "-32", "-33", "-127", "-128",
        "-129", "-32767", "-32768", "-32769", "-2^31+1", "-2^31", "-2^31-1", "-2^53", "-2^63",
        "-2^63-2048", "-2^64"]
FLOATS = ["0.5", "-0.5", "1.5", "0.1", "-0.1", "1/3", "1e300", "-1e-300", "3.4028234663852886e38",
          "3.4028235677973366e38", "1e39", "2^-149", "2^-150", "math.huge", "-math.huge", "0/0",
          "-(0/0)", "-0", "1e15+0.5", "2^63+0.5", "123456789.125", "16777217"]


def test_pack_numbers(pair):
    run(pair, [P(x) for x in INTS + FLOATS])
    # And back: every number survives pack -> unpack with its exact value.
    run(pair, [("return all(cmsgpack.unpack(cmsgpack.pack(%s)))" % x,) for x in INTS + FLOATS])


def test_pack_strings(pair):
    lens = [0, 1, 31, 32, 33, 255, 256, 65535, 65536, 70000]
    run(pair, [P("string.rep('x', %d)" % n) for n in lens])
    run(pair, [("local s = string.rep('ab', %d); return cmsgpack.unpack(cmsgpack.pack(s)) == s"
                % n,) for n in lens])
    run(pair, [P("'a\\0b'"), P("'\\255\\254'"), ("return all(cmsgpack.unpack("
                                                   "cmsgpack.pack('a\\0b\\255')))",)])


def test_pack_tables(pair):
    tables = [
        "{}", "{1, 2, 3}", "{'a', 'b', {}}", "{1, nil, 3}", "{nil, 2}", "{[1]=1, [2]=2, [4]=4}",
        "{[0]=1}", "{[-1]=1}", "{[1.5]=1}", "{[2]=2}", "{a=1}", "{a=1, b=2, c=3}",
        "{1, 2, x='y'}", "{[true]=false}", "{[{}]=1}", "{1, {2, {3, {4}}}}", "{a={b={c={}}}}",
        "{[2^31]=1}", "{[2^31-1]=1}", "{1.5, -2, 'x', true, false}",
    ]
    run(pair, [P(t) for t in tables])
    run(pair, [("return all(cmsgpack.unpack(cmsgpack.pack(%s)))" % t,) for t in tables])
    run(pair, [
        # Array and map headers: fix (<= 15), 16-bit, 32-bit.
        P("(function() local t = {} for i = 1, 15 do t[i] = i end return t end)()"),
        P("(function() local t = {} for i = 1, 16 do t[i] = i end return t end)()"),
        P("(function() local t = {} for i = 1, 65535 do t[i] = 1 end return t end)()"),
        P("(function() local t = {} for i = 1, 65536 do t[i] = 1 end return t end)()"),
        P("(function() local t = {} for i = 1, 15 do t['k'..i] = i end return t end)()"),
        P("(function() local t = {} for i = 1, 16 do t['k'..i] = i end return t end)()"),
        P("(function() local t = {} for i = 1, 65536 do t['k'..i] = 1 end return t end)()"),
        ("local t = {} for i = 1, 300 do t['k'..i] = i end "
         "return all(cmsgpack.unpack(cmsgpack.pack(t)))",),
        # A table with a metatable: arrays read through it, maps raw.
        P("setmetatable({1, 2}, {__index=function() return 9 end})"),
    ])


def test_pack_nesting_limit_and_cycles(pair):
    run(pair, [
        P("(function() local t = {} local c = t for i = 1, %d do c[1] = {} c = c[1] end "
          "return t end)()" % n) for n in (14, 15, 16, 17, 30)
    ] + [
        P("(function() local t = {} t[1] = t return t end)()"),
        P("(function() local t = {} t.self = t return t end)()"),
        P("(function() local t = {} t[t] = 1 return t end)()"),
        ("local t = {} t[1] = t return all(cmsgpack.unpack(cmsgpack.pack(t)))",),
    ])


def test_pack_other_types_and_many_args(pair):
    run(pair, [
        P("nil"), P("true"), P("false"), P("function() end"), P("coroutine.create(print)"),
        P("1, 'a', {1}, nil, true"), P("nil, nil"), P("cmsgpack.pack"),
        ("return all(cmsgpack.unpack(cmsgpack.pack(1, 'a', {1}, nil, true)))",),
        ("local t = {} for i = 1, 200 do t[i] = i end return cmsgpack.pack(unpack(t))",),
        ("return cmsgpack.pack()",), safe("cmsgpack.pack()"),
        ("local t = {} for i = 1, 5000 do t[i] = i end return cmsgpack.pack(unpack(t))",),
        ("local f = cmsgpack.pack return f()",),
    ])


def b(*parts):
    return b"".join(p if isinstance(p, bytes) else bytes([p]) for p in parts)


def be(fmt, v):
    return pystruct.pack(">" + fmt, v)


HAND = [
    b(0x00), b(0x7f), b(0xe0), b(0xff), b(0xcc, 0xff), b(0xcd) + be("H", 65535),
    b(0xce) + be("I", 2**32 - 1), b(0xcf) + be("Q", 2**53), b(0xcf) + be("Q", 2**63),
    b(0xcf) + be("Q", 2**64 - 1), b(0xcf) + be("Q", 2**63 - 1), b(0xd0, 0x80), b(0xd0, 0x7f),
    b(0xd1) + be("h", -32768), b(0xd2) + be("i", -2**31), b(0xd3) + be("q", -2**63),
    b(0xd3) + be("q", 2**63 - 1), b(0xd3) + be("q", -1),
    b(0xca) + be("f", 1.5), b(0xca) + be("f", 0.1), b(0xca) + b"\x7f\xc0\x00\x00",
    b(0xcb) + be("d", 0.1), b(0xcb) + be("d", -1e300), b(0xcb) + b"\x7f\xf0" + bytes(6),
    b(0xc0), b(0xc2), b(0xc3),
    b(0xa0), b(0xa3) + b"abc", b(0xbf) + b"x" * 31, b(0xd9, 3) + b"abc", b(0xd9, 0),
    b(0xda) + be("H", 3) + b"abc", b(0xdb) + be("I", 3) + b"abc", b(0xdb) + be("I", 0),
    b(0x90), b(0x93, 1, 2, 3), b(0xdc) + be("H", 2) + b(1, 2), b(0xdd) + be("I", 1) + b(0xc0),
    b(0x92, 0xc0, 0xc0), b(0x80), b(0x82, 0xa1) + b"a" + b(1, 0xa1) + b"b" + b(0x91, 2),
    b(0xde) + be("H", 1) + b(1, 2), b(0xdf) + be("I", 1) + b(0xc3, 0xc2),
    b(0x81, 0x90, 1), b(0x81, 0x01, 0xc0), b(0x91, 0x91, 0x91, 0x91, 0x90),
    b(1, 2, 3), b(0xa1) + b"x" + b(0xc3, 0x90), b"",
    # Errors: truncated input, unknown types (0xc1, bin, ext, fixext), nil / NaN map keys.
    b(0xcd, 1), b(0xcf) + bytes(7), b(0xca, 0, 0), b(0xa3) + b"ab", b(0xd9), b(0xd9, 5) + b"abc",
    b(0xda, 0), b(0xdb) + be("I", 10) + b"abc", b(0xdb) + be("I", 0xffffffff), b(0x92, 1),
    b(0xdc) + be("H", 3) + b(1), b(0xdd) + be("I", 0xffffffff), b(0x81, 1),
    b(0xde) + be("H", 2) + b(1, 2), b(0xdf, 0, 0),
    b(0xc1), b(0xc4, 3) + b"abc", b(0xc5) + be("H", 1) + b"a", b(0xc6) + be("I", 1) + b"a",
    b(0xc7, 1, 5, 0), b(0xc8) + be("H", 1) + b(5, 0), b(0xc9) + be("I", 1) + b(5, 0),
    b(0xd4, 1, 0), b(0xd5, 1, 0, 0), b(0xd6, 1) + bytes(4), b(0xd7, 1) + bytes(8),
    b(0xd8, 1) + bytes(16), b(1, 0xc1), b(0x91, 0xc4, 0),
    b(0x81, 0xc0, 1), b(0x81, 0xcb) + b"\x7f\xf8" + bytes(6) + b(1),
]


def test_unpack_hand_made_bytes(pair):
    run(pair, [U(x) for x in HAND])
    # The same bytes through unpack_one / unpack_limit, from several offsets.
    run(pair, [U(x, "all(cmsgpack.unpack_one(ARGV[1]))") for x in HAND])
    run(pair, [U(x, "all(cmsgpack.unpack_limit(ARGV[1], 2))") for x in HAND])


def test_unpack_one_and_limit_offsets(pair):
    stream = b(1, 0xa2) + b"hi" + b(0x92, 2, 3, 0xc0, 0xcd, 1, 0)  # 1, 'hi', {2,3}, nil, 256
    fns = ["unpack_one(ARGV[1])", "unpack_one(ARGV[1], 0)", "unpack_one(ARGV[1], 1)",
           "unpack_one(ARGV[1], 4)", "unpack_one(ARGV[1], 7)", "unpack_one(ARGV[1], 8)",
           "unpack_one(ARGV[1], 11)", "unpack_one(ARGV[1], 12)", "unpack_one(ARGV[1], -1)",
           "unpack_one(ARGV[1], 2)", "unpack_one(ARGV[1], 2.7)", "unpack_one(ARGV[1], '1')",
           "unpack_one(ARGV[1], 'x')", "unpack_one(ARGV[1], 2^32 + 1)",
           "unpack_limit(ARGV[1], 1)", "unpack_limit(ARGV[1], 2)", "unpack_limit(ARGV[1], 3, 1)",
           "unpack_limit(ARGV[1], 100)", "unpack_limit(ARGV[1], 100, 4)",
           "unpack_limit(ARGV[1], 0)", "unpack_limit(ARGV[1], 0, 0)", "unpack_limit(ARGV[1], 0, 1)",
           "unpack_limit(ARGV[1], -1)", "unpack_limit(ARGV[1], 1, -5)",
           "unpack_limit(ARGV[1], 1, 13)", "unpack_limit(ARGV[1])", "unpack_limit(ARGV[1], 'x')",
           "unpack_limit(ARGV[1], 1, 'x')", "unpack(ARGV[1])", "unpack(ARGV[1], 5)"]
    run(pair, [U(stream, "all(cmsgpack.%s)" % f) for f in fns])
    run(pair, [("return all(pcall(cmsgpack.%s))" % f.replace("(", ", ", 1).replace(", )", ")"),
                stream) for f in fns])
    # The idiom: walk a stream with unpack_one until the offset is -1.
    run(pair, [("local off, out = 0, {} while off ~= -1 do local v off, v = "
                "cmsgpack.unpack_one(ARGV[1], off) out[#out + 1] = dump(v) end "
                "return table.concat(out, ' ')", stream)])


def test_unpack_argument_errors_and_limits(pair):
    run(pair, [
        ("return cmsgpack.unpack()",), ("return cmsgpack.unpack(nil)",),
        ("return cmsgpack.unpack({})",), ("return all(cmsgpack.unpack(123))",),
        ("return cmsgpack.unpack_one()",), ("return cmsgpack.unpack_limit()",),
        ("return cmsgpack.unpack('\\193')",), ("return cmsgpack.unpack('\\205')",),
        safe("cmsgpack.unpack('\\193')"), safe("cmsgpack.unpack_one('\\205\\1')"),
        # Too many values for the Lua stack; nesting deep enough to exhaust it.
        ("return select('#', cmsgpack.unpack(string.rep('\\1', 7000)))",),
        ("return cmsgpack.unpack(string.rep('\\1', 9000))",),
        ("return all(cmsgpack.unpack_limit(string.rep('\\1', 9000), 3))",),
        ("local s = string.rep('\\145', 3000) .. '\\1' "
         "return #cmsgpack.pack(cmsgpack.unpack(s))",),
        ("return cmsgpack.unpack(string.rep('\\145', 5000) .. '\\1')",),
        ("return cmsgpack.unpack(string.rep('\\129', 9000) .. '\\1')",),
    ])


def test_library_tables(pair):
    run(pair, [
        ("return {cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, "
         "cmsgpack._DESCRIPTION}",),
        ("return {type(cmsgpack.pack), type(cmsgpack.unpack), type(cmsgpack.unpack_one), "
         "type(cmsgpack.unpack_limit), type(struct.pack), type(struct.unpack), "
         "type(struct.size), tostring(cmsgpack.unpack_safe), tostring(struct._VERSION)}",),
        ("cmsgpack.pack = nil",), ("struct.pack = nil",), ("cmsgpack.x = 1",),
        ("struct.y = 1",), ("rawset(cmsgpack, 'pack', nil)",),
        ("cmsgpack = nil",), ("struct = 1",), ("return type(cmsgpack_safe)",),
    ])


# --- struct -------------------------------------------------------------------------------

S = lambda args: ("return struct.pack(%s)" % args,)  # noqa: E731


def test_struct_pack(pair):
    run(pair, [S(x) for x in [
        "'b', 0", "'b', -1", "'b', 127", "'b', 128", "'b', -129", "'B', 255", "'B', 256",
        "'B', -1", "'h', -2", "'H', 65535", "'<h', 258", "'>h', 258", "'>H', -2", "'l', -1",
        "'L', 2^53", "'>L', 2^63", "'>L', 2^64", "'<L', 2^64 + 2^53", "'>l', -2^63",
        "'>l', -2^64", "'T', 12345", "'>T', 1", "'i', 1", "'>i', -1", "'I', 2^32", "'I', 2^32 - 1",
        "'i1', 300", "'i2', -300", "'i3', 70000", "'>i3', -2", "'i5', 2^33", "'>i7', 1",
        "'i8', -2", "'I8', 2^63", "'>i9', -1", "'<i16', -1", "'>I16', 2^40", "'i32', -3",
        "'i0', 5", "'I0', 5", "'i', 0/0", "'I', 0/0", "'i', math.huge", "'i', -math.huge",
        "'b', 2.9", "'b', -2.9", "'i', '42'", "'>i', ' 0x10 '",
        "'f', 1.5", "'>f', 1.5", "'<f', 0.1", "'f', 1e300", "'f', 0/0", "'d', 0.1", "'>d', 0.1",
        "'d', -math.huge", "'>d', 0/0",
        "'s', 'abc'", "'s', ''", "'s', 'a\\0b'", "'c3', 'abc'", "'c3', 'abcdef'", "'c0', 'hello'",
        "'c0', ''", "'c', 'xy'", "'s', 12", "'c2', 12",
        "'x'", "'xx'", "'bxb', 1, 2", "'  b  '", "'<b>h', 1, 2", "'><'",
        "'!4 b i', 1, 2", "'!8 b d', 1, 2", "'! b d', 1, 2", "'!2 b i', 1, 2", "'!1 b i', 1, 2",
        "'!4 b h', 1, 2", "'!4 b i3', 1, 2", "'!8 b i3 b i8', 1, 2, 3, 4", "'!4 b c3 i', 1, 'xyz', 2",
        "'!4 b s i', 1, 'xy', 2", "'!4 b x i', 1, 2", "'!16 b d', 1, 2", "'!4 b T', 1, 2",
        "'!4 b f', 1, 2", "'!4 b ! d', 1, 2", "'!', 1",
        "'bhlTiIfd', 1, 2, 3, 4, 5, 6, 7.5, 8.5",
    ]])


def test_struct_pack_errors(pair):
    run(pair, [S(x) for x in [
        "'X'", "'b z', 1", "'#'", "'\\200'", "'!3'", "'!0'", "'!12'", "'i33'", "'I64'",
        "'i99999999999'", "'c99999999999'", "'!99999999999'", "'b'", "'b', 'x'", "'b', {}",
        "'s'", "'s', {}", "'c5', 'ab'", "'b c5', 1, 'ab'", "'c1', nil", "'f'", "'d', 'z'",
        "'i', 1, 'extra'", "nil", "{}", "",
    ]] + [("return struct.pack('c2147483647', 'a')",), safe("struct.pack('X')"),
          ("local f = struct.pack return f('X')",)])


def test_struct_unpack(pair):
    U2 = lambda fmt, data, *more: (  # noqa: E731
        "return all(struct.unpack(%s, ARGV[1]%s))" % (fmt, "".join(", " + m for m in more)),
        data)
    d16 = bytes(range(1, 17)) + bytes(range(0xf0, 0x100))
    run(pair, [
        U2("'b'", b"\xff"), U2("'B'", b"\xff"), U2("'b'", b"\x7f"), U2("'h'", b"\xfe\xff"),
        U2("'>h'", b"\xfe\xff"), U2("'H'", b"\xfe\xff"), U2("'<H'", b"\x01\x02"),
        U2("'l'", b"\xff" * 8), U2("'L'", b"\xff" * 8), U2("'>L'", b"\x00" * 7 + b"\x05"),
        U2("'T'", b"\x01" + bytes(7)), U2("'i'", b"\xff\xff\xff\xff"), U2("'I'", b"\xff" * 4),
        U2("'i3'", b"\xff\xff\xff"), U2("'>i3'", b"\x80\x00\x01"), U2("'I3'", b"\xff\xff\x7f"),
        U2("'i1'", b"\x80"), U2("'i5'", b"\xff" * 5), U2("'i7'", b"\x00" * 6 + b"\x80"),
        U2("'i8'", b"\x00" * 7 + b"\x80"), U2("'I8'", b"\xff" * 8),
        U2("'i9'", d16), U2("'>i9'", d16), U2("'I9'", d16), U2("'i16'", d16), U2("'>i16'", d16),
        U2("'I16'", d16), U2("'i32'", d16 * 2), U2("'>I32'", d16 * 2), U2("'i9'", b"\xff" * 9),
        U2("'>i16'", b"\x80" + bytes(15)), U2("'<i16'", bytes(15) + b"\x80"),
        U2("'i0'", b""), U2("'I0'", b"abc"), U2("'i0 b'", b"\x05"),
        U2("'f'", pystruct.pack("<f", 1.5)), U2("'>f'", pystruct.pack(">f", 0.1)),
        U2("'d'", pystruct.pack("<d", 0.1)), U2("'>d'", pystruct.pack(">d", -1e300)),
        U2("'d'", b"\x00" * 6 + b"\xf8\x7f"),
        U2("'s'", b"abc\x00def\x00"), U2("'ss'", b"abc\x00def\x00"), U2("'s'", b"\x00"),
        U2("'c3'", b"abcdef"), U2("'c0'", b"abc"), U2("'b c0'", b"\x03abcdef"),
        U2("'c1 c0'", b"3abcdef"), U2("'B c0 B'", b"\x02xy\x07"), U2("'s c0'", b"x\x00abc"),
        U2("'x b'", b"\x01\x02"), U2("'xxxx'", b"abcd"), U2("'c'", b"q"),
        U2("'!4 b i'", b"\x01\x00\x00\x00\x02\x00\x00\x00"),
        U2("'!8 b d'", b"\x01" + bytes(7) + pystruct.pack("<d", 2.5)),
        U2("'! b d'", b"\x01" + bytes(7) + pystruct.pack("<d", 2.5)),
        U2("'!2 b i'", b"\x01\x00\x02\x00\x00\x00"), U2("'!4 b i3 b'", b"\x01\x00\x00\x02\x00\x00\x03"),
        U2("'b'", b"abc", "2"), U2("'b'", b"abc", "3"), U2("'b'", b"abc", "4"),
        U2("'b'", b"abc", "0"), U2("'b'", b"abc", "-1"), U2("'b'", b"abc", "'2'"),
        U2("'b'", b"abc", "'x'"), U2("'b'", b"abc", "2.9"), U2("'!4 i'", b"abcdefgh", "2"),
        U2("''", b"abc"), U2("''", b"abc", "9"), U2("' '", b""),
    ])


def test_struct_unpack_errors(pair):
    run(pair, [
        ("return struct.unpack('i', 'abc')",), ("return struct.unpack('b')",),
        ("return struct.unpack()",), ("return struct.unpack('X', 'abc')",),
        ("return struct.unpack('b X', 'abc')",), ("return struct.unpack('!3 b', 'abc')",),
        ("return struct.unpack('i40', 'abc')",), ("return struct.unpack('c0', 'abc')",),
        ("return struct.unpack('s c0', 'x\\0abc')",), ("return struct.unpack('b c0', '\\9abc')",),
        ("return struct.unpack('s', 'abc')",), ("return struct.unpack('c4', 'abc')",),
        ("return struct.unpack('c99999999999', 'abc')",), ("return struct.unpack('d', 'abc')",),
        ("return struct.unpack('b', 'abc', 0)",), ("return struct.unpack('x', '')",),
        ("return struct.unpack(string.rep('b', 9000), string.rep('a', 9000))",),
        ("return select('#', struct.unpack(string.rep('b', 7000), string.rep('a', 7000)))",),
        safe("struct.unpack('c0', 'abc')"), safe("struct.unpack('s', 'abc')"),
    ])


def test_struct_size(pair):
    run(pair, [("return struct.size(%s)" % x,) for x in [
        "'b'", "'B'", "'h'", "'H'", "'l'", "'L'", "'T'", "'i'", "'I'", "'f'", "'d'", "'x'",
        "'c'", "'c10'", "'i3'", "'i16'", "'i0'", "'bhlTiIfdx'", "'!4 b i'", "'!8 b d'",
        "'! b d'", "'!2 b i'", "'!4 b i3 b'", "'<>'", "''", "'   '", "'X'", "'Xz'", "'b X i'",
        "'s'", "'c0'", "'b s'", "'!3'", "'i33'", "'#'", "'b #'", "'i99999999999'", "nil", "{}",
        "", "12",
    ]])
    # size agrees with what pack produces for fixed formats.
    run(pair, [("return {struct.size('!4 b h i d'), #struct.pack('!4 b h i d', 1, 2, 3, 4)}",)])
