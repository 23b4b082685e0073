"""The library service: every change to the library goes through here, for the GUI and the CLI.

Each public mutation runs in one write transaction: it turns the request into operations,
stamps them (device, sequence, hybrid clock), appends them to the op log and applies them to
the materialised tables. Listeners receive the resulting ``Changes``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from readinglist.core.changes import NOTHING, Changes
from readinglist.core.errors import (
    InputError, InvalidIdError, TrashedPaperError, UnknownPaperError)
from readinglist.core.ids import parse_ref
from readinglist.core.models import (
    ANNOTATION_KINDS, Annotation, MergeCounts, Paper, PaperRecord, ReadingPosition,
    SavedSearch, Subscription, TagCount)
from readinglist.core.ops import PAPER_FLAGS, Op, OpDraft
from readinglist.core.query import parse_query
from readinglist.services.bulk import paused_gc
from readinglist.services.reader import LibraryReader
from readinglist.services.records import (
    check_tag_lengths, parse_import_line, parse_import_object)
from readinglist.storage import queries
from readinglist.storage.apply import (
    apply_ops, finish_fts, hlc_to_iso, live_tag_adds, merge_upserts, normalise_tag, note_heads,
    record_ops, unseen)
from readinglist.storage.connection import SqliteStore
from readinglist.storage.migrate import ensure_schema
from readinglist.storage.oplog import Stamper, ensure_device
from readinglist.storage.registers import apply_flags

log = logging.getLogger(__name__)
Listener = Callable[[Changes], None]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What ``import_file`` did."""

    counts: MergeCounts
    skipped: int = 0  # citation entries without an arXiv id, DOI or URL
    pdfs: list[tuple[str, Path]] = field(default_factory=list)  # files the entries name
    in_trash: int = 0  # papers of the file that are in the Trash (they stay there)

    def line(self, name: str) -> str:
        """``imported refs.bib: 3 new, 1 updated, 0 unchanged; 1 entry … skipped``."""
        counts = self.counts
        text = (f"imported {name}: {counts.new} new, {counts.updated} updated, "
                f"{counts.unchanged} unchanged")
        if self.skipped:
            text += (f"; {self.skipped} entr{'y' if self.skipped == 1 else 'ies'} without an "
                     "arXiv id, DOI or URL skipped")
        if self.in_trash:
            text += f"; {self.in_trash} of them in the Trash, left there"
        return text


class Library(LibraryReader):
    """A reading-list library stored in one SQLite file (the list reads come from
    ``LibraryReader``; everything else, and every change, is here)."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(SqliteStore(Path(db_path)))
        self.backup_path = ensure_schema(self.store)
        with self.store.transaction(write=True) as conn:
            self.device_id = ensure_device(conn)
        self._listeners: list[Listener] = []
        self._db: Any = None

    @property
    def db(self) -> Any:
        """A SQLAlchemy ``Database`` on the same file, for code that prefers ORM sessions."""
        if self._db is None:
            from readinglist.storage.engine import Database

            self._db = Database(self.path)
        return self._db

    # -- plumbing ------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(changes)`` after every committed mutation (from the writing thread)."""
        self._listeners.append(listener)

    def notify(self, changes: Changes) -> Changes:
        """Tell the listeners about a change another service committed (derived data such as
        the PDFs' full-text index, which is not in the op log)."""
        return self._notify(changes)

    def _notify(self, changes: Changes) -> Changes:
        if changes.any:
            for listener in list(self._listeners):
                listener(changes)
        return changes

    def _commit(self, build: Callable[[Any], list[OpDraft]]) -> Changes:
        """Run ``build(conn)`` for drafts, then stamp, record and apply them in one transaction."""
        with self.store.transaction(write=True) as conn:
            drafts = build(conn)
            if not drafts:
                return NOTHING
            stamper = Stamper(conn)
            ops = stamper.stamp_all(drafts)
            record_ops(conn, ops)
            changes = apply_ops(conn, ops)
            stamper.save()
        return self._notify(changes)

    def close(self) -> None:
        self.store.close()
        if self._db is not None:
            self._db.close()

    # -- resolving ids -------------------------------------------------------------------------

    def resolve(self, text: str, in_trash: bool = False) -> str:
        """The key of the paper a user named (with ``in_trash``, also one in the Trash).

        Raises:
            InvalidIdError: the text is not an id.
            UnknownPaperError: no such paper in the library (or it is in the Trash).
        """
        ref = parse_ref(text)
        with self.store.transaction() as conn:
            if queries.paper_id_for_key(conn, ref.key) is not None:
                return ref.key
            if ref.doi:
                paper_id = queries.paper_id_for_doi(conn, ref.doi)
                if paper_id is not None:
                    return str(conn.exec_driver_sql("SELECT key FROM papers WHERE id = ?",
                                                    (paper_id,)).scalar())
            trashed = queries.trashed_key(conn, ref.key, ref.doi)
        if trashed is not None and in_trash:
            return trashed
        if trashed is not None:
            raise TrashedPaperError(text.strip(), trashed)
        raise UnknownPaperError(f"no paper {text.strip()!r} in the library")

    def resolve_all(self, texts: Iterable[str], in_trash: bool = False) -> list[str]:
        return [self.resolve(t, in_trash) for t in texts]

    def restore_named(self, texts: Iterable[str]) -> list[str]:
        """Bring the papers these ids name back from the Trash (they were asked for again, by
        id); returns their keys. Ids of papers not in the Trash, or unknown, are left alone."""
        keys: list[str] = []
        for text in texts:
            try:
                self.resolve(text)
            except TrashedPaperError as error:
                keys.append(error.key)
            except (UnknownPaperError, InvalidIdError):
                continue
        self.mark(keys, "deleted", False)
        return keys

    # -- reading -------------------------------------------------------------------------------

    def get(self, text_or_key: str, in_trash: bool = False) -> Paper:
        """The paper a user named (with ``in_trash``, also one in the Trash)."""
        key = self.resolve(text_or_key, in_trash)
        with self.store.transaction() as conn:
            paper_id = queries.paper_id_for_key(conn, key, in_trash)
            papers = queries.papers_by_ids(conn, [paper_id] if paper_id else [])
        if not papers:
            raise UnknownPaperError(f"no paper {text_or_key!r} in the library")
        return papers[0]

    def paper_by_id(self, paper_id: int) -> Paper | None:
        found = self.papers_by_ids([paper_id])
        return found[0] if found else None

    def papers_by_ids(self, ids: Sequence[int]) -> list[Paper]:
        """Full papers in the order of ``ids`` (missing ones left out), in one read."""
        with self.store.transaction() as conn:
            return queries.papers_by_ids(conn, ids)

    def list(self, view: str = "inbox", tag: str | None = None, query: str | None = None,
             limit: int | None = None, offset: int = 0, sort: str = "date",
             descending: bool = True) -> list[Paper]:
        """Papers in a view, filtered by tag and search query, newest first by default."""
        flt = self.make_filter(view, tag, query)
        with self.store.transaction() as conn:
            ids = queries.paper_ids(conn, flt, sort, descending, limit, offset)
            return queries.papers_by_ids(conn, ids)

    def count(self, flt: queries.Filter) -> int:
        with self.store.transaction() as conn:
            return queries.count(conn, flt)

    def tag_counts(self) -> list[TagCount]:
        with self.store.transaction() as conn:
            return queries.tag_counts(conn)

    def source_counts(self) -> dict[str, int]:
        with self.store.transaction() as conn:
            return queries.source_counts(conn)

    def listed_days(self) -> list[date]:
        with self.store.transaction() as conn:
            return queries.listed_days(conn)

    def note_versions(self, key: str) -> list[str]:
        """Texts of the concurrent note versions (more than one means a conflict)."""
        with self.store.transaction() as conn:
            return [head[1] for head in note_heads(conn, key)]

    # -- merging records from sources and imports ----------------------------------------------

    def merge_records(self, records: Sequence[PaperRecord]) -> MergeCounts:
        """Merge incoming metadata in one transaction; triage state is never touched."""
        counts = MergeCounts()
        if not records:
            return counts
        with paused_gc(), self.store.transaction(write=True) as conn:
            stamper = Stamper(conn)
            upserts = _upserts(stamper, [(record.key, record.metadata()) for record in records])
            counts, ops, _ = self._merge_in(conn, stamper, upserts)
            stamper.save()
        self._notify(Changes(papers=bool(ops), paper_keys=frozenset(counts.keys)))
        return counts

    def _merge_in(self, conn: Any, stamper: Stamper, upserts: Sequence[Op],
                  defer_fts: bool = False, initial: dict[str, dict[str, Any]] | None = None,
                  ) -> tuple[MergeCounts, list[Op], tuple[int, int] | None]:
        """Merge provisional ``paper/upsert`` ops; only changes are recorded as operations."""
        flags, created, updated, pending_fts, revised = merge_upserts(conn, upserts, defer_fts,
                                                                      initial=initial)
        kept = [stamper.assign_seq(op) for op, changed in zip(upserts, flags) if changed]
        record_ops(conn, kept)
        counts = MergeCounts(new=len(created), updated=len(updated),
                             unchanged=len({op.entity_id for op in upserts}) - len(created)
                             - len(updated), keys=created + updated, revised=revised)
        return counts, kept, pending_fts

    def import_jsonl(self, path: Path) -> MergeCounts:
        """Import JSON Lines (the shape of ``list --json``). All or nothing.

        Papers already in the library are merged (metadata, sources); their triage state is
        kept. New papers take read/starred/archived, tags and note from the file; a paper
        named on several lines (an export listing it in two collections) gets every flag and
        tag they give, and the first note.

        Raises:
            InputError: naming the first malformed line; nothing is written then.
        """
        with paused_gc():  # parsing too: it builds millions of short-lived objects
            return self._import_all(_read_import_file(path))

    def _import_all(self, parsed: list[tuple[str, dict[str, Any], dict[str, Any]]]
                    ) -> MergeCounts:
        """Write parsed import records in one transaction and tell the listeners."""
        with paused_gc():
            counts = self._import_parsed(parsed)
        self._notify(Changes(papers=True, tags=True))
        return counts

    def import_file(self, path: Path) -> ImportReport:
        """Import JSON Lines, or a BibTeX (``.bib``), RIS (``.ris``) or CSL-JSON export of
        another reference manager. All or nothing, like ``import_jsonl``; the report counts
        the citation entries skipped for having no arXiv id, DOI or URL and lists the PDF
        files the entries name (``(key, path)``; attaching them is up to the caller)."""
        from readinglist.services.citation_import import citation_format, read_citation_file

        fmt = citation_format(path)
        if fmt is None:
            with paused_gc():
                parsed = _read_import_file(path)
            return ImportReport(self._import_all(parsed), in_trash=self._in_trash(parsed))
        with paused_gc():
            try:
                found = read_citation_file(path, fmt)
                parsed = [parse_import_object(obj) for obj in found.objects]
            except InputError as error:
                message = str(error)
                raise InputError(message if str(path) in message else f"{path}: {message}"
                                 ) from None
            counts = self._import_all(parsed)
        pdfs = [(key, Path(file)) for (key, _, _), obj in zip(parsed, found.objects)
                for file in obj.get("pdf_files", ())]
        return ImportReport(counts, found.skipped, pdfs, self._in_trash(parsed))

    def _in_trash(self, parsed: Sequence[tuple[str, dict[str, Any], dict[str, Any]]]) -> int:
        """How many of the papers of parsed import lines are in the Trash."""
        keys = list(dict.fromkeys(key for key, _, _ in parsed))
        with self.store.transaction() as conn:
            return len(queries.keys_matching(conn, queries.Filter(view="trash"), keys))

    def _import_parsed(self, parsed: list[tuple[str, dict[str, Any], dict[str, Any]]]
                       ) -> MergeCounts:
        """Write parsed import lines in one transaction (see ``import_jsonl``)."""
        with self.store.transaction(write=True) as conn:
            stamper = Stamper(conn)
            upserts = _upserts(stamper, [(key, value) for key, value, _ in parsed])
            # triage is stamped before the merge so that new rows are written with it
            triage: dict[str, list[Op]] = {}
            initial: dict[str, dict[str, Any]] = {}
            states: dict[str, dict[str, Any]] = {}
            for key, _, state in parsed:
                seen = states.get(key)
                states[key] = state if seen is None else _union_triage(seen, state)
            for key, state in states.items():
                triage[key] = [stamper.provisional(d) for d in _triage_drafts(key, state)]
                initial[key] = _flag_columns(triage[key])
            counts, _, pending_fts = self._merge_in(conn, stamper, upserts, defer_fts=True,
                                                    initial=initial)
            created = counts.keys[:counts.new]
            ops = [stamper.assign_seq(op) for key in created for op in triage[key]]
            if ops:  # only new rows are written here, so FTS may stay paused
                record_ops(conn, ops)
                apply_flags(conn, [op for op in ops if op.entity == "paper"], preset=set(created))
                apply_ops(conn, [op for op in ops if op.entity != "paper"])
            finish_fts(conn, pending_fts)
            stamper.save()
        return counts

    # -- triage --------------------------------------------------------------------------------

    def mark(self, keys: Sequence[str], flag: str, value: bool) -> Changes:
        """Set read / starred / archived / deleted on papers (only those that differ)."""
        if flag not in PAPER_FLAGS:
            raise InputError(f"unknown flag {flag!r}")

        def build(conn: Any) -> list[OpDraft]:
            drafts = []
            for key in dict.fromkeys(keys):
                current = conn.exec_driver_sql(f"SELECT {flag} FROM papers WHERE key = ?",
                                               (key,)).first()
                if current is None:
                    raise UnknownPaperError(f"no paper {key!r} in the library")
                if bool(current[0]) != value:
                    drafts.append(OpDraft("paper", key, "set", flag, value))
            return drafts

        return self._commit(build)

    def tag(self, keys: Sequence[str], add: Sequence[str] = (),
            remove: Sequence[str] = ()) -> Changes:
        """Add and remove tags on papers (also ones in the Trash: a tag renamed everywhere, an
        undo after the paper was trashed; what users name is checked by ``resolve``)."""
        add_names = [normalise_tag(t) for t in add if normalise_tag(t)]
        remove_names = [normalise_tag(t) for t in remove if normalise_tag(t)]
        check_tag_lengths(add_names)

        def build(conn: Any) -> list[OpDraft]:
            drafts = []
            for key in dict.fromkeys(keys):
                if queries.paper_id_for_key(conn, key, in_trash=True) is None:
                    raise UnknownPaperError(f"no paper {key!r} in the library")
                for name in dict.fromkeys(add_names):
                    if not live_tag_adds(conn, key, name):
                        drafts.append(OpDraft("tag", key, "add", name))
                for name in dict.fromkeys(remove_names):
                    observed = live_tag_adds(conn, key, name)
                    if observed:
                        drafts.append(OpDraft("tag", key, "remove", name, sorted(observed)))
            return drafts

        return self._commit(build)

    def set_note(self, key: str, text: str) -> Changes:
        """Replace a paper's note (Markdown). Supersedes every version currently shown. A paper
        in the Trash keeps its note too (it may have been trashed while the note was typed)."""

        def build(conn: Any) -> list[OpDraft]:
            if queries.paper_id_for_key(conn, key, in_trash=True) is None:
                raise UnknownPaperError(f"no paper {key!r} in the library")
            heads = note_heads(conn, key)
            if len(heads) <= 1 and (heads[0][1] if heads else "") == text:
                return []
            return [OpDraft("note", key, "edit", value={"text": text},
                            deps=tuple(sorted(h[0] for h in heads)))]

        return self._commit(build)

    # -- annotations and reading position ------------------------------------------------------

    def add_annotation(self, key: str, kind: str, page: int,
                       quads: Sequence[Sequence[float]] = (), text: str = "", comment: str = "",
                       color: str = "#ffd400", pdf_hash: str | None = None,
                       annotation_id: str | None = None) -> str:
        """Create a highlight, underline or note; returns its id."""
        if kind not in ANNOTATION_KINDS:
            raise InputError(f"unknown annotation kind {kind!r}")
        new_id = annotation_id or uuid.uuid4().hex
        value = {"paper_key": key, "kind": kind, "page": int(page),
                 "quads": [list(map(float, q)) for q in quads], "text": text,
                 "comment": comment, "color": color, "pdf_hash": pdf_hash}
        self._commit(lambda conn: [OpDraft("annotation", new_id, "create", value=value)])
        return new_id

    def update_annotation(self, annotation_id: str, **fields: Any) -> Changes:
        allowed = {"color", "comment", "kind", "text", "quads", "page", "deleted"}
        unknown = set(fields) - allowed
        if unknown:
            raise InputError(f"cannot change {', '.join(sorted(unknown))} of an annotation")
        return self._commit(lambda conn: [OpDraft("annotation", annotation_id, "set", name, value)
                                          for name, value in sorted(fields.items())])

    def delete_annotation(self, annotation_id: str) -> Changes:
        return self.update_annotation(annotation_id, deleted=True)

    def restore_annotation(self, annotation_id: str) -> Changes:
        return self.update_annotation(annotation_id, deleted=False)

    def worked_on(self) -> list[Paper]:
        """Papers you starred, tagged, wrote a note on or annotated (in one read)."""
        with self.store.transaction() as conn:
            return queries.papers_by_ids(conn, queries.worked_on_ids(conn))

    def annotations(self, key: str, include_deleted: bool = False) -> list[Annotation]:
        with self.store.transaction() as conn:
            return queries.annotations_for(conn, key, include_deleted)

    def set_position(self, key: str, page: int, offset: float = 0.0) -> Changes:
        """Remember where this device is in a paper."""
        # the device id is read in the transaction: sync may have re-identified this library
        return self._commit(lambda conn: [OpDraft("position", key, "set", ensure_device(conn),
                                                  {"page": int(page), "offset": float(offset)})])

    def positions(self, key: str) -> list[ReadingPosition]:
        """Every device's position in the paper, most recent first."""
        with self.store.transaction() as conn:
            return queries.positions_for(conn, key)

    def position(self, key: str) -> ReadingPosition | None:
        """This device's position, else the most recent one from another device."""
        found = self.positions(key)
        with self.store.transaction() as conn:
            self.device_id = ensure_device(conn)
        own = [p for p in found if p.device_id == self.device_id]
        return (own or found or [None])[0]

    # -- synced settings: subscriptions, saved searches (and rules, in services.rules) ---------

    def synced_settings(self, prefix: str) -> dict[str, Any]:
        """Settings that sync between machines whose keys start with ``prefix`` (stripped)."""
        with self.store.transaction() as conn:
            return queries.synced_settings(conn, prefix)

    def set_synced_setting(self, key: str, value: Any) -> Changes:
        """Set (or with None remove) a setting that syncs between machines."""
        return self._commit(lambda conn: [OpDraft("setting", key, "set", value=value)])

    def subscriptions(self) -> list[Subscription]:
        return [Subscription(v["kind"], v.get("target", ""), bool(v.get("enabled", True)))
                for v in self.synced_settings("subscription:").values()]

    def subscribe_feed(self, subscription: Subscription) -> Changes:
        value = {"kind": subscription.kind, "target": subscription.target,
                 "enabled": subscription.enabled}
        return self.set_synced_setting(f"subscription:{subscription.key}", value)

    def unsubscribe_feed(self, subscription: Subscription) -> Changes:
        if subscription.key not in {s.key for s in self.subscriptions()}:
            raise InputError(f"not subscribed to {subscription.key}")
        return self.set_synced_setting(f"subscription:{subscription.key}", None)

    def saved_searches(self) -> list[SavedSearch]:
        return [SavedSearch(name, str(value))
                for name, value in self.synced_settings("search:").items()]

    def save_search(self, name: str, query: str) -> Changes:
        """Save a search (spaces in its name collapsed); it replaces one of the same name,
        whatever its case ("okapis" replaces "Okapis")."""
        name, query = " ".join(name.split()), query.strip()
        if not name:
            raise InputError("a saved search needs a name")
        if not query:
            raise InputError("a saved search needs a query (all papers are under All)")
        parse_query(query)  # reject malformed queries before saving

        def build(conn: Any) -> list[OpDraft]:
            same = [old for old in queries.synced_settings(conn, "search:")
                    if old != name and old.casefold() == name.casefold()]
            return [*(OpDraft("setting", f"search:{old}", "set", value=None) for old in same),
                    OpDraft("setting", f"search:{name}", "set", value=query)]

        return self._commit(build)

    def saved_search_name(self, name: str) -> str | None:
        """The saved search ``name`` means: that name, else the one equal to it but for case
        and spaces (None when there is none, or several)."""
        names = [s.name for s in self.saved_searches()]
        if name in names:
            return name
        wanted = " ".join(name.split()).casefold()
        found = [n for n in names if " ".join(n.split()).casefold() == wanted]
        return found[0] if len(found) == 1 else None

    def delete_search(self, name: str) -> Changes:
        return self.set_synced_setting(f"search:{name}", None)

    def keys_matching(self, flt: queries.Filter, keys: Sequence[str] | None = None
                      ) -> list[str]:
        """Keys of the papers ``flt`` selects (among ``keys`` if given)."""
        with self.store.transaction() as conn:
            return queries.keys_matching(conn, flt, keys)

    # -- sync entry points ---------------------------------------------------------------------

    def apply_remote(self, ops: Sequence[Op]) -> Changes:
        """Apply operations received from other devices; already-known ones are skipped."""
        with self.store.transaction(write=True) as conn:
            fresh = unseen(conn, ops)
            if not fresh:
                return NOTHING
            stamper = Stamper(conn)
            for op in fresh:
                stamper.receive(op.hlc, op.device_id)
            record_ops(conn, fresh)
            changes = apply_ops(conn, fresh)
            stamper.save()
        return self._notify(changes)


def _upserts(stamper: Stamper, items: Sequence[tuple[str, dict[str, Any]]]) -> list[Op]:
    """Provisional ``paper/upsert`` ops (clock read, no sequence number yet) for ``items``."""
    return [stamper.provisional(OpDraft("paper", key, "upsert", value=value))
            for key, value in items]


def _read_import_file(path: Path) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Parse every line of a JSON Lines file, or raise InputError naming the first bad one."""
    parsed: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    try:
        handle = open(path, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from error
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    parsed.append(parse_import_line(line))
                except InputError as error:
                    raise InputError(f"{path}: line {number}: {error}; nothing was imported"
                                     ) from None
        except UnicodeDecodeError:
            raise InputError(f"{path} is not UTF-8 text; nothing was imported") from None
    return parsed


def _union_triage(first: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The triage of two lines naming one paper: every flag and tag, the first note."""
    union = {flag: bool(first.get(flag) or other.get(flag))
             for flag in ("read", "starred", "archived")}
    union["tags"] = [*(first.get("tags") or ()), *(other.get("tags") or ())]
    union["note"] = first.get("note") or other.get("note") or ""
    return union


def _flag_columns(triage_ops: Sequence[Op]) -> dict[str, Any]:
    """The ``papers`` columns that an import's ``paper/set`` op gives a new row."""
    columns: dict[str, Any] = {}
    for op in triage_ops:
        if op.entity == "paper" and op.kind == "set":
            columns.update((flag, bool(value)) for flag, value in op.value.items())
            if op.value.get("archived"):
                columns["archived_at"] = hlc_to_iso(op.hlc)
    return columns


def _triage_drafts(key: str, triage: dict[str, Any]) -> list[OpDraft]:
    drafts: list[OpDraft] = []
    flags = {flag: True for flag in ("read", "starred", "archived") if triage.get(flag)}
    if flags:
        drafts.append(OpDraft("paper", key, "set", "", flags))
    for tag in dict.fromkeys(normalise_tag(t) for t in triage.get("tags") or ()):
        if tag:
            drafts.append(OpDraft("tag", key, "add", tag))
    if triage.get("note"):
        drafts.append(OpDraft("note", key, "edit", value={"text": str(triage["note"])}))
    return drafts

