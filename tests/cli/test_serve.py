"""`tsunagari set-editor` and `tsunagari serve` (issue 17: roles)."""

from __future__ import annotations

import io
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cli.main import main
from dashboards._auth import check_editor, credentials_configured, load_editors

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def editors(tmp_path, monkeypatch) -> Path:
    file = tmp_path / "editors.json"
    monkeypatch.setenv("TSUNAGARI_EDITORS", str(file))
    return file


def test_set_editor_stores_a_hash_only(editors, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret pass phrase\n"))
    assert main(["set-editor", "tanaka"]) == 0
    assert "scrypt" in capsys.readouterr().out
    text = editors.read_text()
    assert "s3cret" not in text and '"kdf": "scrypt"' in text
    assert stat.S_IMODE(editors.stat().st_mode) == 0o600
    assert check_editor("tanaka", "s3cret pass phrase", editors)
    assert not check_editor("tanaka", "s3cret pass phrasE", editors)
    assert not check_editor("sato", "s3cret pass phrase", editors)


def test_set_editor_refuses_a_short_password(editors, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["set-editor", "tanaka"]) == 2
    assert "8 characters" in capsys.readouterr().err
    assert not editors.exists() and load_editors(editors) == {}


def test_serve_on_the_network_refuses_without_credentials(editors, monkeypatch, capsys):
    started = []
    monkeypatch.setattr(subprocess, "call", lambda *a, **k: started.append(a) or 0)
    assert not credentials_configured()
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "set-editor" in capsys.readouterr().err and started == []
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long password\n"))
    assert main(["set-editor", "tanaka"]) == 0
    assert main(["serve", "--host", "0.0.0.0", "--port", "8600"]) == 0
    command = started[0][0]
    assert command[3:5] == ["run", "app.py"]
    assert command[command.index("--server.address") + 1] == "0.0.0.0"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_serve_on_loopback_starts_the_dashboard(tmp_path):
    port = _free_port()
    env = dict(os.environ, TSUNAGARI_EDITORS=str(tmp_path / "none.json"),
               PYTHONPATH=str(ROOT))
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port),
                               "--store", str(tmp_path / "s.duckdb")], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as answer:
                    assert answer.read() == b"ok"
                    break
            except OSError:
                assert time.time() < deadline and server.poll() is None
                time.sleep(0.5)
    finally:
        os.killpg(server.pid, 9)
        server.wait()
