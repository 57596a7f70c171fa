"""The bitmap family against a real dq-server: redis-py's bitmap API, exact error texts,
bitmaps as ordinary strings, the proto-max-bulk-len offset limit and dq's own 4 GiB string
limit, WATCH, MULTI and scripts.

Byte-for-byte comparisons with redis-server live in tests/compat/test_diff_bitmaps.py; these
tests pin the replies dq gives on its own."""
import pytest
import redis

from dqtest import watch_then


def err(raw_reply):
    assert raw_reply.startswith(b"-"), raw_reply
    return raw_reply[1:-2].decode()


def test_redis_py_bitmap_api(r):
    assert r.setbit("b", 7, 1) == 0
    assert r.setbit("b", 7, 1) == 1
    assert r.getbit("b", 7) == 1
    assert r.getbit("b", 6) == 0
    assert r.get("b") == b"\x01"
    r.set("s", "foobar")
    assert r.bitcount("s") == 26
    assert r.bitcount("s", 1, 1) == 6
    assert r.bitcount("s", 5, 30, "BIT") == 17
    assert r.bitpos("s", 1) == 1
    assert r.bitpos("s", 0, 2, -1, "BYTE") == 16
    assert r.bitpos("s", 1, 7, 15, "BIT") == 9
    assert r.bitop("AND", "d", "s", "b") == 6
    assert r.get("d") == b"\x00" * 6
    assert r.bitop("NOT", "d", "b") == 1
    assert r.get("d") == b"\xfe"
    ops = (r.bitfield("f").set("u8", 0, 255).get("u8", 0).incrby("u8", 0, 1)
           .overflow("SAT").incrby("u8", 8, 300).overflow("FAIL").incrby("u8", 8, 1))
    assert ops.execute() == [0, 255, 0, 255, None]
    assert r.execute_command("BITFIELD_RO", "f", "GET", "u16", "0") == [255]


def test_errors_are_redis_texts(raw):
    raw.cmd("FLUSHALL")
    offset_err = "ERR bit offset is not an integer or out of range"
    assert err(raw.cmd("SETBIT", "k", "-1", "1")) == offset_err
    assert err(raw.cmd("SETBIT", "k", "4294967296", "1")) == offset_err
    assert err(raw.cmd("GETBIT", "k", "abc")) == offset_err
    assert err(raw.cmd("SETBIT", "k", "0", "2")) == "ERR bit is not an integer or out of range"
    assert err(raw.cmd("SETBIT", "k", "0", "on")) == "ERR bit is not an integer or out of range"
    assert err(raw.cmd("BITPOS", "k", "2")) == "ERR The bit argument must be 1 or 0."
    assert err(raw.cmd("BITOP", "NOT", "d", "a", "b")) == \
        "ERR BITOP NOT must be called with a single source key."
    assert err(raw.cmd("BITOP", "NAND", "d", "a")) == "ERR syntax error"
    bad_type = ("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not "
                "supported but i64 is.")
    for t in ("u64", "i65", "i0", "x8", "I8"):
        assert err(raw.cmd("BITFIELD", "k", "GET", t, "0")) == bad_type
    assert err(raw.cmd("BITFIELD", "k", "OVERFLOW", "BIG")) == "ERR Invalid OVERFLOW type specified"
    assert err(raw.cmd("BITFIELD", "k", "GET", "u8")) == "ERR syntax error"
    assert err(raw.cmd("BITFIELD", "k", "SET", "u8", "0", "x")) == \
        "ERR value is not an integer or out of range"
    assert err(raw.cmd("BITFIELD_RO", "k", "SET", "u8", "0", "1")) == \
        "ERR BITFIELD_RO only supports the GET subcommand"
    assert err(raw.cmd("BITFIELD_RO", "k", "INCRBY", "u8", "0", "1")) == \
        "ERR BITFIELD_RO only supports the GET subcommand"
    assert raw.cmd("EXISTS", "k") == b":0\r\n"  # no error created anything
    raw.cmd("SET", "s", "a")
    assert err(raw.cmd("BITCOUNT", "s", "0", "1", "BITS")) == "ERR syntax error"
    raw.cmd("RPUSH", "l", "x")
    wrongtype = "WRONGTYPE Operation against a key holding the wrong kind of value"
    assert err(raw.cmd("SETBIT", "l", "0", "1")) == wrongtype
    assert err(raw.cmd("BITFIELD", "l", "INCRBY", "u8", "0", "1")) == wrongtype


def test_missing_key_answers_before_the_range_as_redis_72(raw):
    """Redis 7.2 looks BITCOUNT's and BITPOS's key up before parsing the range (Redis 8 parses
    first): a missing key answers 0 (BITPOS 1: -1) even for a malformed range."""
    raw.cmd("FLUSHALL")
    assert raw.cmd("BITCOUNT", "nokey", "0") == b":0\r\n"
    assert raw.cmd("BITCOUNT", "nokey", "x", "y") == b":0\r\n"
    assert raw.cmd("BITPOS", "nokey", "0", "x", "y", "z") == b":0\r\n"
    assert raw.cmd("BITPOS", "nokey", "1", "0", "1", "FOO") == b":-1\r\n"
    raw.cmd("SET", "k", "a")
    assert err(raw.cmd("BITCOUNT", "k", "0")) == "ERR syntax error"
    assert err(raw.cmd("BITCOUNT", "k", "x", "y")) == "ERR value is not an integer or out of range"
    # Both indexes negative with start > end: 0 before the unit word is checked.
    assert raw.cmd("BITCOUNT", "k", "-1", "-2", "FOO") == b":0\r\n"


def test_bitmaps_are_strings(r):
    r.set("n", 123)
    assert r.object("encoding", "n") == b"int"
    assert r.getbit("n", 2) == 1  # "1" is 0x31
    assert r.bitcount("n") == 10
    assert r.setbit("n", 6, 1) == 0  # "1" -> "3"
    assert r.get("n") == b"323"
    assert r.object("encoding", "n") == b"raw"
    assert r.incr("n") == 324
    r.set("s", "ab", ex=100)
    assert r.setbit("s", 31, 1) == 0
    assert r.get("s") == b"ab\x00\x01"
    assert 0 < r.ttl("s") <= 100
    assert r.append("s", "z") == 5
    assert r.setrange("s", 6, "Q") == 7
    assert r.get("s") == b"ab\x00\x01z\x00Q"
    assert r.strlen("s") == 7
    assert r.getrange("s", 3, 4) == b"\x01z"
    assert r.bitfield("s").get("u8", "#6").execute() == [ord("Q")]
    r.rename("s", "t")
    assert r.getbit("t", 31) == 1
    assert r.copy("t", "u")
    assert r.setbit("u", 31, 0) == 1
    assert r.getbit("t", 31) == 1
    # BITOP's result is a new raw string without the destination's TTL.
    r.set("d", "x", ex=100)
    assert r.bitop("OR", "d", "n") == 3
    assert r.ttl("d") == -1
    assert r.object("encoding", "d") == b"raw"
    assert r.bitop("AND", "d", "nokey") == 0
    assert r.exists("d") == 0


def test_offset_limit_is_proto_max_bulk_len(r):
    r.config_set("proto-max-bulk-len", "1mb")
    try:
        with pytest.raises(redis.ResponseError, match="bit offset is not an integer"):
            r.setbit("k", 8 * 1024 * 1024, 1)
        assert r.setbit("k", 8 * 1024 * 1024 - 1, 1) == 0
        assert r.strlen("k") == 1024 * 1024
        # A BITFIELD write may reach a few bytes past the limit, as in Redis.
        assert r.bitfield("k").set("i64", 8 * 1024 * 1024 - 1, -1).execute() == [-2 ** 63]
        assert r.strlen("k") == 1024 * 1024 + 8
    finally:
        r.config_set("proto-max-bulk-len", "512mb")


def test_strings_longer_than_4gib_are_refused(r):
    """dq's string lengths are 32 bits: with proto-max-bulk-len above 4 GiB, an offset past
    them answers the too-long error instead of allocating (Redis would allocate)."""
    r.config_set("proto-max-bulk-len", str(8 * 1024 ** 3))
    try:
        with pytest.raises(redis.ResponseError, match="string exceeds maximum allowed size"):
            r.setbit("k", 4 * 1024 ** 3 * 8, 1)
        with pytest.raises(redis.ResponseError, match="string exceeds maximum allowed size"):
            r.bitfield("k").set("u8", 4 * 1024 ** 3 * 8, 1).execute()
        assert r.exists("k") == 0
        assert r.getbit("k", 4 * 1024 ** 3 * 8) == 0
        assert r.bitfield("k").get("u8", 4 * 1024 ** 3 * 8).execute() == [0]
    finally:
        r.config_set("proto-max-bulk-len", "512mb")


def test_watch_sees_bit_changes_only(server, r):
    other = server.client()
    r.setbit("k", 3, 1)

    def exec_after(write):
        return watch_then(r, "k", write)

    assert exec_after(lambda: other.setbit("k", 3, 1))        # same bit: untouched
    assert not exec_after(lambda: other.setbit("k", 3, 0))    # changed
    assert not exec_after(lambda: other.setbit("k", 64, 0))   # grew the string
    assert exec_after(lambda: other.bitfield("k").set("u8", 0, 0).execute())
    assert not exec_after(lambda: other.bitfield("k").incrby("u8", 0, 1).execute())
    # dq: a BITFIELD whose writes all FAIL but which grew the string reports it (Redis 7.2
    # does not, which newer Redis fixed as a replication bug).
    assert not exec_after(lambda: other.bitfield("k").overflow("FAIL").set("u8", 800, 300)
                          .execute())
    assert other.strlen("k") == 101
    other.close()


def test_multi_and_scripts(r, raw):
    p = r.pipeline()
    p.setbit("m", 1, 1).bitcount("m").bitfield("m").incrby("u2", 0, 1).execute()
    assert p.execute() == [0, 1, [2]]
    raw.cmd("DEL", "m")
    script = ("redis.call('SETBIT', KEYS[1], 9, 1) "
              "return {redis.call('BITCOUNT', KEYS[1]), "
              "redis.call('BITFIELD', KEYS[1], 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', 0, 9, "
              "'GET', 'u16', 0)}")
    assert raw.cmd("EVAL", script, "1", "m") == b"*2\r\n:1\r\n*2\r\n$-1\r\n:64\r\n"
    assert err(raw.cmd("EVAL_RO", "return redis.call('SETBIT', KEYS[1], 1, 1)", "1", "m")) \
        .startswith("ERR Write commands are not allowed from read-only scripts")
    assert raw.cmd("EVAL_RO", "return redis.call('BITFIELD_RO', KEYS[1], 'GET', 'u8', '#1')",
                   "1", "m") == b"*1\r\n:64\r\n"


def test_command_table_entries(raw):
    for name in ("setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro"):
        assert b"$5\r\ngroup\r\n$6\r\nbitmap\r\n" in raw.cmd("COMMAND", "DOCS", name), name
        assert b"+@bitmap\r\n" in raw.cmd("COMMAND", "INFO", name), name
    assert raw.cmd("COMMAND", "GETKEYS", "BITOP", "AND", "d", "a", "b") == \
        b"*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n"
