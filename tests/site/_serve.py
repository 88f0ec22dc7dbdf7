"""Serve a built site on 127.0.0.1 the way a static host does: gzip, a 404 page, a base path.

GitHub Pages serves the site under the path of ``site_url`` (``/glassnet/``), compresses
text with gzip when the browser accepts it and answers a missing page with ``404.html``.
The browser tests and ``make audit`` read the site through this server so that what they
measure (bytes transferred, Lighthouse scores) is what a reader gets.

The server also acts as the browser's HTTP proxy for one made-up host, ``glassnet.test``,
so pages are read from an origin without a port number, as on the real host: Material's
instant navigation matches links against the sitemap by host name and ignores the port,
and would fall back to full page loads on ``127.0.0.1:PORT``. Requests for any other host
are answered 404 and never forwarded.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

VIRTUAL_HOST = "glassnet.test"  # reserved for testing (RFC 2606): never a real host
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "image/svg+xml", "application/x-ipynb+json")


@lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """The gzip body of a file (cached on its path and modification time)."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``server.root`` under ``server.prefix``; gzips text; counts the bytes it sends."""

    protocol_version = "HTTP/1.1"  # keep-alive, as every real host offers
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "application/javascript", ".ipynb": "application/x-ipynb+json",
                      ".woff2": "font/woff2", ".svg": "image/svg+xml"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(kwargs.pop("root", ".")), **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def do_GET(self):
        self._respond(send_body=True)

    def do_HEAD(self):
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        url_path = urlsplit(self.path).path
        path = self._local_path()
        if path is not None and path.is_dir() and not url_path.endswith("/"):
            self._send(301, b"", "text/html", send_body, location=url_path + "/")
            return
        if path is not None and path.is_dir():
            path = path / "index.html"
        status = 200
        if path is None or not path.is_file():  # a real host answers with the site's 404 page
            status, path = 404, Path(self.directory) / "404.html"
        if not path.is_file():
            self._send(status, b"Not found", "text/plain", send_body)
            return
        body, ctype, encoding = path.read_bytes(), self.guess_type(str(path)), None
        if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body, encoding = _gzipped(path, path.stat().st_mtime_ns), "gzip"
        self._send(status, body, ctype, send_body, encoding=encoding)

    def _local_path(self) -> Path | None:
        """The file a URL names, or None when it is outside the prefix, the site or the host."""
        url = urlsplit(self.path)  # absolute when the browser uses the server as its proxy
        url_path = unquote(url.path)
        if url.netloc and url.netloc != VIRTUAL_HOST:
            return None
        if not url_path.startswith(self.server.prefix):
            return None
        root = Path(self.directory).resolve()
        path = (root / url_path[len(self.server.prefix):]).resolve()
        return path if path == root or root in path.parents else None

    def _send(self, status, body, ctype, send_body, encoding=None, location=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith(
            ("text/", "application/javascript", "application/json")) else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)
            self.server.count(len(body))


class SiteServer(http.server.ThreadingHTTPServer):
    """A threaded server of one site directory, with a running count of body bytes sent."""

    daemon_threads = True

    def __init__(self, root: Path, prefix: str = "/"):
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self._lock = threading.Lock()
        self.bytes_sent = 0

        def handler(*args, **kwargs):
            return SiteHandler(*args, root=root, **kwargs)

        super().__init__(("127.0.0.1", 0), handler)

    @property
    def proxy(self) -> str:
        """Address to give the browser as its HTTP proxy for ``http://glassnet.test``."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def origin(self) -> str:
        """The origin pages are read from, through the proxy (no port, like a real host)."""
        return f"http://{VIRTUAL_HOST}"

    @property
    def url(self) -> str:
        """The site's root URL, ending in ``/``."""
        return self.origin + self.prefix

    def count(self, n: int) -> None:
        with self._lock:
            self.bytes_sent += n


@contextlib.contextmanager
def serve(root: Path, prefix: str = "/") -> Iterator[SiteServer]:
    """Serve ``root`` on a free port of 127.0.0.1 for the duration of the block."""
    server = SiteServer(Path(root), prefix)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
