"""``readinglist mail setup | status | test | forget``: where ``digest --mail`` sends the
digest."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from readinglist.cli.context import Context
from readinglist.core.errors import InputError
from readinglist.services.mail import PASSWORD_ENV, SECURITY


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``mail setup``, ``mail status``, ``mail test`` and ``mail forget``."""
    p = sub.add_parser("mail", help="the SMTP server and address for 'digest --mail'")
    actions = p.add_subparsers(dest="mail_command", metavar="ACTION", required=True)
    setup = actions.add_parser(
        "setup", help="choose the SMTP server and the address (the password goes to the "
                      "keychain only)")
    setup.add_argument("host", metavar="HOST", help="e.g. smtp.example.org")
    setup.add_argument("--to", required=True, metavar="ADDRESS", help="where digests go")
    setup.add_argument("--port", type=int, metavar="N",
                       help="default 587 (starttls), 465 (ssl) or 25 (none)")
    setup.add_argument("--security", choices=SECURITY, default="starttls")
    setup.add_argument("--user", default="", metavar="NAME", help="log in as NAME")
    setup.add_argument("--from", dest="sender", default="", metavar="ADDRESS",
                       help="the sender (default: the --to address)")
    setup.add_argument("--password-stdin", action="store_true",
                       help=f"read the password from standard input (else {PASSWORD_ENV} or "
                            "a prompt)")
    setup.set_defaults(handler=cmd_setup)
    status = actions.add_parser("status", help="the mail settings (never the password)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)
    test = actions.add_parser("test", help="send a short test message")
    test.set_defaults(handler=cmd_test)
    forget = actions.add_parser("forget", help="remove the mail settings and the password")
    forget.set_defaults(handler=cmd_forget)


def cmd_setup(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.mail import (
        MailSettings, checked, forget_password, save_password)

    settings = checked(args.host, args.to, args.port, args.security, args.user, args.sender)
    previous = MailSettings.from_config(ctx.settings.mail)
    if args.user:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise InputError("no password on standard input")
        elif os.environ.get(PASSWORD_ENV):
            password = ""
        elif sys.stdin.isatty():
            password = getpass.getpass(f"SMTP password for {args.user}: ")
        else:
            raise InputError(f"give the password with --password-stdin or {PASSWORD_ENV}")
        if password:
            save_password(settings, password)
    if previous is not None and previous.user and previous.account != settings.account:
        forget_password(previous)  # another server or account: its password is not kept
    ctx.settings.mail = settings.to_config()
    ctx.settings.save(ctx.paths.config)
    if args.user and settings.security == "none" and settings.host not in ("127.0.0.1",
                                                                           "localhost"):
        ctx.warn(f"warning: with --security none the password travels to {settings.host} "
                 "unencrypted; use starttls or ssl if the server offers them")
    login = f" as {args.user} (password kept in the keychain)" if args.user else ""
    ctx.print(f"digests go to {settings.to} through {settings.host}:{settings.port} "
              f"({settings.security}){login}; send one with `readinglist digest --mail`")
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.mail import MailSettings

    settings = MailSettings.from_config(ctx.settings.mail)
    if args.json:
        ctx.print_json(settings.to_config() if settings else None)
    elif settings is None:
        ctx.print("mail is not set up (readinglist mail setup HOST --to ADDRESS)")
    else:
        login = f" as {settings.user}" if settings.user else ""
        ctx.print(f"to {settings.to} from {settings.sender} through {settings.host}:"
                  f"{settings.port} ({settings.security}){login}")
    return 0


def cmd_test(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.mail import build_message, configured, send

    settings = configured(ctx.settings.mail)
    text = "readinglist can send you digests: this test message arrived."
    send(settings, build_message(settings, "readinglist: test message", text,
                                 f"<!DOCTYPE html><html><body><p>{text}</p></body></html>"))
    ctx.print(f"test message sent to {settings.to}")
    return 0


def cmd_forget(ctx: Context, args: argparse.Namespace) -> int:
    from readinglist.services.mail import MailSettings, forget_password

    settings = MailSettings.from_config(ctx.settings.mail)
    if settings is not None:
        forget_password(settings)
    ctx.settings.mail = {}
    ctx.settings.save(ctx.paths.config)
    ctx.print("mail settings and password removed")
    return 0
