"""A database on a network share is refused (SQLite's WAL needs shared memory on one
machine), with a pointer to the server mode; the detection is a pure function of the path
and the text of /proc/self/mountinfo."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from tiers.storage import shares as location
from tiers.storage.database import open_database
from tiers.storage.faults import FileRefused

pytestmark = pytest.mark.sqlite_only  # a SQLite file on a network share

MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 27 0:45 / /mnt/county rw,relatime shared:20 - cifs //fileserver/科技局 rw,vers=3.1.1
41 40 8:17 / /mnt/county/usb rw,relatime shared:21 - vfat /dev/sdb1 rw
42 27 0:46 / /home/officer/My\\040Share rw - nfs4 nas:/export/share rw
43 27 0:47 / /home/officer/remote rw,nosuid - fuse.sshfs officer@host:/data rw
44 27 0:48 / /srv/smb rw - smb3 //nas/data rw
45 27 0:49 / /srv/nfs3 rw - nfs nas:/old rw
46 27 0:50 / /tmp rw master:3 - tmpfs tmpfs rw
"""


@pytest.mark.parametrize(("path", "expected"), [
    ("/home/officer/tiers.sqlite3", None),
    ("/mnt/county/tiers.sqlite3", "cifs"),
    ("/mnt/county/子目录/tiers.sqlite3", "cifs"),
    ("/mnt/county/usb/tiers.sqlite3", None),  # a local disk mounted inside the share
    ("/mnt/countyside/tiers.sqlite3", None),  # a prefix of the name is not a parent
    ("/home/officer/My Share/tiers.sqlite3", "nfs4"),
    ("/home/officer/remote/x.db", "fuse.sshfs"),
    ("/srv/smb/x.db", "smb3"),
    ("/srv/nfs3/x.db", "nfs"),
    ("/tmp/x.db", None),
])
def test_network_filesystem_from_mountinfo(path, expected):
    assert location.network_filesystem(PurePosixPath(path), MOUNTINFO) == expected


def test_a_garbled_mountinfo_line_is_skipped():
    assert location.network_filesystem(PurePosixPath("/x"), "nonsense\n1 2 3\n") is None


@pytest.mark.parametrize(("text", "expected"), [
    (r"\\fileserver\科技局\tiers.sqlite3", True),
    ("//fileserver/share/tiers.sqlite3", True),
    (r"\\?\UNC\fileserver\share\tiers.sqlite3", True),
    (r"\\?\C:\Users\officer\tiers.sqlite3", False),
    (r"\\.\PhysicalDrive0", False),
    (r"C:\Users\officer\tiers.sqlite3", False),
    ("/home/officer/tiers.sqlite3", False),
])
def test_unc_paths(text, expected):
    assert location.is_unc(text) is expected


def test_opening_a_database_on_a_share_is_refused_untouched(tmp_path, monkeypatch):
    share = tmp_path / "share"
    mountinfo = f"50 27 0:60 / {share.resolve()} rw - cifs //server/share rw\n"
    real_read_text = Path.read_text

    def read_text(self, *arguments, **options):
        if str(self) == "/proc/self/mountinfo":
            return mountinfo
        return real_read_text(self, *arguments, **options)

    monkeypatch.setattr(Path, "read_text", read_text)
    with pytest.raises(FileRefused, match="连接服务器") as refused:
        open_database(share / "tiers.sqlite3")
    assert "网络共享" in str(refused.value)
    assert not share.exists()  # not even its folder was made
    open_database(tmp_path / "local" / "tiers.sqlite3").dispose()  # beside it: fine


def test_a_unc_path_is_refused_before_anything(tmp_path):
    with pytest.raises(FileRefused, match="连接服务器"):
        open_database(r"\\fileserver\share\tiers.sqlite3")
