"""The cmsgpack and struct libraries of scripts (issue 5; dq's own server/lua_cmsgpack.cpp and
server/lua_struct.cpp, with the API and the bytes of the versions Redis 7 bundles). Exact
expected bytes, worked out from the MessagePack spec and the struct library's formats; the
byte-for-byte comparison with redis-server is tests/compat/test_diff_scripting_libs.py."""
import hashlib
import struct as pystruct

import pytest


def ev(raw, body, *argv):
    return raw.cmd("EVAL", body, "0", *argv)


def bulk(data):
    return b"$%d\r\n%s\r\n" % (len(data), data)


def err(body, msg, line=1):
    sha = hashlib.sha1(body.encode()).hexdigest().encode()
    return b"-ERR user_script:%d: %s script: %s, on @user_script:%d.\r\n" % (line, msg, sha, line)


def pack(raw, expr):
    return ev(raw, "return cmsgpack.pack(%s)" % expr)


@pytest.mark.parametrize("expr,encoded", [
    ("0", b"\x00"), ("127", b"\x7f"), ("128", b"\xcc\x80"), ("255", b"\xcc\xff"),
    ("256", b"\xcd\x01\x00"), ("65535", b"\xcd\xff\xff"), ("65536", b"\xce\x00\x01\x00\x00"),
    ("2^32-1", b"\xce\xff\xff\xff\xff"), ("2^32", b"\xcf\x00\x00\x00\x01\x00\x00\x00\x00"),
    ("2^53", b"\xcf" + pystruct.pack(">Q", 2**53)), ("-1", b"\xff"), ("-32", b"\xe0"),
    ("-33", b"\xd0\xdf"), ("-128", b"\xd0\x80"), ("-129", b"\xd1\xff\x7f"),
    ("-32768", b"\xd1\x80\x00"), ("-32769", b"\xd2\xff\xff\x7f\xff"),
    ("-2^31", b"\xd2\x80\x00\x00\x00"), ("-2^31-1", b"\xd3" + pystruct.pack(">q", -2**31 - 1)),
    ("-2^63", b"\xd3\x80" + bytes(7)), ("-0", b"\x00"),
    # Not integers: float 32 when exact in a float, else float 64.
    ("0.5", b"\xca\x3f\x00\x00\x00"), ("-1.5", b"\xca\xbf\xc0\x00\x00"),
    ("0.1", b"\xcb" + pystruct.pack(">d", 0.1)), ("2^63", b"\xca\x5f\x00\x00\x00"),
    ("1e300", b"\xcb" + pystruct.pack(">d", 1e300)), ("math.huge", b"\xca\x7f\x80\x00\x00"),
    ("0/0", b"\xcb\xff\xf8" + bytes(6)),
])
def test_pack_numbers(raw, expr, encoded):
    assert pack(raw, expr) == bulk(encoded)


@pytest.mark.parametrize("n,header", [
    (0, b"\xa0"), (31, b"\xbf"), (32, b"\xd9\x20"), (255, b"\xd9\xff"), (256, b"\xda\x01\x00"),
    (65535, b"\xda\xff\xff"), (65536, b"\xdb\x00\x01\x00\x00"),
])
def test_pack_strings(raw, n, header):
    assert pack(raw, "string.rep('x', %d)" % n) == bulk(header + b"x" * n)
    assert ev(raw, "local s = string.rep('y', %d) return cmsgpack.unpack(cmsgpack.pack(s)) == s"
              % n) == b":1\r\n"


def test_pack_tables_nil_booleans_and_several_values(raw):
    assert pack(raw, "{}") == bulk(b"\x90")
    assert pack(raw, "{1, 'a', true, false}") == bulk(b"\x94\x01\xa1a\xc3\xc2")
    assert pack(raw, "{a=1}") == bulk(b"\x81\xa1a\x01")
    assert pack(raw, "{[1]=1, [3]=3}")[:5] == b"$5\r\n\x82"  # a hole: a map
    assert pack(raw, "{[0]=7}") == bulk(b"\x81\x00\x07")
    assert pack(raw, "{[1.5]=7}") == bulk(b"\x81\xca\x3f\xc0\x00\x00\x07")
    assert pack(raw, "{1, {2, {3}}}") == bulk(b"\x92\x01\x92\x02\x91\x03")
    assert pack(raw, "nil") == bulk(b"\xc0")
    assert pack(raw, "function() end") == bulk(b"\xc0")
    assert pack(raw, "1, 'a', nil, {}") == bulk(b"\x01\xa1a\xc0\x90")
    big = "(function() local t = {} for i = 1, %d do t[i] = 0 end return t end)()"
    assert pack(raw, big % 16) == bulk(b"\xdc\x00\x10" + bytes(16))
    assert pack(raw, big % 65536) == bulk(b"\xdd\x00\x01\x00\x00" + bytes(65536))
    keys = "(function() local t = {} for i = 1, 16 do t[i .. ''] = 0 end return t end)()"
    assert pack(raw, keys)[:7] == b"$58\r\n\xde\x00"  # 3 + 9 * (2 + 1) + 7 * (3 + 1) bytes


def test_pack_nesting_limit(raw):
    # Tables nested 16 deep encode as nil: what stops a self-referencing table.
    assert pack(raw, "(function() local t = {} t[1] = t return t end)()") == \
        bulk(b"\x91" * 16 + b"\xc0")
    assert pack(raw, "(function() local t = {} t.s = t return t end)()") == \
        bulk(b"\x81\xa1s" * 16 + b"\xc0")
    chain = "(function() local t = {} local c = t for i = 1, %d do c[1] = {} c = c[1] end " \
            "return t end)()"
    assert pack(raw, chain % 15) == bulk(b"\x91" * 15 + b"\x90")
    assert pack(raw, chain % 16) == bulk(b"\x91" * 16 + b"\xc0")


def test_pack_errors(raw):
    body = "return cmsgpack.pack()"
    assert ev(raw, body) == err(body, b"bad argument #0 to 'pack' (MessagePack pack needs input.)")
    body = "local t = {} for i = 1, 5000 do t[i] = i end return cmsgpack.pack(unpack(t))"
    assert ev(raw, body) == err(
        body, b"bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)")


def unpack_all(raw, data):
    """Every value decoded from data, as 'type:value' text (numbers with 17 digits)."""
    body = ("local out = {} local r = {cmsgpack.unpack(ARGV[1])} "
            "for i = 1, select('#', cmsgpack.unpack(ARGV[1])) do local v = r[i] "
            "if type(v) == 'number' then v = string.format('%.17g', v) "
            "elseif type(v) == 'table' then v = '#' .. #v "
            "else v = tostring(v) end out[#out + 1] = v end return table.concat(out, ' ')")
    return ev(raw, body, data)


@pytest.mark.parametrize("data,text", [
    (b"\x05", b"5"), (b"\xe0", b"-32"), (b"\xcc\xff", b"255"), (b"\xcd\xff\xff", b"65535"),
    (b"\xce\xff\xff\xff\xff", b"4294967295"), (b"\xd0\x80", b"-128"), (b"\xd1\x80\x00", b"-32768"),
    (b"\xd2\x80\x00\x00\x00", b"-2147483648"), (b"\xd3" + b"\xff" * 8, b"-1"),
    (b"\xcf\x00\x20" + bytes(6), b"9007199254740992"),
    # uint64 is read through int64, as Redis: past 2^63 it comes back negative.
    (b"\xcf" + b"\xff" * 8, b"-1"), (b"\xcf\x80" + bytes(7), b"-9.2233720368547758e+18"),
    (b"\xca\x3f\xc0\x00\x00", b"1.5"), (b"\xcb" + pystruct.pack(">d", 0.1), b"0.10000000000000001"),
    (b"\xc0", b"nil"), (b"\xc3\xc2", b"true false"), (b"\xa3abc", b"abc"),
    (b"\xd9\x03abc", b"abc"), (b"\xda\x00\x03abc", b"abc"), (b"\xdb\x00\x00\x00\x03abc", b"abc"),
    (b"\x93\x01\x02\x03", b"#3"), (b"\xdc\x00\x01\xc0", b"#0"), (b"\x81\xa1a\x01", b"#0"),
    (b"\x01\x02\x03", b"1 2 3"), (b"", b""),
])
def test_unpack(raw, data, text):
    assert unpack_all(raw, data) == bulk(text)


@pytest.mark.parametrize("data,msg", [
    (b"\xcd\x01", b"Missing bytes in input."), (b"\xa3ab", b"Missing bytes in input."),
    (b"\x92\x01", b"Missing bytes in input."), (b"\xdb\xff\xff\xff\xff", b"Missing bytes in input."),
    (b"\xc1", b"Bad data format in input."), (b"\xc4\x01a", b"Bad data format in input."),
    (b"\xd4\x01\x00", b"Bad data format in input."), (b"\xc7\x01\x05\x00", b"Bad data format in input."),
    (b"\x01\xc1", b"Bad data format in input."),
])
def test_unpack_errors(raw, data, msg):
    body = "return cmsgpack.unpack(ARGV[1])"
    assert ev(raw, body, data) == err(body, msg)


def test_unpack_one_and_unpack_limit(raw):
    stream = b"\x01\xa2hi\x92\x02\x03"  # 1, 'hi', {2, 3}
    one = "local off, v = cmsgpack.unpack_one(ARGV[1]%s) return {off, type(v), tostring(v)}"
    assert ev(raw, one % "", stream) == b"*3\r\n:1\r\n$6\r\nnumber\r\n$1\r\n1\r\n"
    assert ev(raw, one % ", 1", stream) == b"*3\r\n:4\r\n$6\r\nstring\r\n$2\r\nhi\r\n"
    assert ev(raw, one % ", 4", stream)[:20] == b"*3\r\n:-1\r\n$5\r\ntable\r\n"
    assert ev(raw, "return {cmsgpack.unpack_one(ARGV[1], 7)}", stream) == b"*1\r\n:-1\r\n"
    assert ev(raw, "return {cmsgpack.unpack_limit(ARGV[1], 2)}", stream) == \
        b"*3\r\n:4\r\n:1\r\n$2\r\nhi\r\n"
    assert ev(raw, "return {cmsgpack.unpack_limit(ARGV[1], 5, 1)}", stream) == \
        b"*3\r\n:-1\r\n$2\r\nhi\r\n*2\r\n:2\r\n:3\r\n"
    # limit 0 and no offset: everything and no offset, as Redis.
    assert ev(raw, "return {cmsgpack.unpack_limit(ARGV[1], 0)}", stream) == \
        b"*3\r\n:1\r\n$2\r\nhi\r\n*2\r\n:2\r\n:3\r\n"
    walk = ("local off, out = 0, {} while off ~= -1 do local v off, v = "
            "cmsgpack.unpack_one(ARGV[1], off) out[#out + 1] = type(v) end return out")
    assert ev(raw, walk, stream) == b"*3\r\n$6\r\nnumber\r\n$6\r\nstring\r\n$5\r\ntable\r\n"
    body = "return cmsgpack.unpack_one(ARGV[1], 8)"
    assert ev(raw, body, stream) == err(body, b"Start offset 8 greater than input length 7.")
    body = "return cmsgpack.unpack_limit(ARGV[1], -1)"
    assert ev(raw, body, stream) == err(  # Redis prints the input length as the "limit"
        body, b"Invalid request to unpack with offset of 0 and limit of 7.")
    body = "return cmsgpack.unpack_limit(ARGV[1])"
    assert ev(raw, body, stream) == err(
        body, b"bad argument #2 to 'unpack_limit' (number expected, got no value)")


def test_libraries_are_read_only(raw):
    for body in ("cmsgpack.pack = nil", "struct.x = 1"):
        assert ev(raw, body) == err(body, b"Attempt to modify a readonly table")
    assert ev(raw, "return {cmsgpack._NAME, cmsgpack._VERSION}") == \
        b"*2\r\n$8\r\ncmsgpack\r\n$18\r\nlua-cmsgpack 0.4.0\r\n"


# --- struct -------------------------------------------------------------------------------

@pytest.mark.parametrize("args,packed", [
    ("'b', -1", b"\xff"), ("'B', 255", b"\xff"), ("'B', 256", b"\x00"),
    ("'<h', 258", b"\x02\x01"), ("'>h', 258", b"\x01\x02"), ("'>H', 65535", b"\xff\xff"),
    ("'<l', -2", b"\xfe" + b"\xff" * 7), ("'>L', 1", bytes(7) + b"\x01"),
    ("'<T', 5", b"\x05" + bytes(7)), ("'>i', -2", b"\xff\xff\xff\xfe"), ("'<I', 2^32", bytes(4)),
    ("'>i3', 70000", b"\x01\x11\x70"), ("'<i1', 300", b"\x2c"), ("'>i16', -1", bytes(8) + b"\xff" * 8),
    ("'>i0', 5", b""), ("'<f', 1.5", b"\x00\x00\xc0\x3f"), ("'>f', 1.5", b"\x3f\xc0\x00\x00"),
    ("'>d', 0.1", pystruct.pack(">d", 0.1)), ("'<d', 0.1", pystruct.pack("<d", 0.1)),
    ("'s', 'ab'", b"ab\x00"), ("'c3', 'abcdef'", b"abc"), ("'c0', 'hello'", b"hello"),
    ("'c', 'xy'", b"x"), ("'bxb', 1, 2", b"\x01\x00\x02"), ("' < b > h ', 1, 2", b"\x01\x00\x02"),
    # Alignment: '!n' caps it at n (default 8); items align to min(size, n); c never aligns.
    ("'!4 b i', 1, 2", b"\x01\x00\x00\x00\x02\x00\x00\x00"),
    ("'! b d', 1, 0", b"\x01" + bytes(7) + bytes(8)), ("'!2 b i', 1, 2", b"\x01\x00\x02\x00\x00\x00"),
    ("'!4 b h', 1, 2", b"\x01\x00\x02\x00"), ("'!4 b c2 b', 1, 'xy', 2", b"\x01xy\x02"),
    ("'!4 b i3', 1, 2", b"\x01\x00\x00\x02\x00\x00"),  # size 3: the C library's padding formula
])
def test_struct_pack(raw, args, packed):
    assert ev(raw, "return struct.pack(%s)" % args) == bulk(packed)


@pytest.mark.parametrize("args,msg", [
    ("'X'", b"bad argument #1 to 'pack' (invalid format option 'X')"),
    ("'!3'", b"alignment 3 is not a power of 2"), ("'i33'", b"integral size 33 is larger than limit of 32"),
    ("'i99999999999'", b"integral size overflow"),
    ("'c5', 'ab'", b"bad argument #3 to 'pack' (string too short)"),
    # "got nil": the library's separator pushed after the arguments, as in Redis.
    ("'b'", b"bad argument #2 to 'pack' (number expected, got nil)"),
    ("'b', 'x'", b"bad argument #2 to 'pack' (number expected, got string)"),
])
def test_struct_pack_errors(raw, args, msg):
    body = "return struct.pack(%s)" % args
    assert ev(raw, body) == err(body, msg)


def unpack_text(raw, fmt, data, *pos):
    body = ("local r = {struct.unpack(%s, ARGV[1]%s)} for i = 1, #r do if type(r[i]) == 'number' "
            "then r[i] = string.format('%%.17g', r[i]) end end return table.concat(r, ' ')"
            % (fmt, "".join(", " + p for p in pos)))
    return ev(raw, body, data)


@pytest.mark.parametrize("fmt,data,text", [
    ("'b'", b"\xff", b"-1 2"), ("'B'", b"\xff", b"255 2"), ("'>h'", b"\xfe\xff", b"-257 3"),
    ("'<H'", b"\x01\x02", b"513 3"), ("'l'", b"\xff" * 8, b"-1 9"),
    ("'L'", b"\xff" * 8, b"1.8446744073709552e+19 9"), ("'>i3'", b"\x80\x00\x01", b"-8388607 4"),
    ("'<I3'", b"\xff\xff\x7f", b"8388607 4"), ("'i0'", b"", b"0 1"),
    ("'<f'", b"\x00\x00\xc0\x3f", b"1.5 5"), ("'>d'", pystruct.pack(">d", 0.1), b"0.10000000000000001 9"),
    ("'s s'", b"ab\x00cd\x00", b"ab cd 7"), ("'c2'", b"abc", b"ab 3"), ("'b c0'", b"\x02xyz", b"xy 4"),
    ("'x b'", b"\x01\x02", b"2 3"), ("'!4 b i'", b"\x01\x00\x00\x00\x02\x00\x00\x00", b"1 2 9"),
    ("'>!8 b d'", b"\x01" + bytes(7) + pystruct.pack(">d", 2.5), b"1 2.5 17"),
])
def test_struct_unpack(raw, fmt, data, text):
    assert unpack_text(raw, fmt, data) == bulk(text)


def test_struct_unpack_position_and_errors(raw):
    assert unpack_text(raw, "'b'", b"abc", "2") == bulk(b"98 3")
    assert unpack_text(raw, "'b'", b"abc", "3") == bulk(b"99 4")
    for body, msg in [
        ("return struct.unpack('b', 'abc', 4)", b"bad argument #2 to 'unpack' (data string too short)"),
        ("return struct.unpack('b', 'abc', 0)",
         b"bad argument #3 to 'unpack' (offset must be 1 or greater)"),
        ("return struct.unpack('i', 'abc')", b"bad argument #2 to 'unpack' (data string too short)"),
        ("return struct.unpack('s', 'abc')", b"unfinished string in data"),
        ("return struct.unpack('c0', 'abc')", b"format 'c0' needs a previous size"),
        ("return struct.unpack('Y', 'abc')", b"bad argument #1 to 'unpack' (invalid format option 'Y')"),
    ]:
        assert ev(raw, body) == err(body, msg)


@pytest.mark.parametrize("fmt,size", [
    ("'b'", 1), ("'h'", 2), ("'i'", 4), ("'l'", 8), ("'T'", 8), ("'f'", 4), ("'d'", 8), ("'x'", 1),
    ("'c10'", 10), ("'i3'", 3), ("'bhlTiIfdx'", 40), ("'!4 b i'", 8), ("'! b d'", 16),
    ("'!2 b d'", 10), ("''", 0), ("'X'", 0),  # unknown letters are ignored by size, as Redis
])
def test_struct_size(raw, fmt, size):
    assert ev(raw, "return struct.size(%s)" % fmt) == b":%d\r\n" % size


def test_struct_size_errors(raw):
    for fmt, msg in [("s", b"bad argument #1 to 'size' (option 's' has no fixed size)"),
                     ("c0", b"bad argument #1 to 'size' (option 'c0' has no fixed size)"),
                     ("#", b"bad argument #1 to 'size' (invalid format option '#')"),
                     ("!5", b"alignment 5 is not a power of 2")]:
        body = "return struct.size('%s')" % fmt
        assert ev(raw, body) == err(body, msg)
