"""Helpers for the tests that run real job-queue libraries (Celery, RQ, BullMQ) against dq.

  client_server()        the server a client-library test talks to: dq-server by default, or
                         Debian's redis-server when DQ_CLIENTS_AGAINST=redis (to check that a
                         test is right: a test that fails on Redis is wrong). With
                         DQ_CLIENTS_MONITOR=FILE, `redis-cli monitor` appends every command the
                         library sends to FILE (to see what a library needs)
  server_lacks(port, *cmds) the commands of `cmds` this server does not implement (COMMAND INFO
                         answers nil for them): tests that need streams or cmsgpack skip on it
  lua_lacks(c, *libs)    the Lua libraries (cmsgpack, struct, ...) scripts cannot see
  Worker                 a library's worker process: output to a log file, started in its own
                         process group, always killed (group and all) by stop()
"""
import os
import signal
import subprocess
import tempfile
import time

import redis

from dqtest import DQ_SERVER, REDIS_CLI, REDIS_SERVER, RawClient, ServerProc, encode_command

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLIENTS_DIR = os.path.join(ROOT, "tests", "clients")
AGAINST = os.environ.get("DQ_CLIENTS_AGAINST", "dq")


def client_server():
    s = ServerProc(REDIS_SERVER if AGAINST == "redis" else DQ_SERVER)
    path = os.environ.get("DQ_CLIENTS_MONITOR")
    if path:
        out = open(path, "a")
        mon = subprocess.Popen([REDIS_CLI, "-p", str(s.port), "monitor"], stdout=out,
                               stderr=subprocess.STDOUT)
        stop = s.stop

        def stop_both():
            mon.terminate()
            mon.wait()
            out.close()
            stop()
        s.stop = stop_both
    return s


def server_lacks(port, *commands):
    """Names of `commands` the server on `port` does not know (COMMAND INFO answers nil)."""
    c = RawClient(port)
    try:
        c.send(encode_command("COMMAND", "INFO", *commands))
        header = c._line()
        if not header.startswith(b"*"):
            return list(commands)
        infos = [c.read_reply_bytes() for _ in range(int(header[1:-2]))]
    finally:
        c.close()
    nil = (b"$-1\r\n", b"*-1\r\n", b"_\r\n")
    return [name for name, info in zip(commands, infos) if info in nil]


def lua_lacks(client, *libs):
    """Names of the Lua libraries in `libs` a script cannot use."""
    out = []
    for lib in libs:
        try:
            if client.eval("return type(%s) == 'table' and 1 or 0" % lib, 0) != 1:
                out.append(lib)
        except redis.ResponseError:  # a missing global is an error in Redis's sandbox
            out.append(lib)
    return out


class Worker:
    """A worker process of a client library: its own process group, output to a file."""

    def __init__(self, args, cwd=None, env=None, name="worker"):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="dqclient-")
        self.log_path = os.path.join(self.dir, name + ".log")
        self.log = open(self.log_path, "w+")
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(args, cwd=cwd, env=full_env, stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)

    def output(self):
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def wait_output(self, text, timeout=15.0):
        """Waits until `text` appears in the output; raises with the output if it never does."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in self.output():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("%r not seen in %s output (exit %s):\n%s" % (
            text, self.args[0], self.proc.poll(), self.output()[-6000:]))

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError("%s did not finish within %ss:\n%s" % (
                " ".join(self.args), timeout, self.output()[-6000:]))

    def stop(self, grace=5.0):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        try:  # children left in the group (a prefork pool) go too
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self.proc.poll() is None:
            self.proc.wait()
        self.log.close()
