"""Differential: COMMAND INFO of every command dq implements, against Debian's redis-server.

Name, arity, flags (in Redis's order), first/last/step and ACL categories must be identical;
subcommands are compared one by one. Key specs and tips are not compared (dq synthesizes one
range key spec from first/last/step). Commands the reference (Redis 7.0) does not know, such as
7.2's CLIENT SETINFO and CLIENT NO-TOUCH, are skipped.
"""
import pytest


def _info(client, name):
    reply = client.execute_command("COMMAND", "INFO", name)
    return reply[0] if reply else None


def _text(v):
    return v.decode() if isinstance(v, bytes) else v


def _summary(entry):
    name, arity, flags, first, last, step, acl = entry[:7]
    return {
        "name": _text(name),
        "arity": arity,
        "flags": [_text(f) for f in flags],
        "keys": (first, last, step),
        "acl": [_text(a) for a in acl],
    }


@pytest.fixture(scope="module")
def dq(server):
    c = server.client()
    c.response_callbacks.pop("COMMAND", None)
    c.response_callbacks.pop("COMMAND INFO", None)
    yield c
    c.close()


@pytest.fixture(scope="module")
def reference(redis_ref):
    c = redis_ref.client()
    c.response_callbacks.pop("COMMAND", None)
    c.response_callbacks.pop("COMMAND INFO", None)
    yield c
    c.close()


# Fields that Redis 7.2 (what dq speaks) changed since 7.0 (the installed reference):
# name -> {field: the 7.2 value}. Each entry must say what 7.2 added.
CHANGED_IN_72 = {
    "zrank": {"arity": -3},     # 7.2: ZRANK key member [WITHSCORE]
    "zrevrank": {"arity": -3},  # 7.2: ZREVRANK key member [WITHSCORE]
}


def _compare(dq, reference, name, out):
    mine, theirs = _info(dq, name), _info(reference, name)
    if theirs is None:
        return 0  # newer than the reference server
    a, b = _summary(mine), _summary(theirs)
    for field in ("arity", "flags", "keys", "acl"):
        expected_72 = CHANGED_IN_72.get(name, {})
        if field in expected_72:
            if a[field] != expected_72[field]:
                out.append("%s %s: dq=%r, 7.2 has %r" % (name, field, a[field], expected_72[field]))
            continue
        if a[field] != b[field]:
            out.append("%s %s: dq=%r redis=%r" % (name, field, a[field], b[field]))
    return 1


def test_command_info_matches_redis(dq, reference):
    names = sorted(_text(n) for n in dq.execute_command("COMMAND", "LIST"))
    assert names, "COMMAND LIST is empty"
    mismatches, compared = [], 0
    for name in names:
        compared += _compare(dq, reference, name, mismatches)
    assert compared > 0
    assert not mismatches, "COMMAND INFO differs from redis-server:\n" + "\n".join(mismatches)


def test_command_list_is_known_to_redis_or_newer(dq, reference):
    # Every top-level dq command exists in Redis (7.0 or a newer 7.x listed here).
    # delifeq: a dq extension (as Valkey 9.0), documented in the README.
    newer = {"client|setinfo", "client|no-touch", "delifeq"}
    for name in (_text(n) for n in dq.execute_command("COMMAND", "LIST")):
        if name in newer:
            continue
        assert _info(reference, name) is not None, name


def test_container_subcommands_exist_in_redis(dq, reference):
    for entry in dq.execute_command("COMMAND"):
        subs = entry[9]
        for sub in subs:
            n = _text(sub[0])
            if n in ("client|setinfo", "client|no-touch"):
                continue
            assert _info(reference, n) is not None, n


def test_command_count_matches_table(dq):
    assert dq.execute_command("COMMAND", "COUNT") == len(dq.execute_command("COMMAND"))
