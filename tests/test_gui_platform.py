"""`gan-studio` says which system libraries Qt's X11 plugin lacks, instead of Qt's own abort."""
import pytest

from studio.gui import app

LDD_MISSING = """\tlinux-vdso.so.1 (0x00007ffc)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)
\tlibxcb-weird.so.7 => not found
"""


@pytest.fixture
def x11(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)


def test_missing_libraries_are_named_with_the_packages_to_install(x11, monkeypatch, capsys):
    monkeypatch.setattr(app, "run_ldd", lambda path: LDD_MISSING)
    assert app.missing_xcb_libraries() == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-weird.so.7"]
    with pytest.raises(SystemExit) as exit_:
        app.exit_if_platform_broken()
    assert exit_.value.code == 1
    message = capsys.readouterr().err
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in message
    assert "libxcb-weird.so.7" in message.splitlines()[-2]  # no package known: named by soname


def test_nothing_is_said_when_every_library_loads_or_no_x11_is_used(x11, monkeypatch):
    monkeypatch.setattr(app, "run_ldd", lambda path: "\tlibxcb.so.1 => /lib/libxcb.so.1 (0x1)\n")
    assert app.platform_problem() is None
    monkeypatch.setattr(app, "run_ldd", lambda path: LDD_MISSING)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.platform_problem() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.delenv("DISPLAY")
    assert app.platform_problem() is None


def test_the_real_ldd_gives_a_list():
    missing = app.missing_xcb_libraries()
    assert isinstance(missing, list) and all(name.startswith("lib") and ".so" in name for name in missing)
