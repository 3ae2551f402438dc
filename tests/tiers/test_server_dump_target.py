"""What a server backup may replace, decided without a server: a named pipe under the
name is refused without being read (it blocked the backup for ever: review27b #4), and
a pg_dump archive's header is read for the database it was made of."""

from __future__ import annotations

import os
import threading

import pytest

from tiers.errors import Refused
from tiers.storage.server.dump import ARCHIVE_MAGIC, _refuse_other_files, archive_database


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_named_pipe_under_the_name_is_refused_without_reading_it(tmp_path):
    fifo = tmp_path / "备份.dump"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def check() -> None:
        try:
            _refuse_other_files(fifo, "tiers_city")
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 (handed to the test's thread)
            outcome.append(exc)

    worker = threading.Thread(target=check, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # release the blocked open() so that the thread ends
        with open(fifo, "wb"):
            pass
        worker.join(10)
        pytest.fail("the check blocked on the named pipe")
    assert isinstance(outcome[0], Refused)
    assert "已存在且不是服务器数据库备份，不会覆盖它" in str(outcome[0])


def _header(database: bytes, version: tuple[int, int, int] = (1, 15, 0)) -> bytes:
    def integer(value: int) -> bytes:
        return bytes([1 if value < 0 else 0]) + abs(value).to_bytes(4, "little")

    compression = b"\x00" if version >= (1, 15, 0) else integer(-1)
    return (ARCHIVE_MAGIC + bytes(version) + b"\x04\x08\x01" + compression
            + b"".join(integer(n) for n in (5, 4, 3, 7, 11, 126, 0))
            + integer(len(database)) + database + integer(4) + b"16.4")


@pytest.mark.parametrize("version", [(1, 14, 0), (1, 15, 0), (1, 16, 0)])
def test_the_archive_header_names_its_database(version):
    assert archive_database(_header("tiers_武进".encode(), version)) == "tiers_武进"


def test_a_header_that_does_not_say_names_none():
    assert archive_database(ARCHIVE_MAGIC + b"\x01\x0e") is None  # cut short
    assert archive_database(b"PK\x03\x04") is None


def test_only_this_databases_dump_is_replaced(tmp_path):
    target = tmp_path / "tiers_city.dump"
    target.write_bytes(_header(b"tiers_city"))
    _refuse_other_files(target, "tiers_city")  # its own: replaced
    with pytest.raises(Refused, match="是另一个数据库的备份（服务器数据库 tiers_city），不是本库"
                                      "（tiers_test）的备份"):
        _refuse_other_files(target, "tiers_test")
    target.write_bytes(ARCHIVE_MAGIC + b"\x01\x0e")
    with pytest.raises(Refused, match="看不出是哪个数据库的备份"):
        _refuse_other_files(target, "tiers_city")
    target.write_bytes(b"")
    _refuse_other_files(target, "tiers_city")  # empty: nothing to lose
