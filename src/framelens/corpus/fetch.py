"""URL lists: fetch each page once into a cache folder (politely), then read it like a folder corpus.

The cache (default ``data/raw/<corpus>/``) holds ``<id>.html`` and a sidecar ``<id>.meta.yaml``
with the list's metadata for every page fetched, so it is itself a folder corpus; a cached page
is never downloaded again.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import time
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import yaml

from ..config import RAW_DIR
from ..errors import FramelensError
from ..ids import article_folder, check_unique_ids
from .inputs import CorpusEntry, check_table_ids, clean_value, read_rows, row_metadata, slug

log = logging.getLogger(__name__)


def corpus_name(source: Path) -> str:
    """A corpus's name from its path: the folder name, or the file stem without ``.urls``."""
    name = source.resolve().name if source.is_dir() else source.name.split(".")[0]
    return name or "corpus"


def url_ids(urls: list[str]) -> list[str]:
    """Readable ids from URLs (host and last path segment); ids that collide get a hash of their URL."""
    base = []
    for url in urls:
        parts = urlsplit(url)
        host = parts.hostname or "page"
        host = host[4:] if host.startswith("www.") else host
        last = next((s for s in reversed(parts.path.split("/")) if s), "")
        base.append(slug(f"{host} {last.rsplit('.', 1)[0]}") or "page")
    counts = {b: base.count(b) for b in base}
    return [b if counts[b] == 1 else f"{b}-{hashlib.sha1(u.encode()).hexdigest()[:8]}" for b, u in zip(base, urls)]


class PoliteFetcher:
    """Downloads pages with trafilatura, waiting ``delay`` seconds between requests to one host.

    A URL that failed is not tried again by the same fetcher (one run reads its inputs twice).
    """

    def __init__(self, delay: float = 1.0, *, timeout: int = 30, private_addresses: bool = False):
        self.delay = delay
        self.timeout, self.private_addresses = timeout, private_addresses
        self.last_request: dict[str, float] = {}
        self.failures: dict[str, FramelensError] = {}

    @functools.cached_property
    def config(self) -> Any:
        """trafilatura's download settings, made on the first download (a corpus that is not a URL
        list never imports trafilatura: a fifth of a second on every run, and on every resume)."""
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "DOWNLOAD_TIMEOUT", str(self.timeout))
        # trafilatura refuses loopback and private addresses (SSRF protection); tests serve pages on 127.0.0.1
        config.set("DEFAULT", "SSRF_PROTECTION", "off" if self.private_addresses else "on")
        return config

    def fetch(self, url: str) -> bytes:
        """The page's bytes; FramelensError with the reason (HTTP status, no answer, empty page)."""
        if url not in self.failures:
            try:
                return self._download(url)
            except FramelensError as exc:
                self.failures[url] = exc
                log.warning("could not fetch %s: %s", url, exc, extra={"notice": True})
        raise self.failures[url]

    def _download(self, url: str) -> bytes:
        from trafilatura.downloads import fetch_response

        host = urlsplit(url).netloc
        wait = self.last_request.get(host, -1e9) + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        downloads_log = logging.getLogger("trafilatura.downloads")
        level = downloads_log.level
        downloads_log.setLevel(logging.CRITICAL)  # its own error line would double ours
        try:
            response = fetch_response(url, config=self.config)
        finally:
            downloads_log.setLevel(level)
            self.last_request[host] = time.monotonic()
        if response is None:
            raise FramelensError("no answer (connection refused, timed out or not a web page)")
        if response.status != 200:
            raise FramelensError(f"HTTP {response.status}")
        if not response.data:
            raise FramelensError("empty page")
        return bytes(response.data)


def fetch_url_list(path: Path, *, cache_dir: Path | None = None, fetcher: PoliteFetcher | None = None) -> Iterator[CorpusEntry]:
    """Entries of a URL list (CSV: ``url``, optional ``id`` and metadata columns), fetching each
    page not yet in ``cache_dir``. A page that cannot be fetched gives an entry with the reason as
    its problem (recorded as failed; tried again on the next run) and one warning line."""
    rows = [(n, r) for n, r in read_rows(path)]
    check_table_ids(rows, path)
    missing = [n for n, r in rows if not clean_value(r.get("url"))]
    if missing:
        raise FramelensError(f"{path}: rows {', '.join(map(str, missing[:5]))} have no url")
    cache = Path(cache_dir) if cache_dir else RAW_DIR / corpus_name(path)
    derived = url_ids([r["url"].strip() for _n, r in rows])
    ids = [str(clean_value(r.get("id")) or d) for (_n, r), d in zip(rows, derived)]
    check_unique_ids(zip(ids, (f"{path} row {n}" for n, _r in rows)))
    fetcher = fetcher or PoliteFetcher()
    for (number, record), article_id in zip(rows, ids):
        url = record["url"].strip()
        metadata = row_metadata(record)
        page = article_folder(cache, article_id).with_name(f"{article_id}.html")
        if not page.is_file():
            try:
                _store_page(page, fetcher.fetch(url), metadata)
            except FramelensError as exc:
                yield CorpusEntry(article_id, f"{path} row {number}", b"", metadata, problem=f"fetch failed: {exc}")
                continue
        yield CorpusEntry(article_id, str(page), page.read_bytes(), metadata)


def _store_page(page: Path, data: bytes, metadata: dict[str, Any]) -> None:
    """Write the page and its sidecar atomically (sidecar first, the page last: the cache marker)."""
    page.parent.mkdir(parents=True, exist_ok=True)
    meta = {k: v for k, v in metadata.items() if v is not None}
    meta["fetched"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for target, content in ((page.with_name(page.stem + ".meta.yaml"), yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).encode()),
                            (page, data)):
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, target)
