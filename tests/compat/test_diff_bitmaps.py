"""Differential tests for the bitmap family (SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD
BITFIELD_RO): the same command streams go to dq and to redis-server, and the raw reply bytes
must be equal. Bitmaps are strings, so the streams mix in GET / SET / APPEND / SETRANGE /
STRLEN / GETRANGE / OBJECT ENCODING, integer-encoded values and other types. Seeded random
streams cover the combinations the scripted ones miss.

The reference is Redis 7.0, whose bitmap commands behave as 7.2's (the argument-order
changes of BITCOUNT / BITPOS came with Redis 8)."""
import random

import pytest

from dqtest import both_raw, diff_stream as _diff_stream


def diff_stream(pair, stream, **kw):
    """diff_stream with every str argument sent as Latin-1, so "\xff" is the byte 0xFF."""
    _diff_stream(pair, [tuple(a.encode("latin-1") if isinstance(a, str) else a for a in c)
                        for c in stream], **kw)


@pytest.fixture
def pair(server, redis_ref):
    yield from both_raw(server, redis_ref,
                        teardown=[("CONFIG", "SET", "proto-max-bulk-len", "536870912")])


STREAMS = {
    "setbit_getbit": [
        ("SETBIT", "k", "7", "1"), ("GET", "k"), ("GETBIT", "k", "7"), ("GETBIT", "k", "6"),
        ("GETBIT", "k", "100"), ("GETBIT", "nokey", "0"), ("SETBIT", "k", "7", "1"),
        ("SETBIT", "k", "7", "0"), ("GET", "k"), ("SETBIT", "k", "100", "1"), ("STRLEN", "k"),
        ("GET", "k"), ("OBJECT", "ENCODING", "k"), ("SETBIT", "k", "0", "0"),
        ("SETBIT", "z", "31", "0"), ("GET", "z"), ("STRLEN", "z"), ("OBJECT", "ENCODING", "z"),
        ("GETBIT", "k", "0"), ("SETBIT", "k", "0", "1"), ("GETBIT", "k", "0"),
    ],
    "setbit_errors": [
        ("SETBIT", "k", "-1", "1"), ("SETBIT", "k", "x", "1"), ("SETBIT", "k", "1.5", "1"),
        ("SETBIT", "k", "+1", "1"), ("SETBIT", "k", "01", "1"), ("SETBIT", "k", " 1", "1"),
        ("SETBIT", "k", "4294967296", "1"), ("SETBIT", "k", "9223372036854775807", "1"),
        ("SETBIT", "k", "99999999999999999999", "1"), ("SETBIT", "k", "#1", "1"),
        ("SETBIT", "k", "1", "2"), ("SETBIT", "k", "1", "-1"), ("SETBIT", "k", "1", "x"),
        ("SETBIT", "k", "1", ""), ("SETBIT", "k", "1", "01"), ("SETBIT", "k", "1", "1.0"),
        ("SETBIT", "k", "-1", "x"), ("EXISTS", "k"),
        ("GETBIT", "k", "-1"), ("GETBIT", "k", "x"), ("GETBIT", "k", "4294967296"),
        ("GETBIT", "nokey", "-1"), ("SETBIT", "k", "1"), ("GETBIT", "k"),
        ("GETBIT", "k", "1", "2"), ("SETBIT", "k", "1", "1", "1"),
    ],
    "integer_encoded": [
        ("SET", "n", "123"), ("OBJECT", "ENCODING", "n"), ("GETBIT", "n", "2"),
        ("GETBIT", "n", "7"), ("GETBIT", "n", "23"), ("GETBIT", "n", "24"), ("BITCOUNT", "n"),
        ("BITPOS", "n", "0"), ("BITPOS", "n", "1", "1"), ("BITFIELD", "n", "GET", "u8", "0"),
        ("BITFIELD_RO", "n", "GET", "i16", "4"), ("BITOP", "NOT", "d", "n"), ("GET", "d"),
        ("OBJECT", "ENCODING", "d"), ("SETBIT", "n", "6", "1"), ("GET", "n"),
        ("OBJECT", "ENCODING", "n"), ("SET", "m", "-9223372036854775808"),
        ("SETBIT", "m", "200", "1"), ("GET", "m"), ("INCR", "m"),
        ("SET", "p", "7"), ("BITFIELD", "p", "INCRBY", "u8", "0", "1"), ("GET", "p"),
        ("INCR", "p"), ("GET", "p"), ("SET", "q", "5"), ("SETBIT", "q", "7", "1"), ("GET", "q"),
        ("SET", "r", "12"), ("BITFIELD", "r", "GET", "u8", "0"), ("OBJECT", "ENCODING", "r"),
    ],
    "strings_interop": [
        ("SET", "k", "foobar"), ("SETBIT", "k", "0", "1"), ("GET", "k"), ("APPEND", "k", "xyz"),
        ("GETBIT", "k", "48"), ("BITCOUNT", "k"), ("SETRANGE", "k", "20", "Q"), ("STRLEN", "k"),
        ("BITCOUNT", "k"), ("GETRANGE", "k", "0", "-1"), ("SETBIT", "k", "167", "1"),
        ("GETRANGE", "k", "19", "-1"), ("STRLEN", "k"), ("BITPOS", "k", "0", "8"),
        ("SET", "k", "x" * 60), ("SETBIT", "k", "1", "0"), ("GET", "k"),
        ("OBJECT", "ENCODING", "k"), ("SET", "e", ""), ("SETBIT", "e", "3", "1"), ("GET", "e"),
        ("SET", "e", "", "EX", "1000"), ("SETBIT", "e", "0", "1"), ("TTL", "e"),
        ("SETRANGE", "s", "3", "ab"), ("BITFIELD", "s", "SET", "u8", "#6", "65"), ("GET", "s"),
        ("APPEND", "s", "!"), ("BITFIELD", "s", "GET", "u8", "#7"), ("GETRANGE", "s", "-3", "-1"),
        ("SET", "bin", "a\x00b\r\nc"), ("BITCOUNT", "bin"), ("SETBIT", "bin", "9", "1"),
        ("GET", "bin"), ("GETDEL", "bin"), ("GETBIT", "bin", "9"),
    ],
    "wrongtype": [
        ("RPUSH", "l", "a"), ("SETBIT", "l", "0", "1"), ("GETBIT", "l", "0"),
        ("BITCOUNT", "l"), ("BITCOUNT", "l", "0", "1"), ("BITCOUNT", "l", "x", "y"),
        ("BITPOS", "l", "1"), ("BITPOS", "l", "1", "x"), ("BITPOS", "l", "2"),
        ("BITOP", "AND", "d", "l"), ("BITOP", "OR", "d", "nokey", "l"), ("BITOP", "OR", "l", "x"),
        ("TYPE", "l"), ("BITFIELD", "l", "GET", "u8", "0"), ("BITFIELD", "l", "SET", "u8", "0", "1"),
        ("BITFIELD", "l"), ("BITFIELD", "l", "GET", "u99", "0"), ("BITFIELD_RO", "l", "GET", "u8", "0"),
        ("BITFIELD_RO", "l"), ("SETBIT", "l", "-1", "1"), ("SETBIT", "l", "0", "5"),
        ("GETBIT", "l", "x"), ("LLEN", "l"),
    ],
    "bitcount": [
        ("SET", "k", "foobar"), ("BITCOUNT", "k"), ("BITCOUNT", "k", "0", "0"),
        ("BITCOUNT", "k", "1", "1"), ("BITCOUNT", "k", "1", "1", "BYTE"),
        ("BITCOUNT", "k", "5", "30", "BIT"), ("BITCOUNT", "k", "5", "30", "bit"),
        ("BITCOUNT", "k", "0", "-1"), ("BITCOUNT", "k", "-1", "-1"), ("BITCOUNT", "k", "-2", "-1", "BIT"),
        ("BITCOUNT", "k", "-1", "-2"), ("BITCOUNT", "k", "-1", "-2", "FOO"),
        ("BITCOUNT", "k", "2", "1"), ("BITCOUNT", "k", "2", "1", "FOO"), ("BITCOUNT", "k", "-100", "100"),
        ("BITCOUNT", "k", "-100", "100", "BIT"), ("BITCOUNT", "k", "47", "47", "BIT"),
        ("BITCOUNT", "k", "48", "100", "BIT"), ("BITCOUNT", "k", "6", "100"),
        ("BITCOUNT", "k", "0"), ("BITCOUNT", "k", "0", "1", "2"), ("BITCOUNT", "k", "0", "1", "BIT", "x"),
        ("BITCOUNT", "k", "x", "1"), ("BITCOUNT", "k", "1", "x"), ("BITCOUNT", "k", "x", "y", "z"),
        ("BITCOUNT", "k", "0", "-1", "BYTES"), ("BITCOUNT", "k", "9223372036854775807", "-9223372036854775808"),
        ("BITCOUNT", "k", "-9223372036854775808", "9223372036854775807", "BIT"),
        ("BITCOUNT", "nokey"), ("BITCOUNT", "nokey", "0"), ("BITCOUNT", "nokey", "x", "y"),
        ("BITCOUNT", "nokey", "0", "1", "FOO"), ("SET", "e", ""), ("BITCOUNT", "e"),
        ("BITCOUNT", "e", "0", "-1"), ("BITCOUNT", "e", "0", "-1", "BIT"), ("BITCOUNT", "e", "0"),
        ("BITCOUNT",),
    ],
    "bitpos": [
        ("SET", "k", "\xff\xf0\x00"), ("BITPOS", "k", "0"), ("SET", "k", "\x00\xff\xf0"),
        ("BITPOS", "k", "1", "0"), ("BITPOS", "k", "1", "2"), ("BITPOS", "k", "1", "2", "-1", "BYTE"),
        ("BITPOS", "k", "1", "7", "15", "BIT"), ("BITPOS", "k", "1", "7", "15", "bit"),
        ("SET", "z", "\x00\x00\x00"), ("BITPOS", "z", "1"), ("BITPOS", "z", "1", "7", "-3", "BIT"),
        ("BITPOS", "z", "0"), ("BITPOS", "z", "0", "1"), ("BITPOS", "z", "0", "5"),
        ("SET", "f", "\xff\xff"), ("BITPOS", "f", "0"), ("BITPOS", "f", "0", "0"),
        ("BITPOS", "f", "0", "0", "-1"), ("BITPOS", "f", "0", "1"), ("BITPOS", "f", "0", "2"),
        ("BITPOS", "f", "0", "-1"), ("BITPOS", "f", "0", "3", "-1", "BIT"),
        ("BITPOS", "f", "0", "0", "100"), ("BITPOS", "f", "1", "-100"), ("BITPOS", "f", "1", "1", "0"),
        ("BITPOS", "f", "0", "-1", "-2"), ("BITPOS", "f", "0", "9", "9", "BIT"),
        ("BITPOS", "nokey", "0"), ("BITPOS", "nokey", "1"), ("BITPOS", "nokey", "0", "5", "10"),
        ("BITPOS", "nokey", "1", "x"), ("BITPOS", "nokey", "0", "1", "2", "FOO"),
        ("BITPOS", "nokey", "0", "1", "2", "BIT", "x"), ("BITPOS", "nokey", "2"),
        ("BITPOS", "nokey", "x"), ("BITPOS", "k", "2"), ("BITPOS", "k", "-1"), ("BITPOS", "k", "x"),
        ("BITPOS", "k", "01"), ("BITPOS", "k", "1", "x"), ("BITPOS", "k", "1", "0", "x"),
        ("BITPOS", "k", "1", "0", "x", "FOO"), ("BITPOS", "k", "1", "x", "1", "FOO"),
        ("BITPOS", "k", "1", "0", "1", "FOO"), ("BITPOS", "k", "1", "0", "1", "BIT", "x"),
        ("SET", "e", ""), ("BITPOS", "e", "0"), ("BITPOS", "e", "1"), ("BITPOS", "e", "0", "0"),
        ("BITPOS", "e", "0", "0", "-1"), ("BITPOS", "k"),
    ],
    "bitop": [
        ("SET", "a", "\xf0\x0f\xaa"), ("SET", "b", "\xff"), ("BITOP", "AND", "d", "a", "b"),
        ("GET", "d"), ("OBJECT", "ENCODING", "d"), ("BITOP", "or", "d", "a", "b"), ("GET", "d"),
        ("BITOP", "Xor", "d", "a", "b", "a"), ("GET", "d"), ("BITOP", "NOT", "d", "a"), ("GET", "d"),
        ("BITOP", "NOT", "d", "a", "b"), ("BITOP", "NOT", "d"), ("BITOP", "NAND", "d", "a"),
        ("BITOP", "", "d", "a"), ("BITOP", "AND", "d", "nokey"), ("EXISTS", "d"),
        ("SET", "d", "v", "EX", "100"), ("BITOP", "OR", "d", "a"), ("TTL", "d"), ("GET", "d"),
        ("RPUSH", "d", "x"), ("BITOP", "OR", "d", "a"), ("TYPE", "d"),
        ("RPUSH", "l", "x"), ("BITOP", "AND", "l", "nokey", "nokey2"), ("EXISTS", "l"),
        ("SET", "e", ""), ("BITOP", "OR", "d", "e"), ("EXISTS", "d"), ("BITOP", "NOT", "d", "e"),
        ("EXISTS", "d"), ("BITOP", "NOT", "d", "nokey"), ("BITOP", "AND", "a", "a", "b"),
        ("GET", "a"), ("SET", "n", "12345"), ("BITOP", "OR", "d", "n", "b"), ("GET", "d"),
        ("BITOP", "AND", "d", "nokey", "a"), ("GET", "d"), ("BITOP", "XOR", "d", "a", "a"),
        ("GET", "d"), ("BITOP", "AND", "d", "a", "l"), ("BITOP", "AND"), ("BITOP", "AND", "d"),
        ("BITOP", "OR", "d", "x" * 3, "y"),
    ],
    "bitfield": [
        ("BITFIELD", "k", "SET", "i8", "0", "100", "SET", "i8", "#1", "200", "GET", "u16", "0"),
        ("GET", "k"), ("BITFIELD", "k", "INCRBY", "i5", "100", "1", "GET", "u4", "0"),
        ("BITFIELD", "k", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"),
        ("BITFIELD", "k", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"),
        ("BITFIELD", "k", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"),
        ("BITFIELD", "k", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"),
        ("BITFIELD", "k", "OVERFLOW", "FAIL", "incrby", "u2", "102", "1"),
        ("BITFIELD", "k", "OVERFLOW", "fail", "SET", "u2", "102", "4", "GET", "u2", "102",
         "OVERFLOW", "wrap", "SET", "u2", "102", "4", "GET", "u2", "102"),
        ("BITFIELD", "k", "SET", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-1",
         "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1", "INCRBY", "i64", "0", "9223372036854775807",
         "INCRBY", "i64", "0", "9223372036854775807", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "1"),
        ("BITFIELD", "k", "SET", "u63", "1", "9223372036854775807", "GET", "u63", "1",
         "GET", "i64", "0", "INCRBY", "u63", "1", "1", "GET", "u1", "0"),
        ("BITFIELD", "k", "SET", "u8", "0", "-1", "OVERFLOW", "SAT", "SET", "u8", "8", "-1",
         "SET", "u8", "16", "-300", "SET", "i8", "24", "-9223372036854775808",
         "SET", "i8", "32", "-9223372036854775681", "SET", "i8", "40", "-9223372036854775680",
         "SET", "i8", "48", "-129", "OVERFLOW", "WRAP", "SET", "i8", "24", "-9223372036854775808",
         "SET", "i4", "56", "9", "SET", "u3", "60", "12"),
        ("GET", "k"), ("STRLEN", "k"),
        ("BITFIELD", "k", "GET", "u8", "#1000", "GET", "i64", "100000", "GET", "u63", "#7"),
        ("BITFIELD", "k", "OVERFLOW", "SAT"), ("BITFIELD", "k"), ("BITFIELD", "nokey"),
        ("BITFIELD", "nokey", "GET", "i32", "5"), ("EXISTS", "nokey"),
        ("BITFIELD", "f", "OVERFLOW", "FAIL", "SET", "u8", "0", "300"), ("EXISTS", "f"), ("GET", "f"),
        ("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "64", "-1"), ("STRLEN", "f"),
        ("BITFIELD", "g", "SET", "i8", "#2", "-1", "GET", "i8", "#2", "GET", "u8", "#2",
         "INCRBY", "u8", "#2", "1", "GET", "u8", "#2", "INCRBY", "i8", "#2", "-1"),
        ("GET", "g"), ("BITFIELD", "g", "SET", "u4", "#0", "15", "SET", "u4", "#1", "3"), ("GET", "g"),
    ],
    "bitfield_errors": [
        ("SET", "k", "abc"),
        ("BITFIELD", "k", "GET", "u64", "0"), ("BITFIELD", "k", "GET", "i65", "0"),
        ("BITFIELD", "k", "GET", "i0", "0"), ("BITFIELD", "k", "GET", "I8", "0"),
        ("BITFIELD", "k", "GET", "8", "0"), ("BITFIELD", "k", "GET", "i", "0"),
        ("BITFIELD", "k", "GET", "", "0"), ("BITFIELD", "k", "GET", "i08", "0"),
        ("BITFIELD", "k", "GET", "i8\x00x", "0"), ("BITFIELD", "k", "GET", "u8", "-1"),
        ("BITFIELD", "k", "GET", "u8", "x"), ("BITFIELD", "k", "GET", "u8", "#-1"),
        ("BITFIELD", "k", "GET", "u8", "#"), ("BITFIELD", "k", "GET", "u8", "4294967296"),
        ("BITFIELD", "k", "GET", "u8", "#536870912"), ("BITFIELD", "k", "GET", "u8", "#2305843009213693953"),
        ("BITFIELD", "k", "GET", "u8"), ("BITFIELD", "k", "GET"), ("BITFIELD", "k", "FOO"),
        ("BITFIELD", "k", "SET", "u8", "0"), ("BITFIELD", "k", "SET", "u8", "0", "x"),
        ("BITFIELD", "k", "SET", "u8", "0", "1.5"), ("BITFIELD", "k", "INCRBY", "u8", "0", ""),
        ("BITFIELD", "k", "OVERFLOW"), ("BITFIELD", "k", "OVERFLOW", "FOO"),
        ("BITFIELD", "k", "OVERFLOW", "FOO", "GET", "u99", "0"),
        ("BITFIELD", "k", "GET", "u99", "0", "OVERFLOW", "FOO"),
        ("BITFIELD", "k", "SET", "u8", "0", "65", "GET", "u8", "x"), ("GET", "k"),
        ("BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "66", "FOO"), ("GET", "k"),
        ("BITFIELD",),
    ],
    "bitfield_ro": [
        ("SET", "k", "\x80\x01"), ("BITFIELD_RO", "k", "GET", "i8", "0", "GET", "u16", "0"),
        ("BITFIELD_RO", "k", "get", "u4", "#3"), ("BITFIELD_RO", "k"), ("BITFIELD_RO", "nokey", "GET", "u8", "0"),
        ("BITFIELD_RO", "k", "SET", "u8", "0", "1"), ("BITFIELD_RO", "k", "INCRBY", "u8", "0", "1"),
        ("BITFIELD_RO", "k", "OVERFLOW", "SAT"), ("BITFIELD_RO", "k", "OVERFLOW", "SAT", "GET", "u8", "0"),
        ("BITFIELD_RO", "k", "SET", "u99", "0", "1"), ("BITFIELD_RO", "k", "GET", "u8", "0", "SET", "u8", "0", "x"),
        ("BITFIELD_RO", "k", "GET", "u8", "0", "SET", "u8", "0", "1", "FOO"),
        ("BITFIELD_RO", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1"), ("GET", "k"),
        ("BITFIELD_RO", "k", "GET", "u64", "0"), ("BITFIELD_RO",),
    ],
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream(pair, name):
    diff_stream(pair, STREAMS[name])


@pytest.mark.parametrize("name", ["bitfield", "bitfield_ro", "bitpos"])
def test_stream_resp3(pair, name):
    diff_stream(pair, STREAMS[name], resp3=True)


def test_offset_limit_follows_proto_max_bulk_len(pair):
    """The highest bit offset is proto-max-bulk-len * 8 - 1 (checked with 1 MB, the
    smallest setting, so neither server allocates 512 MB)."""
    stream = [
        ("CONFIG", "SET", "proto-max-bulk-len", "1048576"),
        ("SETBIT", "k", "8388608", "1"), ("GETBIT", "k", "8388608"), ("EXISTS", "k"),
        ("SETBIT", "k", "8388607", "1"), ("STRLEN", "k"), ("GETBIT", "k", "8388607"),
        ("BITCOUNT", "k"), ("BITPOS", "k", "1"), ("BITPOS", "k", "1", "-1"),
        ("BITFIELD", "k", "GET", "u8", "8388607", "GET", "u8", "8388608"),
        ("BITFIELD", "k", "GET", "u8", "#1048575", "GET", "u8", "#1048576"),
        ("BITFIELD", "k", "SET", "i64", "8388607", "-1"), ("STRLEN", "k"),
        ("BITFIELD", "k", "GET", "i64", "8388607"), ("BITCOUNT", "k"),
        ("BITFIELD", "k2", "SET", "u4", "#2097151", "15"), ("STRLEN", "k2"),
        ("BITFIELD", "k2", "SET", "u4", "#2097152", "15"),
        ("BITOP", "NOT", "d", "k"), ("STRLEN", "d"), ("BITCOUNT", "d"),
        ("BITOP", "AND", "d", "k", "k2"), ("BITCOUNT", "d"),
        ("CONFIG", "SET", "proto-max-bulk-len", "536870912"),
    ]
    diff_stream(pair, stream)


def test_big_bitmap_ops(pair):
    """A bitmap of some hundred kilobytes: long runs for BITPOS's word skipping, popcounts
    across alignments, BITOP over unequal lengths."""
    stream = [
        ("SETBIT", "big", "3000000", "1"), ("BITPOS", "big", "1"), ("BITPOS", "big", "0"),
        ("BITPOS", "big", "1", "1000"), ("BITPOS", "big", "1", "0", "-1", "BIT"),
        ("BITPOS", "big", "0", "374999", "-1"), ("BITCOUNT", "big"),
        ("BITOP", "NOT", "inv", "big"), ("BITPOS", "inv", "0"), ("BITPOS", "inv", "1", "12345", "-1", "BIT"),
        ("BITPOS", "inv", "0", "-1"), ("BITCOUNT", "inv"), ("BITCOUNT", "inv", "13", "2999999", "BIT"),
        ("BITPOS", "inv", "0", "0", "-1", "BIT"), ("BITPOS", "inv", "0", "0", "2999999", "BIT"),
        ("SETBIT", "small", "17", "1"), ("BITOP", "OR", "o", "small", "big"), ("BITCOUNT", "o"),
        ("BITOP", "AND", "a", "inv", "small"), ("BITCOUNT", "a"), ("STRLEN", "a"),
        ("BITOP", "XOR", "x", "inv", "big", "small"), ("BITCOUNT", "x"),
        ("BITFIELD", "inv", "GET", "u63", "2999990", "GET", "i64", "2999937"),
        ("SETRANGE", "inv", "200000", "\x00" * 64), ("BITPOS", "inv", "0", "100"),
        ("BITPOS", "inv", "1", "200000"), ("BITPOS", "inv", "0", "200001", "200063"),
    ]
    diff_stream(pair, stream)


def test_watch_and_unchanged_writes(server, redis_ref):
    """SETBIT / BITFIELD that leave the value as it was do not touch WATCHed keys (Redis 7);
    a change, or growing the string, does."""
    def run(srv):
        a, b = srv.raw(), srv.raw()
        a.cmd("FLUSHALL")
        out = []
        a.cmd("SETBIT", "k", "3", "1")
        for writer in [("SETBIT", "k", "3", "1"), ("SETBIT", "k", "4", "0"),
                       ("BITFIELD", "k", "SET", "u4", "0", "1"), ("BITFIELD", "k", "GET", "u8", "0"),
                       ("SETBIT", "k", "3", "0"), ("SETBIT", "k", "100", "0"),
                       ("BITFIELD", "k", "SET", "u8", "#100", "0"), ("BITOP", "AND", "k", "k"),
                       ("BITOP", "AND", "none", "none2")]:
            a.cmd("WATCH", "k", "none")
            out.append(b.cmd(*writer))
            a.cmd("MULTI")
            a.cmd("PING")
            out.append(a.cmd("EXEC"))
        a.close()
        b.close()
        return out
    assert run(server) == run(redis_ref)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_stream(pair, seed):
    """A seeded random mix of bitmap and string commands on a few keys."""
    rnd = random.Random(seed)
    keys = ["k1", "k2", "k3", "k4"]
    small = ["0", "1", "2", "3", "7", "8", "9", "15", "16", "31", "33", "63", "64", "100", "-1",
             "-2", "-8", "-9", "-100", "x"]
    types = ["u1", "u3", "u8", "u16", "u31", "u63", "i1", "i2", "i5", "i8", "i17", "i32", "i63",
             "i64", "u64", "i0"]
    vals = ["", "a", "foobar", "12", "-3", "\xff\xff", "\x00\x00\x01", "x" * 50, "a\x00b"]
    nums = ["0", "1", "-1", "5", "127", "128", "-128", "255", "256", "1000", "-1000",
            "9223372036854775807", "-9223372036854775808", "4611686018427387904", "x"]

    def offset():
        r = rnd.random()
        if r < 0.15:
            return "#" + str(rnd.randrange(8))
        return str(rnd.randrange(90)) if r < 0.95 else rnd.choice(["-1", "x", "4294967296"])

    stream = []
    for _ in range(1500):
        k = rnd.choice(keys)
        op = rnd.randrange(20)
        if op < 3:
            stream.append(("SETBIT", k, str(rnd.randrange(80)) if rnd.random() < 0.95 else "-1",
                           rnd.choice(["0", "1", "1", "2"])))
        elif op == 3:
            stream.append(("GETBIT", k, str(rnd.randrange(90))))
        elif op == 4:
            args = [] if rnd.random() < 0.3 else [rnd.choice(small), rnd.choice(small)]
            if args and rnd.random() < 0.5:
                args.append(rnd.choice(["BIT", "BYTE", "bit", "FOO"]))
            stream.append(("BITCOUNT", k) + tuple(args))
        elif op in (5, 6):
            args = [rnd.choice(["0", "1", "1", "0", "2"])]
            n = rnd.randrange(4)
            if n >= 1:
                args.append(rnd.choice(small))
            if n >= 2:
                args.append(rnd.choice(small))
            if n >= 3:
                args.append(rnd.choice(["BIT", "BYTE", "BIT", "x"]))
            stream.append(("BITPOS", k) + tuple(args))
        elif op == 7:
            opname = rnd.choice(["AND", "OR", "XOR", "NOT", "and"])
            srcs = rnd.sample(keys, 1 if opname == "NOT" and rnd.random() < 0.9 else rnd.randrange(1, 4))
            stream.append(("BITOP", opname, rnd.choice(keys)) + tuple(srcs))
        elif op in (8, 9, 10):
            cmd = "BITFIELD_RO" if op == 10 else "BITFIELD"
            args = []
            for _ in range(rnd.randrange(1, 5)):
                sub = rnd.randrange(7)
                t = rnd.choice(types) if rnd.random() < 0.9 else "u" + str(rnd.randrange(1, 64))
                if sub < 2 or cmd == "BITFIELD_RO" and sub < 6:
                    args += ["GET", t, offset()]
                elif sub == 2:
                    args += ["SET", t, offset(), rnd.choice(nums)]
                elif sub in (3, 4):
                    args += ["INCRBY", t, offset(), rnd.choice(nums)]
                else:
                    args += ["OVERFLOW", rnd.choice(["WRAP", "SAT", "FAIL", "fail", "sat"])]
            stream.append((cmd, k) + tuple(args))
        elif op == 11:
            stream.append(("SET", k, rnd.choice(vals)))
        elif op == 12:
            stream.append(("GET", k))
        elif op == 13:
            stream.append(("APPEND", k, rnd.choice(vals)))
        elif op == 14:
            stream.append(("SETRANGE", k, str(rnd.randrange(12)), rnd.choice(vals)))
        elif op == 15:
            stream.append(("STRLEN", k))
        elif op == 16:
            stream.append(("GETRANGE", k, rnd.choice(small), rnd.choice(small)))
        elif op == 17:
            stream.append(("INCRBY", k, rnd.choice(["1", "-7", "300"])))
        elif op == 18:
            stream.append(("OBJECT", "ENCODING", k))
        else:
            # A hash: its small encoding is "listpack" in 7.0 as in 7.2 (lists differ).
            stream.append(rnd.choice([("DEL", k), ("HSET", k, "f", "v"), ("SET", k, "123")]))
    diff_stream(pair, stream)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_ranges(pair, seed):
    """BITCOUNT and BITPOS over random strings with long runs of ones or zeros (BITPOS skips
    whole words), every range form, in bytes and in bits."""
    rnd = random.Random(seed)
    stream = []
    for _ in range(300):
        n = rnd.randrange(0, 80)
        fill = rnd.choice(["\x00", "\xff", None])
        s = "".join(fill if fill and rnd.random() < 0.9 else chr(rnd.randrange(256))
                    for _ in range(n))
        stream.append(("SET", "k", s))
        for _ in range(6):
            span = n * 8 + 10
            a, b = str(rnd.randrange(-span, span)), str(rnd.randrange(-span, span))
            unit = rnd.choice([(), ("BIT",), ("BYTE",)])
            stream.append(("BITCOUNT", "k", a, b) + unit)
            bit = rnd.choice(["0", "1"])
            form = rnd.randrange(4)
            if form == 0:
                stream.append(("BITPOS", "k", bit))
            elif form == 1:
                stream.append(("BITPOS", "k", bit, a))
            elif form == 2:
                stream.append(("BITPOS", "k", bit, a, b))
            else:
                stream.append(("BITPOS", "k", bit, a, b, rnd.choice(["BIT", "BYTE"])))
    diff_stream(pair, stream)
