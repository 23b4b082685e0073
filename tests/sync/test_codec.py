"""Batch codec and encryption: round trips, and every damaged file rejected."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.core.ops import Op
from readinglist.sync.batch import (
    BatchError, decode_log, decode_snapshot, encode_log, encode_snapshot, parse_log_name,
    parse_snap_name)
from readinglist.sync.crypto import (
    AesGcmSealer, DecryptError, Sealer, WrongPassphraseError, new_key_record, open_key_record)
from readinglist.sync.engine import prune_superseded
from readinglist.sync.storage_api import ignored_name

DEVICE = "a" * 26
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                  max_size=3),
    max_leaves=8)


@st.composite
def op_runs(draw: st.DrawFn) -> list[Op]:
    start = draw(st.integers(1, 1000))
    count = draw(st.integers(1, 12))
    return [Op(DEVICE, start + i, f"{draw(st.integers(0, 10**14)):015d}.00000",
               draw(st.sampled_from(["paper", "tag", "note", "annotation", "setting"])),
               draw(st.text(min_size=1, max_size=12)), draw(st.sampled_from(["set", "add"])),
               draw(st.text(max_size=8)), draw(json_values),
               tuple(draw(st.lists(st.text(min_size=1, max_size=6), max_size=2))))
            for i in range(count)]


@settings(max_examples=60, deadline=None)
@given(ops=op_runs(), cut=st.integers(1, 10**6), flip=st.integers(0, 10**6))
def test_log_batches_round_trip_and_reject_damage(ops: list[Op], cut: int, flip: int) -> None:
    name, data = encode_log(DEVICE, ops)
    parsed = parse_log_name(name.name)
    assert parsed == name
    assert decode_log(DEVICE, parsed, data).ops == ops
    with pytest.raises(BatchError):
        decode_log(DEVICE, parsed, data[: cut % len(data)])
    damaged = bytearray(data)
    damaged[flip % len(data)] ^= 1 << (flip % 8)
    try:  # a flip is rejected, or it hit bits that carry no data (gzip's FTEXT hint, its
        # mtime/OS bytes, the final deflate byte's padding): then what decodes must be exactly
        # the batch
        decoded = decode_log(DEVICE, parsed, bytes(damaged)).ops
    except BatchError:
        return
    assert decoded == ops
    position = flip % len(data)
    ftext_hint = position == 3 and flip % 8 == 0  # the flags byte's "probably text" bit
    assert ftext_hint or 4 <= position < 10 or position >= len(data) - 9


def test_text_with_unicode_line_separators_survives() -> None:
    ops = [Op(DEVICE, 1, "000000000000001.00000", "note", "k", "edit", "",
              {"text": "a\u2028b\x85c\u2029d\re\n"})]
    name, data = encode_log(DEVICE, ops)
    assert decode_log(DEVICE, name, data).ops == ops


def test_a_batch_under_another_name_or_device_is_rejected() -> None:
    ops = [Op(DEVICE, 1, "000000000000001.00000", "paper", "k", "set", "read", True),
           Op(DEVICE, 2, "000000000000002.00000", "paper", "k", "set", "read", False)]
    name, data = encode_log(DEVICE, ops)
    with pytest.raises(BatchError, match="not the batch its name says"):
        decode_log("b" * 26, name, data)
    with pytest.raises(BatchError, match="not the batch its name says"):
        decode_log(DEVICE, parse_log_name(f"1-1.{name.sha8}.ops"), data)
    with pytest.raises(ValueError):
        encode_log(DEVICE, [ops[1], ops[0]])
    assert parse_log_name("2-1.abcdef12.ops") is None
    assert parse_log_name("1-2.abcdef12.ops.sync-conflict") is None


def test_snapshots_round_trip_with_their_version_vector() -> None:
    ops = [Op("b" * 26, 3, "000000000000005.00000", "setting", "search:x", "set", "", "q")]
    name, data = encode_snapshot(DEVICE, "000000000000009.00001", {"b" * 26: 3}, ops)
    assert parse_snap_name(name.name) == name
    batch = decode_snapshot(DEVICE, name, data)
    assert batch.ops == ops and batch.vv == {"b" * 26: 3}
    with pytest.raises(BatchError):
        decode_snapshot(DEVICE, name, data[:-3])


def test_prune_keeps_only_register_winners_and_every_set_like_op() -> None:
    def op(seq: int, hlc: int, entity: str, kind: str, field: str = "read") -> Op:
        return Op(DEVICE, seq, f"{hlc:015d}.00000", entity, "k", kind, field, True)

    ops = [op(1, 5, "paper", "set"), op(2, 9, "paper", "set"), op(3, 1, "paper", "set",
                                                                     "starred"),
           op(4, 2, "tag", "add"), op(5, 3, "note", "edit"), op(6, 4, "annotation", "create")]
    kept = prune_superseded(ops)
    assert [o.seq for o in kept] == [2, 3, 4, 5, 6]


def test_wrong_passphrase_and_tampering_are_detected() -> None:
    record, sealer = new_key_record("open sesame")
    assert isinstance(sealer, AesGcmSealer)
    sealed = sealer.seal("log/x/1-1.aaaaaaaa.ops", b"payload")
    assert b"payload" not in sealed
    again = open_key_record(record, "open sesame")
    assert again.open("log/x/1-1.aaaaaaaa.ops", sealed) == b"payload"
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        open_key_record(record, "open sesame!")
    with pytest.raises(DecryptError, match="failed authentication"):
        again.open("log/x/2-2.aaaaaaaa.ops", sealed)  # moved to another path
    with pytest.raises(DecryptError):
        again.open("log/x/1-1.aaaaaaaa.ops", sealed[:-1] + bytes([sealed[-1] ^ 1]))
    with pytest.raises(DecryptError, match="set up without a key"):
        Sealer().open("p", sealed)
    tampered = dict(record, check="AAAAAAAAAAAAAAAAAAAAAA==")
    with pytest.raises(WrongPassphraseError):
        open_key_record(tampered, "open sesame")


def test_names_other_tools_leave_behind_are_ignored() -> None:
    for name in ("1-3.abcdef12.sync-conflict-20240101-101010-ABC.ops",
                 "1-3.abcdef12 (conflicted copy 2024-01-01).ops", ".syncthing.x.ops.tmp",
                 "~$lock", ".hidden"):
        assert ignored_name(name)
    assert not ignored_name("1-3.abcdef12.ops")
