"""Beyond 32×32: DCGAN at 64×64, the SNGAN/BigGAN residual networks at 32 and 64 (with the conditional
variants), the folder presets, and a 64×64 RGB folder run through the CLI (train, sample, eval, export)
and the window (samples grid, explorer)."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw
from torch import nn

from studio import cli
from studio.core.config import Config, ConfigError
from studio.core.models import build_models, uses_batch_statistics
from studio.core.presets import load_preset
from studio.core.trainer import Trainer

FOLDER_PRESETS = ("folder64-dcgan", "folder64-resnet", "folder32-resnet")


@pytest.fixture(scope="module")
def shapes_folder(tmp_path_factory):
    """24 coloured discs and squares on coloured grounds, 80×72 (so resizing and cropping happen),
    in two class subfolders: a labelled RGB folder."""
    root = tmp_path_factory.mktemp("shapes")
    rng = np.random.default_rng(0)
    for i in range(24):
        kind = ("discs", "squares")[i % 2]
        im = Image.new("RGB", (80, 72), tuple(int(v) for v in rng.integers(0, 256, 3)))
        x, y, r = (int(v) for v in (rng.integers(15, 65), rng.integers(15, 57), rng.integers(6, 14)))
        draw = ImageDraw.Draw(im)
        (draw.ellipse if kind == "discs" else draw.rectangle)((x - r, y - r, x + r, y + r),
                                                               fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
        (root / kind).mkdir(exist_ok=True)
        im.save(root / kind / f"{i:02d}.png")
    return root


def folder_config(folder, arch: str = "resnet", size: int = 64, **changes) -> Config:
    """A tiny RGB config of `arch` on an image folder (it need not exist until data is loaded)."""
    return Config().updated({"data.name": f"folder:{folder}", "data.image_size": size, "data.channels": 3,
                             "generator.arch": arch, "discriminator.arch": arch, "generator.z_dim": 8,
                             "generator.width": 2, "discriminator.width": 2,
                             "discriminator.spectral_norm": arch == "resnet", "train.batch_size": 4,
                             "train.n_fixed": 4, **changes})


def one_hot(labels: list[int], n: int = 2) -> torch.Tensor:
    return torch.nn.functional.one_hot(torch.tensor(labels), n).float()


# -- shapes and layouts --------------------------------------------------------------
@pytest.mark.parametrize("arch, size", [("dcgan", 32), ("dcgan", 64), ("resnet", 32)])  # resnet 64: below
def test_image_shapes_at_32_and_64(arch, size):
    torch.manual_seed(0)
    g, d = build_models(folder_config("/nowhere", arch, size))
    x = g(torch.randn(4, 8))
    assert x.shape == (4, 3, size, size) and x.abs().max() <= 1
    assert d(x).shape == (4,)


def pytorch_example_networks(nz: int, ngf: int, ndf: int, nc: int) -> tuple[nn.Sequential, nn.Sequential]:
    """netG and netD of the PyTorch DCGAN example (examples/dcgan/main.py), D without its final sigmoid."""
    g = nn.Sequential(
        nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
        nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())
    d = nn.Sequential(
        nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False))
    return g, d


def test_dcgan_64_computes_the_pytorch_example():
    with torch.device("meta"):  # shapes only: no memory, no initialisation
        g, d = build_models(load_preset("folder64-dcgan"))  # the example's printed totals (nz 100, ngf = ndf = 64)
    assert [sum(p.numel() for p in m.parameters()) for m in (g, d)] == [3_576_704, 2_765_568]
    g, d = build_models(load_preset("folder64-dcgan").updated({"generator.width": 4, "discriminator.width": 4}))
    example_g, example_d = pytorch_example_networks(100, 4, 4, 3)
    example_g.load_state_dict({key.removeprefix("net."): value for key, value in g.state_dict().items()})
    weights = {key.removeprefix("body."): value for key, value in d.state_dict().items() if key.startswith("body.")}
    example_d.load_state_dict({**weights, "11.weight": d.state_dict()["head.weight"]})
    z = torch.randn(8, 100)
    x = g(z)
    torch.testing.assert_close(x, example_g(z[:, :, None, None]), rtol=0, atol=0)
    torch.testing.assert_close(d(x), example_d(x).view(-1), rtol=0, atol=0)


def test_resnet_32_has_sngans_cifar_widths():
    with torch.device("meta"):
        g, d = build_models(load_preset("folder32-resnet"))
    # linear 129·4096, three blocks of two 3×3 convs 256→256 + 1×1 shortcut + 2 BN, BN + 3×3 conv to RGB
    block = 2 * (9 * 256 * 256 + 256) + 256 * 256 + 256 + 2 * 512
    assert sum(p.numel() for p in g.parameters()) == 129 * 4096 + 3 * block + 512 + 9 * 256 * 3 + 3
    convs = [m for m in d.modules() if isinstance(m, nn.Conv2d)]
    assert {m.out_channels for m in convs} == {128}
    assert 1.0e6 < sum(p.numel() for p in d.parameters()) < 1.1e6


def test_resnet_64_channels_and_sides_go_the_sngan_way():
    g, d = build_models(folder_config("/nowhere", "resnet", 64))  # width 2
    sides = []
    hooks = [b.register_forward_hook(lambda m, i, o: sides.append(tuple(o.shape[1:]))) for b in [*g.blocks, *d.blocks]]
    x = g(torch.randn(2, 8))
    assert x.shape == (2, 3, 64, 64) and x.abs().max() <= 1 and d(x).shape == (2,)
    for h in hooks:
        h.remove()
    assert sides == [(16, 8, 8), (8, 16, 16), (4, 32, 32), (2, 64, 64),  # G: 16w·4×4 → w·64×64
                     (2, 32, 32), (4, 16, 16), (8, 8, 8), (16, 4, 4), (32, 4, 4)]  # D: w → 16w at 4×4


def test_resnet_d_is_spectrally_normalised_without_batch_norm():
    torch.manual_seed(0)
    _, d = build_models(folder_config("/nowhere", "resnet", 32, **{"discriminator.width": 8}))
    weighted = [m for m in d.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    assert len(weighted) == 4 * 2 + 2 + 1  # two convs a block, shortcuts in the two down-sampling blocks, head
    for m in weighted:
        assert nn.utils.parametrize.is_parametrized(m, "weight")
        sigma = torch.linalg.matrix_norm(m.weight.detach().flatten(1), ord=2)
        assert 0.9 < sigma < 1.1, (m, sigma)  # initialised before the first power iterations
    assert not uses_batch_statistics(d)
    _, plain = build_models(folder_config("/nowhere", "resnet", 32, **{"discriminator.spectral_norm": False}))
    assert not any(nn.utils.parametrize.is_parametrized(m) for m in plain.modules())


@pytest.mark.parametrize("changes, words", [
    ({"data.image_size": 28}, "generator.arch resnet needs data.image_size 32 or 64, got 28"),
    ({"generator.arch": "mlp", "data.image_size": 28}, "discriminator.arch resnet needs data.image_size 32 or 64"),
    ({"data.name": "ring"}, "must be mlp for 2-D data"),
])
def test_resnet_refuses_what_it_cannot_build(changes, words):
    with pytest.raises(ConfigError, match=words):
        folder_config("/nowhere", "resnet", 32).updated(changes)


# -- conditional variants -----------------------------------------------------------------
def test_resnet_cbn_generator_draws_the_class_and_projection_d_adds_its_term():
    torch.manual_seed(0)
    g, d = build_models(folder_config("/nowhere", "resnet", 32, **{"cond.kind": "cgan", "cond.classes": 2,
                                                                 "cond.g_input": "cbn"}))
    g.eval(), d.eval()  # in training mode spectral norm takes a power-iteration step at every call
    z = torch.randn(3, 8).repeat(2, 1)
    out = g(z, one_hot([0] * 3 + [1] * 3))
    assert not torch.allclose(out[:3], out[3:], atol=1e-4)
    nn.init.normal_(d.heads.embed.parametrizations.weight.original, 0, 1.0)
    with torch.no_grad():
        pooled = d.act(d.blocks(out)).sum((2, 3))
        by_hand = d.head(pooled).view(-1) + (d.heads.embed(one_hot([1] * 6)) * pooled).sum(1)
        torch.testing.assert_close(d(out, one_hot([1] * 6)), by_hand)
    _, concat = build_models(folder_config("/nowhere", "resnet", 32, **{"cond.kind": "cgan", "cond.classes": 2,
                                                                      "cond.d_input": "concat"}))
    with torch.no_grad():  # the class as two constant input planes
        assert not torch.allclose(concat(out, one_hot([0] * 6)), concat(out, one_hot([1] * 6)))


@pytest.mark.parametrize("cond", [{"cond.kind": "acgan", "cond.classes": 2},
                                  {"cond.kind": "infogan", "cond.categorical": 3, "cond.continuous": 1}],
                         ids=["acgan", "infogan"])
def test_resnet_auxiliary_heads_train_on_a_labelled_folder(shapes_folder, cond):
    trainer = Trainer(folder_config(shapes_folder, "resnet", 32, **cond))
    aux_before = [p.detach().clone() for p in trainer.d.heads.aux.parameters()]
    metrics = trainer.step()
    assert metrics["loss_aux"] > 0 and all(np.isfinite(v) for v in metrics.values())
    assert all(not torch.equal(a, p) for a, p in zip(aux_before, trainer.d.heads.aux.parameters()))


# -- presets and the command line ------------------------------------------------------------
def test_folder_presets_load_and_name_how_to_give_a_folder():
    for name in FOLDER_PRESETS:
        config = load_preset(name)
        assert config.data.name.startswith("folder:") and config.data.channels == 3
        assert "--set data.name=folder:PATH" in config.description


def test_a_folder_preset_without_its_folder_says_how_to_give_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path))  # the preset's ~/gan-studio-images is not there
    assert cli.main(["train", "--preset", "folder64-dcgan", "--out", str(tmp_path / "run"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "gan-studio-images does not exist" in err and "--set data.name=folder:PATH" in err
    assert not (tmp_path / "run").exists()
    assert cli.main(["train", "--preset", "folder64-dcgan", "--set", "data.colour=1", "--out",
                     str(tmp_path / "run")]) == 2
    assert "--set data.colour: unknown field" in capsys.readouterr().err
    assert cli.main(["train", "--resume", str(tmp_path / "x.pt"), "--set", "train.batch_size=8"]) == 2
    assert "drop --preset/--config/--seed/--set" in capsys.readouterr().err


def test_cli_trains_samples_evaluates_and_exports_a_64_rgb_folder(shapes_folder, tmp_path, capsys):
    run = tmp_path / "run"
    tiny = {"data.name": f"folder:{shapes_folder}", "generator.width": 2, "discriminator.width": 2,
            "train.batch_size": 8, "train.n_fixed": 9, "train.sample_every": 2}
    sets = [arg for key, value in tiny.items() for arg in ("--set", f"{key}={value}")]
    assert cli.main(["train", "--preset", "folder64-dcgan", *sets, "--steps", "2", "--save-every", "2",
                     "--out", str(run), "--quiet"]) == 0
    assert json.loads((run / "config.json").read_text())["data"]["name"] == f"folder:{shapes_folder}"
    grid = Image.open(run / "samples" / "step-00000002.png")
    assert grid.mode == "RGB" and grid.size == (3 * 66 + 2,) * 2  # 3×3 cells of 64 pixels, 2-pixel gaps
    ckpt = run / "checkpoints" / "step-00000002.pt"
    assert cli.main(["sample", str(ckpt), "--n", "4", "--out", str(tmp_path / "s.png")]) == 0
    assert Image.open(tmp_path / "s.png").size == (2 * 66 + 2,) * 2
    capsys.readouterr()
    assert cli.main(["eval", str(ckpt), "--n", "8"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["step"] == 2 and "classes" not in report  # the digit classifier is for digits only
    assert cli.main(["export", str(run), "--animation", str(tmp_path / "h.gif")]) == 0
    gif = Image.open(tmp_path / "h.gif")
    assert gif.size == grid.size and gif.n_frames == 2


# -- the window ------------------------------------------------------------------------------
def test_window_trains_a_64_rgb_resnet_and_explores_it(qtbot, make_window, shapes_folder):
    window = make_window(preset="folder64-resnet", changes={
        "data.name": f"folder:{shapes_folder}", "generator.width": "2", "discriminator.width": "2",
        "generator.z_dim": "8", "optim.d_steps": "1", "train.batch_size": "8", "train.n_fixed": "4"})
    assert window.coverage.kind != "classes"  # no digit classifier for a folder of pictures
    window.show_explorer()
    window.step("both")
    view, explorer = window.samples.grid_view, window.latent
    qtbot.waitUntil(lambda: view.frames >= 1 and window.counters[0] == 1, timeout=30000)
    assert view.image.image.shape == (2 * 66 + 2, 2 * 66 + 2, 3)
    qtbot.waitUntil(lambda: explorer.last_picture is not None, timeout=30000)
    assert explorer.last_picture.shape == (64, 64, 3)
    assert not window.last_error
    window.stop()  # the explorer follows the run: let the run's last snapshot reach it before closing
    qtbot.waitUntil(lambda: not window.controller.active, timeout=30000)
    window.close()
