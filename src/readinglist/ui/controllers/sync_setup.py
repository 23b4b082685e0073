"""Preferences → Sync: set up sync through a folder or a WebDAV server, or turn it off.

The same ``SyncService`` calls as ``readinglist sync setup`` / ``sync off``. Setting up opens the
remote first (credentials, passphrase), so it runs in the background and takes effect at once,
independently of the dialog's OK and Cancel. Passwords and passphrases go to the keychain only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readinglist.ui.qt import (
    QButtonGroup, QCheckBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QRadioButton, Qt, QTimer, QVBoxLayout, QWidget, Signal)
from readinglist.ui.tasks import Tasks, describe_error


def status_text(status: Any) -> str:
    """One paragraph for people: where this library syncs and how it went last."""
    if not status.configured:
        return ("Sync is off: this library stays on this machine. Choose where your other "
                "machines meet — a folder that Syncthing, Dropbox or a Nextcloud client keeps "
                "in step, or a WebDAV server — and set it up.")
    where = (f"the folder {status.location}" if status.transport == "folder"
             else f"the WebDAV server {status.location} as {status.user}")
    text = f"Syncing through {where}" + (", end-to-end encrypted" if status.encrypted else "")
    if status.last_error:
        text += f". Last round failed: {status.last_error}"
    elif status.last_sync:
        text += f". Last synced {status.last_sync_shown}"
    if status.pending:
        text += f"; {status.pending} change{'s' if status.pending != 1 else ''} waiting to go"
    return text + "."


class SyncTab(QWidget):
    """The Sync page of Preferences."""

    configured = Signal()  # sync was set up or turned off

    def __init__(self, library: Any, paths: Any, settings: Any, tasks: Tasks,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from readinglist.services.sync import SyncService

        self.service = SyncService(library, paths, settings)
        self.tasks = tasks
        self.busy = False
        self.ask_folder = self._ask_folder
        outer = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.status)
        self.use_folder = QRadioButton("A folder kept in step by Syncthing, Dropbox, a Nextcloud "
                                       "client…")
        self.use_webdav = QRadioButton("A WebDAV server (Nextcloud, ownCloud, a NAS…)")
        group = QButtonGroup(self)
        for button in (self.use_folder, self.use_webdav):
            group.addButton(button)
            button.toggled.connect(self._enable)
        outer.addWidget(self.use_folder)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("~/Sync/readinglist")
        self.folder.setAccessibleName("Shared folder")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_folder)
        folder_row.addSpacing(24)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        outer.addLayout(folder_row)
        outer.addWidget(self.use_webdav)
        self.webdav_box = QWidget()
        form = QFormLayout(self.webdav_box)
        form.setContentsMargins(24, 0, 0, 0)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://cloud.example.org/remote.php/dav/files/you/"
                                    "readinglist")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the keychain; empty: the one kept there")
        form.addRow("Address", self.url)
        form.addRow("User", self.user)
        form.addRow("Password", self.password)
        outer.addWidget(self.webdav_box)
        self.encrypt = QCheckBox("Encrypt end to end with a passphrase (the same on every "
                                 "machine; it cannot be recovered)")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("passphrase")
        self.passphrase.setAccessibleName("Passphrase")
        self.encrypt.toggled.connect(self._enable)
        self.pdfs = QCheckBox("Sync PDF files too")
        outer.addWidget(self.encrypt)
        phrase_row = QHBoxLayout()
        phrase_row.addSpacing(24)
        phrase_row.addWidget(self.passphrase)
        outer.addLayout(phrase_row)
        outer.addWidget(self.pdfs)
        buttons = QHBoxLayout()
        self.set_up = QPushButton("Set up and sync")
        self.set_up.clicked.connect(self.apply)
        self.turn_off = QPushButton("Turn sync off")
        self.turn_off.clicked.connect(self.switch_off)
        from readinglist.ui.views.field_keys import enter_runs

        enter_runs(self.set_up.click, self.folder, self.url, self.user, self.password,
                   self.passphrase)  # Enter sets up, rather than closing Preferences
        buttons.addWidget(self.set_up)
        buttons.addWidget(self.turn_off)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.result)
        outer.addStretch(1)
        self._fill()
        self._refresh = QTimer(self)  # the status follows the rounds while the tab is open
        self._refresh.setInterval(3000)
        self._refresh.timeout.connect(self._refresh_status)
        self._refresh.start()

    def _refresh_status(self) -> None:
        if self.isVisible() and not self.busy:
            self._show_status()

    def _fill(self) -> None:
        """Show the current setup in the form, and the status."""
        config = self.service.config
        if config.get("transport") == "webdav":
            self.use_webdav.setChecked(True)
            self.url.setText(str(config.get("url") or ""))
            self.user.setText(str(config.get("user") or ""))
        else:
            self.use_folder.setChecked(True)
            self.folder.setText(str(config.get("path") or ""))
        self.encrypt.setChecked(bool(config.get("encrypt")))
        self.pdfs.setChecked(bool(config.get("pdfs")))
        self._show_status()

    def _show_status(self) -> None:
        status = self.service.status()
        self.status.setText(status_text(status))
        self.turn_off.setEnabled(status.configured and not self.busy)
        self._enable()

    def _enable(self) -> None:
        webdav = self.use_webdav.isChecked()
        self.folder.setEnabled(not webdav)
        self.webdav_box.setEnabled(webdav)
        self.passphrase.setEnabled(self.encrypt.isChecked())
        self.set_up.setEnabled(not self.busy)

    def _ask_folder(self) -> str | None:
        folder = QFileDialog.getExistingDirectory(self, "Sync folder",
                                                  self.folder.text() or str(Path.home()))
        return folder or None

    def _choose_folder(self) -> None:
        folder = self.ask_folder()
        if folder:
            self.folder.setText(folder)
            self.use_folder.setChecked(True)

    def apply(self) -> None:
        """Set sync up as the form says, in the background; the result shows below."""
        passphrase = self.passphrase.text() if self.encrypt.isChecked() else None
        if self.encrypt.isChecked() and not passphrase:
            self.result.setText("Type the passphrase (the same on every machine).")
            return
        pdfs = self.pdfs.isChecked()
        service = self.service
        if self.use_webdav.isChecked():
            url, user = self.url.text().strip(), self.user.text().strip()
            password = self.password.text() or None
            if not url or not user:
                self.result.setText("Give the WebDAV address and your user name.")
                return

            def job() -> None:
                service.setup_webdav(url, user, password, passphrase, pdfs)
        else:
            folder = self.folder.text().strip()
            if not folder:
                self.result.setText("Choose the folder your machines share.")
                return

            def job() -> None:
                service.setup_folder(folder, passphrase, pdfs)

        self._start("Checking the sync location…")
        self.tasks.network(job, lambda _none: self._done("Sync is set up; the first round "
                                                         "starts now."), self._setup_failed)

    def switch_off(self) -> None:
        """Turn sync off (the remote and the library stay; secrets leave the keychain)."""
        service = self.service
        self._start("Turning sync off…")
        self.tasks.network(service.turn_off, lambda _was_on: self._done(
            "Sync is off. Setting up the same location again continues where it left off."),
            lambda error: self._failed("Sync is still on", error))

    def _start(self, text: str) -> None:
        self.busy = True
        self.result.setText(text)
        self.set_up.setEnabled(False)
        self.turn_off.setEnabled(False)

    def _done(self, text: str) -> None:
        self.busy = False
        self.password.clear()
        self.passphrase.clear()
        self._fill()
        self.result.setText(text)
        self.configured.emit()

    def _setup_failed(self, error: BaseException) -> None:
        from readinglist.services.sync import MissingPasswordError

        if isinstance(error, MissingPasswordError):  # its text is the command line's advice
            error = MissingPasswordError("type the password (none is kept in the keychain for "
                                         "this user at this address)")
        on = self.service.status().configured
        self._failed("Nothing changed, sync goes on as before" if on else "Not set up", error)

    def _failed(self, what: str, error: BaseException) -> None:
        self.busy = False
        self._show_status()  # the form keeps what was typed, to correct it
        self.result.setText(f"{what}: {describe_error(error)}")
