"""Is a database path on this machine? SQLite's WAL keeps its index in shared memory, which
works only between processes of one machine: a database on a network share (a Windows UNC
path, a mapped network drive, an SMB/NFS/sshfs mount) can be corrupted by two computers
using it, so it is refused with a pointer to the server mode."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path, PurePath, PurePosixPath

from tiers.storage.faults import FileRefused

# Linux file system types (the field after " - " in /proc/self/mountinfo) that are remote
NETWORK_FILESYSTEMS = frozenset({
    "cifs", "smb3", "smbfs", "nfs", "nfs4", "sshfs", "fuse.sshfs", "fuse.smbnetfs",
    "ncpfs", "afs", "ceph", "fuse.glusterfs", "fuse.davfs2", "davfs",
})
_OCTAL_ESCAPE = re.compile(r"\\([0-7]{3})")


def is_unc(path_text: str) -> bool:
    r"""A Windows network path: ``\\server\share\…`` (or with forward slashes), including
    the long form ``\\?\UNC\server\…``; not ``\\?\C:\…`` nor a device ``\\.\…``."""
    text = path_text.replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\"):
        return True
    return text.startswith("\\\\") and not text.startswith(("\\\\?\\", "\\\\.\\"))


def network_filesystem(path: PurePosixPath, mountinfo: str) -> str | None:
    """The type of the network file system holding ``path`` (absolute, resolved), by the
    mount with the longest mount point above it in ``mountinfo`` (the text of
    /proc/self/mountinfo); None when it is local."""
    best_point, best_type = "", None
    for line in mountinfo.splitlines():
        fields = line.split()  # spaces inside a mount point are written \040
        if "-" not in fields[5:] or fields.index("-", 5) + 1 >= len(fields):
            continue
        point = _OCTAL_ESCAPE.sub(lambda m: chr(int(m[1], 8)), fields[4])
        filesystem = fields[fields.index("-", 5) + 1]
        if _is_under(path, PurePosixPath(point)) and len(point) >= len(best_point):
            best_point, best_type = point, filesystem  # a later mount over it wins a tie
    return best_type if best_type in NETWORK_FILESYSTEMS else None


def _is_under(path: PurePosixPath, point: PurePosixPath) -> bool:
    return path == point or point in path.parents


def refuse_network_share(path: Path) -> None:
    """Raise FileRefused when the database at ``path`` would live on a network share."""
    where = _network_place(path)
    if where:
        raise FileRefused(
            f"{path} 在网络共享文件夹上（{where}）。几台电脑同时使用网络共享上的数据库会损坏"
            "数据，请把数据库放在本机硬盘上；多人共用一个库请用服务器模式（连接服务器）。")


def _network_place(path: Path) -> str | None:
    if is_unc(str(path)):
        return "网络路径"
    resolved = path.expanduser().resolve()
    if sys.platform == "win32":
        return "网络驱动器" if _is_windows_network_drive(resolved) else None
    try:
        mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None  # not Linux (macOS): nothing to read it from
    filesystem = network_filesystem(PurePosixPath(resolved), mountinfo)
    return f"{filesystem} 挂载" if filesystem else None


def _is_windows_network_drive(path: PurePath) -> bool:
    """A mapped drive letter (Z: → \\\\server\\share) is a remote drive to Windows."""
    import ctypes  # noqa: PLC0415 - Windows only

    if is_unc(str(path)):  # resolve() turns a mapped drive into its UNC path
        return True
    drive_remote = 4
    root = os.path.splitdrive(str(path))[0] + "\\"
    return ctypes.windll.kernel32.GetDriveTypeW(root) == drive_remote  # type: ignore[attr-defined]
