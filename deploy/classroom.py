"""A classroom on one laptop: K `streamlit run` replicas behind Debian's nginx (sticky sessions, websockets).

    python -m deploy.classroom                       2 replicas, students open http://<this machine's IP>:8501
    python -m deploy.classroom --replicas 3 --pin    3 replicas, each pinned to its own CPU (taskset)
    python -m deploy.classroom --https               HTTPS with deploy/tls/ (made by deploy/make_cert.sh): the camera

One Streamlit process runs Python on about one core (the GIL), so a class is spread over K processes; each student
stays on the replica that first answered (a cookie), because a session lives in that replica's memory. The replicas
listen on loopback only; nginx listens on --address (every interface by default). Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATE = HERE / "nginx.conf"
TLS_DIR = HERE / "tls"


@dataclass
class Classroom:
    """What is running: nginx's URL, the replicas' ports and processes, the run directory (config, logs)."""

    url: str
    replica_ports: list[int]
    replicas: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    run_dir: Path = Path()

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_conf(
    listen: str, replica_ports: list[int], run_dir: Path, tls: tuple[Path, Path] | None = None
) -> str:
    """deploy/nginx.conf with its placeholders filled: where to listen, the replicas, the run dir, TLS or not."""
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in replica_ports)
    mapping = "\n".join(f'        "127.0.0.1:{p}" 127.0.0.1:{p};' for p in replica_ports)
    tls_lines = ""
    if tls:
        tls_lines = (
            f"        ssl_certificate {tls[0]};\n        ssl_certificate_key {tls[1]};\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n"
        )
    conf = TEMPLATE.read_text()
    for name, value in {
        "@RUN@": str(run_dir),
        "@UPSTREAM_SERVERS@": servers,
        "@REPLICA_MAP@": mapping,
        "@LISTEN@": listen + (" ssl" if tls else ""),
        "@TLS@": tls_lines,
    }.items():
        conf = conf.replace(name, value)
    return conf


def _prepare_run_dir(run_dir: Path) -> None:
    """nginx's own prefix: temp dirs writable by its worker (Debian's nginx drops root to nobody if run as root)."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    run_dir.chmod(0o755)
    if os.geteuid() == 0:
        import pwd

        nobody = pwd.getpwnam("nobody")
        for d in [run_dir / "tmp", *(run_dir / "tmp").iterdir()]:
            os.chown(d, nobody.pw_uid, nobody.pw_gid)


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Poll url until it answers 200 (or the process dies, or time runs out)."""
    import ssl

    ctx = ssl._create_unverified_context()  # the classroom's own self-signed certificate
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2, context=ctx) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in time")


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


@contextmanager
def classroom(
    replicas: int = 2,
    port: int = 8501,
    address: str = "0.0.0.0",
    run_dir: Path | None = None,
    tls: tuple[Path, Path] | None = None,
    pin: bool = False,
    log_dir: Path | None = None,
    extra_flags: tuple[str, ...] = (),
    root: Path = ROOT,
):
    """Start `replicas` Streamlit servers on free loopback ports and nginx on address:port; stop them after."""
    if shutil.which("nginx") is None:
        raise RuntimeError("nginx is not installed: apt-get install -y nginx")
    tmp = None
    if run_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="classroom-nginx-")
        run_dir = Path(tmp.name)
    log_dir = log_dir or run_dir
    ports = [free_port() for _ in range(replicas)]
    # one cookie secret for all replicas: the XSRF cookie one signed is good at the others
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    cpus = list(range(os.cpu_count() or 1))  # the machine's, not the caller's (a benchmark pins itself)
    room = Classroom(
        f"{'https' if tls else 'http'}://{'127.0.0.1' if address == '0.0.0.0' else address}:{port}",
        ports,
        run_dir=run_dir,
    )
    try:
        for i, p in enumerate(ports):
            cmd = [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(p),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                *extra_flags,
            ]
            if pin:
                cmd = ["taskset", "-c", str(cpus[i % len(cpus)]), *cmd]
            with open(log_dir / f"replica-{i + 1}.log", "w") as out:
                room.replicas.append(
                    subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
                )
        for p, proc in zip(ports, room.replicas, strict=True):
            wait_http(f"http://127.0.0.1:{p}/_stcore/health", 120, proc)
        _prepare_run_dir(run_dir)
        conf = run_dir / "nginx.conf"
        conf.write_text(nginx_conf(f"{address}:{port}", ports, run_dir, tls))
        room.nginx = subprocess.Popen(
            [
                "nginx",
                "-p",
                str(run_dir),
                "-c",
                str(conf),
                "-e",
                str(run_dir / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_http(f"{room.url}/_stcore/health", 30, room.nginx)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}: {(run_dir / 'error.log').read_text()[-2000:]}") from None
        yield room
    finally:
        _stop(([room.nginx] if room.nginx else []) + room.replicas)
        if tmp is not None:
            tmp.cleanup()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m deploy.classroom", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--replicas", type=int, default=2, help="Streamlit processes (about one per core; default 2)"
    )
    ap.add_argument("--port", type=int, default=8501, help="nginx's port (default 8501)")
    ap.add_argument("--address", default="0.0.0.0", help="nginx's address (default: every interface)")
    ap.add_argument("--pin", action="store_true", help="pin replica i to CPU i (taskset)")
    ap.add_argument("--https", action="store_true", help=f"TLS with {TLS_DIR}/cert.pem and key.pem")
    args = ap.parse_args(argv)
    tls = None
    if args.https:
        tls = (TLS_DIR / "cert.pem", TLS_DIR / "key.pem")
        if not all(p.exists() for p in tls):
            ap.error(f"no certificate in {TLS_DIR}: run deploy/make_cert.sh first")
    run_dir = HERE / "run"
    run_dir.mkdir(exist_ok=True)
    with classroom(args.replicas, args.port, args.address, run_dir, tls, args.pin) as room:
        print(
            f"{args.replicas} replicas on ports {room.replica_ports}; students open "
            f"{'https' if tls else 'http'}://<this machine's IP>:{args.port} (logs in {run_dir}). Ctrl-C stops.",
            flush=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while all(p.poll() is None for p in [room.nginx, *room.replicas]):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
