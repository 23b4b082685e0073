"""Secrets in the OS keyring only: WebDAV passwords and E2EE passphrases. Never plaintext files.

Service ``"readinglist"``, user name ``f"{url}|{user}"``. ``READINGLIST_WEBDAV_PASSWORD`` and
``READINGLIST_SYNC_PASSPHRASE`` serve headless, scripted use.
"""

from __future__ import annotations

import os

import keyring
import keyring.core
import keyring.errors
from keyring.backends.chainer import ChainerBackend

from readinglist.sync.storage_api import SyncError

SERVICE = "readinglist"
PASSWORD_ENV = "READINGLIST_WEBDAV_PASSWORD"
PASSPHRASE_ENV = "READINGLIST_SYNC_PASSPHRASE"


class NoKeychainError(SyncError):
    """No usable OS keychain: secrets cannot be stored, and are never written in plain text."""


def _no_keychain(what: str, env: str) -> NoKeychainError:
    return NoKeychainError(
        f"no keychain available to keep the {what} (no Secret Service / Keychain / Credential "
        f"Manager found); it was not saved anywhere. Start a keychain, or set {env} for "
        "headless use")


def _fallback_file() -> bool:
    """True when keyring, finding no keychain, fell back to a file of its own (keyrings.alt
    keeps secrets there in plain or weakly obscured text) that the user did not choose with
    ``PYTHON_KEYRING_BACKEND`` or ``keyringrc.cfg``."""
    backend = keyring.get_keyring()
    if isinstance(backend, ChainerBackend):
        backend = next(iter(backend.backends), backend)
    if not type(backend).__module__.startswith("keyrings.alt.file"):
        return False
    return keyring.core.load_env() is None and keyring.core.load_config() is None


def password_account(url: str, user: str) -> str:
    return f"{url}|{user}"


def passphrase_account(location: str) -> str:
    return f"{location}|e2ee"


def save(account: str, secret: str, what: str = "password", env: str = PASSWORD_ENV) -> None:
    """Store a secret in the keyring; raises ``NoKeychainError`` if there is none."""
    if _fallback_file():
        raise _no_keychain(what, env)
    try:
        keyring.set_password(SERVICE, account, secret)
    except keyring.errors.KeyringError:
        raise _no_keychain(what, env) from None


def load(account: str, env: str = PASSWORD_ENV, what: str = "password") -> str | None:
    """The secret from the environment variable, else the keyring, else None."""
    override = os.environ.get(env)
    if override:
        return override
    if _fallback_file():
        raise _no_keychain(what, env)
    try:
        return keyring.get_password(SERVICE, account)
    except keyring.errors.KeyringError:
        raise _no_keychain(what, env) from None


def forget(account: str) -> None:
    """Remove a stored secret (missing secrets and absent keychains are fine)."""
    try:
        keyring.delete_password(SERVICE, account)
    except keyring.errors.KeyringError:
        pass
