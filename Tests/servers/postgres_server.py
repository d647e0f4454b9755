"""A throw-away PostgreSQL server for the tests: initdb in a folder, a free loopback port,
trust authentication for the role `lembra`; prints `READY <port>` once it accepts connections.
Started again with `--port` on the same folder, it is the same cluster restarted (after a crash).

It dies with its parent, and the server gets SIGQUIT (immediate shutdown) when this process
ends, however it ends, so a killed test run leaves no postmaster behind. As root (CI), the cluster
belongs to the `postgres` system user: PostgreSQL refuses to run as root.
"""
import argparse
import ctypes
import glob
import os
import pwd
import signal
import socket
import subprocess
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def bin_dir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    if not found:
        sys.exit("postgres_server: no PostgreSQL server under /usr/lib/postgresql (scripts/setup.sh installs it)")
    return os.path.dirname(found[-1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demoted(user):
    """preexec_fn: become `user` (when root) and die with this process."""
    def run():
        if user is not None:
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
        # After the change of user: changing credentials clears the parent-death signal.
        ctypes.CDLL("libc.so.6").prctl(PR_SET_PDEATHSIG, signal.SIGQUIT)
    return run


def accepting(binaries, port, deadline):
    """Until `deadline`: whether the server takes connections (pg_isready, not just the port:
    the port opens while the server is still starting up and refusing sessions)."""
    while time.monotonic() < deadline:
        ready = subprocess.run([os.path.join(binaries, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port),
                                "-U", "lembra", "-d", "postgres", "-t", "1"])
        if ready.returncode == 0:
            return True
        time.sleep(0.05)
    return False


def exit_when_orphaned(parent):
    """Ends this process once `parent` (the test process) is gone."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--setting", action="append", default=[], help="name=value for postgres -c")
    parser.add_argument("--port", type=int, default=0,
                        help="listen here (a restart on the same cluster: the folder's data is kept) instead of a free port")
    args = parser.parse_args()
    # This wrapper dies with the test process too, and the server with it (its death signal).
    # Watched, not PR_SET_PDEATHSIG: that signal follows the *thread* that started this process,
    # and a test runner's threads come and go; a server shared by the whole run died with the
    # worker thread that happened to start it, and every later test found it gone.
    parent = os.getppid()
    if parent == 1:
        sys.exit("postgres_server: the test process is gone")
    threading.Thread(target=exit_when_orphaned, args=(parent,), daemon=True).start()

    user = pwd.getpwnam("postgres") if os.getuid() == 0 else None
    data = os.path.join(args.dir, "data")
    if user is not None:
        os.chown(args.dir, user.pw_uid, user.pw_gid)
    binaries = bin_dir()
    if not os.path.exists(data):  # a restart (`--port`) finds the cluster it left
        subprocess.run([os.path.join(binaries, "initdb"), "-D", data, "-U", "lembra", "-A", "trust", "-E", "UTF8",
                        "--locale=C", "--no-sync"], check=True, stdout=subprocess.DEVNULL, preexec_fn=demoted(user))
    settings = ["listen_addresses=127.0.0.1", "unix_socket_directories=" + args.dir, "max_connections=200"] + args.setting
    for _ in range(5):  # another process may take the free port before the server binds it
        port = args.port or free_port()
        command = [os.path.join(binaries, "postgres"), "-D", data, "-p", str(port)]
        for s in settings:
            command += ["-c", s]
        server = subprocess.Popen(command, stdout=sys.stderr, stderr=sys.stderr, preexec_fn=demoted(user))
        deadline = time.monotonic() + 30
        while server.poll() is None and not accepting(binaries, port, min(deadline, time.monotonic() + 1)):
            if time.monotonic() > deadline:
                server.kill()
                sys.exit("postgres_server: not accepting connections after 30 s")
        if server.poll() is None:
            break
    else:
        sys.exit("postgres_server: could not start")
    print("READY", port, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: server.send_signal(signal.SIGINT))
    sys.exit(server.wait())


if __name__ == "__main__":
    main()
