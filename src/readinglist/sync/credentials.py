"""Secrets in the OS keyring only: WebDAV passwords and E2EE passphrases. Never plaintext files.

Service ``"readinglist"``, user name ``f"{url}|{user}"``. ``READINGLIST_WEBDAV_PASSWORD`` and
``READINGLIST_SYNC_PASSPHRASE`` serve headless, scripted use.
"""

from __future__ import annotations

import os

import keyring
import keyring.errors

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


def password_account(url: str, user: str) -> str:
    return f"{url}|{user}"


def passphrase_account(location: str) -> str:
    return f"{location}|e2ee"


def save(account: str, secret: str, what: str = "password", env: str = PASSWORD_ENV) -> None:
    """Store a secret in the keyring; raises ``NoKeychainError`` if there is none."""
    try:
        keyring.set_password(SERVICE, account, secret)
    except keyring.errors.KeyringError:
        raise _no_keychain(what, env) from None


def load(account: str, env: str = PASSWORD_ENV, what: str = "password") -> str | None:
    """The secret from the environment variable, else the keyring, else None."""
    override = os.environ.get(env)
    if override:
        return override
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
