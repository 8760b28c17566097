"""Shared fixtures. Qt runs offscreen: set before anything imports Qt."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

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
