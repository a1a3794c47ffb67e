"""URL lists: pages fetched once into a cache (tested against a loopback HTTP server), polite
delays, one clear line per failed URL, failures recorded and retried, then analysed as a corpus."""
from __future__ import annotations

import csv
import http.server
import socket
import threading
import time
from pathlib import Path

import pytest

import framelens.corpus as corpus
from framelens.corpus.engine import analyze_corpus
from framelens.corpus.fetch import PoliteFetcher, fetch_url_list, url_ids
from framelens.errors import FramelensError

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
PAGES = {
    "/news/bridge-vote.html": FIXTURE_CORPUS / "courier" / "index.html",
    "/radio/engineers": FIXTURE_CORPUS / "radio" / "bridge-engineers.txt",
}


class _Site(http.server.BaseHTTPRequestHandler):
    requests: list[tuple[str, float]] = []

    def do_GET(self):  # noqa: N802 - http.server's hook name
        _Site.requests.append((self.path, time.monotonic()))
        page = PAGES.get(self.path)
        if page is None:
            self.send_error(404, "Not Found")
            return
        text = page.read_text(encoding="utf-8")
        if page.suffix == ".txt":  # serve the plain article as a simple web page
            paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip())
            text = f"<html><head><title>t</title></head><body><article>{paragraphs}</article></body></html>"
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture()
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Site.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def url_list(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["url", "outlet", "title", "date"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_pages_are_fetched_once_and_failures_recorded_and_retried(site, tmp_path, caplog):
    rows = [
        {"url": f"{site}/news/bridge-vote.html", "outlet": "Coastline Courier", "title": "", "date": "2031-03-05"},
        {"url": f"{site}/radio/engineers", "outlet": "Northshore Radio", "title": "Engineers", "date": "2031-03-05"},
        {"url": f"{site}/gone", "outlet": "Lost Weekly", "title": "", "date": ""},
        {"url": f"http://127.0.0.1:{closed_port()}/down", "outlet": "Offline Times", "title": "", "date": ""},
    ]
    source = url_list(tmp_path / "bridge.urls.csv", rows)
    cache, out = tmp_path / "raw", tmp_path / "out"
    summary = analyze_corpus(source, out, cache_dir=cache, fetcher=PoliteFetcher(0, private_addresses=True), progress=False)
    assert (summary.analysed, summary.failed) == (2, 2)
    ids = url_ids([r["url"] for r in rows])
    assert sorted(p.name for p in cache.iterdir()) == sorted(f"{i}{s}" for i in ids[:2] for s in (".html", ".meta.yaml"))
    assert "Northshore Radio" in (cache / f"{ids[1]}.meta.yaml").read_text()
    failures = [r.getMessage() for r in caplog.records if "could not fetch" in r.getMessage() and r.notice]
    assert len(failures) == 2 and any("HTTP 404" in f for f in failures), failures  # one line per URL, read once
    with corpus.open(out) as c:
        errors = c.errors.set_index("article_id")
        assert errors.loc[ids[2], "reason"] == "fetch failed: HTTP 404" and errors.loc[ids[2], "outlet"] == "Lost Weekly"
        assert errors.loc[ids[3], "reason"].startswith("fetch failed: no answer")
        assert set(c.quotes["outlet"]) == {"Coastline Courier", "Northshore Radio"}
    fetched = len(_Site.requests)
    again = analyze_corpus(source, out, cache_dir=cache, fetcher=PoliteFetcher(0, private_addresses=True), progress=False)
    assert (again.analysed, again.skipped) == (0, 4)
    assert [path for path, _t in _Site.requests[fetched:]] == ["/gone"]  # cached pages never again; failures retried


def test_requests_to_one_host_wait_the_polite_delay(site):
    fetcher = PoliteFetcher(delay=0.3, private_addresses=True)
    for _ in range(3):
        fetcher.fetch(f"{site}/radio/engineers")
    times = [t for _p, t in _Site.requests]
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.25


def test_url_ids_are_readable_and_collisions_get_a_hash():
    ids = url_ids(["https://www.example.org/2031/03/bridge-vote.html", "https://news.example/a/index", "https://news.example/b/index"])
    assert ids[0] == "example-org-bridge-vote"
    assert ids[1].startswith("news-example-index-") and ids[1] != ids[2]


def test_url_list_without_urls_or_with_bad_ids_is_an_error(tmp_path):
    missing = url_list(tmp_path / "a.urls.csv", [{"url": "", "outlet": "X", "title": "", "date": ""}])
    with pytest.raises(FramelensError, match="no url"):
        list(fetch_url_list(missing, cache_dir=tmp_path / "raw"))
    bad = tmp_path / "b.urls.csv"
    bad.write_text("id,url\n../escape,http://127.0.0.1:1/x\n", encoding="utf-8")
    with pytest.raises(FramelensError, match="cannot be an article id"):
        list(fetch_url_list(bad, cache_dir=tmp_path / "raw"))
    assert not (tmp_path / "raw").exists()


def test_the_shipped_unga70_url_list_is_a_url_list():
    from framelens.config import PROJECT_ROOT
    from framelens.corpus.inputs import _is_url_list, read_rows

    path = PROJECT_ROOT / "data" / "corpora" / "unga70.urls.csv"
    rows = [r for _n, r in read_rows(path)]
    assert _is_url_list(path) and len(rows) == 15
    assert all(r["url"].startswith(("http://", "https://")) and r["outlet"] for r in rows)
