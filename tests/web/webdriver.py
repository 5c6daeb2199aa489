"""A small W3C WebDriver client (standard library only) for headless
Chromium through Debian's chromedriver, plus the browser's console log.
Only ever talks to 127.0.0.1."""

import base64
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self, chromium="/usr/bin/chromium", chromedriver="/usr/bin/chromedriver",
                 width=1366, height=900, log_path=None):
        self.port = free_port()
        self.log = open(log_path or os.devnull, "w")
        self.proc = subprocess.Popen([chromedriver, f"--port={self.port}", "--allowed-ips=127.0.0.1"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 20
        while True:
            try:
                self._call("GET", "/status")
                break
            except (urllib.error.URLError, ConnectionError, WebDriverError):
                if time.time() > deadline or self.proc.poll() is not None:
                    raise WebDriverError("chromedriver did not start")
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                f"--window-size={width},{height}", "--lang=en-GB"]},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}}
        value = self._call("POST", "/session", caps)
        self.session = value["sessionId"]

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                payload = json.loads(res.read() or b"{}")
        except urllib.error.HTTPError as e:
            payload = json.loads(e.read() or b"{}")
            v = payload.get("value", {})
            raise WebDriverError(f"{method} {path}: {v.get('error')}: {v.get('message', '')[:300]}")
        return payload.get("value")

    def cmd(self, method, path, body=None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def quit(self):
        try:
            self.cmd("DELETE", "")
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()

    # --- Navigation and scripts.
    def get(self, url):
        self.cmd("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def set_size(self, width, height):
        self.cmd("POST", "/window/rect", {"width": width, "height": height})

    # --- Elements.
    def find_all(self, css):
        return [e[ELEMENT] for e in self.cmd("POST", "/elements", {"using": "css selector", "value": css})]

    def find(self, css, timeout=10):
        deadline = time.time() + timeout
        while True:
            found = self.find_all(css)
            if found:
                return found[0]
            if time.time() > deadline:
                raise WebDriverError(f"no element matches {css!r} after {timeout}s")
            time.sleep(0.05)

    def wait(self, script, timeout=10, what=None, *args):
        deadline = time.time() + timeout
        while True:
            value = self.js(script, *args)
            if value:
                return value
            if time.time() > deadline:
                raise WebDriverError(f"timed out waiting for {what or script}")
            time.sleep(0.05)

    def click(self, css):
        self.cmd("POST", f"/element/{self.find(css)}/click", {})

    def type(self, css, text):
        el = self.find(css)
        self.cmd("POST", f"/element/{el}/clear", {})
        self.cmd("POST", f"/element/{el}/value", {"text": text})

    def keys(self, css, text):
        self.cmd("POST", f"/element/{self.find(css)}/value", {"text": text})

    def text(self, css):
        return self.cmd("GET", f"/element/{self.find(css)}/text")

    def exists(self, css):
        return bool(self.find_all(css))

    # --- Artifacts.
    def screenshot(self, path, full_page=True):
        if full_page:
            h = self.js("return Math.ceil(document.documentElement.scrollHeight)")
            rect = self.cmd("GET", "/window/rect")
            self.set_size(rect["width"], min(max(h + (rect["height"] - self.js("return window.innerHeight")), 300), 4000))
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)
        if full_page:
            self.set_size(rect["width"], rect["height"])

    def console(self):
        """Browser log entries since the last call (level, source, message)."""
        return self.cmd("POST", "/se/log", {"type": "browser"}) or []
