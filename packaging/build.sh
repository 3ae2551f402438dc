#!/usr/bin/env bash
# Build the installable Tiers from this checkout:
#   dist/tiers/                 one folder, two programs: tiers (command line), tiers-client (梯度培育企业库)
#   dist/tiers_VERSION_ARCH.deb on Linux (统信 UOS, 银河麒麟, Debian, Ubuntu)
#   dist/tiers-setup-VERSION.exe on Windows (Git Bash; Inno Setup's ISCC on PATH or in its usual folder)
# Uses the Python of .venv (or $PYTHON) with the build extra: pip install -e ".[build]".
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -s)" in
  MINGW*|MSYS*|CYGWIN*) SYSTEM=windows; DEFAULT_PYTHON=.venv/Scripts/python.exe ;;
  *) SYSTEM=linux; DEFAULT_PYTHON=.venv/bin/python ;;
esac
PYTHON=${PYTHON:-$DEFAULT_PYTHON}
# (tr: Python on Windows ends the line with \r\n, and the \r would end up in file names)
VERSION=$("$PYTHON" -c 'from tiers import __version__; print(__version__)' | tr -d '\r')

echo "== PyInstaller: dist/tiers/ (Tiers $VERSION)"
rm -rf dist/tiers
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/tiers.spec
# (measured in Python: Git Bash on Windows may find Windows' own find.exe first)
"$PYTHON" -c 'import pathlib; files = [p for p in pathlib.Path("dist/tiers").rglob("*") if p.is_file() and not p.is_symlink()]
print(f"dist/tiers/: {sum(p.stat().st_size for p in files) / 1e6:.0f} MB, {len(files)} files")'

build_deb() {
  local arch root package
  arch=$(dpkg --print-architecture)
  root=build/deb-root
  package="dist/tiers_${VERSION}_${arch}.deb"
  rm -rf "$root"
  mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/scalable/apps"
  cp -a dist/tiers "$root/opt/tiers"
  install -m 755 packaging/deb/tiers "$root/usr/bin/tiers"
  install -m 644 packaging/deb/tiers.desktop "$root/usr/share/applications/tiers.desktop"
  install -m 644 resources/icons/tiers.svg "$root/usr/share/icons/hicolor/scalable/apps/tiers.svg"
  for size in 16 24 32 48 64 128 256; do
    mkdir -p "$root/usr/share/icons/hicolor/${size}x${size}/apps"
    install -m 644 "resources/icons/tiers-$size.png" \
      "$root/usr/share/icons/hicolor/${size}x${size}/apps/tiers.png"
  done
  install -m 755 packaging/deb/postrm "$root/DEBIAN/postrm"
  sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$arch/" \
      -e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$root" | cut -f1)/" \
      packaging/deb/control > "$root/DEBIAN/control"
  find "$root" -type d -exec chmod 755 {} +
  rm -f dist/tiers_*.deb
  dpkg-deb --root-owner-group -Zxz --build "$root" "$package" >/dev/null
  echo "== .deb: $package ($(du -h "$package" | cut -f1))"
}

build_installer() {
  local iscc
  iscc=$(command -v iscc || command -v ISCC || true)
  for candidate in "/c/Program Files (x86)/Inno Setup 6/ISCC.exe" "/c/Program Files/Inno Setup 6/ISCC.exe"; do
    [ -z "$iscc" ] && [ -x "$candidate" ] && iscc=$candidate
  done
  if [ -z "$iscc" ]; then
    echo "Inno Setup (ISCC.exe) not found: install Inno Setup 6" >&2
    exit 1
  fi
  rm -f dist/tiers-setup-*.exe
  "$iscc" //Qp "//DAppVersion=$VERSION" packaging/windows/tiers.iss
  echo "== installer: dist/tiers-setup-$VERSION.exe"
}

if [ "$SYSTEM" = windows ]; then build_installer; else build_deb; fi
