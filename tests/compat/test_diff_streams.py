"""Differential tests for the stream family: the same command streams go to dq and to
redis-server (7.0), and the replies must be equal, in RESP2 and after HELLO 3.

Most replies are compared byte for byte. A few depend on the clock or on internals that are
not part of the contract; those commands are wrapped in `M(masker, ...)`: both replies are
parsed (RESP types kept, so RESP2/RESP3 shapes still count) and the masker blanks the varying
parts before the trees are compared:
  - auto-generated IDs (`*`) carry the time: only their shape `<ms>-<seq>` is compared;
  - XPENDING's extended form carries idle milliseconds: blanked, the rest compared;
  - XINFO STREAM's radix-tree-nodes counts Redis's rax nodes: blanked (radix-tree-keys, the
    number of blocks, is compared: approximate trimming depends on the same block layout);
  - SCAN's order follows the hash table: the keys are sorted.
Timing-sensitive options use values that make results deterministic (XCLAIM with min-idle 0,
IDLE 5000000 / TIME 1 to age an entry by more than an hour, IDLE 1000000 filters).

Where 7.2 differs from 7.0 the case is tested in tests/integration/test_streams_72.py (or
test_streams_blocking.py), not here: XINFO CONSUMERS `inactive`, XINFO STREAM FULL
`active-time`, the reworded "Unbalanced 'xread' list" errors, XADD `ms-*` overflowing the
sequence, XSETID below max-deleted-entry-id, consumers created by reads/claims that deliver
nothing, blocked-reader errors."""
import random
import re

import pytest

from dqtest import both_raw, encode_command

DEFAULT_NODE_ENTRIES = "100"


@pytest.fixture
def pair(server, redis_ref):
    yield from both_raw(server, redis_ref,
                        setup=[("CONFIG", "SET", "stream-node-max-entries", DEFAULT_NODE_ENTRIES),
                               ("CONFIG", "SET", "stream-node-max-bytes", "4096")])


# ---- RESP parsing and masking -------------------------------------------------------------

def parse(buf, i=0):
    """Parses one RESP2/RESP3 reply from buf at i -> ((type, value), next_i). Aggregates keep
    their children as a flat list (maps: k1, v1, k2, v2, ...)."""
    j = buf.index(b"\r\n", i)
    t, line = buf[i:i + 1], buf[i + 1:j]
    i = j + 2
    if t in (b"+", b"-", b":", b",", b"#", b"_", b"("):
        return (t, line), i
    if t in (b"$", b"=", b"!"):
        n = int(line)
        if n < 0:
            return (t, None), i
        return (t, buf[i:i + n]), i + n + 2
    if t in (b"*", b"~", b">", b"%", b"|"):
        n = int(line)
        if n < 0:
            return (t, None), i
        if t in (b"%", b"|"):
            n *= 2
        out = []
        for _ in range(n):
            node, i = parse(buf, i)
            out.append(node)
        return (t, out), i
    raise ValueError("bad RESP at %d: %r" % (i, buf[i:i + 20]))


def parse_all(buf):
    node, i = parse(buf)
    assert i == len(buf), "trailing bytes in %r" % buf
    return node


BLANK = (b"?", b"")
ID_RE = re.compile(rb"^\d+-\d+$")


def mask_id(node):
    """An auto-generated ID: compare only its shape."""
    if node[0] == b"$" and node[1] is not None and ID_RE.match(node[1]):
        return (b"$", b"<id>")
    return node


def kv_masker(*names):
    """Blanks the value that follows each key in `names`, in arrays and maps at any depth."""
    names = {n.encode() for n in names}

    def walk(node):
        t, v = node
        if not isinstance(v, list):
            return node
        v = [walk(c) for c in v]
        for k in range(0, len(v) - 1, 2):
            if v[k][0] in (b"$", b"+") and v[k][1] in names:
                v[k + 1] = BLANK
        return (t, v)
    return walk


mask_xinfo = kv_masker("radix-tree-nodes")


def mask_pending_idle(node):
    """XPENDING extended: [[id, consumer, idle-ms, deliveries], ...] -> idle blanked."""
    t, v = node
    if not isinstance(v, list):
        return node
    return (t, [(ct, cv[:2] + [BLANK] + cv[3:]) if isinstance(cv, list) and len(cv) == 4
                else (ct, cv) for ct, cv in v])


def mask_scan(node):
    """SCAN reply [cursor, [keys]] -> keys sorted (order follows the hash table)."""
    t, v = node
    if isinstance(v, list) and len(v) == 2 and isinstance(v[1][1], list):
        return (t, [v[0], (v[1][0], sorted(v[1][1]))])
    return node


class M:
    """A command whose two replies are compared after parsing and masking."""

    def __init__(self, masker, *args):
        self.masker = masker
        self.args = args

    def __repr__(self):
        return "M(%s, %r)" % (self.masker.__name__, self.args)


def run_stream(pair, stream, resp3=False):
    a, b = pair
    if resp3:
        for c in (a, b):
            c.cmd("HELLO", "3")
    payload = b"".join(encode_command(*(c.args if isinstance(c, M) else c)) for c in stream)
    a.send(payload)
    b.send(payload)
    for c in stream:
        ra, rb = a.read_reply_bytes(), b.read_reply_bytes()
        if isinstance(c, M):
            ma, mb = c.masker(parse_all(ra)), c.masker(parse_all(rb))
            assert ma == mb, "%r: dq %r != redis %r" % (c, ra, rb)
        else:
            assert ra == rb, "%r: dq %r != redis %r" % (c, ra, rb)


def xinfo(key):
    return M(mask_xinfo, "XINFO", "STREAM", key)


def pending(*args):
    return M(mask_pending_idle, "XPENDING", *args)


# ---- scripted streams ---------------------------------------------------------------------

MAXID = "18446744073709551615-18446744073709551615"
U64 = "18446744073709551615"

# Five entries 1-1 .. 5-1 in s, fields shared (as Redis packs them) and not.
SEED = [("XADD", "s", "1-1", "f", "v1"), ("XADD", "s", "2-1", "f", "v2", "g", "x"),
        ("XADD", "s", "3-1", "f", "v3"), ("XADD", "s", "4-1", "h", "v4"),
        ("XADD", "s", "5-1", "f", "v5")]
# A group g on s that delivered everything to consumer c (5 pending).
GROUP = SEED + [("XGROUP", "CREATE", "s", "g", "0"),
                ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">")]

STREAMS = {
    "xadd_ids": [
        ("XADD", "s", "1-1", "a", "1"), ("XADD", "s", "1-1", "a", "1"), ("XADD", "s", "1-0", "a", "1"),
        ("XADD", "s", "0-5", "a", "1"), ("XADD", "s", "1", "a", "1"), ("XADD", "s", "1-2", "a", "1"),
        ("XADD", "s", "0-0", "a", "1"), ("XADD", "t", "0-0", "a", "1"), ("XADD", "t", "0", "a", "1"),
        ("EXISTS", "t"), ("XADD", "t", "0-*", "a", "1"), ("XADD", "t", "0-*", "a", "1"),
        ("XADD", "s", "1-*", "a", "1"), ("XADD", "s", "0-*", "a", "1"), ("XADD", "s", "5-*", "a", "1"),
        ("XADD", "s", "5", "a", "1"), ("XADD", "s", "6", "a", "1"), ("XADD", "s", "7-0", "a", "1"),
        ("XADD", "s", "7-18446744073709551615", "a", "1"), ("XADD", "s", "8-*", "a", "1"), ("XADD", "s", "99999999999999-5", "a", "1"),
        ("XADD", "s", "*", "a", "1"), ("XADD", "s", "*", "b", "2"),
        ("XADD", "s", "18446744073709551615-18446744073709551614", "a", "1"),
        ("XADD", "s", "*", "a", "1"), ("XADD", "s", "*", "a", "1"),
        ("XADD", "s", "18446744073709551615-*", "a", "1"), ("XADD", "s", MAXID, "a", "1"),
        ("XLEN", "s"), ("XRANGE", "s", "-", "+"), ("XREVRANGE", "s", "+", "-", "COUNT", "3"),
        ("XADD", "u", "18446744073709551615-*", "a", "1"), ("XADD", "u", "*", "a", "1"),
        ("XADD", "v", MAXID, "a", "1"), ("XADD", "v", "*", "a", "1"),
        ("XADD", "w", "18446744073709551616", "a", "1"), ("XADD", "w", "1-18446744073709551616", "a", "1"),
        ("XADD", "w", "abc", "a", "1"), ("XADD", "w", "1-", "a", "1"), ("XADD", "w", "-1", "a", "1"),
        ("XADD", "w", "1-2-3", "a", "1"), ("XADD", "w", "-", "a", "1"), ("XADD", "w", "+", "a", "1"),
        ("XADD", "w", "$", "a", "1"), ("XADD", "w", ">", "a", "1"), ("XADD", "w", "0x10", "a", "1"),
        ("XADD", "w", "1-*-1", "a", "1"), ("XADD", "w", "*-1", "a", "1"), ("XADD", "w", "**", "a", "1"),
        ("XADD", "w", "1.5", "a", "1"), ("XADD", "w", "", "a", "1"), ("XADD", "w", "1-x", "a", "1"),
        ("XADD", "w", "1", "a"), ("XADD", "w", "1", "a", "1", "b"), ("XADD", "w", "1"), ("XADD", "w"),
        ("EXISTS", "w"), ("XADD", "w", "10-0", "", ""), ("XADD", "w", "11-0", "a", "1", "a", "2"),
        ("XADD", "w", "12-0", "k\x00\xff", "v\r\n"), ("XADD", "w", "13-0", "n", "12345678901234567890"),
        ("XADD", "w", "14-0", "n", "-17"), ("XADD", "w", "15-0", "n", "3.5"),
        ("XRANGE", "w", "-", "+"), ("XLEN", "w"), ("TYPE", "w"),
        M(mask_id, "XADD", "auto", "*", "a", "1"), M(mask_id, "XADD", "auto", "*", "a", "1"),
        ("XLEN", "auto"),
    ],
    "xadd_options": [
        ("XADD", "s", "NOMKSTREAM", "1-0", "a", "1"), ("EXISTS", "s"),
        ("XADD", "s", "NOMKSTREAM", "*", "a", "1"), ("EXISTS", "s"),
        ("XADD", "s", "1-0", "a", "1"), ("XADD", "s", "NOMKSTREAM", "2-0", "a", "2"),
        ("XADD", "s", "nomkstream", "3-0", "a", "3"), ("XLEN", "s"),
        ("XADD", "s", "MAXLEN", "2", "4-0", "a", "4"), ("XRANGE", "s", "-", "+"),
        ("XADD", "s", "MAXLEN", "=", "1", "5-0", "a", "5"), ("XRANGE", "s", "-", "+"),
        ("XADD", "s", "MAXLEN", "~", "1", "6-0", "a", "6"), ("XLEN", "s"),
        ("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "10", "7-0", "a", "7"), ("XLEN", "s"),
        ("XADD", "s", "MAXLEN", "0", "8-0", "a", "8"), ("XLEN", "s"), ("EXISTS", "s"), xinfo("s"),
        ("XADD", "s", "MAXLEN", "1", "LIMIT", "10", "9-0", "a", "1"),
        ("XADD", "s", "MAXLEN", "-1", "9-0", "a", "1"), ("XADD", "s", "MAXLEN", "x", "9-0", "a", "1"),
        ("XADD", "s", "MAXLEN", "~", "-1", "9-0", "a", "1"),
        ("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "9-0", "a", "1"),
        ("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "x", "9-0", "a", "1"),
        ("XADD", "s", "MAXLEN", "=", "1", "MINID", "3", "9-0", "a", "1"),
        ("XADD", "s", "MINID", "1", "MAXLEN", "3", "9-0", "a", "1"),
        ("XADD", "s", "MINID", "x", "9-0", "a", "1"), ("XADD", "s", "MINID", "(5", "9-0", "a", "1"),
        ("XADD", "s", "MINID", "-", "9-0", "a", "1"), ("XADD", "s", "MINID", "+", "9-0", "a", "1"),
        ("XADD", "s", "MAXLEN"), ("XADD", "s", "MAXLEN", "1"), ("XADD", "s", "MAXLEN", "1", "9-0"),
        ("XADD", "s", "MAXLEN", "1", "9-0", "a"), ("XADD", "s", "LIMIT", "1", "9-0", "a", "1"),
        ("XADD", "s", "MAXLEN", "~", "9-0", "a", "1"), ("XADD", "s", "NOMKSTREAM"),
        ("XADD", "s", "FOO", "9-0", "a", "1"), ("XLEN", "s"),
        ("XADD", "m", "1-0", "a", "1"), ("XADD", "m", "2-0", "a", "2"), ("XADD", "m", "3-0", "a", "3"),
        ("XADD", "m", "MINID", "2", "4-0", "a", "4"), ("XRANGE", "m", "-", "+"),
        ("XADD", "m", "MINID", "=", "3-0", "5-0", "a", "5"), ("XRANGE", "m", "-", "+"),
        ("XADD", "m", "MINID", "~", "5", "6-0", "a", "6"), ("XLEN", "m"),
        ("XADD", "m", "MINID", "~", "5", "LIMIT", "0", "7-0", "a", "7"), ("XLEN", "m"),
        ("XADD", "m", "MINID", "100", "8-0", "a", "8"), ("XLEN", "m"), xinfo("m"),
        ("XADD", "m", "MINID", "0", "9-0", "a", "9"), ("XADD", "m", "MAXLEN", "0", "MINID", "0", "10-0", "a", "10"),
        ("XADD", "n", "NOMKSTREAM", "MAXLEN", "0", "1-0", "a", "1"), ("EXISTS", "n"),
        ("XADD", "n", "MAXLEN", "0", "1-0", "a", "1"), ("EXISTS", "n"), ("XLEN", "n"), xinfo("n"),
        ("XADD", "n", "MAXLEN", "1", "NOMKSTREAM", "2-0", "a", "1"),
        ("XADD", "n", "maxlen", "~", "1", "limit", "1", "3-0", "a", "1"),
    ],
    "xadd_approx_trim": (
        [("XADD", "big", "%d-0" % i, "f", "v%d" % i) for i in range(1, 251)] + [
            xinfo("big"), ("XTRIM", "big", "MAXLEN", "~", "220"), ("XLEN", "big"),
            ("XTRIM", "big", "MAXLEN", "~", "120"), ("XLEN", "big"), xinfo("big"),
            ("XADD", "big", "MAXLEN", "~", "10", "251-0", "f", "v"), ("XLEN", "big"),
            ("XTRIM", "big", "MAXLEN", "~", "10", "LIMIT", "10"), ("XLEN", "big"),
            ("XTRIM", "big", "MAXLEN", "~", "10", "LIMIT", "100"), ("XLEN", "big"), xinfo("big"),
            ("XRANGE", "big", "-", "+", "COUNT", "2"),
        ] + [("XADD", "big2", "%d-0" % i, "f", "v%d" % i) for i in range(1, 251)] + [
            ("XTRIM", "big2", "MINID", "~", "150"), ("XLEN", "big2"),
            ("XTRIM", "big2", "MINID", "~", "250", "LIMIT", "50"), ("XLEN", "big2"),
            ("XDEL", "big2", "201-0", "202-0", "203-0"), ("XTRIM", "big2", "MAXLEN", "~", "0"),
            ("XLEN", "big2"), xinfo("big2"), ("XTRIM", "big2", "MAXLEN", "0"), xinfo("big2"),
        ]),
    "xlen_xrange": SEED + [
        ("XLEN", "s"), ("XLEN", "nokey"), ("XLEN", "s", "x"),
        ("XRANGE", "s", "-", "+"), ("XRANGE", "s", "-", "+", "COUNT", "2"),
        ("XRANGE", "s", "-", "+", "COUNT", "0"), ("XRANGE", "s", "-", "+", "COUNT", "-1"),
        ("XRANGE", "s", "-", "+", "COUNT", "x"), ("XRANGE", "s", "-", "+", "COUNT"),
        ("XRANGE", "s", "-", "+", "FOO", "1"), ("XRANGE", "s", "-", "+", "COUNT", "1", "COUNT", "3"),
        ("XRANGE", "s", "2", "4"), ("XRANGE", "s", "2-1", "4-0"), ("XRANGE", "s", "(2-1", "(4-1"),
        ("XRANGE", "s", "(2", "+"), ("XRANGE", "s", "-", "(3"), ("XRANGE", "s", "(1-1", "(1-1"),
        ("XRANGE", "s", "4", "2"), ("XRANGE", "s", "+", "-"), ("XRANGE", "s", "0", U64),
        ("XRANGE", "s", "(0-0", "+"), ("XRANGE", "s", "(" + MAXID, "+"), ("XRANGE", "s", "-", "(0-0"),
        ("XRANGE", "s", "-", "(" + MAXID), ("XRANGE", "s", "(0", "+"), ("XRANGE", "s", "-", "(" + U64),
        ("XRANGE", "s", "(-", "+"), ("XRANGE", "s", "-", "(+"), ("XRANGE", "s", "x", "+"),
        ("XRANGE", "s", "-", "y"), ("XRANGE", "s", "(", "+"), ("XRANGE", "s", "1-", "+"),
        ("XRANGE", "s", "1-1-1", "+"), ("XRANGE", "s", "*", "+"), ("XRANGE", "s", "-", "*"),
        ("XRANGE", "s", "1-*", "+"), ("XRANGE", "s", "$", "+"),
        ("XRANGE", "nokey", "-", "+"), ("XRANGE", "nokey", "-", "+", "COUNT", "0"),
        ("XRANGE", "nokey", "x", "+"), ("XRANGE", "s", "-"),
        ("XREVRANGE", "s", "+", "-"), ("XREVRANGE", "s", "+", "-", "COUNT", "2"),
        ("XREVRANGE", "s", "-", "+"), ("XREVRANGE", "s", "4", "2"), ("XREVRANGE", "s", "(4-1", "(2-1"),
        ("XREVRANGE", "s", "+", "(0-0"), ("XREVRANGE", "s", "(0-0", "-"),
        ("XREVRANGE", "s", "(" + MAXID, "-"), ("XREVRANGE", "s", "+", "(" + MAXID),
        ("XREVRANGE", "s", "+", "-", "COUNT", "0"), ("XREVRANGE", "s", "+", "-", "COUNT", "x"),
        ("XREVRANGE", "s", "3", "3"), ("XREVRANGE", "s", "(3", "3"), ("XREVRANGE", "nokey", "+", "-"),
        ("XREVRANGE", "s", "+", "-", "COUNT", "2", "FOO"),
    ],
    "xdel": SEED + [
        ("XDEL", "s", "2-1"), ("XDEL", "s", "2-1"), ("XDEL", "s", "2-1", "3-1", "9-9"),
        ("XDEL", "s", "2"), ("XDEL", "s", "x"), ("XDEL", "s", "4-1", "x"), ("XLEN", "s"),
        ("XDEL", "nokey", "1-1"), ("XDEL", "nokey", "x"), ("XDEL", "s"), xinfo("s"),
        ("XRANGE", "s", "-", "+"), ("XDEL", "s", "5-1"), ("XADD", "s", "5-1", "a", "1"),
        ("XADD", "s", "5-2", "a", "1"), ("XDEL", "s", "1-1", "4-1", "5-2"), ("XLEN", "s"),
        ("EXISTS", "s"), xinfo("s"), ("XRANGE", "s", "-", "+"), ("XREVRANGE", "s", "+", "-"),
        ("XADD", "s", "5-2", "a", "1"), ("XADD", "s", "6-*", "a", "1"), ("XDEL", "s", "1-1", "1-1"),
        xinfo("s"),
    ],
    "xtrim": SEED + [
        ("XTRIM", "s", "MAXLEN", "4"), ("XTRIM", "s", "MAXLEN", "=", "10"), ("XTRIM", "s", "MAXLEN", "~", "1"),
        ("XLEN", "s"), ("XTRIM", "s", "MINID", "3"), ("XRANGE", "s", "-", "+"),
        ("XTRIM", "s", "MINID", "=", "4-1"), ("XTRIM", "s", "MINID", "~", "9"), ("XLEN", "s"),
        ("XTRIM", "s", "MAXLEN", "0"), ("XLEN", "s"), ("EXISTS", "s"), xinfo("s"),
        ("XTRIM", "nokey", "MAXLEN", "0"), ("XTRIM", "nokey", "MAXLEN", "x"), ("EXISTS", "nokey"),
        ("XTRIM", "s"), ("XTRIM", "s", "MAXLEN"), ("XTRIM", "s", "FOO", "1"),
        ("XTRIM", "s", "MAXLEN", "-1"), ("XTRIM", "s", "MAXLEN", "x"), ("XTRIM", "s", "MINID", "x"),
        ("XTRIM", "s", "MAXLEN", "1", "LIMIT", "1"), ("XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "-1"),
        ("XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "1"), ("XTRIM", "s", "MAXLEN", "1", "MINID", "1"),
        ("XTRIM", "s", "MAXLEN", "1", "x"), ("XTRIM", "s", "MAXLEN", "~"),
        ("XTRIM", "s", "maxlen", "~", "0", "limit", "0"), ("XTRIM", "s", "MINID", "(1"),
    ] + SEED + [
        ("XTRIM", "s", "MINID", "0"), ("XTRIM", "s", "MINID", MAXID), ("XLEN", "s"), xinfo("s"),
    ],
    "xsetid": [
        ("XSETID", "nokey", "1-1"), ("XADD", "s", "5-5", "a", "1"), ("XSETID", "s", "5-4"),
        ("XSETID", "s", "5-5"), ("XSETID", "s", "6"), xinfo("s"), ("XADD", "s", "6-0", "a", "1"),
        ("XADD", "s", "6-*", "a", "1"), ("XSETID", "s", "x"), ("XSETID", "s", "-"), ("XSETID", "s", "+"),
        ("XSETID", "s", "$"), ("XSETID", "s", "10-0", "ENTRIESADDED", "1"),
        ("XSETID", "s", "10-0", "ENTRIESADDED", "-1"), ("XSETID", "s", "10-0", "ENTRIESADDED", "x"),
        ("XSETID", "s", "10-0", "ENTRIESADDED", "5"), xinfo("s"),
        ("XSETID", "s", "11-0", "MAXDELETEDID", "12-0"), ("XSETID", "s", "11-0", "MAXDELETEDID", "x"),
        ("XSETID", "s", "11-0", "ENTRIESADDED", "7", "MAXDELETEDID", "3-3"), xinfo("s"),
        ("XSETID", "s", "11-0", "MAXDELETEDID", "11-0"), xinfo("s"),
        ("XSETID", "s", "11-0", "ENTRIESADDED"), ("XSETID", "s", "11-0", "FOO", "1"),
        ("XSETID", "s", "11-0", "ENTRIESADDED", "7", "ENTRIESADDED", "8"), xinfo("s"),
        ("XADD", "e", "1-1", "a", "1"), ("XDEL", "e", "1-1"), ("XSETID", "e", "1-1"),
        ("XSETID", "e", "1-5"), xinfo("e"), ("XSETID", "e", "2-0", "ENTRIESADDED", "0"),
        ("XSETID", "e", "2-0", "ENTRIESADDED", "0", "MAXDELETEDID", "0-0"), xinfo("e"),
        ("XADD", "e", "1-9", "a", "1"), ("XADD", "e", "2-0", "a", "1"), ("XADD", "e", "2-1", "a", "1"),
        xinfo("e"), ("XSETID", "e", MAXID), ("XADD", "e", "*", "a", "1"), ("XSETID", "s"),
        ("SET", "str", "x"), ("XSETID", "str", "1-1"),
    ],
    "xread": SEED + [
        ("XADD", "t", "3-0", "x", "1"), ("XADD", "t", "7-0", "y", "2"),
        ("XREAD", "STREAMS", "s", "0"), ("XREAD", "STREAMS", "s", "0-0"), ("XREAD", "STREAMS", "s", "2-1"),
        ("XREAD", "STREAMS", "s", "2"), ("XREAD", "STREAMS", "s", "5-1"), ("XREAD", "STREAMS", "s", "$"),
        ("XREAD", "COUNT", "2", "STREAMS", "s", "0"), ("XREAD", "COUNT", "0", "STREAMS", "s", "3"),
        ("XREAD", "COUNT", "-5", "STREAMS", "s", "3"), ("XREAD", "COUNT", "x", "STREAMS", "s", "3"),
        ("XREAD", "STREAMS", "s", "t", "0", "0"), ("XREAD", "COUNT", "1", "STREAMS", "s", "t", "4", "4"),
        ("XREAD", "STREAMS", "s", "t", "$", "5"), ("XREAD", "STREAMS", "s", "t", "nokey", "0", "0", "0"),
        ("XREAD", "STREAMS", "nokey", "0"), ("XREAD", "STREAMS", "nokey", "$"),
        ("XREAD", "STREAMS", "s", "s", "1", "3"), ("XREAD", "STREAMS", "s", "x"),
        ("XREAD", "STREAMS", "s", ">"), ("XREAD", "STREAMS", "s", "(1"), ("XREAD", "STREAMS", "s", "-"),
        ("XREAD", "STREAMS", "s", "+"), ("XREAD", "STREAMS", "s", MAXID),
        ("XREAD", "BLOCK", "0", "STREAMS", "s", "0"), ("XREAD", "BLOCK", "10", "COUNT", "1", "STREAMS", "s", "0"),
        ("XREAD", "BLOCK", "-1", "STREAMS", "s", "0"), ("XREAD", "BLOCK", "x", "STREAMS", "s", "0"),
        ("XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"), ("XREAD", "NOACK", "STREAMS", "s", "0"),
        ("XREAD", "FOO", "STREAMS", "s", "0"), ("XREAD", "COUNT", "1"), ("XREAD", "COUNT", "1", "s", "0"),
        ("XREAD", "s", "0"), ("XREAD", "STREAMS"), ("XREAD", "streams", "s", "4"),
        ("XREAD", "count", "1", "block", "1", "streams", "s", "4"),
        ("SET", "str", "x"), ("XREAD", "STREAMS", "str", "0"), ("XREAD", "STREAMS", "s", "str", "0", "0"),
        ("XREAD", "STREAMS", "nokey", "str", "0", "0"),
    ],
    "groups": SEED + [
        ("XGROUP", "CREATE", "s", "g1", "$"), ("XGROUP", "CREATE", "s", "g1", "$"),
        ("XGROUP", "CREATE", "s", "g2", "0"), ("XGROUP", "CREATE", "s", "g3", "3-1"),
        ("XGROUP", "CREATE", "s", "g4", "3"), ("XGROUP", "CREATE", "s", "g5", "9-9"),
        ("XGROUP", "CREATE", "s", "g6", "x"), ("XGROUP", "CREATE", "s", "g6", "-"),
        ("XGROUP", "CREATE", "s", "g6", "+"), ("XGROUP", "CREATE", "s", "g6", ">"),
        ("XGROUP", "CREATE", "s", "g7", "0", "ENTRIESREAD", "2"),
        ("XGROUP", "CREATE", "s", "g8", "$", "ENTRIESREAD", "-1"),
        ("XGROUP", "CREATE", "s", "g9", "$", "ENTRIESREAD", "-2"),
        ("XGROUP", "CREATE", "s", "g9", "$", "ENTRIESREAD", "x"),
        ("XGROUP", "CREATE", "s", "g9", "$", "ENTRIESREAD", "99"),
        ("XGROUP", "CREATE", "s", "g10", "$", "MKSTREAM"), ("XGROUP", "CREATE", "s", "g11", "$", "FOO"),
        ("XGROUP", "CREATE", "s", "g11", "$", "ENTRIESREAD"), ("XGROUP", "CREATE", "s", "g11"),
        ("XGROUP", "CREATE", "nokey", "g", "$"), ("XGROUP", "CREATE", "nokey", "g", "$", "MKSTREAM"),
        ("TYPE", "nokey"), ("XLEN", "nokey"), xinfo("nokey"), ("XGROUP", "CREATE", "nokey", "g", "0"),
        ("XGROUP", "CREATE", "mk", "g", "5-5", "MKSTREAM", "ENTRIESREAD", "3"), ("XINFO", "GROUPS", "mk"),
        ("XINFO", "GROUPS", "s"),
        ("XGROUP", "SETID", "s", "g1", "0"), ("XGROUP", "SETID", "s", "g2", "$"),
        ("XGROUP", "SETID", "s", "g3", "2-1", "ENTRIESREAD", "1"), ("XGROUP", "SETID", "s", "g3", "x"),
        ("XGROUP", "SETID", "s", "nog", "0"), ("XGROUP", "SETID", "nokey2", "g", "0"),
        ("XGROUP", "SETID", "s", "g3", "0", "ENTRIESREAD", "-3"), ("XGROUP", "SETID", "s", "g3", "0", "FOO"),
        ("XGROUP", "SETID", "s", "g3", "0", "MKSTREAM"), ("XGROUP", "SETID", "s", "g3"),
        ("XINFO", "GROUPS", "s"),
        ("XGROUP", "CREATECONSUMER", "s", "g1", "alice"), ("XGROUP", "CREATECONSUMER", "s", "g1", "alice"),
        ("XGROUP", "CREATECONSUMER", "s", "nog", "alice"), ("XGROUP", "CREATECONSUMER", "nokey2", "g", "a"),
        ("XGROUP", "CREATECONSUMER", "s", "g1"), ("XGROUP", "CREATECONSUMER", "s", "g1", "a", "b"),
        ("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "s", ">"),
        ("XINFO", "GROUPS", "s"),
        ("XGROUP", "DELCONSUMER", "s", "g1", "bob"), ("XGROUP", "DELCONSUMER", "s", "g1", "bob"),
        ("XGROUP", "DELCONSUMER", "s", "g1", "alice"), ("XGROUP", "DELCONSUMER", "s", "nog", "alice"),
        ("XGROUP", "DELCONSUMER", "nokey2", "g", "a"), ("XINFO", "GROUPS", "s"),
        ("XGROUP", "DESTROY", "s", "g1"), ("XGROUP", "DESTROY", "s", "g1"), ("XGROUP", "DESTROY", "nokey2", "g"),
        ("XGROUP", "DESTROY", "s"), ("XINFO", "GROUPS", "s"), ("XGROUP", "FOO", "s", "g"),
        ("XGROUP", "create", "s", "lower", "0"), ("XGROUP",), ("XGROUP", "CREATE"),
        ("SET", "str", "x"), ("XGROUP", "CREATE", "str", "g", "$"), ("XGROUP", "CREATE", "str", "g", "$", "MKSTREAM"),
        ("XGROUP", "DESTROY", "str", "g"), ("XINFO", "GROUPS", "str"), ("XINFO", "GROUPS", "nokey2"),
        ("XINFO", "GROUPS"), ("XINFO", "FOO", "s"), ("XINFO", "STREAM", "nokey2"),
        ("XINFO", "STREAM", "s", "FOO"), ("XINFO", "STREAM", "str"),
        ("XINFO", "STREAM", "s", "FULL", "COUNT"), ("XINFO", "STREAM", "s", "FULL", "FOO", "1"),
        ("XINFO", "STREAM", "s", "FULL", "COUNT", "x"), ("XINFO", "STREAM", "s", "FULL", "COUNT", "1", "FOO"),
        ("XINFO", "STREAM", "s", "FULL", "1"), ("XINFO", "STREAM", "s", "FULL", "COUNT", "1", "COUNT", "2"),
        ("XINFO", "STREAM", "nokey2", "FULL"), ("XINFO", "STREAM", "str", "FULL"),
        ("XINFO", "CONSUMERS", "nokey2", "g"), ("XINFO", "CONSUMERS", "s", "nog"),
        ("XINFO", "CONSUMERS", "str", "g"), ("XINFO", "CONSUMERS", "s"), ("XINFO", "CONSUMERS", "s", "g2"),
        ("XINFO", "CONSUMERS", "s", "g2", "x"), ("XINFO", "HELP", "x"),
    ],
    "lag": SEED + [
        ("XGROUP", "CREATE", "s", "g", "0"), ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">"), ("XINFO", "GROUPS", "s"),
        ("XDEL", "s", "4-1"), ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"), ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"), ("XINFO", "GROUPS", "s"),
        ("XADD", "s", "6-1", "f", "v6"), ("XINFO", "GROUPS", "s"),
        ("XGROUP", "CREATE", "s", "g2", "2-1"), ("XINFO", "GROUPS", "s"),
        ("XDEL", "s", "1-1"), ("XGROUP", "CREATE", "s", "g3", "0"), ("XINFO", "GROUPS", "s"),
        ("XTRIM", "s", "MAXLEN", "2"), ("XINFO", "GROUPS", "s"), xinfo("s"),
        ("XGROUP", "SETID", "s", "g3", "$"), ("XINFO", "GROUPS", "s"),
        ("XGROUP", "SETID", "s", "g2", "0", "ENTRIESREAD", "0"), ("XINFO", "GROUPS", "s"),
        ("XSETID", "s", "6-1", "ENTRIESADDED", "20"), ("XINFO", "GROUPS", "s"),
        ("XGROUP", "CREATE", "z", "g", "$", "MKSTREAM"), ("XINFO", "GROUPS", "z"),
        ("XADD", "z", "1-1", "a", "1"), ("XINFO", "GROUPS", "z"),
        ("XGROUP", "CREATE", "z", "g0", "0"), ("XINFO", "GROUPS", "z"),
    ],
    "xreadgroup": GROUP[:-1] + [
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "1-1"),
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", "0"),
        ("XREADGROUP", "GROUP", "g", "d", "STREAMS", "s", "0"),
        ("XREADGROUP", "GROUP", "g", "d", "NOACK", "COUNT", "1", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "d", "STREAMS", "s", "0"), pending("s", "g", "-", "+", "10"),
        ("XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", "0"),
        ("XREADGROUP", "GROUP", "g", "e", "BLOCK", "0", "COUNT", "1", "STREAMS", "s", ">"),
        ("XDEL", "s", "1-1"), ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"), ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "x"), ("XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "nokey", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "nokey", ">", ">"),
        ("XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"), ("XREADGROUP", "GROUP", "g"),
        ("XREADGROUP", "STREAMS", "s", ">"), ("XREADGROUP", "COUNT", "1", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", "x", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "BLOCK", "-1", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "FOO", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "NOACK", "NOACK", "STREAMS", "s", ">"),
        ("XADD", "s", "6-1", "f", "v6"), ("XADD", "t", "1-0", "a", "1"), ("XGROUP", "CREATE", "t", "g", "0"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", "0", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "t", "s", "0", "0"),
        ("XINFO", "GROUPS", "s"), ("XINFO", "GROUPS", "t"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "t", "s", ">", "x"),
        ("SET", "str", "x"), ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "str", ">", ">"),
        ("XREADGROUP", "group", "g", "c", "count", "1", "noack", "streams", "s", ">"),
    ],
    "xack": GROUP + [
        ("XACK", "s", "g", "1-1"), ("XACK", "s", "g", "1-1"), ("XACK", "s", "g", "2-1", "3-1", "9-9"),
        ("XACK", "s", "g", "4"), ("XACK", "s", "g", "x"), ("XACK", "s", "g", "5-1", "x"),
        ("XACK", "s", "nog", "5-1"), ("XACK", "nokey", "g", "5-1"), ("XACK", "nokey", "g", "x"),
        ("XACK", "s", "g"), ("XPENDING", "s", "g"), ("XACK", "s", "g", "4-1", "4-1", "5-1"),
        ("XPENDING", "s", "g"), ("XINFO", "GROUPS", "s"), ("SET", "str", "x"), ("XACK", "str", "g", "1-1"),
    ],
    "xpending": GROUP + [
        ("XREADGROUP", "GROUP", "g", "d", "STREAMS", "s", "0"),
        ("XADD", "s", "6-1", "f", "v"), ("XREADGROUP", "GROUP", "g", "d", "STREAMS", "s", ">"),
        ("XPENDING", "s", "g"), pending("s", "g", "-", "+", "10"), pending("s", "g", "-", "+", "2"),
        pending("s", "g", "-", "+", "10", "d"), pending("s", "g", "-", "+", "10", "nobody"),
        pending("s", "g", "(1-1", "(5-1", "10"), pending("s", "g", "2", "4", "10"),
        pending("s", "g", "+", "-", "10"), pending("s", "g", "-", "+", "0"), pending("s", "g", "-", "+", "-1"),
        pending("s", "g", "IDLE", "0", "-", "+", "10"), pending("s", "g", "IDLE", "0", "-", "+", "10", "c"),
        pending("s", "g", "IDLE", "1000000", "-", "+", "10"), pending("s", "g", "idle", "0", "-", "+", "3"),
        pending("s", "g", "-", "+"), pending("s", "g", "-", "+", "x"), pending("s", "g", "-"),
        pending("s", "g", "IDLE"), pending("s", "g", "IDLE", "x", "-", "+", "10"),
        pending("s", "g", "IDLE", "0"), pending("s", "g", "IDLE", "-1", "-", "+", "10"),
        pending("s", "g", "x", "+", "10"), pending("s", "g", "-", "x", "10"),
        ("XPENDING", "s", "g", "(" + MAXID, "+", "10"), ("XPENDING", "s", "g", "-", "(0-0", "10"),
        pending("s", "g", "-", "+", "10", "c", "extra"), ("XPENDING", "s", "nog"),
        ("XPENDING", "nokey", "g"), pending("nokey", "g", "-", "+", "10"), ("XPENDING", "s"),
        ("XACK", "s", "g", "1-1", "2-1", "3-1", "4-1", "5-1", "6-1"), ("XPENDING", "s", "g"),
        pending("s", "g", "-", "+", "10"), ("XGROUP", "CREATE", "s", "empty", "$"),
        ("XPENDING", "s", "empty"), ("SET", "str", "x"), ("XPENDING", "str", "g"),
    ],
    "xclaim": GROUP + [
        ("XCLAIM", "s", "g", "d", "0", "1-1"), pending("s", "g", "-", "+", "10"),
        ("XCLAIM", "s", "g", "d", "0", "2-1", "3-1", "JUSTID"), pending("s", "g", "-", "+", "10"),
        ("XCLAIM", "s", "g", "d", "1000000", "4-1"), ("XCLAIM", "s", "g", "d", "0", "9-9"),
        ("XCLAIM", "s", "g", "d", "0", "9-9", "FORCE"), ("XADD", "s", "6-1", "f", "v6"),
        ("XCLAIM", "s", "g", "e", "0", "6-1"), ("XCLAIM", "s", "g", "e", "0", "6-1", "FORCE", "JUSTID"),
        pending("s", "g", "-", "+", "10"), ("XPENDING", "s", "g"),
        ("XCLAIM", "s", "g", "e", "0", "4-1", "RETRYCOUNT", "7"), pending("s", "g", "-", "+", "10"),
        ("XCLAIM", "s", "g", "e", "0", "4-1", "RETRYCOUNT", "7", "JUSTID"),
        ("XCLAIM", "s", "g", "e", "0", "5-1", "IDLE", "5000000"),
        pending("s", "g", "IDLE", "4000000", "-", "+", "10"),
        ("XCLAIM", "s", "g", "f", "4000000", "1-1", "2-1", "5-1", "JUSTID"),
        ("XCLAIM", "s", "g", "f", "0", "1-1", "TIME", "1"), pending("s", "g", "IDLE", "4000000", "-", "+", "10"),
        ("XCLAIM", "s", "g", "f", "0", "2-1", "TIME", "99999999999999"),
        pending("s", "g", "IDLE", "4000000", "-", "+", "10"),
        ("XCLAIM", "s", "g", "f", "0", "3-1", "IDLE", "-5", "RETRYCOUNT", "-3"), pending("s", "g", "-", "+", "10"),
        ("XINFO", "GROUPS", "s"), ("XCLAIM", "s", "g", "f", "0", "3-1", "LASTID", "8-0"), ("XINFO", "GROUPS", "s"),
        ("XCLAIM", "s", "g", "f", "0", "3-1", "LASTID", "1-0"), ("XINFO", "GROUPS", "s"),
        ("XDEL", "s", "2-1"), ("XCLAIM", "s", "g", "h", "0", "1-1", "2-1", "3-1"), ("XPENDING", "s", "g"),
        ("XCLAIM", "s", "g", "h", "0", "2-1", "FORCE"), ("XPENDING", "s", "g"),
        ("XCLAIM", "s", "g", "h", "0", "1-1", "JUSTID", "FORCE", "RETRYCOUNT", "2", "IDLE", "0", "LASTID", "0-1"),
        ("XCLAIM", "s", "g", "h", "x", "1-1"), ("XCLAIM", "s", "g", "h", "-1", "1-1"),
        ("XCLAIM", "s", "g", "h", "0", "x"), ("XCLAIM", "s", "g", "h", "0", "1-1", "x"),
        ("XCLAIM", "s", "g", "h", "0", "1-1", "FOO"), ("XCLAIM", "s", "g", "h", "0", "1-1", "IDLE"),
        ("XCLAIM", "s", "g", "h", "0", "1-1", "IDLE", "x"), ("XCLAIM", "s", "g", "h", "0", "1-1", "TIME", "x"),
        ("XCLAIM", "s", "g", "h", "0", "1-1", "RETRYCOUNT", "x"), ("XCLAIM", "s", "g", "h", "0", "1-1", "LASTID", "x"),
        ("XCLAIM", "s", "g", "h", "0", "1-1", "LASTID"), ("XCLAIM", "s", "g", "h", "0"),
        ("XCLAIM", "s", "nog", "h", "0", "1-1"), ("XCLAIM", "nokey", "g", "h", "0", "1-1"),
        ("XCLAIM", "s", "g", "h", "0", "1-1", "justid", "force"),
        ("SET", "str", "x"), ("XCLAIM", "str", "g", "h", "0", "1-1"),
    ],
    "xautoclaim": GROUP + [
        ("XAUTOCLAIM", "s", "g", "d", "0", "0", "COUNT", "2"), pending("s", "g", "-", "+", "10"),
        ("XAUTOCLAIM", "s", "g", "d", "0", "3-1", "COUNT", "2", "JUSTID"), pending("s", "g", "-", "+", "10"),
        ("XAUTOCLAIM", "s", "g", "e", "0", "(2-1"), ("XAUTOCLAIM", "s", "g", "e", "1000000", "0"),
        ("XAUTOCLAIM", "s", "g", "e", "0", "-"), ("XAUTOCLAIM", "s", "g", "e", "0", "+"),
        ("XCLAIM", "s", "g", "old", "0", "2-1", "4-1", "IDLE", "5000000", "JUSTID"),
        ("XAUTOCLAIM", "s", "g", "e", "4000000", "0-0", "COUNT", "1"),
        ("XAUTOCLAIM", "s", "g", "e", "4000000", "3-0"), ("XAUTOCLAIM", "s", "g", "e", "4000000", "0"),
        ("XDEL", "s", "1-1", "3-1"), ("XAUTOCLAIM", "s", "g", "e", "0", "0", "COUNT", "1"),
        ("XAUTOCLAIM", "s", "g", "e", "0", "0", "COUNT", "10"), ("XPENDING", "s", "g"),
        pending("s", "g", "-", "+", "10"), ("XAUTOCLAIM", "s", "g", "e", "0", "0", "JUSTID"),
        ("XAUTOCLAIM", "s", "g", "e", "0", "0", "COUNT", "0"), ("XAUTOCLAIM", "s", "g", "e", "0", "0", "COUNT", "-1"),
        ("XAUTOCLAIM", "s", "g", "e", "0", "0", "COUNT", "x"),
        ("XAUTOCLAIM", "s", "g", "e", "0", "0", "COUNT", "1000000000000000000"),
        ("XAUTOCLAIM", "s", "g", "e", "0", "0", "COUNT"), ("XAUTOCLAIM", "s", "g", "e", "0", "0", "FOO"),
        ("XAUTOCLAIM", "s", "g", "e", "x", "0"), ("XAUTOCLAIM", "s", "g", "e", "-1", "0"),
        ("XAUTOCLAIM", "s", "g", "e", "0", "x"), ("XAUTOCLAIM", "s", "g", "e", "0"),
        ("XAUTOCLAIM", "s", "nog", "e", "0", "0"), ("XAUTOCLAIM", "nokey", "g", "e", "0", "0"),
        ("XAUTOCLAIM", "s", "g", "e", "0", "0", "justid", "count", "5"),
        ("SET", "str", "x"), ("XAUTOCLAIM", "str", "g", "e", "0", "0"),
    ] + [("XADD", "many", "%d-0" % i, "f", "v") for i in range(1, 31)] + [
        ("XGROUP", "CREATE", "many", "g", "0"), ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "many", ">"),
        ("XDEL", "many", *["%d-0" % i for i in range(1, 26)]),
        ("XAUTOCLAIM", "many", "g", "d", "0", "0", "COUNT", "1"),
        ("XAUTOCLAIM", "many", "g", "d", "0", "0", "COUNT", "2"), ("XPENDING", "many", "g"),
        ("XAUTOCLAIM", "many", "g", "d", "0", "0", "COUNT", "10"), ("XPENDING", "many", "g"),
    ],
    "keyspace": GROUP + [
        ("TYPE", "s"), ("OBJECT", "ENCODING", "s"), ("EXISTS", "s"),
        ("XADD", "t", "1-1", "a", "1"), ("SET", "str", "x"), ("RPUSH", "list", "a"),
        M(mask_scan, "SCAN", "0", "TYPE", "stream", "COUNT", "1000"),
        M(mask_scan, "SCAN", "0", "TYPE", "STREAM", "COUNT", "1000"),
        M(mask_scan, "SCAN", "0", "TYPE", "string", "COUNT", "1000"),
        ("RENAME", "s", "s2"), ("EXISTS", "s"), ("XRANGE", "s2", "-", "+"), ("XINFO", "GROUPS", "s2"),
        ("XPENDING", "s2", "g"), ("COPY", "s2", "s3"), ("XADD", "s3", "9-9", "new", "1"),
        ("XGROUP", "DESTROY", "s3", "g"), ("XLEN", "s2"), ("XLEN", "s3"), ("XINFO", "GROUPS", "s2"),
        ("XINFO", "GROUPS", "s3"), xinfo("s2"), xinfo("s3"), ("COPY", "s2", "t"), ("COPY", "s2", "t", "REPLACE"),
        ("XRANGE", "t", "-", "+"), ("XPENDING", "t", "g"), ("XACK", "t", "g", "1-1"), ("XPENDING", "s2", "g"),
        ("EXPIRE", "s2", "100"), ("PERSIST", "s2"), ("EXPIRE", "s2", "100"), ("XADD", "s2", "7-0", "a", "1"),
        ("XTRIM", "s2", "MAXLEN", "1"), ("XGROUP", "CREATE", "s2", "g9", "0"), ("PERSIST", "s2"),
        ("PEXPIRE", "s2", "0"), ("EXISTS", "s2"),
        ("DEL", "s3"), ("UNLINK", "t"), ("EXISTS", "s3", "t"),
        ("XADD", "d", "1-1", "a", "1"), ("MOVE", "d", "1"), ("EXISTS", "d"), ("SELECT", "1"), ("XLEN", "d"),
        ("SELECT", "0"), ("RENAMENX", "list", "str"), ("RENAME", "list", "str"), ("TYPE", "str"),
        ("XADD", "str", "5-5", "a", "1"), ("RENAME", "str", "str"), ("XLEN", "str"),
        ("EVAL", "return redis.call('XRANGE', KEYS[1], '-', '+')", "1", "str"),
        ("EVAL", "return redis.call('XADD', KEYS[1], '6-0', 'a', 'b')", "1", "str"),
        ("EVAL", "return redis.call('XINFO', 'GROUPS', KEYS[1])", "1", "str"),
        ("EVAL", "return redis.pcall('XADD', KEYS[1], '1-0', 'a', 'b')", "1", "str"),
        ("EVAL", "return redis.call('XREAD', 'STREAMS', KEYS[1], '0')", "1", "str"),
        ("EVAL", "return redis.call('XREAD', 'BLOCK', '0', 'STREAMS', 'nokey', '0')", "0"),
        ("FLUSHDB",), ("XLEN", "str"),
    ],
    "wrongtype": [("SET", "str", "x"), ("XADD", "s", "1-1", "f", "v"), ("XGROUP", "CREATE", "s", "g", "0")] + [
        tuple(c) for c in (
            ["XADD", "str", "1-1", "a", "1"], ["XADD", "str", "*", "a", "1"],
            ["XADD", "str", "NOMKSTREAM", "1-1", "a", "1"], ["XLEN", "str"], ["XRANGE", "str", "-", "+"],
            ["XREVRANGE", "str", "+", "-"], ["XDEL", "str", "1-1"], ["XTRIM", "str", "MAXLEN", "0"],
            ["XSETID", "str", "1-1"], ["XREAD", "STREAMS", "str", "0"], ["XREAD", "STREAMS", "str", "$"],
            ["XGROUP", "CREATE", "str", "g", "0"], ["XGROUP", "SETID", "str", "g", "0"],
            ["XGROUP", "DESTROY", "str", "g"], ["XGROUP", "CREATECONSUMER", "str", "g", "c"],
            ["XGROUP", "DELCONSUMER", "str", "g", "c"], ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">"],
            ["XACK", "str", "g", "1-1"], ["XPENDING", "str", "g"], ["XPENDING", "str", "g", "-", "+", "1"],
            ["XCLAIM", "str", "g", "c", "0", "1-1"], ["XAUTOCLAIM", "str", "g", "c", "0", "0"],
            ["XINFO", "STREAM", "str"], ["XINFO", "GROUPS", "str"], ["XINFO", "CONSUMERS", "str", "g"],
            ["XRANGE", "str", "x", "+"], ["XADD", "str", "bad", "a", "1"],
            ["GET", "s"], ["APPEND", "s", "x"], ["LPUSH", "s", "a"], ["SADD", "s", "a"], ["HSET", "s", "a", "b"],
            ["ZADD", "s", "1", "a"], ["INCR", "s"], ["LLEN", "s"], ["STRLEN", "s"], ["HGET", "s", "a"],
            ["BLPOP", "s", "0"], ["SORT", "s"],
        )
    ],
    "multi": [
        ("MULTI",), ("XADD", "s", "1-1", "a", "1"), ("XADD", "s", "1-1", "a", "1"), ("XLEN", "s"),
        ("XREAD", "BLOCK", "0", "STREAMS", "s", "$"), ("XREAD", "BLOCK", "0", "STREAMS", "nokey", "0"),
        ("XGROUP", "CREATE", "s", "g", "$"),
        ("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"), ("EXEC",),
        ("MULTI",), ("XADD", "s", "bad", "a"), ("EXEC",), ("XLEN", "s"),
        ("MULTI",), ("XADD", "s", "2-2", "a", "1"), ("XREADGROUP", "GROUP", "g", "c", "BLOCK", "100", "STREAMS", "s", ">"),
        ("EXEC",),
    ],
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream_resp2(pair, name):
    run_stream(pair, STREAMS[name])


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream_resp3(pair, name):
    run_stream(pair, STREAMS[name], resp3=True)


def test_node_config(pair):
    """stream-node-max-entries / -bytes exist and round-trip like Redis's."""
    run_stream(pair, [
        ("CONFIG", "GET", "stream-node-max-entries"), ("CONFIG", "GET", "stream-node-max-bytes"),
        ("CONFIG", "SET", "stream-node-max-entries", "5"), ("CONFIG", "GET", "stream-node-max-entries"),
        ("CONFIG", "SET", "stream-node-max-bytes", "8192"), ("CONFIG", "GET", "stream-node-max-bytes"),
        ("CONFIG", "SET", "stream-node-max-entries", "x"), ("CONFIG", "SET", "stream-node-max-bytes", "4096"),
        ("CONFIG", "SET", "stream-node-max-entries", DEFAULT_NODE_ENTRIES),
    ])


# ---- seeded random streams ----------------------------------------------------------------

def _small_fields(rnd):
    return rnd.choice([["f", "v"], ["f", "w"], ["f", "v", "g", "x"], ["h", "1"], ["f", "123456"], ["", ""]])


def _sized_fields(rnd):
    """Values of every listpack flavour (small/large/negative integers, short and long
    strings), so that blocks fill by bytes as well as by count."""
    out = []
    for _ in range(rnd.choice([1, 1, 2, 3, 5])):
        out.append(rnd.choice(["f", "g", "field%d" % rnd.randint(0, 3), "x" * rnd.randint(1, 70)]))
        out.append(rnd.choice([
            str(rnd.randint(0, 127)), str(rnd.randint(-5000, 5000)), str(rnd.randint(-2**40, 2**40)),
            str(rnd.randint(2**62, 2**63 - 1)), "-0", "007", "v" * rnd.randint(0, 20),
            "w" * rnd.randint(40, 200), "z" * rnd.randint(300, 5000)]))
    return out


def _random_ops(rnd, node_entries, n_ops, node_bytes=4096, fields=_small_fields):
    keys = ["k1", "k2"]
    last = {k: [0, 0] for k in keys}      # highest ID handed out per key (ms, seq)
    used = {k: [] for k in keys}          # IDs added (some since deleted)
    stream = [("CONFIG", "SET", "stream-node-max-entries", str(node_entries)),
              ("CONFIG", "SET", "stream-node-max-bytes", str(node_bytes))]

    def next_id(k):
        ms, seq = last[k]
        if rnd.random() < 0.4:
            seq += rnd.randint(1, 3)
        else:
            ms += rnd.randint(1, 4)
            seq = rnd.randint(0, 2)
        last[k] = [ms, seq]
        used[k].append("%d-%d" % (ms, seq))
        return "%d-%d" % (ms, seq)

    def some_id(k):
        if used[k] and rnd.random() < 0.7:
            return rnd.choice(used[k])
        return "%d-%d" % (rnd.randint(0, last[k][0] + 2), rnd.randint(0, 3))

    def bound(k, low):
        r = rnd.random()
        if r < 0.15:
            return "-" if low else "+"
        if r < 0.25:
            return str(rnd.randint(0, last[k][0] + 2))
        i = some_id(k)
        return "(" + i if rnd.random() < 0.3 else i

    def trim(k):
        args = []
        if rnd.random() < 0.5:
            args += ["MAXLEN"] + rnd.choice([[], ["="], ["~"]]) + [str(rnd.randint(0, 40))]
        else:
            args += ["MINID"] + rnd.choice([[], ["="], ["~"]]) + [some_id(k)]
        if "~" in args and rnd.random() < 0.4:
            args += ["LIMIT", str(rnd.randint(0, 3 * node_entries))]
        return args

    for _ in range(n_ops):
        k = rnd.choice(keys)
        op = rnd.randrange(20)
        if op < 9:
            args = ["XADD", k]
            if rnd.random() < 0.2:
                args += trim(k)
            r = rnd.random()
            if r < 0.05 and used[k]:
                args.append(rnd.choice(used[k]))            # equal or smaller: error
            elif r < 0.15:
                ms = last[k][0] + rnd.randint(0, 2)
                args.append("%d-*" % ms)
                seq = last[k][1] + 1 if ms == last[k][0] else 0
                last[k] = [ms, seq]
                used[k].append("%d-%d" % (ms, seq))
            else:
                args.append(next_id(k))
            stream.append(tuple(args + fields(rnd)))
        elif op < 11:
            stream.append(("XDEL", k) + tuple(some_id(k) for _ in range(rnd.randint(1, 4))))
        elif op == 11:
            stream.append(("XTRIM", k, *trim(k)))
        elif op < 15:
            cmd = ["XRANGE", k, bound(k, True), bound(k, False)]
            if rnd.random() < 0.5:
                cmd = ["XREVRANGE", k, cmd[3], cmd[2]]
            if rnd.random() < 0.5:
                cmd += ["COUNT", str(rnd.randint(0, 6))]
            stream.append(tuple(cmd))
        elif op == 15:
            stream.append(("XLEN", k))
        elif op == 16:
            stream.append(xinfo(k))
        elif op == 17:
            stream.append(("XREAD", "COUNT", str(rnd.randint(1, 5)), "STREAMS", "k1", "k2",
                           some_id("k1"), some_id("k2")))
        elif op == 18 and rnd.random() < 0.3:
            stream.append(("DEL", k))
            last[k], used[k] = [0, 0], []
        else:
            stream.append(("XRANGE", k, "-", "+"))
    for k in keys:
        stream += [("XRANGE", k, "-", "+"), ("XREVRANGE", k, "+", "-"), xinfo(k)]
    return stream


@pytest.mark.parametrize("seed,node_entries", [(1, 100), (2, 2), (3, 3), (4, 5), (5, 8)])
def test_random_stream(pair, seed, node_entries):
    run_stream(pair, _random_ops(random.Random(seed), node_entries, 700))


# Blocks closed by size (stream-node-max-bytes, Redis's listpack sizes) as well as by count;
# 0 means no byte limit.
@pytest.mark.parametrize("seed,node_entries,node_bytes", [
    (21, 100, 4096), (22, 100, 300), (23, 10, 1000), (24, 100, 0), (25, 0, 2000)])
def test_random_stream_sized(pair, seed, node_entries, node_bytes):
    stream = _random_ops(random.Random(seed), node_entries, 500, node_bytes, _sized_fields)
    run_stream(pair, stream + [("CONFIG", "SET", "stream-node-max-bytes", "4096")])


def _random_group_ops(rnd, n_ops):
    stream = [("CONFIG", "SET", "stream-node-max-entries", "4")]
    ids = []
    ms = 0
    consumers = ["c1", "c2", "c3"]
    for i in range(12):
        ms += 1
        ids.append("%d-0" % ms)
        stream.append(("XADD", "s", ids[-1], "n", str(i)))
    stream += [("XGROUP", "CREATE", "s", "g", "0"), ("XGROUP", "CREATE", "s", "h", "$")]
    # Consumers exist from the start and are re-created right after DELCONSUMER: Redis 7.0
    # creates a consumer only when it is served or claims something, 7.2 on every XREADGROUP /
    # XCLAIM / XAUTOCLAIM, which XINFO GROUPS would show.
    stream += [("XGROUP", "CREATECONSUMER", "s", g, c) for g in ("g", "h") for c in consumers]

    def some_id():
        return rnd.choice(ids) if rnd.random() < 0.8 else "%d-%d" % (rnd.randint(0, ms + 1), rnd.randint(0, 1))

    for _ in range(n_ops):
        g = rnd.choice(["g", "g", "h"])
        c = rnd.choice(consumers)
        op = rnd.randrange(16)
        if op < 3:
            ms += rnd.randint(1, 2)
            ids.append("%d-0" % ms)
            stream.append(("XADD", "s", ids[-1], "n", str(ms)))
        elif op < 6:
            cmd = ["XREADGROUP", "GROUP", g, c]
            if rnd.random() < 0.6:
                cmd += ["COUNT", str(rnd.randint(1, 4))]
            if rnd.random() < 0.15:
                cmd.append("NOACK")
            cmd += ["STREAMS", "s", ">" if rnd.random() < 0.7 else rnd.choice(["0", some_id()])]
            stream.append(tuple(cmd))
        elif op < 8:
            stream.append(("XACK", "s", g) + tuple(some_id() for _ in range(rnd.randint(1, 3))))
        elif op == 8:
            stream.append(("XDEL", "s", some_id()))
        elif op == 9:
            cmd = ["XCLAIM", "s", g, c, "0"] + [some_id() for _ in range(rnd.randint(1, 3))]
            cmd += rnd.choice([[], ["JUSTID"], ["FORCE"], ["RETRYCOUNT", "3"], ["LASTID", some_id()]])
            stream.append(tuple(cmd))
        elif op == 10:
            cmd = ["XAUTOCLAIM", "s", g, c, "0", rnd.choice(["0", some_id()]), "COUNT",
                   str(rnd.randint(1, 4))]
            if rnd.random() < 0.3:
                cmd.append("JUSTID")
            stream.append(tuple(cmd))
        elif op == 11:
            stream.append(("XPENDING", "s", g))
            stream.append(pending("s", g, "-", "+", str(rnd.randint(1, 8)), *rnd.choice([[], [c]])))
        elif op == 12:
            stream.append(("XINFO", "GROUPS", "s"))
        elif op == 13:
            if rnd.random() < 0.5:
                stream += [("XGROUP", "DELCONSUMER", "s", g, c), ("XGROUP", "CREATECONSUMER", "s", g, c)]
            else:
                stream.append(("XGROUP", "SETID", "s", g, some_id()))
        elif op == 14:
            stream.append(("XTRIM", "s", "MAXLEN", rnd.choice(["=", "~"]), str(rnd.randint(3, 15))))
        else:
            stream.append(("XREADGROUP", "GROUP", g, c, "STREAMS", "s", "0"))
    stream += [("XINFO", "GROUPS", "s"), ("XPENDING", "s", "g"), ("XPENDING", "s", "h"),
               pending("s", "g", "-", "+", "100"), pending("s", "h", "-", "+", "100"), xinfo("s")]
    return stream


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_groups(pair, seed):
    run_stream(pair, _random_group_ops(random.Random(seed), 400))


# ---- WATCH: which stream commands dirty a watched key ---------------------------------------

WATCH_SETUP = [("XADD", "s", "1-0", "f", "v"), ("XADD", "s", "2-0", "f", "v"),
               ("XGROUP", "CREATE", "s", "g", "0")]
WATCH_ACTIONS = [
    ("XADD", "s", "3-0", "f", "v"), ("XADD", "s", "1-0", "f", "v"), ("XADD", "s", "MAXLEN", "0", "3-0", "f", "v"),
    ("XADD", "t", "1-0", "f", "v"), ("XDEL", "s", "9-0"), ("XDEL", "s", "1-0"), ("XTRIM", "s", "MAXLEN", "5"),
    ("XTRIM", "s", "MAXLEN", "1"), ("XTRIM", "s", "MINID", "2-0"), ("XREAD", "STREAMS", "s", "0"),
    ("XRANGE", "s", "-", "+"), ("XREVRANGE", "s", "+", "-"), ("XLEN", "s"), ("XINFO", "STREAM", "s"),
    ("XINFO", "GROUPS", "s"), ("DEL", "s"), ("RENAME", "s", "u"), ("EXPIRE", "s", "100"),
]


@pytest.mark.parametrize("action", WATCH_ACTIONS, ids=lambda a: "_".join(a[:3]))
def test_watch(server, redis_ref, action):
    conns = [(srv.raw(), srv.raw()) for srv in (server, redis_ref)]
    try:
        replies = []
        for watcher, actor in conns:
            watcher.cmd("FLUSHALL")
            for c in WATCH_SETUP:
                watcher.cmd(*c)
            out = [watcher.cmd("WATCH", "s"), actor.cmd(*action), watcher.cmd("MULTI"),
                   watcher.cmd("XLEN", "s"), watcher.cmd("EXEC")]
            replies.append(out)
        assert replies[0] == replies[1], "%r: dq %r != redis %r" % (action, replies[0], replies[1])
    finally:
        for pair_ in conns:
            for c in pair_:
                c.close()
