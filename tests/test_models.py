import pytest
import torch
from torch import nn

from studio.core.config import Config
from studio.core.models import StreamDropout, build_models, data_shape, doubling
from studio.core.presets import load_preset


def models_for(**changes):
    config = Config().updated(changes)
    return build_models(config), config


def test_mlp_for_points():
    (g, d), c = models_for(**{"generator.z_dim": 3, "generator.depth": 2, "generator.width": 10})
    assert g(torch.randn(5, 3)).shape == (5, 2)
    assert d(torch.randn(5, 2)).shape == (5,)
    hidden = [m for m in g.net if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in hidden] == [(3, 10), (10, 10), (10, 2)]


@pytest.mark.parametrize("norm, layer", [("batch", nn.BatchNorm1d), ("layer", nn.LayerNorm)])
def test_mlp_norm_activation_and_dropout(norm, layer):
    (g, d), _ = models_for(**{"generator.norm": norm, "generator.activation": "tanh", "generator.dropout": 0.3,
                              "discriminator.norm": norm})
    kinds = [type(m) for m in g.net]
    assert layer in kinds and nn.Tanh in kinds and StreamDropout in kinds
    assert layer in [type(m) for m in d.body]


def test_mlp_for_flat_images_ends_in_tanh():
    (g, d), c = models_for(**{"data.name": "digits", "generator.z_dim": 16})
    z = torch.randn(4, 16)
    out = g(z)
    assert out.shape == (4, 1, 28, 28) and d(out).shape == (4,)
    with torch.no_grad():
        g.net[-1].bias.fill_(50.0)  # the last layer's outputs far above 1 (at init they stay within ±0.3)
        assert torch.equal(g(z), torch.ones_like(out))  # tanh(≈50) is 1 in float32


@pytest.mark.parametrize("size, channels", [(28, 1), (32, 1), (28, 3), (32, 3)])
def test_dcgan_shapes(size, channels):
    (g, d), c = models_for(**{"data.name": "digits", "data.image_size": size, "data.channels": channels,
                              "generator.arch": "dcgan", "generator.z_dim": 20, "generator.width": 8,
                              "discriminator.arch": "dcgan", "discriminator.width": 8})
    assert data_shape(c) == (channels, size, size)
    x = g(torch.randn(3, 20))
    assert x.shape == (3, channels, size, size)
    assert d(x).shape == (3,)


@pytest.mark.parametrize("size", [28, 32, 64])
def test_resize_upsampling_doubles_without_strided_transposed_convolutions(size):
    (g, d), _ = models_for(**{"data.name": "digits", "data.image_size": size, "generator.arch": "dcgan",
                              "generator.z_dim": 20, "generator.width": 8, "generator.upsample": "resize",
                              "discriminator.arch": "dcgan", "discriminator.width": 8})
    assert g(torch.randn(3, 20)).shape == (3, 1, size, size)
    strided = [m for m in g.modules() if isinstance(m, nn.ConvTranspose2d) and m.stride[0] == 2]
    doublings = [m for m in g.modules() if isinstance(m, nn.Upsample)]
    assert not strided and len(doublings) == {28: 2, 32: 3, 64: 4}[size]
    convs = [m for m in g.modules() if isinstance(m, nn.Conv2d)]
    assert all(abs(m.weight.std().item() - 0.02) < 0.01 for m in convs)  # DCGAN's initialisation


@pytest.mark.parametrize("upsample, speckled", [("transposed", True), ("resize", False)])
def test_doubling_a_flat_image_speckles_only_through_a_transposed_convolution(upsample, speckled):
    """The checkerboard of Odena et al. (2016): a stride-2 transposed convolution gives neighbouring output
    pixels different kernel taps, so even a flat input comes out in a 2-pixel pattern; resize does not."""
    torch.manual_seed(0)
    out = doubling(3, 2, upsample)(torch.ones(1, 3, 6, 6))[..., 2:-2, 2:-2]  # away from the zero padding
    spread = (out.amax((2, 3)) - out.amin((2, 3))).max().item()
    assert (spread > 1e-3) is speckled


def test_mnist_dcgan_layers_match_the_pytorch_example():
    g, d = build_models(load_preset("mnist-dcgan"))
    convs = [(type(m).__name__, m.in_channels, m.out_channels, m.kernel_size[0], m.stride[0], m.padding[0])
             for m in g.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    assert convs == [("ConvTranspose2d", 100, 256, 7, 1, 0), ("ConvTranspose2d", 256, 128, 4, 2, 1),
                     ("ConvTranspose2d", 128, 1, 4, 2, 1)]
    assert [type(m) for m in g.net][-1] is nn.Tanh
    convs = [(m.in_channels, m.out_channels, m.kernel_size[0], m.stride[0]) for m in d.modules()
             if isinstance(m, nn.Conv2d)]
    assert convs == [(1, 64, 4, 2), (64, 128, 4, 2), (128, 1, 7, 1)]
    assert sum(isinstance(m, nn.BatchNorm2d) for m in d.modules()) == 1
    assert all(m.negative_slope == 0.2 for m in d.modules() if isinstance(m, nn.LeakyReLU))


def test_dcgan_init_statistics():
    torch.manual_seed(0)
    g, d = build_models(load_preset("mnist-dcgan"))
    w = g.net[0].weight
    assert abs(w.mean().item()) < 0.002 and abs(w.std().item() - 0.02) < 0.002
    assert abs(g.net[1].weight.mean().item() - 1.0) < 0.01


@pytest.mark.parametrize("arch", ["mlp", "dcgan"])
def test_spectral_norm_bounds_the_discriminator(arch):
    changes = {"discriminator.spectral_norm": True, "discriminator.arch": arch, "discriminator.width": 8}
    if arch == "dcgan":
        changes.update({"data.name": "digits", "generator.arch": "dcgan", "generator.width": 8})
    (g, d), _ = models_for(**changes)
    layers = [m for m in d.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    assert layers and all(hasattr(m, "parametrizations") for m in layers)
    if arch == "mlp":
        d.train()
        for _ in range(20):  # power iteration converges while training
            d(torch.randn(4, 2))
        sigma = torch.linalg.matrix_norm(layers[0].weight.detach(), ord=2)
        assert sigma == pytest.approx(1.0, abs=0.05)


def test_packing_widens_d_input_and_scores_each_pack():
    (g, d), _ = models_for(**{"discriminator.pack": 4, "train.batch_size": 64})
    assert d.body[0].in_features == 4 * 2
    assert d(torch.randn(64, 2)).shape == (16,)
    (g, d), _ = models_for(**{"data.name": "digits", "generator.arch": "dcgan", "discriminator.arch": "dcgan",
                              "generator.width": 4, "discriminator.width": 4, "discriminator.pack": 2,
                              "train.batch_size": 8})
    assert d.body[0].in_channels == 2
    assert d(torch.randn(8, 1, 28, 28)).shape == (4,)


@pytest.mark.parametrize("arch", ["mlp", "dcgan"])
def test_minibatch_std_lets_d_see_a_collapsed_batch(arch):
    changes = {"discriminator.minibatch_std": True, "discriminator.arch": arch, "discriminator.width": 4}
    if arch == "dcgan":
        changes.update({"data.name": "digits", "generator.arch": "dcgan", "generator.width": 4})
    (g, d), c = models_for(**changes)
    shape = (8, 2) if arch == "mlp" else (8, 1, 28, 28)
    assert d.head.in_features == 5 if arch == "mlp" else d.head.in_channels == 9
    d.eval()
    varied = torch.randn(shape)
    collapsed = varied[:1].expand(shape).clone()
    # The first sample is identical in both batches; only the rest of the batch differs.
    assert d(varied)[0] != d(collapsed)[0]
    (g, plain), _ = models_for(**{**changes, "discriminator.minibatch_std": False})
    plain.eval()
    assert torch.allclose(plain(varied)[0], plain(collapsed)[0])
