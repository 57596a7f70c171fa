"""Differential tests for the HyperLogLog family: the same command streams go to dq and to
redis-server and the raw replies must be equal, byte for byte. An HLL is a string, so GET
after each step compares the representation itself: the header (magic, encoding, cached
cardinality with its stale bit), the sparse opcodes (how runs are split and merged), the
promotion to dense at hll-sparse-max-bytes, and the dense registers. PFCOUNT is compared for
many cardinalities (the estimator must round the same way). Values also cross between the
servers: GET from one, SET into the other, then count and add there."""
import random
import struct

import pytest

from dqtest import both_raw, diff_stream, encode_command


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def pair(request, server, redis_ref):
    cfg = [("CONFIG", "SET", "hll-sparse-max-bytes", "3000")]
    yield from both_raw(server, redis_ref, setup=cfg, teardown=cfg, resp=request.param)


@pytest.fixture
def pair2(server, redis_ref):
    """RESP2 only (for the heavier streams)."""
    a, b = server.raw(), redis_ref.raw()
    for c in (a, b):
        c.cmd("FLUSHALL")
        c.cmd("CONFIG", "SET", "hll-sparse-max-bytes", "3000")
    yield a, b
    for c in (a, b):
        c.cmd("CONFIG", "SET", "hll-sparse-max-bytes", "3000")
    a.close()
    b.close()


def both(pair, *args):
    """Runs one command on both servers; asserts equal replies and returns dq's."""
    a, b = pair
    ra, rb = a.cmd(*args), b.cmd(*args)
    assert ra == rb, "%r: dq %r != redis %r" % (args, ra, rb)
    return ra


def pipelined(pair, commands):
    """Sends many commands in one write to each server, compares every reply."""
    diff_stream(pair, commands)


def bulk_value(reply):
    """The payload of a RESP bulk-string reply."""
    head, _, rest = reply.partition(b"\r\n")
    assert head[:1] == b"$", reply[:40]
    return rest[:int(head[1:])]


def header(encoding, card=0, stale=False, unused=b"\0\0\0"):
    c = card | ((1 << 63) if stale else 0)
    return b"HYLL" + bytes([encoding]) + unused + struct.pack("<Q", c)


def xzero(n):
    n -= 1
    return bytes([0x40 | (n >> 8), n & 0xff])


def zero(n):
    return bytes([n - 1])


def val(v, n):
    return bytes([0x80 | ((v - 1) << 2) | (n - 1)])


# ---------------------------------------------------------------------------------------
# Small sets: sparse representation, step by step.

SMALL = [
    ("PFADD", "h"), ("GET", "h"), ("PFCOUNT", "h"), ("GET", "h"),
    ("PFADD", "h", "a"), ("GET", "h"), ("PFCOUNT", "h"), ("GET", "h"),
    ("PFADD", "h", "a"), ("GET", "h"), ("PFADD", "h", "b", "c", "d"), ("GET", "h"),
    ("PFDEBUG", "DECODE", "h"), ("PFDEBUG", "ENCODING", "h"), ("PFCOUNT", "h"),
    ("GET", "h"), ("PFADD", "h", "", "x" * 100, "\x00\x01\x02"), ("GET", "h"),
    ("PFCOUNT", "h"), ("PFCOUNT", "h"), ("GET", "h"), ("OBJECT", "ENCODING", "h"),
    ("STRLEN", "h"), ("PFCOUNT", "nokey"), ("EXISTS", "nokey"),
    ("PFADD", "h2", *["e%d" % i for i in range(40)]), ("GET", "h2"),
    ("PFDEBUG", "DECODE", "h2"), ("PFCOUNT", "h2"), ("PFCOUNT", "h", "h2"),
    ("PFCOUNT", "h", "h2", "nokey"), ("PFCOUNT", "nokey", "nokey2"), ("GET", "h2"),
]


def test_small_sets_sparse(pair):
    pipelined(pair, SMALL)


def test_elements_of_every_length(pair):
    # MurmurHash64A's tail handling: lengths 0..40, including binary bytes.
    rnd = random.Random(7)
    stream = []
    for n in range(41):
        e = bytes(rnd.randrange(256) for _ in range(n))
        stream += [("PFADD", "len", e), ("GET", "len"), ("PFCOUNT", "len")]
    pipelined(pair, stream)


def test_one_element_per_call_then_counts(pair):
    # Each PFADD changes at most one register: the sparse update steps (split a ZERO/XZERO,
    # grow a VAL, merge neighbours) are all visible in GET.
    stream = []
    for i in range(600):
        stream.append(("PFADD", "s", "m%d" % i))
        stream.append(("GET", "s"))
        if i % 50 == 0:
            stream += [("PFCOUNT", "s"), ("GET", "s"), ("PFDEBUG", "DECODE", "s")]
    pipelined(pair, stream)


# ---------------------------------------------------------------------------------------
# Large sets: promotion to dense.

def test_large_set_promotes_to_dense(pair2):
    stream = []
    for i in range(20000):
        stream.append(("PFADD", "big", "elem:%d" % i))
        if i in (100, 500, 1000, 1500, 2000, 3000, 5000, 10000, 19999):
            stream += [("GET", "big"), ("PFDEBUG", "ENCODING", "big"), ("PFCOUNT", "big"),
                       ("GET", "big")]
    pipelined(pair2, stream)


def test_batched_adds_promote_inside_one_call(pair2):
    stream = []
    for start in range(0, 20000, 1000):
        stream.append(("PFADD", "bat", *["b%d" % i for i in range(start, start + 1000)]))
        stream += [("GET", "bat"), ("PFCOUNT", "bat")]
    pipelined(pair2, stream)


CARDINALITIES = sorted({1, 2, 3, 5, 8, 10, 13, 20, 33, 50, 77, 100, 150, 200, 300, 500, 700,
                        1000, 1500, 2000, 3000, 5000, 7000, 10000, 15000, 20000, 30000, 50000,
                        75000, 100000, 150000, 200000})


def test_pfcount_for_many_cardinalities(pair2):
    # One key grown in batches; PFCOUNT (and the cached header) compared at each size, plus
    # keys of every cardinality in the list, counted alone and in unions.
    stream, done = [], 0
    for n in CARDINALITIES:
        while done < n:
            step = min(n - done, 2000)
            stream.append(("PFADD", "card", *["c%d" % i for i in range(done, done + step)]))
            done += step
        stream += [("PFCOUNT", "card"), ("GET", "card")]
    pipelined(pair2, stream)
    stream = []
    for n in CARDINALITIES[:20]:
        stream.append(("PFADD", "k%d" % n, *["k%d:%d" % (n, i) for i in range(n)]))
        stream.append(("PFCOUNT", "k%d" % n))
    stream.append(("PFCOUNT", *["k%d" % n for n in CARDINALITIES[:20]]))
    stream.append(("PFCOUNT", "card", "k5", "k1000"))
    pipelined(pair2, stream)


@pytest.mark.parametrize("limit", ["0", "1", "50", "200", "1000", "16000"])
def test_sparse_max_bytes(pair2, limit):
    stream = [("CONFIG", "SET", "hll-sparse-max-bytes", limit),
              ("CONFIG", "GET", "hll-sparse-max-bytes")]
    for i in range(1200):
        stream.append(("PFADD", "lim", "l%d" % i))
        if i % 40 == 0:
            stream += [("GET", "lim"), ("STRLEN", "lim")]
    stream += [("PFDEBUG", "ENCODING", "lim"), ("GET", "lim"), ("PFCOUNT", "lim")]
    pipelined(pair2, stream)


def test_config_memory_units(pair):
    for v in ("1kb", "2k", "3000", "0"):
        both(pair, "CONFIG", "SET", "hll-sparse-max-bytes", v)
        both(pair, "CONFIG", "GET", "hll-sparse-max-bytes")
    for bad in ("-1", "abc"):
        ra, rb = pair[0].cmd("CONFIG", "SET", "hll-sparse-max-bytes", bad), \
            pair[1].cmd("CONFIG", "SET", "hll-sparse-max-bytes", bad)
        assert ra.startswith(b"-ERR") and rb.startswith(b"-ERR"), (ra, rb)


# ---------------------------------------------------------------------------------------
# PFMERGE and unions.

def test_pfmerge(pair):
    dense = ["d%d" % i for i in range(4000)]
    stream = [
        ("PFADD", "a", "1", "2", "3"), ("PFADD", "b", "3", "4", "5", "6"),
        ("PFMERGE", "m", "a", "b"), ("GET", "m"), ("PFCOUNT", "m"), ("GET", "m"),
        ("PFMERGE", "a", "a", "b"), ("GET", "a"), ("PFCOUNT", "a"),  # dest among sources
        ("PFMERGE", "b", "b"), ("GET", "b"),                         # dest alone
        ("PFMERGE", "fresh"), ("GET", "fresh"), ("PFCOUNT", "fresh"),  # created, stale bit
        ("PFMERGE", "fresh2", "nokey", "nokey2"), ("GET", "fresh2"),
        ("PFMERGE", "c", "nokey", "a"), ("GET", "c"),
        ("PFADD", "d", *dense), ("PFDEBUG", "ENCODING", "d"),
        ("PFMERGE", "e", "a", "d"), ("GET", "e"), ("PFDEBUG", "ENCODING", "e"),
        ("PFMERGE", "a", "d"), ("GET", "a"), ("PFCOUNT", "a"),  # sparse dest, dense source
        ("PFMERGE", "d", "b", "c"), ("GET", "d"),                # dense dest, sparse sources
        ("PFCOUNT", "a", "b", "c", "d", "e", "nokey"),
        ("PFCOUNT", "b", "c"), ("GET", "b"),  # union: no cache written
    ]
    pipelined(pair, stream)


def test_pfmerge_sparse_sources_promote(pair2):
    # Many sparse sources whose union no longer fits hll-sparse-max-bytes: the destination is
    # built register by register and promoted in the middle.
    stream = [("CONFIG", "SET", "hll-sparse-max-bytes", "1500")]
    for k in range(8):
        stream.append(("PFADD", "src%d" % k, *["s%d:%d" % (k, i) for i in range(150)]))
        stream.append(("PFDEBUG", "ENCODING", "src%d" % k))
    stream += [("PFMERGE", "u2", "src0", "src1"), ("GET", "u2"),
               ("PFMERGE", "u8", *["src%d" % k for k in range(8)]), ("GET", "u8"),
               ("PFDEBUG", "ENCODING", "u8"), ("PFCOUNT", "u8"),
               ("PFCOUNT", *["src%d" % k for k in range(8)])]
    pipelined(pair2, stream)


def test_random_operations(pair2):
    rnd = random.Random(2024)
    keys = ["r0", "r1", "r2", "r3"]
    stream = []
    for step in range(1500):
        op = rnd.random()
        k = rnd.choice(keys)
        if op < 0.6:
            n = rnd.choice([1, 1, 1, 2, 5, 30])
            stream.append(("PFADD", k, *["%x" % rnd.getrandbits(40) for _ in range(n)]))
        elif op < 0.7:
            stream.append(("PFMERGE", k, *rnd.sample(keys, rnd.randint(1, 3))))
        elif op < 0.8:
            stream.append(("PFCOUNT", *rnd.sample(keys, rnd.randint(1, 4))))
        elif op < 0.83:
            stream.append(("CONFIG", "SET", "hll-sparse-max-bytes",
                           str(rnd.choice([30, 100, 400, 3000]))))
        elif op < 0.85:
            stream.append(("DEL", k))
        else:
            stream.append(("PFCOUNT", k))
        stream.append(("GET", k))
    pipelined(pair2, stream)


# ---------------------------------------------------------------------------------------
# PFDEBUG.

def test_pfdebug(pair):
    stream = [
        ("PFADD", "h", "a", "b", "c"), ("PFDEBUG", "ENCODING", "h"), ("PFDEBUG", "DECODE", "h"),
        ("PFDEBUG", "decode", "h"), ("PFDEBUG", "GETREG", "h"), ("GET", "h"),  # now dense
        ("PFDEBUG", "ENCODING", "h"), ("PFDEBUG", "DECODE", "h"), ("PFDEBUG", "TODENSE", "h"),
        ("PFADD", "s", "x"), ("PFDEBUG", "TODENSE", "s"), ("GET", "s"), ("PFCOUNT", "s"),
        ("PFDEBUG", "GETREG", "nokey"), ("PFDEBUG", "FOO", "nokey"), ("PFDEBUG", "FOO", "h"),
        ("PFDEBUG", "ENCODING", "h", "extra"), ("PFDEBUG", "ENCODING"),
        ("SET", "str", "hello"), ("PFDEBUG", "ENCODING", "str"), ("PFDEBUG", "FOO", "str"),
        ("RPUSH", "l", "x"), ("PFDEBUG", "ENCODING", "l"),
    ]
    pipelined(pair, stream)


# ---------------------------------------------------------------------------------------
# Errors and invalid values.

def test_errors(pair):
    stream = [
        ("RPUSH", "l", "x"), ("PFADD", "l", "a"), ("PFADD", "l"), ("PFCOUNT", "l"),
        ("PFCOUNT", "nokey", "l"), ("PFMERGE", "l", "nokey"), ("PFMERGE", "dst", "l"),
        ("EXISTS", "dst"),
        ("SET", "str", "hello"), ("PFADD", "str", "a"), ("PFCOUNT", "str"),
        ("PFCOUNT", "str", "nokey"), ("PFMERGE", "str"), ("PFMERGE", "dst", "str"),
        ("SET", "int", "12345"), ("PFADD", "int", "a"), ("PFCOUNT", "int"),
        ("SET", "empty", ""), ("PFADD", "empty", "a"),
        ("PFADD",), ("PFCOUNT",), ("PFMERGE",), ("PFDEBUG", "GETREG"), ("PFSELFTEST", "x"),
    ]
    pipelined(pair, stream)


INVALID_HEADERS = [
    header(1)[:15],                                    # too short
    b"HYLX" + header(1)[4:] + xzero(16384),            # magic
    header(2) + xzero(16384),                          # raw encoding is internal
    header(3) + xzero(16384),                          # unknown encoding
    header(0) + b"\0" * 100,                           # dense of the wrong size
    header(0) + b"\0" * 12289,
]


@pytest.mark.parametrize("value", INVALID_HEADERS, ids=range(len(INVALID_HEADERS)))
def test_invalid_headers(pair, value):
    stream = [("SET", "v", value), ("PFADD", "v", "a"), ("PFCOUNT", "v"),
              ("PFCOUNT", "v", "v"), ("PFMERGE", "d", "v"), ("PFMERGE", "v"),
              ("PFDEBUG", "ENCODING", "v"), ("GET", "v"), ("EXISTS", "d")]
    pipelined(pair, stream)


CORRUPT_SPARSE = [
    header(1),                                              # no opcodes at all
    header(1) + xzero(16000),                               # runs too short
    header(1) + xzero(16384) + xzero(10),                   # runs too long
    header(1) + val(3, 4) + xzero(16384),
    header(1) + xzero(8000) + val(5, 2) + xzero(8000),      # 2 registers missing
    header(1) + bytes([0x40]),                              # XZERO cut after 1 byte
    header(1, stale=True) + zero(64) * 300,                 # 19200 registers
]


@pytest.mark.parametrize("value", CORRUPT_SPARSE, ids=range(len(CORRUPT_SPARSE)))
def test_corrupt_sparse(pair, value):
    stream = [("SET", "v", value), ("PFCOUNT", "v"), ("PFCOUNT", "v", "nokey"),
              ("PFMERGE", "d", "v"), ("EXISTS", "d"), ("PFDEBUG", "DECODE", "v"),
              ("PFDEBUG", "ENCODING", "v"), ("PFDEBUG", "GETREG", "v"),
              ("PFDEBUG", "TODENSE", "v"), ("GET", "v")]
    for i in range(20):
        stream += [("PFADD", "v", "e%d" % i), ("GET", "v")]
    pipelined(pair, stream)


def test_handmade_valid_values(pair):
    # Values Redis would accept though it never writes them: unusual but valid opcode runs,
    # unused header bytes, a valid cached cardinality that disagrees with the registers.
    values = [
        header(1) + zero(64) * 256,
        header(1) + val(32, 4) * 4096,
        header(1, unused=b"abc") + xzero(100) + val(2, 1) + xzero(16283),
        header(1, card=12345) + xzero(16384),
        header(1, card=7, stale=True) + val(1, 1) + zero(1) + val(1, 1) + xzero(16381),
        header(0, card=99) + bytes(range(256)) * 48,
        header(0, stale=True) + b"\xff" * 12288,
    ]
    stream = []
    for i, v in enumerate(values):
        k = "hv%d" % i
        stream += [("SET", k, v), ("PFCOUNT", k), ("GET", k), ("OBJECT", "ENCODING", k)]
        stream += [("PFADD", k, "a", "b", "c"), ("GET", k), ("PFCOUNT", k), ("GET", k)]
    stream.append(("PFCOUNT", *["hv%d" % i for i in range(len(values))]))
    stream.append(("PFMERGE", "all", *["hv%d" % i for i in range(len(values))]))
    stream.append(("GET", "all"))
    pipelined(pair, stream)


def test_set_small_hll_then_encoding(pair):
    # An HLL written with SET is an embstr in Redis; PFCOUNT / PFADD unshare it to raw.
    v = header(1) + xzero(16384)
    stream = [("SET", "e", v), ("OBJECT", "ENCODING", "e"), ("PFCOUNT", "e"),
              ("OBJECT", "ENCODING", "e"), ("SET", "e2", v), ("PFADD", "e2"),
              ("OBJECT", "ENCODING", "e2"), ("PFADD", "new"), ("OBJECT", "ENCODING", "new"),
              ("SET", "e3", v), ("PFCOUNT", "e3", "e3"), ("OBJECT", "ENCODING", "e3")]
    pipelined(pair, stream)


# ---------------------------------------------------------------------------------------
# Values crossing between the servers.

def test_values_cross_between_servers(pair2):
    dq, ref = pair2
    sizes = [0, 1, 10, 300, 2000, 9000]
    for n in sizes:
        els = ["x%d:%d" % (n, i) for i in range(n)]
        for src, dst in ((ref, dq), (dq, ref)):
            src.cmd("DEL", "cross")
            src.cmd("PFADD", "cross", *els) if els else src.cmd("PFADD", "cross")
            value = bulk_value(src.cmd("GET", "cross"))
            dst.cmd("SET", "cross", value)
            assert dst.cmd("PFCOUNT", "cross") == src.cmd("PFCOUNT", "cross")
            assert dst.cmd("GET", "cross") == src.cmd("GET", "cross")
            more = ["y%d:%d" % (n, i) for i in range(50)]
            assert dst.cmd("PFADD", "cross", *more) == src.cmd("PFADD", "cross", *more)
            assert dst.cmd("GET", "cross") == src.cmd("GET", "cross")
            assert dst.cmd("PFCOUNT", "cross") == src.cmd("PFCOUNT", "cross")


def test_dump_restore_between_servers(pair2):
    dq, ref = pair2
    ref.cmd("PFADD", "dr", *["z%d" % i for i in range(500)])
    payload = bulk_value(ref.cmd("DUMP", "dr"))
    reply = dq.cmd("RESTORE", "dr", "0", payload)
    if reply.startswith(b"-ERR unknown command"):
        pytest.skip("RESTORE not implemented")
    assert reply == b"+OK\r\n"
    assert dq.cmd("GET", "dr") == ref.cmd("GET", "dr")
    assert dq.cmd("PFCOUNT", "dr") == ref.cmd("PFCOUNT", "dr")


def test_transactions_and_scripts(pair):
    stream = [
        ("MULTI",), ("PFADD", "t", "a", "b"), ("PFCOUNT", "t"), ("PFMERGE", "t2", "t"),
        ("GET", "t2"), ("EXEC",), ("GET", "t"),
        ("EVAL", "redis.call('PFADD', KEYS[1], 'x', 'y'); return redis.call('PFCOUNT', KEYS[1])",
         "1", "t3"),
        ("GET", "t3"),
        ("EVAL_RO", "return redis.call('PFCOUNT', KEYS[1])", "1", "t3"),
        ("EVAL_RO", "return redis.call('PFADD', KEYS[1], 'z')", "1", "t3"),
    ]
    pipelined(pair, stream)
