"""Differential pub/sub tests: the same multi-client scripts run against dq and against
Debian's redis-server over raw sockets; every byte each client receives must be equal.

A script is a list of steps (client index, command[, frames]). After each step every client is synced
with `PING <token>` (allowed in every mode: `$token` normally, ["pong", token] in RESP2
subscribe mode) and everything it received before the token's reply is recorded, so the
transcript captures replies and pushed messages in order, without sleeping. A step that
gives its number of reply frames (inside MULTI, where PING would be queued) reads exactly
those frames from its own client instead.

Not compared: HELLO's reply (server version and client id differ). Scripts avoid orders
Redis leaves to its hash tables (UNSUBSCRIBE with no argument over several channels,
PUBSUB CHANNELS with several results)."""
import itertools

import pytest

from dqtest import TranscriptConn, encode_command


Conn = TranscriptConn


def run_script(port, nclients, steps):
    _tokens = itertools.count()  # the same tokens for both servers
    conns = [Conn(port) for _ in range(nclients)]
    transcript = []
    try:
        for step in steps:
            idx, args = step[0], step[1]
            mask = args[0].upper() == "HELLO"
            c = conns[idx]
            if c.closed:
                transcript.append((idx, args, b"<closed>"))
                continue
            if len(step) == 3:
                # Inside MULTI a PING would be queued: read the step's frames by count instead.
                c.sock.sendall(encode_command(*args))
                transcript.append((idx, args, b"".join(c.read_frame() for _ in range(step[2]))))
                continue
            tok = "tok%d" % next(_tokens)
            marker = b"%s\r\n" % tok.encode()
            c.sock.sendall(encode_command(*args) + encode_command("PING", tok))
            out = c.read_until(marker)
            transcript.append((idx, args, b"<hello>" if mask else out.replace(marker, b"T\r\n")))
            for j, other in enumerate(conns):
                if j == idx or other.closed:
                    continue
                tok = "tok%d" % next(_tokens)
                marker = b"%s\r\n" % tok.encode()
                other.sock.sendall(encode_command("PING", tok))
                out = other.read_until(marker)
                transcript.append((j, "sync", out.replace(marker, b"T\r\n")))
    finally:
        for c in conns:
            c.close()
    return transcript


def compare(server, redis_ref, nclients, steps):
    for port in (server.port, redis_ref.port):
        run_script(port, 1, [(0, ("FLUSHALL",))])
    mine = run_script(server.port, nclients, steps)
    theirs = run_script(redis_ref.port, nclients, steps)
    for a, b in zip(mine, theirs):
        assert a == b, "dq %r\nredis %r" % (a, b)
    assert len(mine) == len(theirs)


S, P = 0, 1  # subscriber, publisher

SCRIPTS = {
    "subscribe_publish_unsubscribe": (2, [
        (S, ("SUBSCRIBE", "a", "b", "a")),
        (P, ("PUBLISH", "a", "hello")),
        (P, ("PUBLISH", "b", "world")),
        (P, ("PUBLISH", "c", "nobody")),
        (S, ("UNSUBSCRIBE", "a", "zz")),
        (P, ("PUBLISH", "a", "gone")),
        (S, ("UNSUBSCRIBE",)),
        (S, ("UNSUBSCRIBE",)),
        (P, ("PUBLISH", "b", "gone")),
        (S, ("GET", "k")),
    ]),
    "patterns_and_globs": (2, [
        (S, ("PSUBSCRIBE", "news.*", "h[a-e]llo", "h[^a]t", "lit\\*", "a?c", "x[")),
        (P, ("PUBLISH", "news.it", "1")),
        (P, ("PUBLISH", "hello", "2")),
        (P, ("PUBLISH", "hxllo", "3")),
        (P, ("PUBLISH", "hot", "4")),
        (P, ("PUBLISH", "hat", "5")),
        (P, ("PUBLISH", "lit*", "6")),
        (P, ("PUBLISH", "literal", "7")),
        (P, ("PUBLISH", "abc", "8")),
        (P, ("PUBLISH", "x[", "9")),
        (P, ("PUBSUB", "NUMPAT")),
        (S, ("PUNSUBSCRIBE", "news.*", "nope")),
        (S, ("PUNSUBSCRIBE",)),
        (S, ("PUNSUBSCRIBE",)),
        (P, ("PUBSUB", "NUMPAT")),
    ]),
    "channel_and_pattern_same_client": (2, [
        (S, ("SUBSCRIBE", "a.b")),
        (S, ("PSUBSCRIBE", "a.*")),
        (P, ("PUBLISH", "a.b", "hi")),
        (S, ("UNSUBSCRIBE", "a.b")),
        (P, ("PUBLISH", "a.b", "hi2")),
        (S, ("PUNSUBSCRIBE", "a.*")),
        (P, ("PUBLISH", "a.b", "hi3")),
    ]),
    "resp2_subscribe_mode_gate": (1, [
        (S, ("SUBSCRIBE", "ch")),
        (S, ("GET", "k")),
        (S, ("SET", "k", "v")),
        (S, ("PUBLISH", "ch", "x")),
        (S, ("PUBSUB", "NUMSUB", "ch")),
        (S, ("CONFIG", "GET", "port")),
        (S, ("CLIENT", "ID")),
        (S, ("MULTI",)),
        (S, ("NOSUCHCOMMAND",)),
        (S, ("PING",)),
        (S, ("PING", "msg")),
        (S, ("PSUBSCRIBE", "p*")),
        (S, ("SSUBSCRIBE", "s")),
        (S, ("SUNSUBSCRIBE",)),
        (S, ("UNSUBSCRIBE", "ch")),
        (S, ("GET", "k")),
        (S, ("PUNSUBSCRIBE",)),
        (S, ("GET", "k")),
        (S, ("PING",)),
    ]),
    "reset_and_quit_in_subscribe_mode": (2, [
        (S, ("SUBSCRIBE", "r")),
        (S, ("PSUBSCRIBE", "r*")),
        (P, ("PUBSUB", "NUMSUB", "r")),
        (S, ("RESET",)),
        (P, ("PUBSUB", "NUMSUB", "r")),
        (P, ("PUBSUB", "NUMPAT")),
        (P, ("PUBLISH", "r", "x")),
        (S, ("SUBSCRIBE", "q")),
        (S, ("QUIT",)),
        (P, ("PUBLISH", "q", "x")),
    ]),
    "shard_channels": (2, [
        (S, ("SSUBSCRIBE", "s1", "s2", "s1")),
        (S, ("SUBSCRIBE", "s1")),
        (P, ("SPUBLISH", "s1", "shard")),
        (P, ("PUBLISH", "s1", "plain")),
        (P, ("SPUBLISH", "zz", "none")),
        (P, ("PUBSUB", "SHARDNUMSUB", "s1", "s2", "zz")),
        (P, ("PUBSUB", "SHARDCHANNELS", "*1")),
        (P, ("PUBSUB", "NUMSUB", "s1", "s2")),
        (S, ("SUNSUBSCRIBE", "s1")),
        (P, ("SPUBLISH", "s1", "gone")),
        (S, ("SUNSUBSCRIBE",)),
        (S, ("UNSUBSCRIBE",)),
        (S, ("SUNSUBSCRIBE",)),
    ]),
    "resp3_push": (2, [
        (S, ("HELLO", "3")),
        (S, ("SUBSCRIBE", "a", "b")),
        (S, ("PSUBSCRIBE", "a*")),
        (S, ("SSUBSCRIBE", "s")),
        (S, ("SET", "k", "v")),
        (S, ("GET", "k")),
        (S, ("PING",)),
        (P, ("PUBLISH", "a", "hi")),
        (P, ("SPUBLISH", "s", "sh")),
        # (PUBLISH to itself is not compared: Redis 7.2 replies before the push, 7.0 after;
        # tests/integration/test_pubsub.py checks 7.2's order.)
        (S, ("PUBSUB", "NUMSUB", "a", "b", "c")),
        (S, ("UNSUBSCRIBE", "a")),
        (S, ("PUNSUBSCRIBE",)),
        (S, ("UNSUBSCRIBE",)),
        (S, ("UNSUBSCRIBE",)),
        (S, ("SUNSUBSCRIBE",)),
        (S, ("SUNSUBSCRIBE",)),
    ]),
    "introspection_and_errors": (3, [
        (0, ("SUBSCRIBE", "news.it", "sport")),
        (1, ("SUBSCRIBE", "news.it")),
        (1, ("PSUBSCRIBE", "n*", "s*")),
        (0, ("PSUBSCRIBE", "n*")),
        (2, ("PUBSUB", "NUMSUB", "news.it", "sport", "zz")),
        (2, ("PUBSUB", "NUMSUB")),
        (2, ("PUBSUB", "NUMPAT")),
        (2, ("PUBSUB", "CHANNELS", "sp*")),
        (2, ("PUBSUB", "CHANNELS", "[s]p?rt")),
        (2, ("PUBSUB", "CHANNELS", "none")),
        (2, ("PUBSUB", "SHARDCHANNELS")),
        (2, ("PUBSUB", "SHARDNUMSUB")),
        (2, ("PUBSUB", "HELP")),
        (2, ("PUBSUB", "channels", "a", "b")),
        (2, ("PUBSUB", "SHARDCHANNELS", "a", "b")),
        (2, ("PUBSUB", "NUMPAT", "x")),
        (2, ("PUBSUB", "HELP", "x")),
        (2, ("PUBSUB", "nope")),
        (2, ("PUBSUB",)),
        (2, ("SUBSCRIBE",)),
        (2, ("PSUBSCRIBE",)),
        (2, ("SSUBSCRIBE",)),
        (2, ("PUBLISH", "x")),
        (2, ("SPUBLISH", "x", "y", "z")),
        (2, ("PUBLISH", "news.it", "m")),
    ]),
    "multi_exec": (2, [
        (S, ("MULTI",), 1),
        (S, ("SUBSCRIBE", "m"), 1),
        (S, ("SSUBSCRIBE", "s"), 1),
        (S, ("EXEC",), 1),
        (P, ("PUBLISH", "m", "after exec")),
        (S, ("GET", "k")),
        (P, ("MULTI",), 1),
        (P, ("PUBLISH", "m", "in exec"), 1),
        (P, ("PUBLISH", "m", "in exec 2"), 1),
        (P, ("EXEC",)),
    ]),
    "binary_payloads": (2, [
        (S, ("SUBSCRIBE", b"c\r\nh\x00")),
        (P, ("PUBLISH", b"c\r\nh\x00", b"\x00\xff\r\n$3\r\n*1\r\n")),
        (P, ("PUBLISH", b"c\r\nh\x00", b"")),
        (P, ("PUBLISH", b"c\r\nh\x00", b"x" * 100000)),
    ]),
    "many_subscribers_order": (4, [
        (0, ("SUBSCRIBE", "fan")),
        (1, ("PSUBSCRIBE", "f*")),
        (2, ("SUBSCRIBE", "fan")),
        (3, ("PUBLISH", "fan", "one")),
        (1, ("SUBSCRIBE", "fan")),
        (3, ("PUBLISH", "fan", "two")),
        (0, ("UNSUBSCRIBE",)),
        (3, ("PUBLISH", "fan", "three")),
        (3, ("PUBSUB", "NUMSUB", "fan")),
    ]),
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_pubsub_script_matches_redis(server, redis_ref, name):
    nclients, steps = SCRIPTS[name]
    compare(server, redis_ref, nclients, steps)
