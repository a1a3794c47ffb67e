"""JupyterLab: the server starts headless on loopback, lists the notebooks and starts the project's kernel."""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from framelens.config import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base: str, token: str, path: str, method: str = "GET", body: dict | None = None) -> dict | list:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=20) as response:
        raw = response.read()
    return json.loads(raw) if raw else {}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = free_port(), secrets.token_hex(16)
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={NOTEBOOKS_DIR}", "--ServerApp.open_browser=False",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            api(base, token, "/api/status")
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("JupyterLab did not start within 90 s")
            time.sleep(0.5)
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_lab_lists_the_notebooks(lab):
    base, token = lab
    listing = api(base, token, "/api/contents/")
    names = {item["name"] for item in listing["content"]}
    expected = {p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")}
    assert expected and expected <= names
    lab_page = urllib.request.urlopen(urllib.request.Request(f"{base}/lab", headers={"Authorization": f"token {token}"}), timeout=20)
    assert lab_page.status == 200


def test_lab_offers_the_project_kernel_and_starts_it(lab):
    base, token = lab
    specs = api(base, token, "/api/kernelspecs")["kernelspecs"]
    assert "python3" in specs
    kernel_name = "framelens" if "framelens" in specs else "python3"
    kernel = api(base, token, "/api/kernels", method="POST", body={"name": kernel_name})
    try:
        output = execute(base, token, kernel["id"], "import framelens, sys; print(framelens.__version__, sys.prefix)")
        import framelens

        assert output.split()[0] == framelens.__version__
        assert Path(specs[kernel_name]["spec"]["argv"][0]).name.startswith("python")
    finally:
        api(base, token, f"/api/kernels/{kernel['id']}", method="DELETE")


def execute(base: str, token: str, kernel_id: str, code: str, timeout: float = 90) -> str:
    """Run ``code`` in the kernel over its websocket channels; return what it printed."""
    import uuid

    import websocket

    ws = websocket.create_connection(
        f"{base.replace('http', 'ws')}/api/kernels/{kernel_id}/channels?token={token}", timeout=timeout
    )
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex, "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False},
    }))
    printed = []
    replied = idle = False  # the shell's reply may overtake the printed output on iopub: wait for both
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise AssertionError(msg["content"]["evalue"])
            elif msg["msg_type"] == "execute_reply":
                replied = True
            elif msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            if replied and idle:
                return "".join(printed)
    finally:
        ws.close()
    raise TimeoutError("kernel did not answer")


def test_make_lab_installs_the_framelens_kernel():
    makefile = (NOTEBOOKS_DIR.parent / "Makefile").read_text()
    assert "ipykernel install --sys-prefix --name framelens" in makefile
    assert "jupyter lab" in makefile


@pytest.mark.parametrize(
    "variables, expected",
    [
        ({}, []),
        ({"LAB_PORT": "8890"}, ["--port=8890"]),
        ({"LAB_PORT": "8890", "LAB_ARGS": "--no-browser --ip 127.0.0.1"}, ["--port=8890", "--no-browser", "--ip", "127.0.0.1"]),
    ],
)
def test_make_lab_passes_port_and_arguments(variables, expected):
    """`make -n lab` prints the command it would run: the port and the extra arguments reach jupyter lab."""
    import shutil

    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed")
    command = ["make", "-n", "-s", "lab", *(f"{k}={v}" for k, v in variables.items())]
    printed = subprocess.run(command, cwd=NOTEBOOKS_DIR.parent, capture_output=True, text=True, check=True).stdout
    lab_line = next(line for line in printed.splitlines() if "jupyter lab" in line).split()
    assert "--notebook-dir=notebooks" in lab_line
    assert [arg for arg in lab_line if arg not in ("--notebook-dir=notebooks", "--allow-root")][2:] == expected
