"""Optional end-to-end encryption: a passphrase-derived key wraps a random data key (AES-GCM).

``format.json`` holds the KDF parameters, the wrapped data key and a key-check value; every
other remote file is sealed with AES-256-GCM using its remote path as associated data, so files
cannot be swapped or altered without detection.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from readinglist.sync.storage_api import SyncError

MAGIC = b"RLE1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
_CHECK_LABEL = b"readinglist key check v1"
_WRAP_AAD = b"readinglist data key v1"


class WrongPassphraseError(SyncError):
    """The passphrase does not open this remote's key."""


class DecryptError(SyncError):
    """A remote file failed authentication (corrupt, swapped or written with another key)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text))


def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * 1024 * 1024, dklen=32)


def _check_value(data_key: bytes) -> str:
    return _b64(hmac.new(data_key, _CHECK_LABEL, hashlib.sha256).digest()[:16])


class Sealer:
    """Seals and opens remote files; the plain variant passes bytes through."""

    encrypted = False

    def blob_name(self, sha256: str) -> str:
        """The remote name of a content-addressed blob."""
        return sha256

    def seal(self, path: str, data: bytes) -> bytes:
        return data

    def open(self, path: str, data: bytes) -> bytes:
        if data.startswith(MAGIC):
            raise DecryptError(f"{path} is encrypted but this remote is set up without a key")
        return data


class AesGcmSealer(Sealer):
    """AES-256-GCM with a random nonce and the remote path as associated data."""

    encrypted = True

    def __init__(self, data_key: bytes) -> None:
        self._aead = AESGCM(data_key)
        self._name_key = hmac.new(data_key, b"readinglist blob names v1", hashlib.sha256).digest()

    def blob_name(self, sha256: str) -> str:
        return hmac.new(self._name_key, sha256.encode("ascii"), hashlib.sha256).hexdigest()

    def seal(self, path: str, data: bytes) -> bytes:
        nonce = os.urandom(12)
        return MAGIC + nonce + self._aead.encrypt(nonce, data, path.encode("utf-8"))

    def open(self, path: str, data: bytes) -> bytes:
        if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 12 + 16:
            raise DecryptError(f"{path} is not an encrypted readinglist file")
        nonce = data[len(MAGIC):len(MAGIC) + 12]
        try:
            return self._aead.decrypt(nonce, data[len(MAGIC) + 12:], path.encode("utf-8"))
        except InvalidTag:
            raise DecryptError(f"{path} failed authentication (corrupt or not ours)") from None


def new_key_record(passphrase: str) -> tuple[dict[str, Any], Sealer]:
    """A fresh data key wrapped under ``passphrase``: the ``e2ee`` entry of ``format.json``."""
    if not passphrase:
        raise SyncError("an empty passphrase cannot protect the sync data")
    salt, nonce, data_key = os.urandom(16), os.urandom(12), AESGCM.generate_key(256)
    kek = _kek(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    record = {"cipher": "AES-256-GCM", "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R,
              "p": SCRYPT_P, "salt": _b64(salt), "nonce": _b64(nonce),
              "wrapped_key": _b64(AESGCM(kek).encrypt(nonce, data_key, _WRAP_AAD)),
              "check": _check_value(data_key)}
    return record, AesGcmSealer(data_key)


def open_key_record(record: dict[str, Any], passphrase: str) -> Sealer:
    """Unwrap the data key; raises ``WrongPassphraseError`` if the passphrase is wrong."""
    try:
        if record.get("kdf") != "scrypt" or record.get("cipher") != "AES-256-GCM":
            raise SyncError("the remote uses an encryption scheme this version does not know")
        kek = _kek(passphrase, _unb64(record["salt"]), int(record["n"]), int(record["r"]),
                   int(record["p"]))
        data_key = AESGCM(kek).decrypt(_unb64(record["nonce"]), _unb64(record["wrapped_key"]),
                                       _WRAP_AAD)
    except InvalidTag:
        raise WrongPassphraseError("wrong passphrase for the encrypted sync data; "
                                   "nothing was read or written") from None
    except (KeyError, ValueError, TypeError) as error:
        raise SyncError(f"the remote's encryption record is damaged ({error})") from None
    if not hmac.compare_digest(_check_value(data_key), str(record.get("check", ""))):
        raise WrongPassphraseError("wrong passphrase for the encrypted sync data; "
                                   "nothing was read or written")
    return AesGcmSealer(data_key)
