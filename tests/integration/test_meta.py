"""Meta-tests that walk dq's own command table (COMMAND):

- every command and subcommand answers Redis's wrong-arity error when given one argument
  too few (or, for fixed arity, one too many);
- every keyed command of a typed group (@string, @list, @hash, @set, @sortedset, @stream)
  has a WRONGTYPE probe below, or is listed as type-agnostic. A new command without either
  fails this test, so coverage cannot silently lag behind the table.
"""
import pytest

from dqtest import RawClient

TYPED = {"@string", "@list", "@hash", "@set", "@sortedset", "@stream", "@bitmap",
         "@hyperloglog", "@geo"}

# Keyed commands that work on any type (or overwrite whatever is there): no WRONGTYPE.
TYPE_AGNOSTIC = {
    "set", "setex", "psetex", "setnx", "mset", "msetnx", "getset",  # getset: see probes
    "del", "unlink", "exists", "type", "touch", "rename", "renamenx", "copy", "move",
    "expire", "pexpire", "expireat", "pexpireat", "ttl", "pttl", "expiretime",
    "pexpiretime", "persist", "object|encoding", "object|idletime", "object|freq",
    "object|refcount", "dump", "restore", "watch", "mget", "debug", "memory|usage",
}

# Probes: (command args, key kind to plant) -> must answer WRONGTYPE. "{k}" is the key.
STRING_KEY, LIST_KEY = "string", "list"
PROBES = {
    "get": (["GET", "{k}"], LIST_KEY),
    "getset": (["GETSET", "{k}", "v"], LIST_KEY),
    "getdel": (["GETDEL", "{k}"], LIST_KEY),
    "getex": (["GETEX", "{k}"], LIST_KEY),
    "set": (["SET", "{k}", "v", "GET"], LIST_KEY),
    "incr": (["INCR", "{k}"], LIST_KEY),
    "decr": (["DECR", "{k}"], LIST_KEY),
    "incrby": (["INCRBY", "{k}", "1"], LIST_KEY),
    "decrby": (["DECRBY", "{k}", "1"], LIST_KEY),
    "incrbyfloat": (["INCRBYFLOAT", "{k}", "1"], LIST_KEY),
    "append": (["APPEND", "{k}", "x"], LIST_KEY),
    "strlen": (["STRLEN", "{k}"], LIST_KEY),
    "getrange": (["GETRANGE", "{k}", "0", "1"], LIST_KEY),
    "substr": (["SUBSTR", "{k}", "0", "1"], LIST_KEY),
    "setrange": (["SETRANGE", "{k}", "0", "x"], LIST_KEY),
    "lpush": (["LPUSH", "{k}", "x"], STRING_KEY),
    "rpush": (["RPUSH", "{k}", "x"], STRING_KEY),
    "lpushx": (["LPUSHX", "{k}", "x"], STRING_KEY),
    "rpushx": (["RPUSHX", "{k}", "x"], STRING_KEY),
    "lpop": (["LPOP", "{k}"], STRING_KEY),
    "rpop": (["RPOP", "{k}"], STRING_KEY),
    "llen": (["LLEN", "{k}"], STRING_KEY),
    "lrange": (["LRANGE", "{k}", "0", "-1"], STRING_KEY),
    "lindex": (["LINDEX", "{k}", "0"], STRING_KEY),
    "lset": (["LSET", "{k}", "0", "x"], STRING_KEY),
    "linsert": (["LINSERT", "{k}", "BEFORE", "a", "b"], STRING_KEY),
    "lrem": (["LREM", "{k}", "0", "a"], STRING_KEY),
    "ltrim": (["LTRIM", "{k}", "0", "1"], STRING_KEY),
    "lpos": (["LPOS", "{k}", "a"], STRING_KEY),
    "lmove": (["LMOVE", "{k}", "dst", "LEFT", "RIGHT"], STRING_KEY),
    "rpoplpush": (["RPOPLPUSH", "{k}", "dst"], STRING_KEY),
    "lmpop": (["LMPOP", "1", "{k}", "LEFT"], STRING_KEY),
    "blpop": (["BLPOP", "{k}", "0.01"], STRING_KEY),
    "brpop": (["BRPOP", "{k}", "0.01"], STRING_KEY),
    "blmove": (["BLMOVE", "{k}", "dst", "LEFT", "RIGHT", "0.01"], STRING_KEY),
    "brpoplpush": (["BRPOPLPUSH", "{k}", "dst", "0.01"], STRING_KEY),
    "blmpop": (["BLMPOP", "0.01", "1", "{k}", "LEFT"], STRING_KEY),
    "lcs": (["LCS", "{k}", "other"], LIST_KEY),
}
# Families add their probes in tests/integration/wrongtype_<family>.py (a PROBES dict, and
# optionally TYPE_AGNOSTIC / WRONGTYPE_TEXT), so each family's tests stay in its own files.
import glob as _glob
import importlib.util as _ilu
import os as _os

for _path in sorted(_glob.glob(_os.path.join(_os.path.dirname(__file__), "wrongtype_*.py"))):
    _spec = _ilu.spec_from_file_location(_os.path.basename(_path)[:-3], _path)
    _mod = _ilu.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)
    PROBES.update(getattr(_mod, "PROBES", {}))
    TYPE_AGNOSTIC.update(getattr(_mod, "TYPE_AGNOSTIC", set()))

# LCS answers its own error text for non-string keys (as Redis 7).
WRONGTYPE_TEXT = {
    "lcs": b"-ERR The specified keys must contain string values\r\n",
}
WRONGTYPE = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"


def parse(raw):
    """Minimal RESP2 parser for COMMAND's reply."""
    def one(i):
        t = raw[i:i + 1]
        j = raw.index(b"\r\n", i)
        line = raw[i + 1:j]
        if t in (b"+", b"-"):
            return line.decode(), j + 2
        if t == b":":
            return int(line), j + 2
        if t == b"$":
            n = int(line)
            if n < 0:
                return None, j + 2
            return raw[j + 2:j + 2 + n].decode(), j + 4 + n
        if t == b"*":
            n = int(line)
            out, k = [], j + 2
            for _ in range(max(n, 0)):
                v, k = one(k)
                out.append(v)
            return out, k
        raise ValueError(t)
    return one(0)[0]


@pytest.fixture(scope="module")
def table(server):
    c = RawClient(server.port)
    info = parse(c.cmd("COMMAND"))
    c.close()
    out = {}
    for e in info:
        out[e[0]] = e
        for sub in (e[9] if len(e) > 9 and e[9] else []):
            out[sub[0]] = sub
    return out


def test_table_is_not_empty(table):
    assert len(table) > 60
    for name in ("get", "set", "lpush", "blpop", "multi", "exec", "command", "info"):
        assert name in table


def test_every_command_rejects_wrong_arity(server, table):
    c = RawClient(server.port)
    failures = []
    for name, e in sorted(table.items()):
        arity = e[1]
        words = name.split("|")
        if arity > 0:
            args = words + ["x"] * (arity - len(words) + 1)  # one too many
        else:
            need = -arity
            if need <= len(words):
                continue  # no way to give too few
            args = words + ["x"] * (need - len(words) - 1)  # one too few
        got = c.cmd(*args)
        want = b"-ERR wrong number of arguments for '%s' command\r\n" % name.encode()
        if name == "exec":  # Redis 7 turns a rejected EXEC into the transaction's abort
            want = b"-EXECABORT Transaction discarded because of: wrong number of arguments " \
                   b"for 'exec' command\r\n"
        if got != want:
            failures.append((name, args, got))
        # Keep the connection in a plain state whatever the command did.
        c.cmd("RESET")
    c.close()
    assert not failures, failures


def test_every_typed_keyed_command_has_a_wrongtype_probe(table):
    missing = []
    for name, e in table.items():
        cats = set(e[6])
        if e[3] == 0 and "movablekeys" not in e[2]:
            continue  # no keys
        if not (cats & TYPED):
            continue
        if name in PROBES or name in TYPE_AGNOSTIC:
            continue
        missing.append(name)
    assert not missing, "add a WRONGTYPE probe (or mark type-agnostic): %s" % sorted(missing)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_wrongtype(server, table, name):
    if name not in table:
        pytest.skip("%s not implemented" % name)
    args, kind = PROBES[name]
    c = RawClient(server.port)
    c.cmd("FLUSHALL")
    # A probe's kind is "string", "list" or a full command that plants the key.
    if kind == STRING_KEY:
        c.cmd("SET", "k", "v")
    elif kind == LIST_KEY:
        c.cmd("RPUSH", "k", "a", "b")
    else:
        c.cmd(*kind)
    got = c.cmd(*[a.replace("{k}", "k") for a in args])
    assert got == WRONGTYPE_TEXT.get(name, WRONGTYPE), (name, got)
    c.close()
