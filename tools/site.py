"""The built site on loopback, served the way GitHub Pages serves it; `make serve` runs this.

Usage: python -m tools.site [SITE] [--port 8000]      (default: _build/html)

Pages are served under the path of `html.baseurl` in `_config.yml` (e.g. `/nudge/`), text files
gzip-compressed when the browser asks (as a real host sends them) and `404.html`, with status
404, for any missing address. The tests and `make bench` use the same server.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import mimetypes
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
#: the path GitHub Pages serves the site under, from `html.baseurl`
PREFIX = urlparse(CONFIG["html"]["baseurl"]).path.rstrip("/") + "/"
# text types a static host compresses; images and fonts are compressed already
COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml)|image/svg)")


class PagesHost(http.server.BaseHTTPRequestHandler):
    """Serves `site` under `PREFIX`, gzip for text when asked, `404.html` (status 404) for the rest."""

    site: Path = SITE
    packed: dict = {}

    def log_message(self, *args):  # keep the test output readable
        pass

    def do_GET(self):
        path = unquote(urlparse(self.path).path)
        status, file = 404, self.site / "404.html"
        if path + "/" == PREFIX:
            self.send_response(301)
            self.send_header("Location", PREFIX)
            self.end_headers()
            return
        if path.startswith(PREFIX):
            target = (self.site / path[len(PREFIX) :]).resolve()
            if target.is_dir():
                target = target / "index.html"
            if target.is_file() and target.is_relative_to(self.site.resolve()):
                status, file = 200, target
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self.send_response(status)
        if COMPRESSIBLE.match(kind) and "gzip" in self.headers.get("Accept-Encoding", ""):
            if file not in self.packed:
                self.packed[file] = gzip.compress(data, 6)
            data = self.packed[file]
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def server(site: Path = SITE, port: int = 0) -> http.server.ThreadingHTTPServer:
    handler = type("SiteHost", (PagesHost,), {"site": Path(site), "packed": {}})
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


@contextlib.contextmanager
def serving(site: Path = SITE) -> Iterator[str]:
    """The site at http://127.0.0.1:<free port>/<prefix>/ while the block runs."""
    httpd = server(site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=SITE, help="the built site (default: _build/html)")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"no site in {args.site}: run `make book` first", file=sys.stderr)
        return 1
    httpd = server(args.site, args.port)
    print(f"serving {args.site} on http://127.0.0.1:{httpd.server_address[1]}{PREFIX} (Ctrl-C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        httpd.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
