"""The class set-up on loopback, without containers: app processes, nginx, Redis.

The same topology as ``deploy/compose.yaml``: nginx renders ``deploy/nginx/
convscope.conf.template`` (the very file the container uses) in front of two Streamlit
processes that share a cookie secret and, when asked, a Redis server. Used by the load
benchmark (``--replicas 2``) and by the proxy tests.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx" / "convscope.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
COOKIE_SECRET = "convscope-loopback-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds:.0f} s")


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def launch_app(
    script: Path,
    *,
    env: dict | None = None,
    extra_args=(),
    log: Path | None = None,
    root: Path = ROOT,
) -> Server:
    """A Streamlit process of ``script`` on a free loopback port, not yet answering, run
    from ``root`` (whose ``.streamlit/config.toml`` it reads)."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        *extra_args,
    ]  # fmt: skip
    output = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - the process owns it
    process = subprocess.Popen(
        command,
        cwd=root,
        stdout=output,
        stderr=subprocess.STDOUT,
        env={**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": COOKIE_SECRET, **(env or {})},
    )
    return Server(port, process)


def start_app(
    script: Path,
    *,
    env: dict | None = None,
    extra_args=(),
    log: Path | None = None,
    root: Path = ROOT,
) -> Server:
    """``launch_app``, returning once the server answers its health check."""
    server = launch_app(script, env=env, extra_args=extra_args, log=log, root=root)
    try:
        wait_healthy(server.url + "/_stcore/health", server.process)
    except Exception:
        server.stop()
        raise
    return server


@contextlib.contextmanager
def app_processes(
    script: Path, count: int = 1, *, env: dict | None = None, extra_args=(), log: str = ""
):
    """``count`` Streamlit processes of ``script``; yields their ``Server`` list. With
    ``log``, process i writes its output to test-artifacts/<log>-<i>.log."""
    servers: list[Server] = []
    if log:
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
    try:
        for index in range(count):
            output = ROOT / "test-artifacts" / f"{log}-{index}.log" if log else None
            servers.append(start_app(script, env=env, extra_args=extra_args, log=output))
        yield servers
    finally:
        for server in servers:
            server.stop()


def render_site(app_ports: list[int], listen: int, cache: str) -> str:
    """The deployment's nginx site for two loopback replicas, caching in ``cache``."""
    first, second = (f"127.0.0.1:{port}" for port in app_ports)
    site = TEMPLATE.read_text()
    values = {
        "APP_1": first,
        "APP_2": second,
        "LISTEN": f"127.0.0.1:{listen}",
        "STATIC_CACHE": cache,
    }
    for name, value in values.items():
        site = site.replace("${" + name + "}", value)
    return site


@contextlib.contextmanager
def nginx_in_front(app_ports: list[int]):
    """Debian's nginx, as an ordinary user process, in front of two replicas."""
    if len(app_ports) != 2:
        raise ValueError(f"the site template has two replicas, not {len(app_ports)}")
    listen = free_port()
    with tempfile.TemporaryDirectory(prefix="convscope-nginx-") as folder:
        config = Path(folder) / "nginx.conf"
        # Run by root, nginx's workers drop to an unprivileged user: they must be able
        # to write their cache here.
        (Path(folder) / "static-cache").mkdir(mode=0o777)
        os.chmod(folder, 0o755)
        os.chmod(Path(folder) / "static-cache", 0o777)
        config.write_text(
            f"""daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{render_site(app_ports, listen, f"{folder}/static-cache")}
}}
"""
        )
        process = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", folder],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{listen}"
        try:
            wait_healthy(url + "/_stcore/health", process, seconds=20)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextlib.contextmanager
def redis_server():
    """A throwaway Redis on a free loopback port, keeping nothing on disk."""
    port = free_port()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its finished children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def process_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
