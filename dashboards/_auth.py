"""Who may change the store through the dashboard: viewers (everyone) and editors.

The dashboard is read-only by default. Editing (upload and ingest, recording outcomes,
reviewing merge candidates, removing a batch) needs an *editor*:

- **Password**: the administrator runs ``tsunagari set-editor NAME`` (it prompts for the
  password). The password is stored as an scrypt hash (``hashlib.scrypt``: n=2**14, r=8,
  p=1, 16-byte random salt) in ``editors.json`` beside the store (``$TSUNAGARI_EDITORS``
  overrides the path), file mode 0600, never in the repository.
- **OIDC**: when ``.streamlit/secrets.toml`` has an ``[auth]`` section, a "sign in" button
  uses Streamlit's ``st.login``; a signed-in user is an editor when their e-mail is listed
  in ``[tsunagari] editors = [...]`` of the same file, or when that list is absent.
- **Local single user**: with *no* credentials configured (no editors file entries, no
  ``[auth]``), the person at the machine is the editor when the server listens on a
  loopback address only (``make run``: ``--server.address 127.0.0.1``), the browser
  connects from loopback and no proxy header (``X-Forwarded-For``, ``Forwarded``) is
  present. Anything else is a viewer.

Sign-ins, failed sign-ins and sign-outs are logged (logger ``tsunagari.auth``). Five failed
passwords in one session lock the form for a minute.

This module imports Streamlit only inside the functions that draw, so the command line
(``tsunagari set-editor``, ``tsunagari serve``) uses the credential functions without it.

>>> import tempfile, pathlib
>>> file = pathlib.Path(tempfile.mkdtemp()) / "editors.json"
>>> _ = set_editor("tanaka", "correct horse battery", file)
>>> check_editor("tanaka", "correct horse battery", file), check_editor("tanaka", "x", file)
(True, False)
>>> "correct horse" in file.read_text()
False
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import os
import secrets
import time
import tomllib
from pathlib import Path

__all__ = ["editors_file", "hash_password", "verify_password", "set_editor", "check_editor",
           "load_editors", "oidc_configured", "credentials_configured", "is_loopback",
           "is_editor", "editor_name", "sidebar"]

LOG = logging.getLogger("tsunagari.auth")
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
_SESSION_KEY = "auth_editor"
_FAILS_KEY = "auth_failures"
_MAX_FAILS, _LOCK_SECONDS = 5, 60.0
# Where Streamlit reads secrets for `streamlit run app.py` started in the repository.
SECRETS_FILES = (Path(__file__).resolve().parents[1] / ".streamlit" / "secrets.toml",
                 Path.home() / ".streamlit" / "secrets.toml")


def editors_file(store=None) -> Path:
    """``$TSUNAGARI_EDITORS``, else ``editors.json`` in the store's folder.

    >>> os.environ.pop("TSUNAGARI_EDITORS", None) and None
    >>> editors_file("/srv/tsunagari/ward.duckdb")
    PosixPath('/srv/tsunagari/editors.json')
    """
    override = os.environ.get("TSUNAGARI_EDITORS")
    if override:
        return Path(override)
    if store is None:
        from ingest.store import default_store_path

        store = default_store_path()
    return Path(store).parent / "editors.json"


def hash_password(password: str, *, salt: bytes | None = None) -> dict:
    """An scrypt record ``{"kdf", "n", "r", "p", "salt", "hash"}`` of ``password``.

    >>> record = hash_password("pw", salt=b"0" * 16)
    >>> record["kdf"], len(record["hash"])
    ('scrypt', 64)
    """
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return {"kdf": "scrypt", **_SCRYPT, "salt": salt.hex(), "hash": digest.hex()}


def verify_password(password: str, record: dict) -> bool:
    """Whether ``password`` matches the ``hash_password`` record (constant-time compare).

    >>> verify_password("pw", hash_password("pw")), verify_password("pw", {})
    (True, False)
    """
    try:
        if record["kdf"] != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(record["salt"]),
                                n=int(record["n"]), r=int(record["r"]), p=int(record["p"]),
                                dklen=32)
        return hmac.compare_digest(digest.hex(), record["hash"])
    except (KeyError, TypeError, ValueError):
        return False


def load_editors(file: Path) -> dict:
    """``{name: record}`` from the editors file (empty when it is missing or unreadable)."""
    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    editors = data.get("editors") if isinstance(data, dict) else None
    return editors if isinstance(editors, dict) else {}


def set_editor(name: str, password: str, file: Path) -> Path:
    """Add or change editor ``name`` in ``file`` (written atomically, mode 0600)."""
    name = name.strip()
    if not name:
        raise ValueError("an editor needs a name")
    if len(password) < 8:
        raise ValueError("the password needs at least 8 characters")
    file = Path(file)
    editors = load_editors(file)
    editors[name] = hash_password(password)
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"editors": editors}, handle, ensure_ascii=False, indent=2)
    os.replace(temporary, file)
    return file


def check_editor(name: str, password: str, file: Path) -> bool:
    """Whether ``name`` is an editor in ``file`` and ``password`` is theirs."""
    record = load_editors(file).get(name.strip())
    if record is None:
        verify_password(password, hash_password("timing"))  # same cost for unknown names
        return False
    return verify_password(password, record)


def _secrets(paths=SECRETS_FILES) -> dict:
    merged: dict = {}
    for path in paths:
        try:
            merged = {**tomllib.loads(Path(path).read_text(encoding="utf-8")), **merged}
        except (OSError, ValueError):
            continue
    return merged


def oidc_configured(paths=SECRETS_FILES) -> bool:
    """Whether a secrets file configures Streamlit's OIDC sign-in (an ``[auth]`` section)."""
    auth = _secrets(paths).get("auth")
    return isinstance(auth, dict) and bool(auth)


def credentials_configured(store=None, paths=SECRETS_FILES) -> bool:
    """Whether any editor sign-in is configured: a password editor or OIDC."""
    return bool(load_editors(editors_file(store))) or oidc_configured(paths)


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0"), is_loopback("")
    (True, True, False, False)
    """
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _local_single_user(store) -> bool:
    import streamlit as st

    if credentials_configured(store):
        return False
    if not is_loopback(st.get_option("server.address")):
        return False
    headers = {k.lower() for k in st.context.headers.keys()}
    if headers & {"x-forwarded-for", "forwarded", "x-real-ip"}:
        return False
    return st.context.ip_address is None  # Streamlit gives None for a loopback client


def _oidc_editor() -> str | None:
    import streamlit as st

    if not oidc_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    email = str(st.user.get("email") or st.user.get("name") or "")
    allowed = _secrets().get("tsunagari", {}).get("editors")
    if allowed is not None and email not in allowed:
        return None
    return email or None


def editor_name(store=None) -> str | None:
    """The signed-in editor of this session (``None``: a viewer)."""
    import streamlit as st

    name = st.session_state.get(_SESSION_KEY)
    if name:
        return name
    oidc = _oidc_editor()
    if oidc:
        return oidc
    if _local_single_user(store):
        from ingest.store import os_user

        return f"{os_user()} (local)"
    return None


def is_editor(store=None) -> bool:
    """Whether this session may change the store."""
    return editor_name(store) is not None


def _password_form(store) -> None:
    import streamlit as st

    from dashboards._i18n import t

    failures = st.session_state.get(_FAILS_KEY, [])
    recent = [f for f in failures if time.monotonic() - f < _LOCK_SECONDS]
    if len(recent) >= _MAX_FAILS:
        st.warning(t("signin_locked"))
        return
    with st.form("auth_signin", clear_on_submit=True):
        name = st.text_input(t("signin_name"), key="auth_name")
        password = st.text_input(t("signin_password"), type="password", key="auth_password")
        if st.form_submit_button(t("signin")):
            if check_editor(name, password, editors_file(store)):
                st.session_state[_SESSION_KEY] = name.strip()
                st.session_state[_FAILS_KEY] = []
                LOG.warning("editor %r signed in", name.strip())
                st.rerun()
            else:
                st.session_state[_FAILS_KEY] = recent + [time.monotonic()]
                LOG.warning("failed sign-in for %r", name.strip())
                st.error(t("signin_failed"))


def sidebar(store=None) -> None:
    """The role line and the sign-in / sign-out controls, in the sidebar."""
    import streamlit as st

    from dashboards._i18n import t

    name = editor_name(store)
    if name:
        st.sidebar.caption(t("role_editor", name=name))
        if st.session_state.get(_SESSION_KEY) and st.sidebar.button(t("signout")):
            LOG.warning("editor %r signed out", st.session_state.pop(_SESSION_KEY))
            st.rerun()
        elif _oidc_editor() and st.sidebar.button(t("signout"), key="auth_oidc_out"):
            st.logout()
        return
    st.sidebar.caption(t("role_viewer"))
    if oidc_configured() and st.sidebar.button(t("signin_oidc"), key="auth_oidc_in"):
        st.login()
    if load_editors(editors_file(store)):
        with st.sidebar.expander(t("signin_editor")):
            _password_form(store)
