"""Smoke test of the built, installed Tiers: what an officer's PC gets, not the source tree.

    python3 packaging/smoke_test.py                       # Linux: dist/tiers_*.deb
    python3 packaging/smoke_test.py --deb dist/tiers_0.1.0_amd64.deb
    python packaging/smoke_test.py --installer dist/tiers-setup-0.1.0.exe   # Windows
    python3 packaging/smoke_test.py --bundle dist/tiers   # the folder itself, nothing installed

Installs the package (Linux: ``dpkg -i`` when run as root, else unpacked into a scratch
root with ``dpkg-deb -x``; Windows: the installer, silently, for this user only), then from
the installed files runs: ``tiers --version``, ``tiers demo``, imports of an .xlsx, an .xls
(made by LibreOffice) and a GBK CSV, every report of ``tiers export --list``, ``tiers
assess``, ``tiers backup``, ``tiers undo-import``, and the desktop client to its main window
(Linux: under Xvfb unless a display is given; on an empty database, on the demo database,
and with --large N on N firms), timing the client from process start to its first painted
windows and keeping screenshots. Finally removes the package and checks that the users'
databases are still there. Standard library only, so that any Python 3.9+ runs it.

Screenshots, timings (startup.json per run) and command output go to --out (default
build/smoke/), kept by CI as artefacts. Exit status 0 when every step passed."""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = sys.platform == "win32"
EXE = ".exe" if WINDOWS else ""
SMOKE_FILES = ROOT / "packaging" / "smoke"
XLSX = SMOKE_FILES / "innovative_2024.xlsx"
GBK_CSV = SMOKE_FILES / "roster_gbk.csv"
XLS = ROOT / "tests" / "data" / "legacy_roster.xls"
A_CODE = "91320412MA7N000195"  # a firm of the .xlsx (for 企业档案)
# what a report needs beyond the defaults (it says so when it is missing)
REPORT_OPTIONS = {"profile": ["--code", A_CODE], "candidates": ["--tier", "专精特新"]}


class Failed(Exception):
    pass


class Smoke:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.passed: list[str] = []
        self.failed: list[str] = []
        self.log = (out / "commands.log").open("w", encoding="utf-8")

    def step(self, name: str, action) -> object:
        started = time.monotonic()
        try:
            result = action()
        except Failed as exc:
            self.failed.append(name)
            print(f"失败  {name}（{time.monotonic() - started:.1f} 秒）：{exc}", flush=True)
            return None
        self.passed.append(name)
        print(f"通过  {name}（{time.monotonic() - started:.1f} 秒）", flush=True)
        return result


def decoded(data: bytes) -> str:
    for encoding in ("utf-8", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def scratch_environment(home: Path, database: Path | None) -> dict[str, str]:
    """A user of its own: home, settings, data and log folders in the scratch folder."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TIERS_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_STATE_HOME=str(home / ".local" / "state"))
    # (on Windows the folders come from the shell's known folders, not these variables: the
    # default database is then the runner's own %LOCALAPPDATA%\Tiers)
    if database is not None:
        env["TIERS_DB"] = str(database)
    return env


class Installed:
    """Where the programs are, and how to remove them again."""

    def __init__(self, folder: Path, command: Path, remove=None, checks=None) -> None:
        self.folder = folder  # the program folder (…/opt/tiers, {app})
        self.command = command  # what the user types: /usr/bin/tiers, {app}\tiers.exe
        self.client = folder / f"tiers-client{EXE}"
        self.remove = remove
        self.checks = checks or []


def install_deb(package: Path, scratch: Path, as_root: bool) -> Installed:
    if as_root:
        run_checked(["dpkg", "-i", str(package)])
        checks = [Path("/usr/share/applications/tiers.desktop"),
                  Path("/usr/share/icons/hicolor/256x256/apps/tiers.png"), Path("/usr/bin/tiers")]
        def remove() -> None:
            run_checked(["dpkg", "-r", "tiers"])
            run_checked(["dpkg", "--purge", "tiers"])  # (purge keeps the users' data too)

        return Installed(Path("/opt/tiers"), Path("/usr/bin/tiers"), remove=remove,
                         checks=checks)
    root = scratch / "root"
    run_checked(["dpkg-deb", "-x", str(package), str(root)])
    checks = [root / "usr/share/applications/tiers.desktop",
              root / "usr/share/icons/hicolor/256x256/apps/tiers.png", root / "usr/bin/tiers"]
    return Installed(root / "opt" / "tiers", root / "opt" / "tiers" / "tiers",
                     remove=lambda: shutil.rmtree(root), checks=checks)


def install_windows(installer: Path, scratch: Path) -> Installed:
    folder = scratch / "Programs" / "Tiers"
    run_checked([str(installer), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                 "/CURRENTUSER", f"/DIR={folder}", f"/LOG={scratch / 'install.log'}"])
    uninstaller = folder / "unins000.exe"

    def remove() -> None:
        run_checked([str(uninstaller), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"])
        for _ in range(120):  # the uninstaller hands over to a copy of itself and returns
            if not folder.exists():
                return
            time.sleep(1)

    return Installed(folder, folder / "tiers.exe", remove=remove, checks=[uninstaller])


def run_checked(command: list[str], **kwargs) -> str:
    completed = subprocess.run(command, capture_output=True, timeout=600, **kwargs)
    if completed.returncode != 0:
        raise Failed(f"{' '.join(command)} → {completed.returncode}\n"
                     f"{decoded(completed.stdout)}{decoded(completed.stderr)}")
    return decoded(completed.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--deb", type=Path, help="the .deb (default: dist/tiers_*.deb)")
    what.add_argument("--installer", type=Path, help="the Windows installer")
    what.add_argument("--bundle", type=Path, help="the built folder, used in place")
    parser.add_argument("--scratch-root", action="store_true",
                        help="unpack the .deb into a scratch folder even when run as root")
    parser.add_argument("--large", type=int, default=0,
                        help="also time the client on a database of this many firms (100000)")
    parser.add_argument("--runs", type=int, default=3, help="client starts timed per database")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "smoke")
    args = parser.parse_args()
    args.out = args.out.resolve()  # (the commands run in the scratch folder)

    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    scratch = Path(tempfile.mkdtemp(prefix="tiers-smoke-"))
    smoke = Smoke(args.out)
    display = None
    installed: Installed | None = None
    try:
        installed = smoke.step("安装", lambda: install(args, scratch))
        if installed is None:
            return 1
        display = start_display(args.out)
        exercise(smoke, installed, scratch, args)
    finally:
        if installed is not None and installed.remove is not None:
            smoke.step("卸载（保留用户数据）", lambda: uninstall(installed, scratch))
        stop_display(display)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\n通过 {len(smoke.passed)} 项，失败 {len(smoke.failed)} 项"
          + (f"：{'、'.join(smoke.failed)}" if smoke.failed else "")
          + f"。截图与记录：{args.out}")
    return 1 if smoke.failed else 0


def install(args, scratch: Path) -> Installed:
    if args.bundle:
        folder = args.bundle.resolve()
        return Installed(folder, folder / f"tiers{EXE}")
    if args.installer or WINDOWS:
        installer = args.installer or newest("dist/tiers-setup-*.exe")
        return install_windows(installer.resolve(), scratch)
    package = args.deb or newest("dist/tiers_*.deb")
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0 and not args.scratch_root
    installed = install_deb(package.resolve(), scratch, as_root)
    missing = [str(path) for path in installed.checks if not path.exists()]
    if missing:
        raise Failed(f"安装后缺少：{', '.join(missing)}")
    return installed


def newest(pattern: str) -> Path:
    found = sorted(glob.glob(str(ROOT / pattern)), key=os.path.getmtime)
    if not found:
        raise Failed(f"没有 {pattern}：先运行 packaging/build.sh")
    return Path(found[-1])


def exercise(smoke: Smoke, installed: Installed, scratch: Path, args) -> None:
    home = scratch / "home"
    home.mkdir()
    database = scratch / "data" / "smoke.sqlite3"
    env = scratch_environment(home, database)
    reports = args.out / "reports"
    reports.mkdir()

    def tiers(*arguments: str, expect: str = "", status: int = 0, environment=None) -> str:
        command = [str(installed.command), *arguments]
        completed = subprocess.run(command, capture_output=True, timeout=900,
                                   env=environment or env, cwd=str(scratch))
        output = decoded(completed.stdout) + decoded(completed.stderr)
        smoke.log.write(f"$ tiers {' '.join(arguments)}\n{output}\n")
        smoke.log.flush()
        if completed.returncode != status:
            raise Failed(f"退出码 {completed.returncode}（应为 {status}）：{output[-800:]}")
        if expect and expect not in output:
            raise Failed(f"输出中没有“{expect}”：{output[-800:]}")
        return output

    version = ROOT.joinpath("tiers", "__init__.py").read_text(encoding="utf-8")
    version = version.split('__version__ = "')[1].split('"')[0]
    smoke.step("tiers --version", lambda: tiers("--version", expect=f"tiers {version}"))
    smoke.step("tiers --help（中文）", lambda: tiers("--help", expect="用法"))
    smoke.step("tiers demo", lambda: tiers("demo", expect="演示数据已写入"))
    smoke.step("导入 .xlsx", lambda: tiers("import", str(XLSX), expect="新增 3"))
    smoke.step("导入 .xls（LibreOffice）", lambda: tiers("import", str(XLS), expect="新增 3"))
    csv_output = smoke.step("导入 GBK CSV", lambda: tiers("import", str(GBK_CSV),
                                                        expect="常州烟测电子有限公司"))
    smoke.step("tiers enterprises --search 烟测",
               lambda: tiers("enterprises", "--search", "烟测", expect="常州烟测纺织有限公司"))

    def export_all() -> None:
        listed = tiers("export", "--list")
        names = [line.split()[0] for line in listed.splitlines()
                 if line and not line[0].isspace()]
        if len(names) < 7:
            raise Failed(f"export --list 只列出 {names}")
        for name in names:
            target = reports / f"{name}.xlsx"
            tiers("export", name, str(target), "--unit", "某县工业和信息化局", "--quiet",
                  *REPORT_OPTIONS.get(name, []))
            if not target.is_file() or target.read_bytes()[:2] != b"PK":
                raise Failed(f"{name}：没有写出 .xlsx")
        print(f"      报表：{', '.join(names)}")

    smoke.step("导出全部报表", export_all)
    smoke.step("tiers assess", lambda: tiers("assess", expect="2022暂行办法"))
    smoke.step(f"tiers assess {A_CODE}", lambda: tiers("assess", A_CODE))
    backup = scratch / "backup" / "smoke-backup.sqlite3"
    backup.parent.mkdir()
    smoke.step("tiers backup", lambda: (tiers("backup", str(backup)), check_sqlite(backup)))
    batch = re.search(r"批次 (\d+)", csv_output or "")
    smoke.step("tiers undo-import（撤销 GBK CSV）",
               lambda: tiers("undo-import", batch.group(1) if batch else "?"))
    smoke.step("tiers info", lambda: tiers("info", expect="版本"))
    # the default place (no TIERS_DB): the file that removing the program must leave
    default_env = scratch_environment(home, None)
    smoke.step("默认位置的数据库", lambda: tiers("demo", "--enterprises", "20",
                                            environment=default_env))

    timings: dict[str, list[dict]] = {}
    empty = scratch / "data" / "empty.sqlite3"
    smoke.step("桌面客户端（空数据库）",
               lambda: time_client(installed, env, empty, args, "empty", timings))
    smoke.step("桌面客户端（演示数据库）",
               lambda: time_client(installed, env, database, args, "demo", timings))
    if args.large:
        large = scratch / "data" / "large.sqlite3"
        smoke.step(f"生成 {args.large} 家企业",
                   lambda: tiers("--db", str(large), "demo", "--enterprises", str(args.large)))
        smoke.step(f"桌面客户端（{args.large} 家企业）",
                   lambda: time_client(installed, env, large, args, "large", timings))
    (args.out / "timings.json").write_text(json.dumps(timings, ensure_ascii=False, indent=1),
                                           encoding="utf-8")


def check_sqlite(path: Path) -> None:
    if not path.is_file() or path.read_bytes()[:16] != b"SQLite format 3\x00":
        raise Failed(f"{path} 不是 SQLite 数据库")


def time_client(installed: Installed, env: dict, database: Path, args, label: str,
                timings: dict) -> None:
    """Start the client ``args.runs`` times; each run notes (TIERS_SMOKE_PROBE) when its
    windows were first painted, answers the questions with 否/取消 and closes itself."""
    runs = []
    for number in range(1, args.runs + 1):
        probe = args.out / f"client-{label}-{number}"
        run_env = dict(env, TIERS_SMOKE_PROBE=str(probe))
        started = time.time()
        process = subprocess.Popen([str(installed.client), "--db", str(database)], env=run_env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            output, _ = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            raise Failed(f"客户端 120 秒内没有自己关闭：{decoded(output)[-800:]}") from None
        record_file = probe / "startup.json"
        if not record_file.is_file():
            raise Failed(f"客户端没有显示窗口（退出码 {process.returncode}）：{decoded(output)[-800:]}")
        record = json.loads(record_file.read_text(encoding="utf-8"))
        windows = [dict(window, seconds=round(window["painted"] - started, 3))
                   for window in record["windows"]]
        main_windows = [window for window in windows if window["kind"] == "MainWindow"]
        if not main_windows:
            raise Failed(f"没有主窗口：{windows}")
        if not main_windows[0].get("icon_sizes"):
            raise Failed("主窗口没有图标")
        stages = {name: round(moment - started, 3) for name, moment in record["stages"].items()}
        runs.append({"first_window": windows[0]["seconds"], "stages": stages,
                     "main_window": main_windows[0]["seconds"],
                     "entry_script": round(record["entry_started"] - started, 3),
                     "windows": [(window["kind"], window["seconds"]) for window in windows],
                     "icon_sizes": main_windows[0]["icon_sizes"],
                     "exit_status": process.returncode})
    timings[label] = runs
    print(f"      {label}：到第一个窗口 {median(runs, 'first_window')} 秒，到主窗口 "
          f"{median(runs, 'main_window')} 秒（{args.runs} 次的中位数；各次 "
          f"{[run['main_window'] for run in runs]}）\n      第一次：入口 {runs[0]['entry_script']}，"
          f"{runs[0]['stages']}，窗口 {runs[0]['windows']}")


def median(runs: list[dict], key: str) -> float:
    return round(statistics.median(run[key] for run in runs), 2)


def uninstall(installed: Installed, scratch: Path) -> None:
    user_files = [scratch / "data" / "smoke.sqlite3", scratch / "backup" / "smoke-backup.sqlite3"]
    default = default_database(scratch / "home")  # made by the step 默认位置的数据库
    if default.exists():
        user_files.append(default)
    installed.remove()
    if installed.folder.exists() and any(installed.folder.iterdir()):
        raise Failed(f"卸载后程序文件夹仍在：{installed.folder}")
    lost = [str(path) for path in user_files if not path.exists()]
    if lost:
        raise Failed(f"卸载删除了用户的文件：{', '.join(lost)}")
    print(f"      保留：{', '.join(str(path) for path in user_files)}")


def default_database(home: Path) -> Path:
    if WINDOWS:
        return Path(os.environ["LOCALAPPDATA"]) / "Tiers" / "tiers.sqlite3"
    return home / ".local" / "share" / "Tiers" / "tiers.sqlite3"


def start_display(out: Path):
    """Xvfb on Linux when there is no display (CI), so that the client runs on a real X
    server (xcb), as on a desktop; its screenshots come from that server."""
    if WINDOWS or os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise Failed("没有 Xvfb（apt-get install xvfb），或设置 DISPLAY / QT_QPA_PLATFORM=offscreen")
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    process = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1366x768x24", "-nolisten",
                                "tcp"], stdout=subprocess.DEVNULL,
                               stderr=(out / "xvfb.log").open("wb"))
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            break
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{number}"
    return process


def stop_display(process) -> None:
    if process is not None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
