"""A real HTTP server on 127.0.0.1 for the demo site (and for the tests).

It records what it was asked (path, headers) and the most requests it ever
had in flight at once, so tests can check a crawler's manners.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from newsarchive.demo.newssite import NewsSite


@dataclass(frozen=True)
class Hit:
    path: str
    headers: dict[str, str]
    status: int
    started: float  # time.monotonic() when the request came in
    at: float  # ... and when it was answered


class SiteServer:
    """Serves a NewsSite on a loopback address from a background thread."""

    def __init__(
        self,
        *,
        layout: dict[int, set[str]] | None = None,
        faults: bool = False,
        crawl_delay: float | None = None,
        port: int = 0,
        site=None,
        host: str = "127.0.0.1",
    ):
        """Serves the demo NewsSite, or `site(base)`: any object with the
        same `respond(target, headers) -> Reply`, on `host` (any loopback
        address: 127.0.0.2 is another site to a crawler)."""
        self.hits: list[Hit] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = _Server((host, port), _handler(self))
        self._httpd.daemon_threads = True
        address, bound = self._httpd.server_address[:2]
        base = f"http://{address!s}:{bound}"
        self.site = (
            site(base) if site else NewsSite(base, layout=layout, faults=faults, crawl_delay=crawl_delay)
        )
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="site-server", daemon=True)

    @property
    def base(self) -> str:
        return self.site.base

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def requested(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def _leave(self, hit: Hit) -> None:
        with self._lock:
            self.in_flight -= 1
            self.hits.append(hit)


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops connections when a crawler
    # opens more at once; the client's SYN is then retried after a second.
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        """A client that went away mid-request (a crawler killed, a size
        cap) is its own business; anything else is printed as usual."""
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def _handler(server: SiteServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle's algorithm on, a
        # kept-alive connection then waits ~40 ms for the client's delayed
        # ACK on every response, and a local crawl measures that, not itself.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802 (the http.server interface)
            server._enter()
            started = time.monotonic()
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = server.site.respond(self.path, headers)
            try:
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a size cap, a timeout): its right
            finally:
                server._leave(Hit(self.path, headers, reply.status, started, time.monotonic()))

        def log_message(self, format, *args) -> None:  # noqa: A002 (the interface's name)
            pass

    return Handler
