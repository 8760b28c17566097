#!/usr/bin/env bash
# The one command for a lent GPU machine, which has torch and pytest but no Qt and no network.
#
#   benchmarks/gpu_check.sh --pack      here, once: .gpu_carry/qt-runtime.tar.xz from this venv's PySide6
#                                       (the Qt libraries the window needs), shiboken6, pyqtgraph, pytest-qt
#                                       and the system libraries they link; about 40 MiB
#   benchmarks/gpu_check.sh OUT_DIR     there (device tool: carry [".gpu_carry"], OUT_DIR "$OUT"): unpack
#                                       that, add only the system libraries the machine lacks, then run
#                                       benchmarks/gpu_check.py --out OUT_DIR with the machine's python3
#
# PySide6 and shiboken6 are built for Python's stable ABI (abi3), so this venv's copy loads in the GPU
# image's newer Python; the libraries come from a glibc no newer than the image's.
set -euo pipefail
cd "$(dirname "$0")/.."
CARRY=.gpu_carry
PACK="$CARRY/qt-runtime.tar.xz"

if [[ "${1:-}" == "--pack" ]]; then
    PY=${PYTHON:-.venv/bin/python}
    SITE=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    STAGE=$(mktemp -d)
    trap 'rm -rf "$STAGE"' EXIT
    mkdir -p "$STAGE/site/PySide6/Qt/lib" "$STAGE/site/PySide6/Qt/plugins" "$STAGE/syslib"
    Q="$SITE/PySide6"
    cp "$Q"/__init__.py "$Q"/_config.py "$Q"/_git_pyside_version.py "$Q"/libpyside6.abi3.so.* "$STAGE/site/PySide6/"
    for m in QtCore QtGui QtWidgets QtSvg QtOpenGL QtOpenGLWidgets QtTest QtDBus; do
        cp "$Q/$m.abi3.so" "$STAGE/site/PySide6/"
    done
    cp -r "$Q/support" "$STAGE/site/PySide6/"
    for lib in Core Gui Widgets Svg OpenGL OpenGLWidgets Test DBus XcbQpa; do
        cp "$Q"/Qt/lib/libQt6$lib.so.6 "$STAGE/site/PySide6/Qt/lib/"
    done
    cp "$Q"/Qt/lib/libicu*.so.* "$STAGE/site/PySide6/Qt/lib/"
    for plugin in platforms/libqoffscreen.so platforms/libqminimal.so imageformats iconengines; do
        mkdir -p "$STAGE/site/PySide6/Qt/plugins/$(dirname "$plugin")"
        cp -r "$Q/Qt/plugins/$plugin" "$STAGE/site/PySide6/Qt/plugins/$(dirname "$plugin")/"
    done
    # colorama: pyqtgraph needs it; xdist and execnet: pyproject's addopts run pytest with -n auto
    cp -r "$SITE/shiboken6" "$SITE/pytestqt" "$SITE/colorama" "$SITE/xdist" "$SITE/execnet" "$STAGE/site/"
    "$PY" - "$SITE" "$STAGE/site" <<'EOF'
import shutil, sys
from pathlib import Path
src, dst = Path(sys.argv[1]), Path(sys.argv[2])
shutil.copytree(src / "pyqtgraph", dst / "pyqtgraph", ignore=shutil.ignore_patterns("examples", "__pycache__", "*.pyc"))
for dist in [*src.glob("pytest_qt-*.dist-info"), *src.glob("pytest_xdist-*.dist-info"),
             *src.glob("execnet-*.dist-info")]:  # pytest finds its plugins through their entry points
    shutil.copytree(dist, dst / dist.name)
EOF
    # System libraries outside glibc and the compiler's runtime that the Qt pieces link.
    find "$STAGE/site/PySide6" -name '*.so*' -type f -print0 | xargs -0 ldd 2>/dev/null \
        | awk '$3 ~ /^\// {print $3}' | sort -u \
        | grep -v -E '/(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' \
        | grep -v PySide6 | while read -r lib; do cp -L "$lib" "$STAGE/syslib/"; done
    FONT=$(fc-match -f '%{file}' DejaVuSans 2>/dev/null || true)
    if [[ -n "$FONT" && -f "$FONT" ]]; then mkdir -p "$STAGE/fonts" && cp "$FONT" "$STAGE/fonts/"; fi
    mkdir -p "$CARRY"
    tar -C "$STAGE" -cJf "$PACK" .
    grep -qx '/.gpu_carry/' .gitignore 2>/dev/null || echo "note: add /.gpu_carry/ to .gitignore" >&2
    du -h "$PACK"
    exit 0
fi

OUT_DIR=${1:?usage: benchmarks/gpu_check.sh OUT_DIR | --pack}
PY=${PYTHON:-python3}
if [[ -f "$PACK" ]]; then
    RUNTIME=$(mktemp -d /tmp/gan-studio-qt.XXXXXX)
    tar -C "$RUNTIME" -xJf "$PACK"
    mkdir -p "$RUNTIME/missing"
    for lib in "$RUNTIME"/syslib/*; do  # only what the machine lacks: its own libraries win
        ldconfig -p | grep -q "/$(basename "$lib")\$" || ln -s "$lib" "$RUNTIME/missing/"
    done
    export PYTHONPATH="$RUNTIME/site${PYTHONPATH:+:$PYTHONPATH}"
    export LD_LIBRARY_PATH="$RUNTIME/missing${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    [[ -d "$RUNTIME/fonts" ]] && export QT_QPA_FONTDIR="$RUNTIME/fonts"
fi
export QT_QPA_PLATFORM=offscreen PYTHONUNBUFFERED=1
exec "$PY" benchmarks/gpu_check.py --out "$OUT_DIR" "${@:2}"
