"""Scaled out: two app replicas behind Debian's nginx with deploy/nginx.conf, on loopback.

The test runs the deployment's own nginx configuration (only the replicas' addresses, the
listen port and the log path are changed), as any user: non-privileged ports and a temporary
prefix for nginx's pid, logs and temp files. A real browser session moves sliders, switches
pages and opens a shared link through the proxy; nginx's access log (which records the
route cookie and the replica of every request) must show that session on one replica, the
WebSocket upgraded, nothing failing, and fresh browsers spread over both replicas.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE_CONF = ROOT / "deploy" / "nginx.conf"
FIRST_RENDER_MS = 90_000
LOG_LINE = re.compile(r'route=(\S+) upstream=(\S+) "(\S+) (\S+) [^"]*" (\d{3})')

MAIN_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
daemon off;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    access_log off;
    include {tmp}/site.conf;
}}
"""


@dataclass
class Proxy:
    url: str
    replicas: list[str]  # "127.0.0.1:port" of each replica, as nginx logs them
    access_log: Path
    replica_logs: list[Path]
    started: float

    def requests(self) -> list[tuple[str, str, str, str, int]]:
        """(route, upstream, method, path, status) of every logged request."""
        rows = []
        for line in self.access_log.read_text(encoding="utf-8").splitlines():
            match = LOG_LINE.search(line)
            if match:
                route, upstream, method, path, status = match.groups()
                rows.append((route, upstream, method, path, int(status)))
        return rows


@pytest.fixture(scope="module")
def nginx_path() -> str:
    """Debian's nginx, or a skip (a failure under CI, which installs it)."""
    path = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is required under CI (.ci/run installs Debian's nginx)")
        pytest.skip("the proxy test needs nginx (apt-get install -y nginx)")
    return path


def site_config(upstreams: list[int], port: int, access_log: Path) -> str:
    """deploy/nginx.conf with loopback replicas, a loopback listen port and a temporary log."""
    text = SITE_CONF.read_text(encoding="utf-8")
    servers = re.findall(r"^\s*server app-\d+:8501[^;]*;\n", text, flags=re.MULTILINE)
    assert len(servers) >= 2, "deploy/nginx.conf must list two or more replicas"
    replaced = "".join(re.sub(r"app-\d+:8501", f"127.0.0.1:{p}", servers[0]) for p in upstreams)
    text = text.replace("".join(servers), replaced)
    text = re.sub(r"listen 80;", f"listen 127.0.0.1:{port};", text)
    text = re.sub(r"access_log \S+ ics_sticky;", f"access_log {access_log} ics_sticky;", text)
    assert f"127.0.0.1:{upstreams[1]}" in text
    assert f"listen 127.0.0.1:{port};" in text
    return text


@pytest.fixture(scope="module")
def proxy(chromium_path: Path, nginx_path: str, e2e_kit: SimpleNamespace) -> Iterator[Proxy]:
    kit = e2e_kit
    started = time.monotonic()
    tmp = Path(__import__("tempfile").mkdtemp(prefix="ics-proxy-"))
    kit.ARTIFACTS.mkdir(exist_ok=True)
    processes: list[subprocess.Popen[bytes]] = []
    ports = [kit.free_port(), kit.free_port()]
    logs = [kit.ARTIFACTS / f"proxy-replica-{i + 1}.log" for i in range(2)]
    try:
        for port, log_path in zip(ports, logs, strict=True):
            with log_path.open("wb") as log:
                processes.append(
                    subprocess.Popen(
                        [
                            sys.executable, "-m", "streamlit", "run", "app.py",
                            "--server.headless", "true", "--server.port", str(port),
                            "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
                            "--browser.gatherUsageStats", "false",
                        ],
                        cwd=ROOT,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )  # fmt: skip
        listen = kit.free_port()
        access_log = tmp / "access.log"
        (tmp / "site.conf").write_text(site_config(ports, listen, access_log), encoding="utf-8")
        (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp), encoding="utf-8")
        test = subprocess.run(
            [nginx_path, "-t", "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert test.returncode == 0, f"nginx -t failed:\n{test.stderr}"
        nginx = subprocess.Popen(
            [nginx_path, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        processes.append(nginx)
        for port, process in zip(ports, processes, strict=False):
            kit.wait_healthy(f"http://127.0.0.1:{port}", process, 90)
        url = f"http://127.0.0.1:{listen}"
        kit.wait_healthy(url, nginx, 20)
        yield Proxy(url, [f"127.0.0.1:{p}" for p in ports], access_log, logs, started)
    finally:
        for process in reversed(processes):
            kit.stop(process)
        for name in ("access.log", "error.log"):
            if (tmp / name).exists():
                shutil.copy(tmp / name, kit.ARTIFACTS / f"proxy-nginx-{name}")
        shutil.rmtree(tmp, ignore_errors=True)


def _open(url: str, cookie: str | None = None) -> int:
    """A plain GET through the proxy, with or without a route cookie; its status."""
    request = urllib.request.Request(url, headers={"Cookie": f"ics_route={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def _drive_session(proxy: Proxy, browser: Any, kit: SimpleNamespace) -> tuple[str, list[str]]:
    """One browser session through the proxy: slider moves, a page switch, a shared link.

    Returns its route cookie and the console errors seen.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.add_init_script(kit.RUN_COUNTER)
    errors: list[str] = []
    page.on(
        "console", lambda m: m.type == "error" and errors.append(f"{m.text} @ {m.location.get('url', '')}")
    )
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    app = kit.Watched(page=page, server=SimpleNamespace(url=proxy.url))
    try:
        # The first page of a cold replica imports the app's modules: allow for a busy machine.
        page.goto(f"{proxy.url}/", wait_until="domcontentloaded")
        kit.wait_rendered(page, FIRST_RENDER_MS)
        route = next(c["value"] for c in context.cookies() if c["name"] == "ics_route")
        before = app.headline()
        app.press("funding_uplift", "ArrowRight")
        moved = app.headline()
        assert moved != before, "the slider did not change the headline through the proxy"
        query = app.query()
        assert "funding_uplift" in query
        # A page switch (over the session's WebSocket).
        page.locator(".st-key-page_menu a", has_text="Compare").first.click()
        page.wait_for_url(re.compile(r"/compare"))
        app.wait_rendered()
        assert app.query().get("funding_uplift") == query["funding_uplift"]
        app.press("demand_growth", "ArrowLeft")
        levers = ("funding_uplift", "demand_growth")
        shown, scenario = [app.slider_value(k) for k in levers], app.query()
        # The shared link: a new page load (a new session) of the same browser.
        app.goto("compare", query=page.url.split("?", 1)[1])
        assert app.query() == scenario
        assert [app.slider_value(k) for k in levers] == shown
        assert not page.locator('[data-testid="stException"]').count()
    finally:
        context.close()
    return route, errors


def test_proxy_sticky_sessions_with_two_replicas(
    proxy: Proxy, browser: Any, e2e_kit: SimpleNamespace
) -> None:
    kit = e2e_kit
    start = time.monotonic()
    print(f"proxy test: replicas and nginx up in {time.monotonic() - proxy.started:.1f} s")
    route, errors = _drive_session(proxy, browser, kit)
    requests = [r for r in proxy.requests() if r[0] == route]
    upstreams = {r[1] for r in requests}
    assert len(upstreams) == 1, f"the session moved between replicas: {upstreams}"
    assert upstreams <= set(proxy.replicas)
    assert any(path.startswith("/_stcore/stream") and status == 101 for _, _, _, path, status in requests)
    failing = [r for r in proxy.requests() if r[4] >= 500]
    assert not failing, f"requests failed through the proxy: {failing[:5]}"
    benign = [p for p, _ in kit.BENIGN_CONSOLE]
    assert not [e for e in errors if not any(re.search(p, e) for p in benign)], errors
    for log in proxy.replica_logs:
        assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace"), log

    # Fresh browsers (no cookie) are spread over both replicas; a returning one stays put.
    known = {r[0] for r in proxy.requests()}
    for _ in range(16):
        assert _open(f"{proxy.url}/_stcore/health") == 200
    for _ in range(8):
        assert _open(f"{proxy.url}/_stcore/health", cookie=route) == 200
    time.sleep(0.3)  # nginx logs a request just after answering it
    fresh = [r for r in proxy.requests() if r[0] not in known]
    assert len(fresh) == 16
    assert {r[1] for r in fresh} == set(proxy.replicas), "new sessions all went to one replica"
    returning = [r for r in proxy.requests() if r[0] == route]
    assert len(returning) >= len(requests) + 8  # (+ the WebSocket, logged when it closed)
    assert {r[1] for r in returning} == upstreams
    print(
        f"proxy test: session on {upstreams.pop()}, {len(requests)} requests, {time.monotonic() - start:.1f} s"
    )


def test_proxy_config_is_valid_for_any_port(nginx_path: str, tmp_path: Path) -> None:
    """The rewritten deployment config passes `nginx -t` (no replicas need to be running)."""
    (tmp_path / "site.conf").write_text(
        site_config([18501, 18502], 18080, tmp_path / "a.log"), encoding="utf-8"
    )
    (tmp_path / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp_path), encoding="utf-8")
    with contextlib.suppress(FileNotFoundError):
        (tmp_path / "error.log").unlink()
    done = subprocess.run(
        [
            nginx_path,
            "-t",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(tmp_path / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
