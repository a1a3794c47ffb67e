"""A small headless-Chromium driver over the DevTools protocol, for tests of HTML output.

Chromium comes from Debian (`apt-get install chromium`); `ensure_chromium()` installs it when
missing and the tests run as root. No browser is downloaded from anywhere else.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--remote-debugging-port=0",
    "--window-size=1280,1600",
]


def ensure_chromium() -> str | None:
    """Path of a Chromium binary, installing Debian's package when missing (as root); else None."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"], env=env, capture_output=True, timeout=1200)
    return shutil.which("chromium")


@dataclass
class PageReport:
    """What a page did while loading: console errors, uncaught exceptions, image sizes."""

    errors: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    title: str = ""
    text: str = ""


class Browser:
    """Headless Chromium controlled over a DevTools websocket."""

    def __init__(self, binary: str):
        self.profile = tempfile.mkdtemp(prefix="framelens-chromium-")
        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 30
        while not port_file.is_file() or not port_file.read_text().strip():
            if time.time() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        import websocket

        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self._id = 0
        self.events: list[dict] = []

    def send(self, method: str, **params) -> dict:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self._id:
                return message.get("result", {})
            self.events.append(message)

    def _wait_for(self, method: str, timeout: float = 30) -> None:
        deadline = time.time() + timeout
        if any(e.get("method") == method for e in self.events):
            return
        while time.time() < deadline:
            message = json.loads(self.ws.recv())
            self.events.append(message)
            if message.get("method") == method:
                return
        raise TimeoutError(method)

    def open(self, url: str, *, screenshot: Path | None = None) -> PageReport:
        """Load ``url``; return console errors, exceptions and the rendered size of every image."""
        self.events.clear()
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Page.navigate", url=url)
        self._wait_for("Page.loadEventFired")
        time.sleep(0.3)  # let late console messages arrive
        self.send("Runtime.evaluate", expression="1")
        images = self.send(
            "Runtime.evaluate",
            expression="JSON.stringify(Array.from(document.images).map(i => ({alt: i.alt, naturalWidth: i.naturalWidth, "
            "width: i.getBoundingClientRect().width, height: i.getBoundingClientRect().height, complete: i.complete})))",
            returnByValue=True,
        )
        info = self.send("Runtime.evaluate", expression="JSON.stringify([document.title, document.body.innerText])", returnByValue=True)
        title, text = json.loads(info["result"]["value"])
        report = PageReport(images=json.loads(images["result"]["value"]), title=title, text=text)
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                report.errors.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                report.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                report.errors.append(params["entry"].get("text", "log error"))
        if screenshot is not None:
            shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        return report

    def missing_glyphs(self, text: str, *, selector: str = "body") -> list[str]:
        """The characters of ``text`` the open page cannot draw in the font of ``selector``: each is
        drawn on a canvas and compared with a code point no font has (its drawing is the empty box)."""
        script = """
        (() => {
          const font = getComputedStyle(document.querySelector(SELECTOR)).font;
          const draw = (s) => { const c = document.createElement('canvas'); c.width = 64; c.height = 48;
            const g = c.getContext('2d'); g.font = font; g.fillText(s, 8, 32); return c.toDataURL(); };
          const box = draw(String.fromCodePoint(0x10FFFD));
          return JSON.stringify(Array.from(CHARS).filter(ch => ch.trim() && draw(ch) === box));
        })()"""
        script = script.replace("SELECTOR", json.dumps(selector)).replace("CHARS", json.dumps("".join(sorted(set(text)))))
        result = self.send("Runtime.evaluate", expression=script, returnByValue=True)
        return json.loads(result["result"]["value"])

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - closing best effort
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)
