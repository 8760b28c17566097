"""Classes captured count only samples the evaluator is sure of (evaluator.CONFIDENT), in the engine,
in the coverage panel's headline and bars."""
import numpy as np
import pytest
import torch

from studio.core.evaluator import CONFIDENT, MIN_SHARE, class_metrics


def _probs(top_class: np.ndarray, top: float) -> np.ndarray:
    """Each row gives `top` to its class and shares the rest evenly among the other nine."""
    probs = np.full((len(top_class), 10), (1 - top) / 9)
    probs[np.arange(len(top_class)), top_class] = top
    return probs


def test_shapeless_samples_capture_no_class_though_every_class_is_named():
    smudges = torch.softmax(torch.randn(500, 10, generator=torch.Generator().manual_seed(0)) * 0.5, 1).double()
    m = class_metrics(smudges.numpy())
    assert (np.array(m["histogram"]) >= MIN_SHARE).sum() == 10  # the old rule: "10/10 classes"
    assert m["classes"] == 0 and m["confident_share"] == 0.0 and sum(m["confident_histogram"]) == 0.0


def test_confident_copies_of_one_digit_capture_one_class():
    m = class_metrics(_probs(np.full(200, 7), 0.98))
    assert m["classes"] == 1 and m["confident_share"] == pytest.approx(1.0)
    assert m["confident_histogram"][7] == pytest.approx(1.0)


def test_a_class_needs_its_share_of_confident_samples():
    labels = np.arange(1000) % 10
    sure = _probs(labels, CONFIDENT)  # exactly at the threshold counts
    m = class_metrics(sure)
    assert m["classes"] == 10 and m["confident_share"] == pytest.approx(1.0)
    unsure = _probs(labels, CONFIDENT - 0.01)
    keep = labels != 3
    unsure[keep] = sure[keep]  # class 3 named as often, but never with confidence
    assert class_metrics(unsure)["classes"] == 9
    few = _probs(labels, 0.5)
    few[:10] = _probs(labels[:10], 0.99)  # one confident sample per class: 0.1 % each, under MIN_SHARE
    m = class_metrics(few)
    assert m["classes"] == 0 and m["confident_share"] == pytest.approx(0.01)


def test_an_unsure_classifier_captures_nothing_on_real_digits(quick_digit_classifier):
    from helpers import tiny_digits
    from studio.core.data import load_dataset
    from studio.core.evaluator import dataset_key
    from studio.gui import evaluation

    config = tiny_digits()
    report = evaluation._CACHE[dataset_key(config)].evaluate(load_dataset(config.data).as_float())
    assert report["confidence"] < CONFIDENT  # briefly trained: it guesses
    assert report["classes"] == 0 and report["confident_share"] < 0.05


def test_the_panel_says_confident_samples_only(qtbot):
    from helpers import tiny_digits
    from studio.gui.coverage_panel import CoveragePanel

    panel = CoveragePanel()
    qtbot.addWidget(panel)
    panel.set_config(tiny_digits())
    panel._on_eval_ready({"real_histogram": [0.1] * 10, "real_confident_share": 0.8})
    report = class_metrics(np.concatenate([_probs(np.full(60, 2), 0.97), _probs(np.arange(40) % 10, 0.3)]))
    panel._on_eval_result({"step": 200, "frechet": 12.0, **report})
    assert panel.redraw()
    text = panel.summary_text()
    assert "Classes captured: 1 / 10" in text and "confident samples only" in text
    assert "confident samples 60%" in text and "real digits 80%" in text
    view = panel.classes_view
    assert view.sure_bars.opts["height"].sum() == pytest.approx(60.0)
    assert view.fake_bars.opts["height"].sum() == pytest.approx(100.0)
    panel.shutdown()


@pytest.mark.parametrize("data", ["digits", "ring"])
def test_side_by_side_curves_fit_inside_a_narrow_pane(qtbot, data):
    """Compact (one pane of a collapse/fix pair): every plot stays inside the pane, titles included."""
    from helpers import tiny_digits
    from studio.core.config import Config
    from studio.gui.coverage_panel import CoveragePanel

    panel = CoveragePanel(compact=True)
    qtbot.addWidget(panel)
    panel.set_config(tiny_digits() if data == "digits" else Config())
    panel.resize(690, 260)
    panel.show()
    qtbot.waitExposed(panel)
    shown = panel.classes_view if data == "digits" else panel.modes_view
    view = shown.view
    qtbot.waitUntil(lambda: view.width() > 0)
    plots = list(view.ci.items)
    assert len(plots) == 2  # the bars and one curve of full height
    for plot in plots:
        right = plot.mapRectToScene(plot.boundingRect()).right()
        assert right <= view.width() + 1, (plot.titleLabel.text, right, view.width())
    panel.shutdown()
