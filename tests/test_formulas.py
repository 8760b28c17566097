"""The maths on screen: the formulas say what the engine computes, the slow-motion captions carry the
frame's own numbers in both languages, and the loss selector and the loss plot show the chosen loss."""
import math
import re
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import torch
from helpers import tiny_digits, tiny_ring

from studio.core import formulas, losses
from studio.core.config import LOSSES, LossConfig
from studio.core.slow_motion import SHOWN_LOSSES, SlowMotionError, slow_motion_iteration
from studio.core.trainer import Trainer
from studio.core.translatable import render


def _evaluate(text: str) -> float:
    """A one-sample formula with its numbers written in (formulas.d_loss_one), computed as written."""
    python = (re.sub(r"log (\(?[\d.−]+\)?)", r"log(\1)", text).replace("−", "-").replace("½·", "0.5*").replace("½", "0.5*").replace("·", "*").replace("[", "(").replace("]", ")")
              .replace("<sup>2</sup>", "**2").replace("log", "math.log"))
    return eval(python, {"math": math, "max": max})  # noqa: S307  (our own formula text, not input)


@pytest.mark.parametrize("kind", SHOWN_LOSSES)
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_one_sample_formulas_compute_what_the_engine_computes(kind, smoothing):
    real, fake = torch.tensor([0.7]), torch.tensor([-0.4])  # D's raw scores
    shown = torch.sigmoid if kind in losses.PROBABILISTIC else (lambda s: s)
    d_text = formulas.d_loss_one(kind, float(shown(real)), float(shown(fake)), smoothing)
    engine_d = float(losses.d_loss(kind, real, fake, 1.0 - smoothing))
    assert _evaluate(d_text) == pytest.approx(engine_d, abs=2e-3)  # the formula shows 3 decimals
    assert _evaluate(formulas.g_loss_one(kind, float(shown(fake)))) == pytest.approx(
        float(losses.g_loss(kind, fake)), abs=2e-3)


def test_every_loss_has_a_formula_a_name_and_its_penalty():
    for kind in LOSSES:
        assert formulas.LOSS_NAMES[kind] and formulas.d_loss(kind) and formulas.g_loss(kind)
    assert "λ" in formulas.d_loss("wgan-gp") and "γ" in formulas.d_loss("r1")
    assert "<i>V</i>(<i>D</i>, <i>G</i>)" in formulas.objective("minimax")
    assert "<i>y</i>" in formulas.d_loss("nonsaturating", conditional=True)
    assert "<i>t</i>" in formulas.d_loss("hinge", smoothing=0.1) and "<i>t</i>" not in formulas.d_loss("hinge")


def test_auxiliary_terms_are_added_where_the_trainer_adds_them():
    ce_real, ce_fake = "CE(<i>C</i>(<i>x</i>), <i>y</i>)", "CE(<i>C</i>(<i>G</i>(<i>z</i>,&nbsp;<i>y</i>)), <i>y</i>)"
    d, g = formulas.aux_terms("acgan")  # D classifies real and fake, G is scored on its fakes' class
    assert ce_real.replace(" ", "&nbsp;") in d and ce_fake.replace(" ", "&nbsp;") in d
    assert ce_fake.replace(" ", "&nbsp;") in g and "<i>x</i>" not in g
    d, g = formulas.aux_terms("none", class_weight=3.0)  # D's class term: real images only, nothing for G
    assert ce_real.replace(" ", "&nbsp;") in d and "<i>G</i>" not in d and g == ""
    assert formulas.aux_terms("infogan") == (" + λ·<i>L</i><sub><i>I</i></sub>",) * 2
    assert formulas.aux_terms("none") == formulas.aux_terms("cgan") == ("", "")
    config = tiny_digits(**{"discriminator.class_weight": 2.0, "loss.label_smoothing": 0.1})
    d, g = formulas.run_losses(config)
    assert d == formulas.d_loss("nonsaturating", smoothing=0.1) + formulas.aux_terms("none", 2.0)[0]
    assert g == formulas.g_loss("nonsaturating")
    sure = config.updated({"loss.certainty_weight": 30.0})  # and G's certainty term: fakes only, G's loss only
    d_sure, g_sure = formulas.run_losses(sure)
    assert d_sure == d and g_sure.startswith(g) and "<i>w</i><sub>c</sub>" in g_sure
    assert "max<sub><i>y</i></sub>&nbsp;<i>C</i>(<i>G</i>(<i>z</i>))" in g_sure
    doubt = formulas.run_losses(sure.updated({"loss.fake_entropy_weight": 1.0}))  # D's doubt term: D's loss only
    assert doubt[1] == g_sure and doubt[0].startswith(d) and "<i>H</i>(<i>C</i>(<i>G</i>(<i>z</i>)))" in doubt[0]
    shapeless = formulas.run_losses(sure.updated({"loss.outlier_weight": 0.5}))  # D's outlier term: D's loss only
    assert shapeless[1] == g_sure and shapeless[0].startswith(d) and "<i>C</i>(<i>x̃</i>)" in shapeless[0]


def _captions_fields(frames) -> dict:
    return {frame["key"]: {k: v for _, _, fields in frame["caption_parts"] for k, v in fields.items()}
            for frame in frames}


CONFIGS = {"ring-ema-smoothed": tiny_ring(**{"optim.ema": 0.99, "loss.label_smoothing": 0.1}),
           "digits-hinge": tiny_digits(**{"loss.kind": "hinge"})}


@pytest.fixture(scope="module")
def iterations() -> dict:
    """name → (config, the trainer's metrics, the frames) of a first iteration in slow motion."""
    out = {}
    for name, config in CONFIGS.items():
        trainer = Trainer(config)
        frames = slow_motion_iteration(trainer, extent=3.0)
        out[name] = (config, trainer.last_metrics, frames)
    return out


@pytest.mark.parametrize("name", CONFIGS)
def test_captions_carry_the_frames_own_numbers(iterations, name):
    config, m, frames = iterations[name]
    fields = _captions_fields(frames)
    by_key = {frame["key"]: frame for frame in frames}
    for metric in ("loss_d", "loss_g", "grad_norm_d", "grad_norm_g"):
        assert fields["d_update"][metric] == m[metric]
    assert fields["score"]["d_real"] == pytest.approx(m["d_real"], rel=1e-5)
    assert fields["score"]["d_fake"] == pytest.approx(m["d_fake"], rel=1e-5)
    if config.is_2d:  # the frame holds the whole batch's scores after D's update
        assert fields["rescore"]["d_rescored"] == pytest.approx(float(by_key["rescore"]["d_fake"].mean()), rel=1e-5)
        grad = by_key["gradient"]["grad"]
        assert fields["gradient"]["grad_x"] == pytest.approx(float(np.linalg.norm(grad, axis=1).mean()), rel=1e-5)
    d_loss, g_loss = by_key["d_loss"]["caption"], by_key["g_loss"]["caption"]
    assert f"{m['loss_d']:.3f}" in d_loss and f"{m['loss_g']:.3f}" in g_loss
    assert formulas.d_loss(config.loss.kind, False, config.loss.label_smoothing) in d_loss
    assert formulas.g_loss(config.loss.kind) in g_loss
    assert f"{m['grad_norm_d']:.3g}" in by_key["d_update"]["caption"]
    assert f"{m['grad_norm_g']:.3g}" in by_key["g_update"]["caption"]
    assert all(frame["caption"] == render(frame["caption_parts"]) for frame in frames)


def test_a_refusal_is_translatable_and_english_in_its_message():
    with pytest.raises(SlowMotionError) as caught:
        slow_motion_iteration(Trainer(tiny_ring(**{"optim.g_steps": 3})))
    (context, template, fields), = caught.value.parts
    assert "{g}" in template and fields["g"] == 3 and "(they are 1 and 3)" in str(caught.value)


def _ts_messages(path) -> dict[str, str]:
    """source → translation of a .ts file, refusing unfinished ones."""
    messages = {}
    for message in ET.parse(path).iter("message"):
        translation = message.find("translation")
        assert translation.get("type") != "unfinished", message.findtext("source")
        messages[message.findtext("source")] = translation.text or ""
    return messages


def test_lupdate_extracts_every_caption_and_the_chinese_fills_the_same_numbers(iterations, qapp, tmp_path):
    from PySide6.QtCore import QCoreApplication

    from studio.gui import translations

    frames = [frame for _, _, frames in iterations.values() for frame in frames]
    templates = {template for frame in frames for _, template, _ in frame["caption_parts"]} | \
        {frame["title"] for frame in frames}
    fresh = tmp_path / "slowmotion_zh_CN.ts"  # what pyside6-lupdate finds in the catalog's sources today
    subprocess.run([translations.qt_tool("pyside6-lupdate"), *map(str, translations.catalog_sources("slowmotion")),
                    "-ts", str(fresh)], check=True, capture_output=True)
    extracted = {message.findtext("source") for message in ET.parse(fresh).iter("message")}
    assert templates <= extracted, templates - extracted
    shipped = _ts_messages(translations.catalog_path("slowmotion", "zh_CN", ".ts"))
    assert templates <= set(shipped) and all(re.search("[\u4e00-\u9fff]", shipped[t]) for t in templates)
    try:
        translations.install(qapp, "zh_CN")
        for frame in frames:
            chinese = render(frame["caption_parts"], QCoreApplication.translate)
            assert chinese != frame["caption"] and re.search("[\u4e00-\u9fff]", chinese)
            numbers = lambda text: re.findall(r"\d+\.\d+", text)  # noqa: E731
            assert sorted(numbers(chinese)) == sorted(numbers(frame["caption"])), frame["key"]
    finally:
        translations.install(qapp, "en")


def test_the_loss_selector_and_the_loss_plot_show_the_formula(qtbot):
    from PySide6.QtCore import Qt

    from studio.core.presets import load_preset
    from studio.gui.config_panel import ConfigPanel
    from studio.gui.plots_panel import PlotsPanel

    panel = ConfigPanel()
    qtbot.addWidget(panel)
    panel.select_preset("ring-fixed")
    panel.set_value("loss.kind", "hinge")
    assert formulas.d_loss("hinge") in panel.loss_formula.text() and "hinge" in panel.loss_formula.text()
    panel.set_value("loss.label_smoothing", "0.1")
    assert formulas.d_loss("hinge", smoothing=0.1) in panel.loss_formula.text()
    combo = panel.editors["loss.kind"].widget
    kinds = LossConfig.__dataclass_fields__["kind"].metadata["choices"]
    for index, kind in enumerate(kinds):
        assert formulas.g_loss(kind) in combo.itemData(index, Qt.ItemDataRole.ToolTipRole)
    plots = PlotsPanel()
    qtbot.addWidget(plots)
    plots.start_run(_with_loss(load_preset("ring-fixed"), "lsgan"))
    title = plots.plots["loss"].titleLabel.text
    assert formulas.d_loss("lsgan") in title and formulas.g_loss("lsgan") in title
    panel.select_preset("digits-acgan")  # AC-GAN: the plotted losses hold the class terms, and so do the formulas
    d_aux, g_aux = formulas.aux_terms("acgan")  # and AC-GAN's G takes the class: G(z, y) throughout
    assert f"{formulas.d_loss('nonsaturating', g_class=True)}{d_aux}" in panel.loss_formula.text()
    assert f"{formulas.g_loss('nonsaturating', g_class=True)}{g_aux}" in panel.loss_formula.text()
    assert "<i>D</i>(<i>G</i>(<i>z</i>,&nbsp;<i>y</i>))" in formulas.g_loss("nonsaturating", g_class=True)
    plots.start_run(load_preset("digits-acgan"))
    title = plots.plots["loss"].titleLabel.text
    assert d_aux in title and g_aux in title
    assert "loss_aux" in plots.shown and plots.aux_label == "class CE"
    sure = tiny_digits(**{"discriminator.class_weight": 1.0, "loss.certainty_weight": 30.0})
    plots.start_run(sure)  # G's certainty term: drawn, named, and in G's formula
    assert "loss_aux" in plots.shown and plots.aux_label == "certainty"
    assert formulas.run_losses(sure)[1] in plots.plots["loss"].titleLabel.text
    plots.start_run(sure.updated({"loss.certainty_weight": 0.0}))  # off: hidden until its values arrive
    assert "loss_aux" not in plots.shown and plots.aux_label == "certainty"


def _with_loss(config, kind: str):
    from studio.core.config import Config

    raw = config.to_dict()
    raw["loss"]["kind"] = kind
    return Config.from_dict(raw)
