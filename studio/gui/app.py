"""The QApplication: made once, with the studio's names, font and plot options, and a check that
Qt's X11 platform plugin can load before Qt aborts on it (said in the language asked for: `translate`)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import PySide6
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

import pyqtgraph as pg  # after PySide6, so that pyqtgraph uses it

ORGANISATION, APPLICATION = "GAN Studio", "gan-studio"
BASE_POINT_SIZE = 11  # readable on a projector
QT_DIR = Path(PySide6.__file__).parent / "Qt"
XCB_LIBRARIES = (QT_DIR / "plugins" / "platforms" / "libqxcb.so", QT_DIR / "lib" / "libQt6XcbQpa.so.6")
DEBIAN_PACKAGES = {  # soname prefix → the Debian/Ubuntu package that provides it
    "libxcb-icccm.so": "libxcb-icccm4", "libxcb-keysyms.so": "libxcb-keysyms1",
    "libxcb-image.so": "libxcb-image0", "libxcb-render-util.so": "libxcb-render-util0",
    "libxcb-xkb.so": "libxcb-xkb1", "libxkbcommon-x11.so": "libxkbcommon-x11-0",
    "libxkbcommon.so": "libxkbcommon0", "libxcb-cursor.so": "libxcb-cursor0",
    "libxcb-randr.so": "libxcb-randr0", "libxcb-shape.so": "libxcb-shape0",
    "libxcb-xinerama.so": "libxcb-xinerama0", "libxcb-xfixes.so": "libxcb-xfixes0",
    "libxcb-sync.so": "libxcb-sync1", "libxcb-shm.so": "libxcb-shm0",
    "libxcb-render.so": "libxcb-render0", "libxcb-xinput.so": "libxcb-xinput0",
    "libxcb-util.so": "libxcb-util1", "libxcb.so": "libxcb1", "libX11-xcb.so": "libx11-xcb1",
    "libEGL.so": "libegl1", "libGL.so": "libgl1", "libOpenGL.so": "libopengl0",
    "libfontconfig.so": "libfontconfig1", "libdbus-1.so": "libdbus-1-3",
}
PLATFORM_TEXTS = {  # printed before Qt starts, so translated with a translator of their own (launch.py)
    "head": QT_TRANSLATE_NOOP("Platform", "GAN Studio cannot open a window: Qt's X11 platform plugin (xcb) needs "
                                          "system libraries that are not installed:"),
    "apt": QT_TRANSLATE_NOOP("Platform", "On Debian or Ubuntu, install them with:"),
    "unknown": QT_TRANSLATE_NOOP("Platform", "Install the packages that provide: {libraries}"),
    "offscreen": QT_TRANSLATE_NOOP("Platform", "(Or run without a display: QT_QPA_PLATFORM=offscreen, e.g. for "
                                               "`gan-studio screenshot`.)"),
}
Translate = Callable[[str, str], str]  # (context, English) → the text in the language asked for


def use_offscreen_without_display() -> None:
    """Qt's offscreen platform when there is no X11 or Wayland display (before QApplication)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run_ldd(path: Path) -> str:
    """`ldd`'s report on one shared library ('' when it cannot be run)."""
    try:
        return subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def missing_xcb_libraries() -> list[str]:
    """The sonames Qt's xcb platform plugin needs and the system lacks (ldd's "not found"), in order."""
    missing: list[str] = []
    for path in XCB_LIBRARIES:
        if not path.is_file():
            continue
        for line in run_ldd(path).splitlines():
            name, _, where = line.strip().partition("=>")
            if "not found" in where and name.strip() not in missing:
                missing.append(name.strip())
    return missing


def debian_packages(sonames: list[str]) -> tuple[list[str], list[str]]:
    """(packages to install, sonames no package is known for)."""
    packages, unknown = [], []
    for soname in sonames:
        package = next((p for prefix, p in DEBIAN_PACKAGES.items() if soname.startswith(prefix)), None)
        if package is None:
            unknown.append(soname)
        elif package not in packages:
            packages.append(package)
    return packages, unknown


def platform_problem(translate: Translate | None = None) -> str | None:
    """Why Qt's X11 platform plugin would fail to load, with how to fix it; None when it would load
    (or another platform is asked for, or there is no X11 display)."""
    if os.environ.get("QT_QPA_PLATFORM", "xcb") != "xcb" or not os.environ.get("DISPLAY"):
        return None
    missing = missing_xcb_libraries()
    if not missing:
        return None
    packages, unknown = debian_packages(missing)
    text = {key: translate("Platform", source) if translate else source for key, source in PLATFORM_TEXTS.items()}
    lines = [text["head"], "  " + ", ".join(missing)]
    if packages:
        lines += [text["apt"], "  sudo apt-get install " + " ".join(packages)]
    if unknown:
        lines.append(text["unknown"].format(libraries=", ".join(unknown)))
    lines.append(text["offscreen"])
    return "\n".join(lines)


def exit_if_platform_broken(translate: Translate | None = None) -> None:
    """Say which libraries are missing and exit with status 1, instead of Qt's abort."""
    problem = platform_problem(translate)
    if problem is not None:
        print(problem, file=sys.stderr)
        raise SystemExit(1)


def make_app(argv: list[str] | None = None, translate: Translate | None = None) -> QApplication:
    """The QApplication (made once), with the studio's names, font and plot options; `translate` says
    what is wrong with the platform, if anything, in the user's language (translations.terminal_translator)."""
    app = QApplication.instance()
    if app is None:
        exit_if_platform_broken(translate)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setOrganizationName(ORGANISATION)
        app.setApplicationName(APPLICATION)
        app.setApplicationDisplayName("GAN Studio")
        font = QFont(app.font())
        if font.pointSize() < BASE_POINT_SIZE:
            font.setPointSize(BASE_POINT_SIZE)
            app.setFont(font)
    # no antialiasing for curves: it costs 2x the paint time on a CPU (the 2-D plane turns it on)
    pg.setConfigOptions(antialias=False, foreground="k", background="w")
    return app
