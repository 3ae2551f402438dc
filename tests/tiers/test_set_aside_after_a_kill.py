"""An earlier file is set aside (``.~name-abcd1234.xlsx.old``) while the new one takes its
name. A save killed (-9, a power cut) between the two left the officer's file hidden there,
and nothing ever put it back or swept it away. Now the next save of that name puts it back
when the name is free (never removing it), and removes it once stale when the new file did
take the name (tiers.beside.sweep_leftovers)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tiers import beside
from tiers.reports import output_folder
from tiers.reports.output_folder import FolderFiles, OneFile

ROOT = Path(__file__).resolve().parents[2]

# _move_all over an earlier file, the process killed right after the earlier file was set
# aside (before the new one takes its name), or right after the new one took it
KILLED_MOVE = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from tiers.reports import output_folder

    real_replace, when = os.replace, sys.argv[4]
    def replace(source, target):
        moving_in = not str(target).endswith(".old")  # the new file, not the earlier aside
        if moving_in and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)  # the earlier file is set aside already
        real_replace(source, target)
        if moving_in and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)  # the new file in; the earlier not removed
    os.replace = replace
    output_folder._move_all([(Path(sys.argv[2]), Path(sys.argv[3]))])
    """)


def kill_a_move(new: Path, target: Path, when: str) -> None:
    finished = subprocess.run([sys.executable, "-c", KILLED_MOVE, str(ROOT), str(new),
                               str(target), when], capture_output=True, text=True, timeout=60)
    assert finished.returncode == -9, finished.stderr


def hidden(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.name.startswith(".~"))


@pytest.fixture
def a_while_later(monkeypatch):
    """The next save comes a while after the kill (one set aside just now is another
    save's, about to move its file in: not put back)."""
    monkeypatch.setattr(beside, "PUT_BACK_AFTER_SECONDS", -1)


@pytest.fixture
def killed_before(tmp_path):
    """The officer's 名单.xlsx set aside, the process killed before the new one moved in."""
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"the officer's own figures")
    new = tmp_path / "new.part"
    new.write_bytes(b"the new report")
    kill_a_move(new, target, "before")
    assert not target.exists()
    [aside] = hidden(tmp_path)
    assert aside.name.endswith(".xlsx.old") and aside.read_bytes() == b"the officer's own figures"
    return target


def test_the_next_save_of_the_name_puts_the_earlier_file_back(killed_before, a_while_later):
    save = OneFile(killed_before, replace_foreign=True)  # as tiers export does before it writes a byte
    assert killed_before.read_bytes() == b"the officer's own figures"
    save.discard()  # the new save cancelled: the earlier file stays, nothing hidden
    assert hidden(killed_before.parent) == []
    assert killed_before.read_bytes() == b"the officer's own figures"


def test_the_next_export_into_the_folder_puts_it_back_then_replaces_it(killed_before, a_while_later):
    files = FolderFiles(killed_before.parent, [killed_before.name, "另一家.xlsx"],
                        replace_foreign=True)  # (the desktop asked: the mechanism alone)
    assert killed_before.read_bytes() == b"the officer's own figures"
    for path in files.paths:
        path.write_bytes(b"this year's")
    files.commit()
    assert killed_before.read_bytes() == b"this year's"
    assert hidden(killed_before.parent) == []


def test_a_file_that_took_the_name_meanwhile_is_not_replaced(killed_before):
    killed_before.write_bytes(b"saved by hand since")
    [aside] = hidden(killed_before.parent)
    assert not beside.put_back(aside, killed_before)
    assert killed_before.read_bytes() == b"saved by hand since"
    assert aside.read_bytes() == b"the officer's own figures"  # kept: not stale yet


def test_what_a_save_killed_after_the_move_left_goes_once_stale(tmp_path, monkeypatch):
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"last year's")
    os.utime(target, (1_000_000_000, 1_000_000_000))  # modified long ago: set aside just now
    new = tmp_path / "new.part"
    new.write_bytes(b"this year's")
    kill_a_move(new, target, "after")
    assert target.read_bytes() == b"this year's" and len(hidden(tmp_path)) == 1
    OneFile(target, replace_foreign=True).discard()  # young: may be a save under way that could still put it back
    assert len(hidden(tmp_path)) == 1
    monkeypatch.setattr(beside, "STALE_SECONDS", -1)
    OneFile(target, replace_foreign=True).discard()
    assert hidden(tmp_path) == [] and target.read_bytes() == b"this year's"


def test_only_this_targets_set_aside_files_are_touched(tmp_path, monkeypatch):
    monkeypatch.setattr(beside, "STALE_SECONDS", -1)
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"this year's")
    others = [tmp_path / ".~名单-abcd1234.pdf.old",  # 名单.pdf's, which is missing
              tmp_path / ".~名单二-abcd1234.xlsx.old", tmp_path / ".~名单-abc.xlsx.old",
              tmp_path / "名单-abcd1234.xlsx.old"]
    for other in others:
        other.write_bytes(b"not this target's")
    OneFile(target, replace_foreign=True).discard()
    assert all(other.read_bytes() == b"not this target's" for other in others)
    assert not (tmp_path / "名单.pdf").exists()


def test_a_set_aside_file_named_before_the_suffix_was_in_it_is_put_back(tmp_path,
                                                                          a_while_later):
    target = tmp_path / "2025年度数据采集表_甲.xlsx"
    aside = tmp_path / ".~2025年度数据采集表_甲-k3j_9x0a.old"  # as round 14 named it
    aside.write_bytes(b"the officer's own figures")
    OneFile(target, replace_foreign=True).discard()
    assert target.read_bytes() == b"the officer's own figures" and hidden(tmp_path) == []


def test_the_set_aside_name_keeps_the_targets_suffix(tmp_path):
    target = tmp_path / "甲.xlsx"
    target.write_bytes(b"earlier")
    aside = output_folder._set_aside(target)
    assert aside.name.startswith(".~甲-") and aside.name.endswith(".xlsx.old")


def test_the_earlier_file_is_put_back_not_a_name_reserved_by_another_killed_save(
        tmp_path, a_while_later):
    """A save killed after reserving the hidden name (an empty file) but before renaming
    the earlier file to it, then a save killed after setting the earlier file aside: the
    empty one is younger than the officer's file (renamed, it keeps its old time)."""
    target = tmp_path / "名单.xlsx"
    aside = tmp_path / ".~名单-aaaaaaaa.xlsx.old"
    aside.write_bytes(b"the officer's own figures")
    os.utime(aside, (1_000_000_000, 1_000_000_000))
    (tmp_path / ".~名单-zzzzzzzz.xlsx.old").write_bytes(b"")
    OneFile(target, replace_foreign=True).discard()
    assert target.read_bytes() == b"the officer's own figures"
    assert not aside.exists()


def test_an_empty_reserved_name_is_never_put_in_place_and_goes_once_stale(tmp_path, monkeypatch):
    """The officer deleted 名单.xlsx after a save was killed having only reserved the name:
    no empty file appears under the name."""
    target = tmp_path / "名单.xlsx"
    reserved = tmp_path / ".~名单-zzzzzzzz.xlsx.old"
    reserved.write_bytes(b"")
    OneFile(target, replace_foreign=True).discard()
    assert not target.exists() and reserved.exists()
    monkeypatch.setattr(beside, "STALE_SECONDS", -1)
    OneFile(target, replace_foreign=True).discard()
    assert not target.exists() and hidden(tmp_path) == []


def test_a_file_another_save_set_aside_just_now_is_left_to_it(tmp_path):
    """Two saves of one name at once (another process, a colleague on a shared folder):
    the first has set the officer's file aside and is about to move its new file in; the
    second, finding the name free, must not put the file back (the first would then
    replace it, and its rollback would find nothing to put back)."""
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"the officer's own figures")
    aside = output_folder._set_aside(target)  # the first save, between its two renames
    OneFile(target, replace_foreign=True).discard()  # the second save's sweep
    assert not target.exists() and aside.read_bytes() == b"the officer's own figures"


def test_the_time_set_aside_is_read_from_the_name(tmp_path, monkeypatch):
    """A rename keeps a file's own times (on Windows its creation time too): the time it
    was set aside is in its name, and what decides whether it is stale."""
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"this year's")
    prefix, suffix = beside.set_aside_name(target)
    assert prefix.startswith(".~名单-") and prefix[len(".~名单-"):-1].isdigit()
    now = int(prefix[len(".~名单-"):-1])
    young = tmp_path / f".~名单-{now}-aaaaaaaa.xlsx.old"
    old = tmp_path / f".~名单-{now - 2 * beside.STALE_SECONDS}-bbbbbbbb.xlsx.old"
    for path in (young, old):
        path.write_bytes(b"last year's")
        os.utime(path, (1_000_000_000, 1_000_000_000))  # the officer's own, long ago
    OneFile(target, replace_foreign=True).discard()
    assert hidden(tmp_path) == [young]


def test_a_folder_export_reads_the_folder_once(tmp_path, monkeypatch):
    """Each file's sweep read the whole folder again: an export of thousands of firms into
    the folder of last year's took minutes (3,000 files: 25 s)."""
    names = [f"企业{number:03d}.xlsx" for number in range(50)]
    for name in names:
        (tmp_path / name).write_bytes(b"last year's")
    reads = []
    read = beside._hidden_entries
    monkeypatch.setattr(beside, "_hidden_entries", lambda folder: reads.append(folder)
                        or read(folder))
    files = FolderFiles(tmp_path, names, replace_foreign=True)  # (asked: the sweep alone)
    files.discard()
    assert reads == [tmp_path]
