"""Conditional GANs, AC-GAN and InfoGAN: the code reaches G and D, the auxiliary losses are what
the papers say, tiny runs train and round-trip through checkpoints, and the CLI's --class/--code."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from helpers import tiny_digits
from studio import cli
from studio.core import augment, losses
from studio.core.checkpoints import load_generator, restore_trainer, save_checkpoint
from studio.core.codes import CodeError, CodeLayout
from studio.core.config import Config, ConfigError
from studio.core.models import build_models
from studio.core.outliers import outliers
from studio.core.trainer import Trainer


def one_hot(labels: list[int], n: int = 10) -> torch.Tensor:
    return F.one_hot(torch.tensor(labels), n).float()


def tiny_cond(kind: str, **changes) -> Config:
    return tiny_digits(**{"cond.kind": kind, **changes})


MLP = {"generator.arch": "mlp", "discriminator.arch": "mlp", "generator.width": 32, "discriminator.width": 32}


# -- the layout ------------------------------------------------------------------
def test_layouts_name_their_slots():
    assert CodeLayout.from_config(Config()).code_dim == 0
    cgan = CodeLayout.from_config(tiny_cond("cgan"))
    assert cgan.names == ["class"] and cgan.code_dim == 10 and cgan.slot("class").labels[3] == "3"
    info = CodeLayout.from_config(tiny_cond("infogan", **{"cond.categorical": 4, "cond.continuous": 2}))
    assert info.names == ["category", "c1", "c2"] and info.code_dim == 6
    c = info.encode({"category": 2, "c2": -1.5}, n=3)
    assert c.shape == (3, 6) and c[0].tolist() == [0, 0, 1, 0, 0, -1.5]
    index, values = info.split(c)
    assert index.tolist() == [2, 2, 2] and values[0].tolist() == [0.0, -1.5]


@pytest.mark.parametrize("choices, words", [({"class": 10}, "0..9"), ({"class": 1.5}, "integer"),
                                            ({"colour": 1}, "codes are: class")])
def test_encode_refuses_what_the_model_does_not_have(choices, words):
    with pytest.raises(CodeError, match=words):
        CodeLayout.from_config(tiny_cond("cgan")).encode(choices)


def test_fixed_codes_give_one_grid_row_per_class():
    trainer = Trainer(tiny_cond("cgan", **{"train.n_fixed": 100}))
    rows = trainer.fixed_codes.argmax(1).view(10, 10)
    assert (rows == torch.arange(10)[:, None]).all()
    # G given no code uses the same rows, so callers passing only z see every class
    z = trainer.fixed_noise
    np.testing.assert_array_equal(trainer.generate(z), trainer.fixed_samples())


def test_old_configs_load_unconditional_and_bad_combinations_are_refused():
    raw = Config().to_dict()
    del raw["cond"]
    assert Config.from_dict(raw).cond.kind == "none"
    with pytest.raises(ConfigError, match="labelled data"):
        Config().updated({"cond.kind": "cgan"})  # ring has no labels
    with pytest.raises(ConfigError, match="cbn needs generator.arch dcgan"):
        tiny_cond("cgan", **MLP, **{"cond.g_input": "cbn"})


# -- G sees the class ----------------------------------------------------------
@pytest.mark.parametrize("changes", [MLP, {"cond.g_input": "concat"}, {"cond.g_input": "cbn"}],
                         ids=["mlp-concat", "dcgan-concat", "dcgan-cbn"])
def test_the_class_changes_g_output(changes):
    torch.manual_seed(0)
    g, _ = build_models(tiny_cond("cgan", **changes))
    g.eval()
    z = torch.randn(4, 8).repeat(2, 1)
    out = g(z, one_hot([3] * 4 + [7] * 4))
    assert not torch.allclose(out[:4], out[4:], atol=1e-4)
    np.testing.assert_allclose(g(z[:4], one_hot([3] * 4)).detach(), out[:4].detach(), atol=1e-6)


# -- D sees the class ----------------------------------------------------------
@pytest.mark.parametrize("changes", [MLP, {}], ids=["mlp", "dcgan"])
def test_projection_term_is_the_inner_product_of_the_class_embedding_and_features(changes):
    torch.manual_seed(0)
    _, d = build_models(tiny_cond("cgan", **{"cond.d_input": "projection", **changes}))
    d.eval()
    torch.nn.init.normal_(d.heads.embed.weight, 0, 1.0)  # large enough that the term is visible
    x = torch.randn(5, 1, 28, 28)
    y = [0, 1, 2, 3, 4]
    with torch.no_grad():
        logits = d(x, one_hot(y))
        if changes:  # MLP: φ(x) is the last hidden layer
            phi = d.body(x.reshape(5, -1))
            plain = d.head(phi).view(-1)
        else:  # DCGAN: φ(x) is the last feature map averaged over positions
            features = d.body(x)
            phi, plain = features.mean((2, 3)), d.head(features).view(-1)
        by_hand = plain + (d.heads.embed.weight.T[torch.tensor(y)] * phi).sum(1)
        other = d(x, one_hot([9, 9, 9, 9, 9]))
    torch.testing.assert_close(logits, by_hand)
    assert (logits - other).abs().min() > 1e-4  # a different label, a different logit


def test_concat_discriminator_uses_the_label():
    torch.manual_seed(0)
    _, d = build_models(tiny_cond("cgan", **{"cond.d_input": "concat"}))
    x = torch.randn(3, 1, 28, 28)
    with torch.no_grad():
        assert not torch.allclose(d(x, one_hot([1, 1, 1])), d(x, one_hot([6, 6, 6])))


# -- auxiliary losses ----------------------------------------------------------
def test_acgan_classifier_loss_is_in_both_updates():
    trainer = Trainer(tiny_cond("acgan"))
    aux_before = [p.detach().clone() for p in trainer.d.heads.aux.parameters()]
    metrics = trainer.step()
    assert metrics["loss_aux"] > 0
    assert all(not torch.equal(a, p) for a, p in zip(aux_before, trainer.d.heads.aux.parameters()))
    code = one_hot([2, 5])
    logits = torch.tensor([[0.1] * 10, [0.3] * 5 + [2.0] + [0.0] * 4])
    expected = (math.log(10) + -math.log(math.exp(2.0) / (5 * math.exp(0.3) + math.exp(2.0) + 4))) / 2
    assert trainer._aux_loss(logits, code).item() == pytest.approx(expected, rel=1e-5)


def test_info_loss_matches_a_hand_computed_value():
    layout = CodeLayout.from_config(tiny_cond("infogan", **{"cond.categorical": 3, "cond.continuous": 2}))
    code = layout.encode({"category": 1, "c1": 0.5, "c2": -1.0}, n=1)
    code = torch.cat([code, layout.encode({"category": 0, "c1": 0.0, "c2": 0.0})])
    q_out = torch.tensor([[0.0, math.log(2.0), 0.0, 1.0, -1.0],  # softmax 1/4, 1/2, 1/4; means 1, -1
                          [0.0, 0.0, 0.0, 0.2, 0.0]])  # softmax 1/3 each; means 0.2, 0
    ce = (-math.log(0.5) - math.log(1 / 3)) / 2
    nll = (0.5 * (0.5 ** 2 + 0.0 ** 2) + 0.5 * (0.2 ** 2)) / 2  # ½‖c − μ‖², σ = 1
    assert losses.info_loss(q_out, code, layout).item() == pytest.approx(ce + nll, rel=1e-6)
    assert losses.info_loss(q_out, code, layout, 3.0).item() == pytest.approx(ce + 3 * nll, rel=1e-6)


def test_infogan_q_learns_to_read_the_code():
    trainer = Trainer(tiny_cond("infogan", **MLP, **{"cond.categorical": 3, "cond.continuous": 1,
                                                      "optim.lr_d": 2e-3, "optim.lr_g": 2e-3,
                                                      "train.batch_size": 32, "discriminator.depth": 1}))
    history = [trainer.step()["loss_aux"] for _ in range(60)]
    assert np.mean(history[-10:]) < 0.5 * np.mean(history[:5])  # log 3 + ½E[c²] at the start


def test_under_augmentation_q_reads_the_category_augmented_and_the_continuous_codes_as_drawn(monkeypatch):
    trainer = Trainer(tiny_cond("infogan", **MLP, **{"loss.augment": "style"}))
    monkeypatch.setattr(augment, "random_affine", lambda x, generator: x + 100.0)  # marks what was augmented
    seen = []
    judge = trainer._judge

    def spy(d, x, code, **options):
        scores, q_out = judge(d, x, code, **options)
        seen.append((float(x.detach().max()) > 50, q_out))
        return scores, q_out

    monkeypatch.setattr(trainer, "_judge", spy)
    fake = trainer.g(trainer.noise(8), trainer.codes(8))
    code = trainer.codes(8)
    _, q_out = trainer._judge(trainer.d, fake + 100.0, code)
    merged = trainer._style_codes_unaugmented(trainer.d, q_out, fake, code)
    (augmented, q_aug), (as_drawn, q_clean) = seen
    assert augmented and not as_drawn
    torch.testing.assert_close(merged[:, :10], q_aug[:, :10])  # the category through the augmentation
    torch.testing.assert_close(merged[:, 10:], q_clean[:, 10:])  # c1, c2 from G's own image
    seen.clear()
    trainer.step()
    assert [aug for aug, _ in seen] == [True, False, True, False]  # D's update, then G's: both read both ways
    plain = Trainer(tiny_cond("infogan", **MLP))
    q_out = torch.zeros(8, 12)
    assert plain._style_codes_unaugmented(plain.d, q_out, fake, code) is q_out  # no augmentation: one pass


# -- an unconditional D that learns the real images' classes --------------------
def test_class_term_needs_an_unconditional_gan_on_labelled_images():
    with pytest.raises(ConfigError, match="cond.kind none"):
        tiny_cond("acgan", **{"discriminator.class_weight": 1.0})
    with pytest.raises(ConfigError, match="labelled data"):
        Config().updated({"discriminator.class_weight": 1.0})  # ring has no labels
    with pytest.raises(ConfigError, match="pack 1"):
        tiny_digits(**{"discriminator.class_weight": 1.0, "discriminator.pack": 2})


def test_class_term_is_the_weighted_cross_entropy_of_the_real_labels_only():
    trainer = Trainer(tiny_digits(**{"discriminator.class_weight": 3.0}))
    assert not trainer.layout and trainer.d_classifies and not trainer.d_aux  # G is told no class
    logits = torch.tensor([[0.1] * 10, [0.3] * 5 + [2.0] + [0.0] * 4])
    labels = torch.tensor([2, 5])
    expected = 3.0 * (math.log(10) + -math.log(math.exp(2.0) / (5 * math.exp(0.3) + math.exp(2.0) + 4))) / 2
    fake_logits = torch.full((2, 10), 7.0)  # whatever D says of the fakes is not scored
    terms = trainer._d_aux_terms(logits, None, labels, fake_logits, None, None)
    assert len(terms) == 1 and terms[0].item() == pytest.approx(expected, rel=1e-5)
    assert "loss_aux" not in trainer.step()  # G's loss has no class term


def test_d_learns_the_real_classes_from_their_labels(tmp_path):
    trainer = Trainer(tiny_digits(**MLP, **{"discriminator.class_weight": 1.0, "optim.lr_d": 2e-3,
                                            "train.batch_size": 32, "discriminator.depth": 1}))
    real, labels = trainer.data.labelled_batch(200, torch.Generator().manual_seed(5))

    def accuracy() -> float:
        with torch.no_grad():
            return (trainer.d(real, None, aux=True)[1].argmax(1) == labels).float().mean().item()

    before = accuracy()
    for _ in range(60):
        trainer.step()
    assert before < 0.3 and accuracy() > 0.6
    resumed = restore_trainer(save_checkpoint(trainer.state_dict(), tmp_path / "c.pt"))
    assert resumed.d_classifies and math.isfinite(resumed.step()["loss_d"])


def test_certainty_term_needs_the_class_term_and_can_change_live():
    with pytest.raises(ConfigError, match="needs discriminator.class_weight"):
        tiny_digits(**{"loss.certainty_weight": 1.0})
    trainer = Trainer(tiny_digits(**{"discriminator.class_weight": 1.0}))
    assert "loss_aux" not in trainer.step()
    trainer.apply_live(trainer.config.updated({"loss.certainty_weight": 2.0}))  # a teacher turns it on
    assert "loss_aux" in trainer.step()


def test_certainty_term_is_minus_log_of_the_top_class_on_the_fakes():
    assert losses.certainty_loss(torch.tensor([[0.0] * 10])).item() == pytest.approx(math.log(10))
    logits = torch.tensor([[0.3] * 5 + [2.0] + [0.0] * 4, [4.0] + [0.0] * 9])
    top = [math.exp(2.0) / (5 * math.exp(0.3) + math.exp(2.0) + 4), math.exp(4.0) / (math.exp(4.0) + 9)]
    assert losses.certainty_loss(logits).item() == pytest.approx(-sum(map(math.log, top)) / 2, rel=1e-5)
    trainer = Trainer(tiny_digits(**{"discriminator.class_weight": 1.0, "loss.certainty_weight": 5.0}))
    fake = torch.randn(8, 1, 28, 28).clamp(-1, 1)
    with torch.no_grad():  # D's class head on these fakes, as G's update is about to see them
        expected = 5.0 * losses.certainty_loss(trainer.d(fake, None, aux=True)[1]).item()
    assert trainer.update_g(fake.requires_grad_(True), None)["loss_aux"].item() == pytest.approx(expected, rel=1e-5)


def test_doubt_term_is_minus_the_entropy_of_d_s_guess_on_the_fakes():
    assert losses.negative_entropy(torch.tensor([[0.0] * 10])).item() == pytest.approx(-math.log(10))  # unsure
    p = [math.exp(3.0) / (math.exp(3.0) + 9)] + [1 / (math.exp(3.0) + 9)] * 9
    assert losses.negative_entropy(torch.tensor([[3.0] + [0.0] * 9])).item() == pytest.approx(
        sum(q * math.log(q) for q in p), rel=1e-5)
    with pytest.raises(ConfigError, match="fake_entropy_weight needs discriminator.class_weight"):
        tiny_digits(**{"loss.fake_entropy_weight": 1.0})
    trainer = Trainer(tiny_digits(**{"discriminator.class_weight": 2.0}))
    real_logits, fake_logits = torch.randn(4, 10), torch.randn(4, 10)
    labels = torch.tensor([1, 2, 3, 4])
    class_term = 2.0 * torch.nn.functional.cross_entropy(real_logits, labels).item()
    assert [t.item() for t in trainer._d_aux_terms(real_logits, None, labels, fake_logits, None, None)] == \
        pytest.approx([class_term])
    trainer.apply_live(trainer.config.updated({"loss.fake_entropy_weight": 0.5}))  # a teacher turns it on
    terms = trainer._d_aux_terms(real_logits, None, labels, fake_logits, None, None)
    assert [t.item() for t in terms] == pytest.approx([class_term, 0.5 * losses.negative_entropy(fake_logits).item()])
    assert math.isfinite(trainer.step()["loss_d"])


def test_outlier_term_makes_d_unsure_of_shapeless_images_made_from_the_real_batch():
    assert losses.uniform_cross_entropy(torch.zeros(1, 10)).item() == pytest.approx(math.log(10))  # unsure
    log_p = [3.0 - math.log(math.exp(3.0) + 9)] + [-math.log(math.exp(3.0) + 9)] * 9
    assert losses.uniform_cross_entropy(torch.tensor([[3.0] + [0.0] * 9])).item() == pytest.approx(
        -sum(log_p) / 10, rel=1e-5)
    with pytest.raises(ConfigError, match="outlier_weight needs discriminator.class_weight"):
        tiny_digits(**{"loss.outlier_weight": 0.5})
    trainer = Trainer(tiny_digits(**{"discriminator.class_weight": 1.0}))
    real, _, labels = trainer._real_batch()
    real_logits, fake_logits = torch.randn(8, 10), torch.randn(8, 10)
    assert len(trainer._d_aux_terms(real_logits, None, labels, fake_logits, None, None, real)) == 1  # off
    trainer.apply_live(trainer.config.updated({"loss.outlier_weight": 0.5}))  # a teacher turns it on
    state = trainer.rng.get_state()
    terms = trainer._d_aux_terms(real_logits, None, labels, fake_logits, None, None, real)
    trainer.rng.set_state(state)  # the same shapeless images again, by hand: made from the real batch
    shapeless = outliers(real, trainer.rng)
    assert not any(torch.equal(image, digit) for image in shapeless for digit in real)
    _, guess = trainer.d_train(shapeless, None, aux=True)
    assert len(terms) == 2 and terms[1].item() == pytest.approx(
        0.5 * -F.log_softmax(guess, 1).mean().item(), rel=1e-5)
    assert math.isfinite(trainer.step()["loss_d"])


# -- training and checkpoints --------------------------------------------------
@pytest.mark.parametrize("kind, changes", [("cgan", {"cond.d_input": "projection", "loss.kind": "wgan-gp"}),
                                           ("cgan", {"cond.g_input": "cbn", "cond.d_input": "concat"}),
                                           ("acgan", {"optim.ema": 0.9}), ("infogan", {"optim.d_steps": 2})])
def test_tiny_conditional_runs_train_and_round_trip(tmp_path, kind, changes):
    trainer = Trainer(tiny_cond(kind, **changes))
    for _ in range(3):
        metrics = trainer.step()
    assert all(math.isfinite(v) for v in metrics.values())
    path = save_checkpoint(trainer.state_dict(), tmp_path / "c.pt")
    g, config, _ = load_generator(path)
    assert config.cond.kind == kind
    z = torch.randn(6, 8)
    code = trainer.layout.sample(6, torch.Generator().manual_seed(1))
    with torch.no_grad():
        np.testing.assert_allclose(g(z, code).numpy(), trainer.generate(z, code), atol=1e-6)
    resumed = restore_trainer(path)
    assert torch.equal(resumed.fixed_codes, trainer.fixed_codes)
    np.testing.assert_allclose(resumed.fixed_samples(), trainer.fixed_samples(), atol=1e-6)


# -- the command line ------------------------------------------------------------
@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("ckpts")
    paths = {}
    for kind in ("none", "cgan", "infogan"):
        trainer = Trainer(tiny_cond(kind))
        trainer.step()
        paths[kind] = save_checkpoint(trainer.state_dict(), folder / f"{kind}.pt")
    return paths


def test_sample_class_makes_that_class(checkpoints, tmp_path):
    out = tmp_path / "three.npy"
    assert cli.main(["sample", str(checkpoints["cgan"]), "--class", "3", "--n", "5", "--out", str(out)]) == 0
    g, _, _ = load_generator(checkpoints["cgan"])
    z = torch.randn(5, 8, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        np.testing.assert_allclose(np.load(out), g(z, one_hot([3] * 5)).numpy(), atol=1e-6)
        assert not np.allclose(np.load(out), g(z, one_hot([4] * 5)).numpy(), atol=1e-4)


def test_sample_code_sets_infogan_codes(checkpoints, tmp_path):
    out = tmp_path / "codes.npy"
    assert cli.main(["sample", str(checkpoints["infogan"]), "--code", "category=2", "--code", "c1=-1.5",
                     "--n", "4", "--out", str(out)]) == 0
    g, config, _ = load_generator(checkpoints["infogan"])
    code = CodeLayout.from_config(config).encode({"category": 2, "c1": -1.5}, 4)
    z = torch.randn(4, 8, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        np.testing.assert_allclose(np.load(out), g(z, code).numpy(), atol=1e-6)


@pytest.mark.parametrize("kind, flags, words", [
    ("cgan", ["--class", "12"], "class must be an integer 0..9"),
    ("none", ["--class", "1"], "unconditional model"),
    ("infogan", ["--class", "1"], "its codes: category \\(0..9\\), c1"),
    ("infogan", ["--code", "c3=1"], "no code 'c3'"),
    ("infogan", ["--code", "c1=5"], "within ±2"),
    ("infogan", ["--code", "c1"], "NAME=VALUE"),
    ("none", ["--code", "c1=1"], "has none"),
])
def test_sample_flags_refuse_what_the_model_lacks(checkpoints, tmp_path, capsys, kind, flags, words):
    assert cli.main(["sample", str(checkpoints[kind]), *flags, "--out", str(tmp_path / "x.png")]) == 2
    assert re.search(words, capsys.readouterr().err)


def labelled_folder(root):
    """Two classes of 28×28 pictures in subfolders: bars and rings."""
    from PIL import Image, ImageDraw

    for name, draw_one in (("bars", lambda d, i: d.rectangle((4 + i, 2, 10 + i, 26), fill=255)),
                           ("rings", lambda d, i: d.ellipse((3 + i, 3, 24, 24 - i), outline=255, width=3))):
        (root / name).mkdir(parents=True)
        for i in range(6):
            image = Image.new("L", (28, 28), 0)
            draw_one(ImageDraw.Draw(image), i)
            image.save(root / name / f"{i}.png")
    return root


def test_cgan_trains_on_a_labelled_folder_and_samples_a_class_by_name(tmp_path, capsys):
    folder = labelled_folder(tmp_path / "shapes")
    trainer = Trainer(tiny_cond("cgan", **{"data.name": f"folder:{folder}", "cond.classes": 2}))
    assert trainer.data.labels.tolist() == [0] * 6 + [1] * 6
    trainer.step()
    path = save_checkpoint(trainer.state_dict(), tmp_path / "shapes.pt")
    by_name, by_number = tmp_path / "rings.npy", tmp_path / "one.npy"
    assert cli.main(["sample", str(path), "--class", "rings", "--n", "3", "--out", str(by_name)]) == 0
    assert cli.main(["sample", str(path), "--class", "1", "--n", "3", "--out", str(by_number)]) == 0
    np.testing.assert_array_equal(np.load(by_name), np.load(by_number))
    assert cli.main(["sample", str(path), "--class", "stars", "--out", str(tmp_path / "x.png")]) == 2
    assert "one of bars, rings" in capsys.readouterr().err
    loose = tmp_path / "loose"
    loose.mkdir()
    (folder / "bars" / "0.png").rename(loose / "0.png")
    with pytest.raises(ConfigError, match="subfolder of its own"):
        Trainer(tiny_cond("cgan", **{"data.name": f"folder:{loose}", "cond.classes": 2}))


@pytest.mark.skipif(not torch.distributed.is_available() or not torch.distributed.is_gloo_available(),
                    reason="torch.distributed with gloo is not available")
def test_conditional_ddp_ranks_stay_identical(tmp_path):
    """Codes through DDP's G and D wrappers, projection and the Q head's gradients synced (2 CPU ranks)."""
    import json

    from test_distributed import HERE, torchrun

    for kind in ("cgan", "infogan"):
        config = tmp_path / f"{kind}.json"
        tiny_cond(kind).save(config)
        result = torchrun(HERE / "ddp_worker.py", config, tmp_path / f"{kind}.out", 3)
        assert result.returncode == 0, result.stderr[-3000:]
        assert json.loads((tmp_path / f"{kind}.out").read_text())["steps"] == 3


def test_eval_reports_the_evaluators_accuracy_per_requested_class(checkpoints, quick_evaluator, capsys):
    import json

    assert cli.main(["eval", str(checkpoints["cgan"]), "--n", "50"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["per_class_accuracy"]) == 10
    assert report["class_accuracy"] == pytest.approx(np.mean(report["per_class_accuracy"]))
    assert cli.main(["eval", str(checkpoints["infogan"]), "--n", "50"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["majority_digit"]) == 10 and 1 <= report["digits_covered"] <= 10
    assert report["purity"] == pytest.approx(np.mean(report["majority_share"]), abs=1e-3)
