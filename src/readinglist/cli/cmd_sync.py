"""The ``sync`` command group: set up a remote, run one round, show status."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import asdict
from pathlib import Path

from readinglist.cli.context import Context
from readinglist.core.errors import InputError
from readinglist.services.sync import SyncService
from readinglist.sync.credentials import PASSPHRASE_ENV, PASSWORD_ENV


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``sync``, ``sync status`` and ``sync setup folder|webdav``."""
    p = sub.add_parser("sync", help="sync with your other machines (one round: push, pull, "
                                    "merge)")
    p.add_argument("--json", action="store_true", help="print what moved as JSON")
    p.set_defaults(handler=cmd_sync)
    actions = p.add_subparsers(dest="sync_command", metavar="ACTION")

    status = actions.add_parser("status", help="where this library syncs and how far it got")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)

    devices = actions.add_parser("devices", help="the machines that sync through the remote")
    devices.add_argument("--json", action="store_true")
    devices.set_defaults(handler=cmd_devices)

    forget = actions.add_parser(
        "forget", help="stop waiting for a machine that no longer syncs (compaction then "
                       "goes ahead; if it syncs again it catches up)")
    forget.add_argument("device", metavar="DEVICE_ID")
    forget.set_defaults(handler=cmd_forget)

    off = actions.add_parser(
        "off", help="stop syncing (the remote and this library stay as they are; its password "
                    "and passphrase leave the keychain)")
    off.set_defaults(handler=cmd_off)

    setup = actions.add_parser("setup", help="choose the sync remote")
    kinds = setup.add_subparsers(dest="sync_kind", metavar="KIND", required=True)
    folder = kinds.add_parser("folder", help="a folder kept in step by Syncthing, Dropbox, …")
    folder.add_argument("path", type=Path, metavar="PATH")
    folder.add_argument("--encrypt", action="store_true",
                        help=f"end-to-end encrypt (passphrase from {PASSPHRASE_ENV} or a prompt)")
    folder.add_argument("--pdfs", action="store_true", help="sync PDF files too")
    folder.set_defaults(handler=cmd_setup_folder)
    webdav = kinds.add_parser("webdav", help="a WebDAV server (Nextcloud, ownCloud, a NAS, …)")
    webdav.add_argument("url", metavar="URL")
    webdav.add_argument("--user", required=True, metavar="NAME")
    webdav.add_argument("--password-stdin", action="store_true",
                        help=f"read the password from standard input (else {PASSWORD_ENV}, "
                             "the keychain, or a prompt)")
    webdav.add_argument("--encrypt", action="store_true",
                        help=f"end-to-end encrypt (passphrase from {PASSPHRASE_ENV} or a prompt)")
    webdav.add_argument("--pdfs", action="store_true", help="sync PDF files too")
    webdav.set_defaults(handler=cmd_setup_webdav)


def _service(ctx: Context) -> SyncService:
    return SyncService(ctx.library, ctx.paths, ctx.settings)


def _passphrase(args: argparse.Namespace) -> str | None:
    if not args.encrypt:
        return None
    phrase = os.environ.get(PASSPHRASE_ENV)
    if phrase:
        return phrase
    if not sys.stdin.isatty() or args.__dict__.get("password_stdin"):
        raise InputError(f"--encrypt needs a passphrase: set {PASSPHRASE_ENV} or run this in a "
                         "terminal")
    phrase = getpass.getpass("Encryption passphrase: ")
    if getpass.getpass("Repeat the passphrase: ") != phrase:
        raise InputError("the passphrases differ; nothing was set up")
    return phrase


def cmd_setup_folder(ctx: Context, args: argparse.Namespace) -> int:
    service = _service(ctx)
    service.setup_folder(args.path, _passphrase(args), pdfs=args.pdfs)
    ctx.print(f"sync set up with the folder {service.config['path']}; "
              "run `readinglist sync` to sync now")
    return 0


def cmd_setup_webdav(ctx: Context, args: argparse.Namespace) -> int:
    password: str | None = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError("no password on standard input")
    elif not os.environ.get(PASSWORD_ENV) and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.user}: ")
    service = _service(ctx)
    service.setup_webdav(args.url, args.user, password, _passphrase(args), pdfs=args.pdfs)
    ctx.print(f"sync set up with {service.config['url']} as {args.user} (password kept in the "
              "keychain); run `readinglist sync` to sync now")
    return 0


def cmd_sync(ctx: Context, args: argparse.Namespace) -> int:
    report = _service(ctx).sync_once()
    if args.json:
        ctx.print_json(asdict(report) | {"pulled_total": report.pulled_total})
        return 0
    for line in report.lines():
        ctx.print(line)
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    status = _service(ctx).status()
    if args.json:
        ctx.print_json(asdict(status))
        return 0
    for line in status.lines():
        ctx.print(line)
    return 0


def cmd_devices(ctx: Context, args: argparse.Namespace) -> int:
    devices = _service(ctx).devices()
    if args.json:
        ctx.print_json([asdict(d) for d in devices])
        return 0
    if not devices:
        ctx.print("no device has synced yet")
    for d in devices:
        notes = [n for n in ("this device" if d.this_device else "",
                             "" if d.active else "inactive") if n]
        ctx.print(f"{d.device_id}  {d.name or '?'}  last seen {d.last_seen or 'never'}"
                  + (f"  ({', '.join(notes)})" if notes else ""))
    return 0


def cmd_forget(ctx: Context, args: argparse.Namespace) -> int:
    if _service(ctx).forget_device(args.device):
        ctx.print(f"forgot {args.device.strip().lower()}: compaction no longer waits for it")
        return 0
    raise InputError(f"no device {args.device!r} syncs through this remote "
                     "(see `readinglist sync devices`)")


def cmd_off(ctx: Context, args: argparse.Namespace) -> int:
    if _service(ctx).turn_off():
        ctx.print("sync is off; `readinglist sync setup …` turns it on again (the same remote "
                  "continues where it left off)")
    else:
        ctx.print("sync was not set up")
    return 0
