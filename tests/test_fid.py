"""`eval --fid`: the messages without the library or the weights, and the Fréchet computation on features.

The Inception weights cannot be downloaded here (no network beyond package registries), so the real
Inception's features are not computed; a small feature module stands in for it."""
import sys
from urllib.error import URLError

import numpy as np
import pytest
import torch
from torch import nn

from helpers import tiny_digits, tiny_ring
from studio import cli
from studio.core import fid
from studio.core.checkpoints import save_checkpoint
from studio.core.config import ConfigError
from studio.core.evaluator import feature_stats, frechet_distance
from studio.core.readers import DataError


class Pixels(nn.Module):
    """uint8 images → their pixels, averaged down to 2×2, as 12 float features: a stand-in for the Inception."""

    num_features = 12  # torchmetrics reads it instead of running a 299×299 image through

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return nn.functional.adaptive_avg_pool2d(images.float(), 2).flatten(1)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """A digits checkpoint with what `eval` reads: the config, G's weights, the step."""
    from studio.core.models import build_models

    config = tiny_digits()
    state = {"config": config.to_dict(), "generator": build_models(config)[0].state_dict(), "step": 0}
    return save_checkpoint(state, tmp_path_factory.mktemp("run") / "step-00000000.pt")


def test_without_the_library_the_message_names_the_extra(monkeypatch, checkpoint, capsys):
    monkeypatch.setitem(sys.modules, "torchmetrics.image.fid", None)  # import fails as if not installed
    with pytest.raises(ConfigError, match=r"pip install 'gan-studio\[fid\]'"):
        fid.fid_metric_class()
    assert cli.main(["eval", str(checkpoint), "--fid"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "gan-studio: error: --fid needs torchmetrics" in err and "Traceback" not in err


def test_offline_it_names_the_url_and_where_to_put_the_file(monkeypatch, tmp_path, checkpoint, capsys):
    pytest.importorskip("torchmetrics")
    pytest.importorskip("torch_fidelity")
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))

    def offline(url, dst, **kwargs):
        raise URLError(OSError(-2, "Name or service not known"))

    monkeypatch.setattr(torch.hub, "download_url_to_file", offline)
    expected = tmp_path / "torch" / "hub" / "checkpoints" / "weights-inception-2015-12-05-6726825d.pth"
    assert fid.weights_path() == expected
    assert cli.main(["eval", str(checkpoint), "--fid"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert f"from {fid.weights_url()} ([Errno -2] Name or service not known)" in err
    assert f"put it at {expected}" in err and "Traceback" not in err
    expected.parent.mkdir(parents=True, exist_ok=True)
    expected.write_bytes(b"<html>a login page, not weights</html>")  # a wrong file put there by hand
    with pytest.raises(DataError, match=f"{expected} is not the Inception weights .* expected 6726825d"):
        fid.inception_weights()


def test_the_frechet_distance_of_known_features():
    pytest.importorskip("torchmetrics")
    rng = np.random.default_rng(0)
    real = torch.from_numpy(rng.integers(0, 200, (300, 3, 2, 2), dtype=np.uint8))
    # every feature shifted by 10, the covariance unchanged: FID = 12 features × 10²
    shifted = fid.frechet_inception_distance([real[:150], real[150:]], [real + 10], feature=Pixels())
    assert shifted == pytest.approx(1200, rel=1e-4)
    other = torch.from_numpy(rng.integers(0, 256, (300, 3, 2, 2), dtype=np.uint8))
    ours = frechet_distance(*feature_stats(real.flatten(1).double().numpy()),
                            *feature_stats(other.flatten(1).double().numpy()))
    assert fid.frechet_inception_distance([real], [other], feature=Pixels()) == pytest.approx(ours, rel=1e-3)


def test_generated_images_enter_as_bytes_in_three_channels():
    gray = torch.tensor([-1.0, 0.0, 1.0]).view(1, 1, 1, 3)
    assert fid.to_inception_input(gray).tolist() == [[[[0, 128, 255]]] * 3]  # 0 → 127.5, rounded to even


def test_generator_fid_on_a_stand_in_feature_and_only_for_images():
    pytest.importorskip("torchmetrics")
    from studio.core.models import build_models

    config = tiny_digits()
    g, _ = build_models(config)
    report = fid.generator_fid(g, config, n=60, seed=0, feature=Pixels())
    assert report["fid_n_real"] == report["fid_n_fake"] == 60 and report["fid"] > 0
    with pytest.raises(ConfigError, match="--fid needs image data; ring is a 2-D set"):
        fid.generator_fid(g, tiny_ring(), n=60, seed=0)
