"""The class set-up of deploy/ on loopback: two app processes sharing Redis, Debian's nginx
in front with the deployment's own site file, browsers going through the proxy.

Checked: each browser stays on one replica (uploads reach the process holding its
session); the websocket passes; and when one replica stops mid-class, its students are
reconnected to the other, get their settings back from the URL and keep working, uploads
included, while the other replica's students notice nothing.
"""

from __future__ import annotations

import contextlib
import gzip
import http.cookiejar
import io
import re
import shutil
import urllib.request

import numpy as np
import pytest
from PIL import Image

from benchmarks import cluster

from .conftest import (
    ARTIFACTS,
    _unavailable,
    error_texts,
    redis_url,
    screenshot,
    upload_file,
    wait_for_app,
)

pytestmark = pytest.mark.browser
FEATURE_MAP = "img.convscope-clickable"


def replica_of(context) -> str:
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    return cookies.get("cs_replica", "")


def a_photo(grey: int) -> bytes:
    pixels = np.full((120, 160, 3), grey, np.uint8)
    pixels[40:80, 60:100] = 255 - grey  # a square, so the feature map has edges
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(page, data: bytes) -> None:
    photo = {"name": "photo.png", "mimeType": "image/png", "buffer": data}
    upload_file(page, photo, "Input: your upload")


def map_changes(page, action) -> None:
    old = page.locator(FEATURE_MAP).first.get_attribute("src")
    action()
    page.wait_for_function(
        "(old) => document.querySelector('img.convscope-clickable')?.getAttribute('src') !== old",
        arg=old,
        timeout=60_000,
    )


def press_slider(page, name: str, key: str = "ArrowRight") -> None:
    page.get_by_role("slider", name=name).first.focus()
    page.keyboard.press(key)


def href(page) -> str:
    return page.evaluate("() => location.href")


def link_gets(page, setting: str, seconds: float = 30) -> bool:
    try:
        page.wait_for_function(
            "(setting) => location.href.includes(setting)", arg=setting, timeout=seconds * 1000
        )
    except Exception:
        return False
    return True


@contextlib.contextmanager
def a_cluster(log: str):
    """Two app processes sharing a Redis, nginx in front; yields (proxy URL, servers). The
    processes write to test-artifacts/<log>-1.log and -2.log."""
    if not shutil.which(cluster.NGINX):
        _unavailable("nginx is not installed (apt-get install nginx)")
    with redis_url() as url:
        env = {"CONVSCOPE_REDIS_URL": url}
        script = cluster.ROOT / "app" / "streamlit_app.py"
        ARTIFACTS.mkdir(exist_ok=True)
        servers = [
            cluster.start_app(script, env=env, log=ARTIFACTS / f"{log}-{n}.log") for n in (1, 2)
        ]
        try:
            with cluster.nginx_in_front([s.port for s in servers]) as proxy:
                yield proxy, servers
        finally:
            for server in servers:
                server.stop()


@pytest.fixture(scope="module")
def cluster_up():
    with a_cluster("proxy-replica") as up:
        yield up


@pytest.fixture
def own_cluster():
    """A cluster for a test that stops one of its replicas (so a repeat of it, or the next
    test, never meets a cluster with a replica down)."""
    with a_cluster("failover-replica") as up:
        yield up


def test_the_proxy_keeps_each_browser_on_one_replica(cluster_up):
    proxy, _ = cluster_up
    seen = set()
    for _ in range(12):  # new browsers are spread over both replicas
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(proxy + "/_stcore/health").read()
        first = {c.name: c.value for c in jar}["cs_replica"]
        for _ in range(3):  # a known browser keeps its replica
            opener.open(proxy + "/_stcore/health").read()
            assert {c.name: c.value for c in jar}["cs_replica"] == first
        seen.add(first)
    assert seen == {"app1", "app2"}


def test_the_proxy_keeps_streamlits_scripts_and_sends_them_compressed(cluster_up):
    proxy, servers = cluster_up
    page = urllib.request.urlopen(proxy + "/").read().decode()
    script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', page)[1]
    plain = urllib.request.urlopen(f"{proxy}/{script}").read()
    # Fetch it twice: the second answer comes from nginx's cache, not from a replica.
    statuses = []
    for _ in range(2):
        response = urllib.request.urlopen(f"{proxy}/{script}")
        statuses.append(response.headers["X-Cache"])
        assert response.read() == plain
    assert statuses[-1] == "HIT"
    direct = urllib.request.urlopen(f"{servers[1].url}/{script}").read()
    assert plain == direct  # the cached file is the replica's own
    gzipped = urllib.request.urlopen(
        urllib.request.Request(f"{proxy}/{script}", headers={"Accept-Encoding": "gzip"})
    )
    assert gzipped.headers["Content-Encoding"] == "gzip"
    body = gzipped.read()
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 2
    # only /static/ goes through the cache: the app's own answers never do
    health = urllib.request.urlopen(proxy + "/_stcore/health")
    assert health.headers["X-Cache"] is None


def test_a_replica_stops_mid_class_and_its_students_carry_on(own_cluster, browser):
    proxy, servers = own_cluster
    host = proxy.split("//")[1].split(":")[0]
    students = {}
    for replica, grey in (("app1", 60), ("app2", 190)):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_cookies([{"name": "cs_replica", "value": replica, "domain": host, "path": "/"}])
        page = context.new_page()
        page.goto(proxy + "/?sample=astronaut&res=256")
        wait_for_app(page, timeout=120)
        page.locator(FEATURE_MAP).first.wait_for(timeout=60_000)
        upload(page, a_photo(grey))  # uploads are separate requests: stickiness matters
        map_changes(page, lambda p=page: press_slider(p, "Stride"))
        assert link_gets(page, "stride=2")
        assert replica_of(context) == replica
        assert not error_texts(page)
        students[replica] = page

    servers[0].stop()  # replica 1 goes down mid-class
    moved = students["app1"]
    # Its student's page reconnects through the proxy to replica 2 and reruns from its URL.
    # The upload stayed with the stopped process: the page says so instead of failing.
    moved.get_by_text("is no longer on the server").first.wait_for(timeout=90_000)
    wait_for_app(moved)
    screenshot(moved, "proxy-after-failover")
    assert "stride=2" in href(moved)
    stride = moved.locator('[data-testid="stSlider"]').filter(has_text="Stride").first
    assert stride.locator('[data-testid="stSliderThumbValue"]').inner_text() == "2"
    assert replica_of(moved.context) == "app2"
    assert not error_texts(moved)
    map_changes(moved, lambda: press_slider(moved, "Dilation"))
    assert link_gets(moved, "dil=2") and "stride=2" in href(moved)
    # A new upload works on the new replica (the replicas share the cookie secret, so the
    # XSRF check passes).
    upload(moved, a_photo(90))
    assert not error_texts(moved)

    stayed = students["app2"]
    map_changes(stayed, lambda: press_slider(stayed, "Dilation"))
    assert stayed.get_by_text("Input: your upload").count()
    assert not error_texts(stayed)
    for page in students.values():
        page.context.close()
