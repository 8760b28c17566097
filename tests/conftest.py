"""Shared fixtures. Qt runs offscreen: set before anything imports Qt."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
# Under pytest-xdist (the suite's default: -n auto) each worker gets its share of the cores; torch's
# thread pool per worker, and in the CLI processes tests start, would otherwise oversubscribe them.
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    _share = max(1, (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"]))
    os.environ.setdefault("OMP_NUM_THREADS", str(_share))

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

MNIST_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "mnist"


@pytest.fixture
def mnist_dir() -> Path:
    """The real MNIST test set beside the checkout, or a skip that says why."""
    if not (MNIST_DIR / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"real MNIST files not found in {MNIST_DIR}")
    return MNIST_DIR


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Data caches go to one temporary folder per session, never the user's."""
    cache = tmp_path_factory.getbasetemp() / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))


@pytest.fixture(autouse=True)
def _collect_garbage_between_tests():
    """Qt objects a test dropped are deleted here, once its threads have ended (the checks below tear down
    first), not by a garbage collection that happens to run in a later test while that test's threads
    work: with pytest-xdist's other test order, two such late collections crashed PySide6 (segfaults in
    the GC during test_i18n_views and test_gui_slow_motion)."""
    yield
    import gc
    import sys

    if "PySide6.QtCore" in sys.modules:
        gc.collect()


@pytest.fixture(autouse=True)
def _no_trainer_thread_left():
    """Fail a test that leaves one of the window's trainer QThreads running (after stopping it).

    Autouse, so it is set up before pytest-qt's qtbot and torn down after it: windows that
    qtbot closes have had their chance to end their threads.
    """
    yield
    import sys

    controllers = sys.modules.get("studio.gui.run_controller")
    if controllers is None:  # no Qt in this test
        return
    running = controllers.running_threads()
    if running:
        controllers.stop_all_threads()
        pytest.fail(f"{len(running)} trainer QThread(s) still running after the test; "
                    f"stop them (Stop, Reset or closing the window) before it ends")


@pytest.fixture(autouse=True)
def _no_render_thread_left():
    """Fail a test that leaves the latent explorer's render thread running (autouse: torn down last)."""
    yield
    import sys

    render = sys.modules.get("studio.gui.latent_render")
    if render is not None and render.running_render_threads():
        pytest.fail("a latent render thread was left running; shut the explorer down before the test ends")


@pytest.fixture
def latent_panel(qtbot):
    """Makes shown LatentPanels (1000×800, or `size`), opened on `checkpoint` when one is given;
    each is shut down at teardown, before the render-thread check."""
    panels = []

    def make(checkpoint=None, size=(1000, 800)):
        from studio.gui.latent_panel import LatentPanel

        panel = LatentPanel()
        qtbot.addWidget(panel)
        panel.resize(*size)
        panel.show()
        if checkpoint is not None:
            panel.open_checkpoint(checkpoint)
        panels.append(panel)
        return panel
    yield make
    for panel in panels:
        panel.shutdown()


@pytest.fixture(autouse=True)
def _private_config(tmp_path_factory, monkeypatch):
    """Qt settings and data folders (the window's runs) go to temporary folders, never the user's."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))


@pytest.fixture
def quick_digit_classifier(monkeypatch):
    """The window's coverage evaluator for helpers.tiny_digits, briefly trained and put in the evaluator
    thread's cache (the real one trains for minutes on a loaded CI machine)."""
    from helpers import tiny_digits
    from studio.core.data import load_dataset
    from studio.core.evaluator import Evaluator, dataset_key, train_classifier
    from studio.gui import evaluation

    config = tiny_digits()
    data = load_dataset(config.data)
    model = train_classifier(data.as_float(), data.labels, steps=5, batch=32)
    monkeypatch.setitem(evaluation._CACHE, dataset_key(config), Evaluator(model, data.as_float()))


@pytest.fixture
def quick_evaluator(monkeypatch):
    """`Evaluator.for_dataset` with a classifier trained for 5 steps and never cached: for tests of what
    reports the metrics, not of the classifier (its 500 steps take 20 s or more on 2 cores)."""
    from studio.core.evaluator import Evaluator, train_classifier

    def brief(cls, data, key, progress=None, cache_dir=None):
        return cls(train_classifier(data.as_float(), data.labels, steps=5, batch=32), data.as_float())

    monkeypatch.setattr(Evaluator, "for_dataset", classmethod(brief))


@pytest.fixture
def make_window(qtbot, tmp_path):
    """A studio window on temporary settings and runs folders, its form filled with `changes`
    (default: helpers.TINY_RING_FORM), shown; qtbot closes it at teardown."""
    from helpers import TINY_RING_FORM
    from PySide6.QtCore import QSettings

    from studio.gui.main_window import MainWindow

    def make(preset="ring-fixed", changes=None, settings_name="window.ini"):
        settings = QSettings(str(tmp_path / settings_name), QSettings.Format.IniFormat)
        window = MainWindow(preset=preset, settings=settings, runs_root=tmp_path / "runs")
        qtbot.addWidget(window)
        for path, value in (TINY_RING_FORM if changes is None else changes).items():
            window.settings_panel.set_value(path, value)
        assert window.settings_panel.valid, window.settings_panel.errors
        window.show()
        return window
    return make
