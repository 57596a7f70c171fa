"""dq-server as a process: command line, config file, pidfile, sockets, logs, signals."""
import os
import re
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from dqtest import DQ_SERVER, ROOT, REDIS_CLI, ServerProc, free_port, wait_for


def run(*args, input=None):
    p = subprocess.run([DQ_SERVER] + list(args), capture_output=True, timeout=10, input=input)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def test_version():
    rc, out, _ = run("--version")
    assert rc == 0
    assert "v=7.2.4" in out and "dq_version=" in out


def test_help():
    rc, _, err = run("--help")
    assert rc == 0 and "Usage" in err


def test_config_example_in_sync():
    rc, out, _ = run("--config-example")
    assert rc == 0
    with open(os.path.join(ROOT, "redis.conf.example")) as f:
        assert f.read() == out, "regenerate: dq-server --config-example > redis.conf.example"


def test_test_config_ok():
    rc, out, _ = run("--test-config", os.path.join(ROOT, "redis.conf.example"))
    assert rc == 0 and "Configuration test passed" in out


def test_bad_directive_names_file_and_line(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("port 7000\n# comment\nbogus-directive 1\n")
    rc, _, err = run(str(conf))
    assert rc == 1
    assert "line 3" in err and str(conf) in err and "bogus-directive" in err


def test_bad_value(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("hz 100000\n")
    rc, _, err = run(str(conf))
    assert rc == 1 and "line 1" in err and "hz" in err


def test_bad_command_line_directive():
    rc, _, err = run("--port", "notaport")
    assert rc == 1 and "port" in err


def test_missing_config_file():
    rc, _, err = run("/nonexistent/dq.conf")
    assert rc == 1 and "can't open config file" in err


def test_unsupported_values_refused():
    # Features not built yet refuse to be switched on rather than silently doing nothing.
    for args in (["--appendonly", "yes"], ["--daemonize", "yes"]):
        rc, _, err = run(*args)
        assert rc == 1, args


def test_config_file_then_command_line_override(tmp_path):
    port = free_port()
    conf = tmp_path / "dq.conf"
    conf.write_text("port 1\ndatabases 4\nhz 20\n")
    s = ServerProc(DQ_SERVER, {"port": port}, config_file=str(conf), port=port)
    try:
        c = s.client()
        assert c.ping()
        assert c.select(3)
        with pytest.raises(Exception, match="DB index is out of range"):
            c.select(4)
    finally:
        s.stop()


def test_pidfile_and_sigterm(tmp_path):
    pidfile = tmp_path / "dq.pid"
    s = ServerProc(DQ_SERVER, {"pidfile": str(pidfile)})
    try:
        assert int(pidfile.read_text().strip()) == s.proc.pid
        s.proc.send_signal(signal.SIGTERM)
        assert s.proc.wait(10) == 0
        assert not pidfile.exists()
        log = s.log_text()
        assert "Received SIGTERM scheduling shutdown" in log
    finally:
        s.stop()


def test_sigint_clean_exit():
    s = ServerProc(DQ_SERVER)
    c = s.client()
    c.ping()
    s.proc.send_signal(signal.SIGINT)
    assert s.proc.wait(10) == 0
    s.stop()


def test_log_format():
    s = ServerProc(DQ_SERVER)
    try:
        line = s.log_text().splitlines()[0]
        # pid:M 22 Nov 2026 07:30:00.123 * message
        assert re.match(r"^\d+:M \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} [.\-*#] ", line), line
    finally:
        s.stop()


def test_logfile_and_loglevel(tmp_path):
    logfile = tmp_path / "dq.log"
    s = ServerProc(DQ_SERVER, {"logfile": str(logfile), "loglevel": "warning"})
    try:
        s.client().ping()
        s.proc.send_signal(signal.SIGTERM)
        s.proc.wait(10)
        text = logfile.read_text()
        assert "Received SIGTERM" in text
        assert "Server initialized" not in text  # a notice, below the warning level
    finally:
        s.stop()


def test_unix_socket(tmp_path):
    path = str(tmp_path / "dq.sock")
    s = ServerProc(DQ_SERVER, {"unixsocket": path, "unixsocketperm": "700"})
    try:
        assert oct(os.stat(path).st_mode & 0o777) == "0o700"
        out = subprocess.run([REDIS_CLI, "-s", path, "SET", "u", "1"], capture_output=True).stdout
        assert out.strip() == b"OK"
        assert s.client().get("u") == b"1"
        out = subprocess.run([REDIS_CLI, "-s", path, "CLIENT", "INFO"], capture_output=True).stdout
        s.proc.send_signal(signal.SIGTERM)
        s.proc.wait(10)
        assert not os.path.exists(path)
    finally:
        s.stop()


def test_several_bind_addresses_ipv6():
    has_v6 = True
    try:
        t = socket.socket(socket.AF_INET6)
        t.bind(("::1", 0))
        t.close()
    except OSError:
        has_v6 = False
    port = free_port()
    s = ServerProc(DQ_SERVER, {"bind": "127.0.0.1 -::1"}, port=port)
    try:
        socket.create_connection(("127.0.0.1", port)).close()
        if has_v6:
            c = socket.create_connection(("::1", port))
            c.sendall(b"PING\r\n")
            assert c.recv(100) == b"+PONG\r\n"
            c.close()
    finally:
        s.stop()


def test_port_in_use_is_an_error():
    s = ServerProc(DQ_SERVER)
    try:
        rc, out, err = run("--port", str(s.port), "--bind", "127.0.0.1")
        assert rc == 1
        assert "in use" in (out + err)
    finally:
        s.stop()


def test_maxclients():
    s = ServerProc(DQ_SERVER, {"maxclients": 2})
    try:
        a = s.raw()
        assert a.cmd("PING") == b"+PONG\r\n"

        def second_client():  # the harness's start-up probe may still hold a slot briefly
            b = s.raw()
            if b.cmd("PING") == b"+PONG\r\n":
                return b
            b.close()
            return None
        b = wait_for(second_client)
        c = s.raw()
        assert c.read_reply_bytes() == b"-ERR max number of clients reached\r\n"
        assert c.closed_by_peer()
    finally:
        s.stop()


def test_timeout_closes_idle_clients():
    s = ServerProc(DQ_SERVER, {"timeout": 1})
    try:
        a = s.raw()
        assert a.cmd("PING") == b"+PONG\r\n"
        assert a.closed_by_peer(timeout=5)
    finally:
        s.stop()


def test_crash_report_names_command_and_client():
    # Crashes are never silent: the report names the command and the client id.
    for sub, sig in (("SEGFAULT", signal.SIGSEGV), ("ASSERT", signal.SIGABRT)):
        s = ServerProc(DQ_SERVER)
        try:
            c = s.raw()
            cid = int(c.cmd("CLIENT", "ID")[1:-2])
            c.send(b"DEBUG %s\r\n" % sub.encode())
            assert s.proc.wait(10) == -sig
            log = s.log_text()
            assert "DQ BUG REPORT START" in log
            assert "client id=%d, command: 'DEBUG' '%s'" % (cid, sub) in log
            assert "backtrace:" in log
        finally:
            s.stop()
