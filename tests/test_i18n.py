"""Two languages the Qt way: the catalogs are complete and compiled, and the main window in Chinese
shows no English left (units, numbers and names like DCGAN aside): its menus (Explore's starters and
Lessons too), every step of every lesson, one iteration paused at each slow-motion sub-step (2-D and
images, every caption variant), presenter mode with the notes; and the engine's messages (cross-field
config errors, a run's failures), a sweep's table, the X11 message and the starters' descriptions.

The walker (`shown_texts`, `english_left`) reads every text a widget tree shows: labels, buttons,
group and dock titles, menus, tooltips, combo items, tabs, placeholders, headers, window titles and
pyqtgraph's titles, axis labels, legends and text items. To walk another window in Chinese, open it
inside `chinese` (the fixture) and assert `english_left(shown_texts(window)) == []`.
"""
from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QComboBox, QDockWidget, QGroupBox,
                               QLabel, QLineEdit, QMainWindow, QMenu, QTabBar, QTableWidget, QTreeWidget, QWidget)

import pyqtgraph as pg
from helpers import TINY_RING_FORM, tiny_digits, tiny_ring
from studio.core.presets import preset_names, preset_texts
from studio.gui import translations
from studio.gui.engine_texts import config_error
from studio.gui.slow_motion_panel import SlowMotionPanel, caption_text

# names, units and symbols that stay as they are in Chinese (lower case)
ALLOWED = set("""
gan dcgan mnist fashion pytorch kl js fid ema adam sgd rmsprop relu elu gelu tanh mlp resnet wgan gp lsgan hinge
cgan acgan infogan sngan biggan pacgan diffaugment cuda cpu mps fp bf png svg csv gif mp npy pt idx gz rgb hz ce
hq nats ctrl studio fréchet wasserstein tensorboard imageio ffmpeg auto logit embed ring grid spiral moons circles
swissroll digits miyato koyama karras lin zhao odena chen metz dropout english language sigmoid bce lr json
nan inf qt markdown xcb debian ubuntu cbn offscreen catgan springenberg hendrycks
""".split())
WORD = re.compile(r"[A-Za-zÀ-ÿ][\w\-./:*]*")
COMMAND = re.compile(r"gan-studio( [a-z]+)?( --?[a-z\-]+)*")  # a command line is a name
# a maths function's name inside a formula (core.formulas): followed by its argument (a number, a bracket,
# a symbol in italics, D(…)) or a subscript, as in "log D(x)", "log 0.53", "min_G max_D V", "max(0, …)"
MATHS = re.compile(r"\b(?:log|exp|min|max)(?=(?:\s|&nbsp;)*(?:<i>|<sub>|[(\[\d]|[A-Za-z]\())")


def plain(text: str) -> str:
    """Rich text as the eye reads it, without command lines, sub/superscript digits and the function
    names of formulas (MATHS)."""
    text = re.sub(r"&\w+;", " ", re.sub(r"<[^>]+>", " ", MATHS.sub(" ", text or "")))
    return COMMAND.sub(" ", re.sub(r"[₀-₉⁰-⁹]", "", text))


def english_left(texts: set[str]) -> list[str]:
    """The texts with an English word left: a word of two or more letters that is not a name or unit
    (identifiers with _ . / : - or digits, like train.steps, cuda:N or ring-fixed, are names)."""
    found = []
    for text in sorted(texts):
        for word in WORD.findall(plain(text).replace("&", "")):
            if re.search(r"[_./:\-*\d]", word) or len(word) < 2 or word.lower() in ALLOWED:
                continue
            found.append(f"{word!r} in {text!r}")
            break
    return found


def _graphics_texts(view: pg.GraphicsView) -> set[str]:
    texts = set()
    for item in view.scene().items():
        if isinstance(item, pg.LabelItem):
            texts.add(item.text)
        elif isinstance(item, pg.AxisItem):
            texts.add(item.labelText)
        elif isinstance(item, pg.TextItem):
            texts.add(item.textItem.toPlainText())
    return texts


def _menu_texts(menu: QMenu, skipped: set[str] = frozenset()) -> set[str]:
    if menu.title() in skipped:
        return set()
    texts = {menu.title()}
    for action in menu.actions():
        texts.add(action.text())
        if action.menu() is not None:
            texts |= _menu_texts(action.menu(), skipped)
    return texts


def shown_texts(root: QWidget, skip: tuple[QWidget, ...] = ()) -> set[str]:
    """Every text `root` and the widgets under it show (whether on screen now or not), except under `skip`
    (widgets, docks (their tabs too) or menus)."""
    skipped_titles = {s.title() if isinstance(s, QMenu) else s.windowTitle() for s in skip
                      if isinstance(s, (QMenu, QDockWidget))}
    texts: set[str] = set()
    for widget in [root, *root.findChildren(QWidget)]:
        if any(s.isAncestorOf(widget) for s in skip) or \
                isinstance(widget, (QMenu, QDockWidget)) and widget.windowTitle() in skipped_titles or \
                isinstance(widget, QMenu) and widget.title() in skipped_titles:
            continue
        texts.add(widget.toolTip())
        if widget.isWindow() or isinstance(widget, QDockWidget):
            texts.add(widget.windowTitle())
        if isinstance(widget, QLabel):
            texts.add(widget.text())
        elif isinstance(widget, QAbstractButton):
            texts.add(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.add(widget.title())
        elif isinstance(widget, QComboBox):
            texts |= {widget.itemText(i) for i in range(widget.count())}
        elif isinstance(widget, QTabBar):
            texts |= {widget.tabText(i) for i in range(widget.count())}
        elif isinstance(widget, QLineEdit):
            texts.add(widget.placeholderText())
        elif isinstance(widget, QAbstractSpinBox):
            texts |= {widget.suffix(), widget.prefix()} if hasattr(widget, "suffix") else set()
        elif isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            texts |= {header.text(i) for i in range(header.columnCount())}
        elif isinstance(widget, QTableWidget):
            texts |= {widget.horizontalHeaderItem(i).text() for i in range(widget.columnCount())
                      if widget.horizontalHeaderItem(i)}
        elif isinstance(widget, QMenu):
            texts |= _menu_texts(widget, skipped_titles)
        elif isinstance(widget, pg.GraphicsView):
            texts |= _graphics_texts(widget)
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            if action.menu() is not None:
                texts |= _menu_texts(action.menu(), skipped_titles)
        texts.add(root.statusBar().currentMessage())
    return {t for t in texts if t and t.strip() and t not in skipped_titles}


@pytest.fixture
def chinese(qapp):
    """The window's catalogs in Simplified Chinese for the test, English again after it."""
    loaded = translations.install(qapp, "zh_CN")
    assert any(path.name == "window_zh_CN.qm" for path in loaded)
    yield
    translations.install(qapp, "en")


# -- the catalogs ------------------------------------------------------------------------------
def test_the_window_catalog_exists():
    assert (translations.i18n_dir() / "window_zh_CN.ts").is_file()


@pytest.mark.parametrize("ts", sorted(translations.i18n_dir().glob("*.ts")), ids=lambda path: path.stem)
def test_catalog_is_finished_and_its_qm_is_a_fresh_lrelease(ts, tmp_path):
    unfinished = [m.findtext("source") for m in ET.parse(ts).iter("message")
                  if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")]
    assert unfinished == [], f"{ts.name}: unfinished {unfinished[:5]}"
    fresh = tmp_path / f"{ts.stem}.qm"
    subprocess.run([translations.qt_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(fresh)], check=True)
    shipped = ts.with_suffix(".qm")
    assert shipped.is_file() and shipped.read_bytes() == fresh.read_bytes(), \
        f"{shipped.name} is older than {ts.name}: run python -m studio.gui.translations release"


def test_translations_keep_every_named_field():
    """A translation that loses or renames a {field} would raise KeyError in .format() (or drop a value)."""
    for ts in translations.i18n_dir().glob("*.ts"):
        for message in ET.parse(ts).iter("message"):
            source, text = message.findtext("source"), message.findtext("translation") or ""
            if not text:
                continue  # unfinished: the test above says so
            assert set(re.findall(r"\{\w*\}", source)) == set(re.findall(r"\{\w*\}", text)), (ts.name, source, text)


def test_language_choice_follows_lang_then_settings_then_locale(tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert translations.choose_language("zh_CN", settings) == "zh_CN"
    settings.setValue(translations.SETTINGS_KEY, "zh_CN")
    assert translations.choose_language(None, settings) == "zh_CN"
    settings.setValue(translations.SETTINGS_KEY, "klingon")  # a stale or hand-edited value: the locale decides
    assert translations.choose_language(None, settings) == translations.locale_language(
        __import__("PySide6.QtCore").QtCore.QLocale.system().name())
    assert [translations.locale_language(n) for n in ("zh_CN", "zh_Hans_SG", "zh_TW", "en_GB", "C")] == \
        ["zh_CN", "zh_CN", "en", "en", "en"]
    assert translations.available() == ["en", "zh_CN"]
    with pytest.raises(ValueError, match="zh_CN"):
        translations.check_language("fr")


def test_presets_have_chinese_texts_that_are_not_english(chinese):
    for name in preset_names():
        english = preset_texts(name, "en")
        description, notes = preset_texts(name, "zh_CN")
        assert description != english[0] and (notes != english[1] or not english[1]), name
        assert re.search(r"[\u4e00-\u9fff]", description) and (not notes or re.search(r"[\u4e00-\u9fff]", notes)), name


def test_engine_messages_are_translated(chinese):
    assert config_error("train.steps must be >= 1, got 0") == "train.steps 必须 ≥ 1，当前为 0"
    assert config_error("optim.lr_g must be a number, got 'x'") == "optim.lr_g 必须是数字，当前为 'x'"
    assert config_error("something the window does not know") == "something the window does not know"


CROSS_FIELD = [  # every combination core.config refuses, as the Settings panel shows it under a field
    {"data.name": "mnist2"}, {"data.name": "folder:"}, {"generator.arch": "dcgan"},
    {"data.name": "digits", "generator.arch": "resnet", "discriminator.arch": "resnet"},
    {"train.precision": "bf16", "train.device": "cpu"}, {"discriminator.pack": 3}, {"train.device": "cuda:x"},
    {"cond.kind": "cgan"}, {"data.name": "digits", "cond.kind": "infogan", "cond.categorical": 0, "cond.continuous": 0},
    {"data.name": "digits", "cond.kind": "cgan", "cond.g_input": "cbn", "generator.arch": "mlp",
     "discriminator.arch": "mlp"},
    {"data.name": "digits", "cond.kind": "cgan", "discriminator.pack": 2},
    {"data.name": "digits", "cond.kind": "cgan", "optim.unroll": 2},
]


def test_every_cross_field_config_error_is_translated(chinese):
    from studio.core.config import Config, ConfigError

    messages = set()
    for changes in CROSS_FIELD:
        with pytest.raises(ConfigError) as raised:
            Config().updated({"data.name": "ring", "train.batch_size": 64, **changes})
        message = str(raised.value)
        shown = config_error(message)
        assert re.search(r"[\u4e00-\u9fff]", shown) and english_left({shown}) == [], (message, shown)
        messages.add(message)
    assert len(messages) == len(CROSS_FIELD)  # each rule, not one of them twelve times


def test_a_runs_failures_are_said_in_chinese(chinese, tmp_path):
    """A diverged loss, non-finite weights, a full disk and a checkpoint that does not fit the settings."""
    from studio.core.checkpoints import CheckpointError, check_checkpoint
    from studio.core.losses import NonFiniteLossError
    from studio.core.run import RunDirectory
    from studio.core.run_loop import RunFailure, RunLoop
    from studio.core.trainer import Trainer
    from studio.gui.engine_texts import engine_message

    loop = RunLoop(Trainer(tiny_ring(**{"data.n_samples": 256})), RunDirectory(tmp_path / "run"), 2)
    loop.trainer.step()
    good = loop.save()  # the last good state each message names
    failures = [loop._diverged(NonFiniteLossError(3, "loss_d", float("nan"))),
                loop._save_failure(OSError(28, "No space left on device", str(tmp_path / "x.pt")),
                                   "the checkpoint of step 3")]
    next(loop.trainer.g.parameters()).data.fill_(float("inf"))
    with pytest.raises(RunFailure) as raised:
        loop.save()
    failures.append(raised.value)
    for failure in failures:
        shown = engine_message(str(failure))
        assert re.search(r"[\u4e00-\u9fff]", shown) and str(good) in shown, shown
        assert english_left({shown.replace(str(good), " ").replace(str(tmp_path), " ")}) == [], shown
    assert "磁盘空间已满" in engine_message(str(failures[1]))
    with pytest.raises(CheckpointError) as raised:
        check_checkpoint(good, tiny_ring(**{"generator.width": 8}))
    assert engine_message(str(raised.value)).startswith(f"{good} 与当前设置不匹配"), str(raised.value)
    assert engine_message("a sentence the window does not know") == "a sentence the window does not know"


def test_the_x11_message_is_in_the_language_of_lang_or_the_environment(monkeypatch):
    from studio.gui import app

    monkeypatch.setattr(app, "missing_xcb_libraries", lambda: ["libxcb-cursor.so.0", "libmystery.so.1"])
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)

    def said(asked=None):
        return app.platform_problem(translations.terminal_translator(translations.terminal_language(asked)))
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    chinese_text = said()
    assert chinese_text.startswith("GAN Studio 无法打开窗口") and "sudo apt-get install libxcb-cursor0" in chinese_text
    said_lines = [line for line in chinese_text.splitlines() if not line.startswith("  ")]  # not libraries, commands
    assert "libmystery.so.1" in chinese_text and english_left({"\n".join(said_lines).replace("GAN Studio", "")}) == []
    assert said("en").startswith("GAN Studio cannot open a window")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert said().startswith("GAN Studio cannot open a window") and said("zh_CN") == chinese_text


def test_a_sweeps_table_headers_are_chinese(chinese, qtbot, tmp_path):
    from studio.gui.run_compare_view import RunCompareView

    folder = tmp_path / "loss-sweep"
    folder.mkdir()
    (folder / "results.csv").write_text("loss.kind,seeds,failed,modes_mean,modes_std,hq_mean,hq_std\n"
                                        "hinge,2,0,7.5,0.5,0.8,0.1\nlsgan,2,0,6.0,1.0,0.7,0.1\n")
    view = RunCompareView([folder])
    qtbot.addWidget(view)
    headers = [view.table.horizontalHeaderItem(i).text() for i in range(view.table.columnCount())]
    assert headers[0] == "loss.kind" and len(headers) == 4
    left = english_left(shown_texts(view))
    assert left == [], "\n".join(left)


def test_starter_descriptions_come_in_the_window_language(chinese, qtbot, tmp_path, monkeypatch):
    """description_<lang> in starter.json: the Explore menu and the explorer's hint in Chinese, English where a
    starter has none; one that is not text is named like any malformed description."""
    import json

    from PySide6.QtWidgets import QMainWindow

    from studio.core.starters import ROOT_VARIABLE, list_starters, read_starter
    from studio.gui.starters_menu import explore_starter, install_starters_menu

    assert re.search(r"[\u4e00-\u9fff]", read_starter("ring").description_in("zh_CN"))  # the shipped one
    for name, extra in (("both", {"description_zh_CN": "会画八个点团的生成器"}), ("english", {}),
                        ("broken", {"description_zh_CN": 3})):
        (tmp_path / name).mkdir()
        (tmp_path / name / "checkpoint.pt").write_bytes(b"not read here")
        (tmp_path / name / "starter.json").write_text(json.dumps({"description": f"{name} starter", **extra}))
    monkeypatch.setenv(ROOT_VARIABLE, str(tmp_path))
    good, problems = list_starters()
    assert [s.name for s in good] == ["both", "english"] and len(problems) == 1
    assert "description_zh_CN" in problems[0] and str(tmp_path / "broken") in problems[0]
    assert good[0].description_in("zh_CN") == "会画八个点团的生成器" and good[1].description_in("zh_CN") == "english starter"
    window = QMainWindow()
    qtbot.addWidget(window)
    entries = [action.text() for action in install_starters_menu(window, window.menuBar()).actions()]
    assert entries[0] == "入门模型“both”：会画八个点团的生成器" and "english starter" in entries[1]

    class Explorer:  # what explore_starter touches of the window
        latent = type("Latent", (), {"hint": QLabel()})()
        said = ""

        def open_in_explorer(self, path):
            assert path == "starter:both"

        def show_message(self, text):
            self.said = text
    shown = Explorer()
    assert explore_starter(shown, "both")
    assert shown.latent.hint.text().startswith("会画八个点团的生成器。") and "会画八个点团的生成器" in shown.said


# -- the walk ----------------------------------------------------------------------------------
def lesson_texts(window: QMainWindow) -> set[str]:
    """The Lessons dock on every step of every shipped lesson, Next through each."""
    panel, texts = window.lessons, set()
    for index, lesson in enumerate(panel.lessons):
        panel.present(index)
        for number in range(len(lesson.steps)):
            assert panel.index == number and panel.dock.isVisible()
            texts |= shown_texts(panel.dock)
            panel.next()
    return texts


def slow_motion_texts(panel: SlowMotionPanel, *beside: QWidget) -> set[str]:
    """The slow-motion panel (caption, position, plane or image rows) and `beside` paused at every sub-step."""
    texts = set()
    for index in range(len(panel.frames)):
        panel.show_index(index)
        panel.pause()
        assert panel.index == index and not panel.timer.isActive()
        texts |= shown_texts(panel) | {text for widget in beside for text in shown_texts(widget)}
    return texts


def test_main_window_lessons_slow_motion_and_presenter_mode_show_no_english_in_chinese(chinese, make_window, qtbot):
    """The whole window: its menus (Explore and Lessons too), every lesson step, one iteration paused at each
    of its sub-steps (a minimax run: min and max in the formulas), presenter mode with the notes."""
    window = make_window(changes={**TINY_RING_FORM, "loss.kind": "minimax"})
    assert window.menuBar().actions()[0].text() == "文件(&F)"
    texts = shown_texts(window)
    assert any("min<sub>" in text for text in texts)  # the Settings' formula of the minimax game
    texts |= lesson_texts(window)
    window.classroom.slow_motion_iteration()
    panel = window.slow_motion
    qtbot.waitUntil(lambda: bool(panel.frames or panel.error), timeout=60000)
    assert not panel.error and len(panel.frames) == 10
    texts |= slow_motion_texts(panel, window.docks["diagram"])
    texts |= shown_texts(window)  # the run paused: Resume, its state, its status line
    window.presenter.toggle()
    qtbot.waitUntil(lambda: window.presenter.active)
    window.presenter.toggle_notes()
    assert window.notes_dock.isVisible()
    texts |= shown_texts(window)
    window.presenter.toggle()
    window.stop()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=30000)
    left = english_left(texts)
    assert left == [], "\n".join(left)


def test_slow_motion_on_images_shows_no_english_in_chinese_at_any_sub_step(chinese, qtbot):
    """A conditional digits iteration (the image rows, D's scores, G(z) before and after) paused at each
    sub-step, as core.slow_motion builds it from a recorded step."""
    import torch

    from studio.core.slow_motion import build_frames

    gen = torch.Generator().manual_seed(0)
    images = lambda: torch.rand(4, 1, 8, 8, generator=gen) * 2 - 1  # noqa: E731
    record = {"z": torch.randn(4, 8, generator=gen), "fake": images(), "grad": images(), "moved": images(),
              "real_in": images(), "real_scores": torch.randn(4, generator=gen),
              "fake_scores": torch.randn(4, generator=gen), "rescored": torch.randn(4, generator=gen),
              "metrics": {"loss_d": 1.2, "loss_g": 0.8, "grad_norm_d": 0.3, "grad_norm_g": 0.7},
              "lr": (2e-4, 2e-4)}
    panel = SlowMotionPanel()
    qtbot.addWidget(panel)
    panel.set_frames({"frames": build_frames(tiny_digits(**{"cond.kind": "cgan", "optim.ema": 0.999}), 40, record)})
    assert panel.stack.currentWidget() is panel.images
    texts = slow_motion_texts(panel)
    assert any("判别器" in text or "D 的" in text for text in texts)
    left = english_left(texts)
    assert left == [], "\n".join(left)


CAPTION_NUMBERS = {"n": 64, "z_dim": 2, "z1": np.array([0.31, -1.2]), "fake1": np.array([0.05, 0.4]), "side": 28,
                   "d_real": 0.612, "d_fake": 0.421, "d_rescored": 0.398, "dx1": 0.7, "dgz1": 0.3,
                   "dgz1_after": 0.29, "loss_d": 1.234, "loss_d1": 1.101, "loss_g": 0.987, "loss_g1": 0.8,
                   "grad_norm_d": 0.5, "grad_norm_g": 0.4, "grad_x": 0.03, "heat_change": 0.01, "shift": 0.002,
                   "lr_d": 0.0002, "lr_g": 0.0002, "loss_aux": 0.0123}


@pytest.mark.parametrize("changes", [
    {"loss.kind": "minimax", "loss.label_smoothing": 0.1, "optim.ema": 0.999, "generator.noise": "uniform"},
    {"loss.kind": "hinge", "optim.name": "sgd", "loss.label_smoothing": 0.1},
    {"loss.kind": "lsgan", "optim.name": "rmsprop"},
    {"loss.kind": "wgan"},
    {"loss.kind": "nonsaturating", "cond.kind": "infogan", "cond.info_weight": 0.2},
], ids=lambda changes: changes["loss.kind"])
def test_every_caption_variant_is_chinese_with_the_same_numbers(chinese, changes):
    """Each loss, optimiser, smoothing and EMA sentence of the captions, on the plane and on images."""
    from studio.core.slow_motion_captions import TITLES, captions
    from studio.core.translatable import render

    for config, z_dim in ((tiny_ring(**changes), 2), (tiny_digits(**changes), 8)):
        numbers = {**CAPTION_NUMBERS, "z_dim": z_dim, "z1": np.linspace(-1, 1, z_dim)}
        for index, (key, parts) in enumerate(captions(config, 41, numbers).items()):
            text = caption_text({"index": index, "title": TITLES[key], "caption_parts": parts})
            assert re.search(r"[\u4e00-\u9fff]", text) and english_left({text}) == [], text
            numbers_in = lambda html: sorted(re.findall(r"\d+\.\d+", plain(html)))  # noqa: E731
            assert numbers_in(render(parts)) == numbers_in(text), text


def test_the_walker_reads_maths_words_only_inside_formulas():
    formulas_shown = {"min<sub><i>G</i></sub> max<sub><i>D</i></sub> <i>V</i>(<i>D</i>, <i>G</i>)",
                      "−𝔼[log&nbsp;<i>D</i>(<i>x</i>)] − 𝔼[log(1 − <i>D</i>(<i>G</i>(<i>z</i>)))]",
                      "max(0, 1 − <i>D</i>(<i>x</i>))", "θ ← θ − η·Adam(∇θ L)", "E[log D(x)]",
                      "−[log 0.526 + log(1 − 0.503)] = 1.343", "2 log 2 ≈ 1.39"}
    assert english_left(formulas_shown) == []
    words = english_left({"取 min 值", "max 速度", "记一个 log", "exp 曲线", "log scale"})  # not in a formula
    assert sorted(word.split()[0] for word in words) == ["'exp'", "'log'", "'log'", "'max'", "'min'"]


def test_the_walker_finds_english(qapp):
    """The walk fails where a text is left in English (not a tautology)."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    root = QWidget()
    layout = QVBoxLayout(root)
    layout.addWidget(QPushButton("开始"))
    layout.addWidget(QLabel("<b>DCGAN</b> · train.steps 100 Hz"))
    combo = QComboBox()
    combo.addItems(["高斯分布", "uniform"])
    layout.addWidget(combo)
    plot = pg.PlotWidget()
    plot.setLabel("left", "loss")
    layout.addWidget(plot)
    left = english_left(shown_texts(root))
    assert len(left) == 2 and "'uniform'" in left[0] + left[1] and "'loss'" in left[0] + left[1]
