"""Your own 2-D data (points:PATH), G's noise choice, and KL/JS coverage of any 2-D data."""
import json
import math

import numpy as np
import pytest
import torch

from helpers import tiny_ring
from studio.core.config import Config, ConfigError
from studio.core.coverage import CoverageTrack, plane_divergences
from studio.core.data import DataError, load_dataset, toy_points
from studio.core.noise import draw_noise
from studio.core.points import find_modes, normalise, read_points, write_points


def blobs(centres, n_each=60, radius=0.05, seed=0) -> np.ndarray:
    """Points in small discs around `centres`, as a brush would draw them."""
    rng = np.random.default_rng(seed)
    return np.concatenate([np.asarray(c) + radius * rng.uniform(-1, 1, (n_each, 2)) for c in centres])


THREE = [(-0.6, -0.5), (0.6, -0.5), (0.0, 0.6)]


# -- reading, writing, normalising ----------------------------------------------
@pytest.mark.parametrize("suffix", [".csv", ".npy"])
def test_points_round_trip(tmp_path, suffix):
    pts = blobs(THREE)
    path = write_points(tmp_path / f"p{suffix}", pts)
    np.testing.assert_allclose(read_points(path), pts, atol=1e-5)


def test_csv_tolerates_a_header_blank_lines_and_comments(tmp_path):
    rows = "\n".join(f"{i},{i * 2}" for i in range(12))
    path = tmp_path / "h.csv"
    path.write_text(f"\ufeffx, y\n# drawn in class\n\n{rows}\n")
    assert read_points(path).shape == (12, 2)


@pytest.mark.parametrize("content, words", [
    ("", "is empty"),
    ("x,y\n", "no x,y rows"),
    ("x,y\n1,2\n3,oops\n", "line 3: expected two numbers"),
    ("1,2,3\n" * 12, "line 1: expected two numbers x,y, got 3"),
    ("1,2\n" * 11 + "nan,1\n", "NaN or infinite coordinates (first at row 12)"),
    ("1,inf\n" * 12, "12 point(s) with NaN or infinite"),
    ("1,2\n" * 3, "holds 3 point(s); at least 10"),
])
def test_malformed_csv_is_a_data_error_naming_the_file(tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(DataError) as info:
        read_points(path)
    assert str(path) in str(info.value) and words in str(info.value)


def test_binary_csv_and_bad_npy_are_data_errors(tmp_path):
    cases = {"bin.csv": b"\xff\xfe\x00garbage", "cut.npy": b"\x93NUMPY garbage", "txt.npy": b"1,2\n3,4\n"}
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
    np.save(tmp_path / "shape.npy", np.zeros((20, 3)))
    np.save(tmp_path / "strings.npy", np.array([["a", "b"]] * 20))
    expected = {"bin.csv": "not UTF-8", "cut.npy": "not a readable .npy", "txt.npy": "not a readable .npy",
                "shape.npy": "shape 20×3, expected N×2", "strings.npy": "not numbers"}
    for name, words in expected.items():
        with pytest.raises(DataError, match=words):
            read_points(tmp_path / name)
    with pytest.raises(DataError, match="cannot read points file .*missing.csv"):
        read_points(tmp_path / "missing.csv")
    with pytest.raises(DataError, match=r"\.csv \(x,y rows\) or an N×2 \.npy"):
        read_points(tmp_path / "points.txt")


def test_normalise_fills_the_unit_square_keeping_the_aspect():
    pts = np.array([[10.0, 5.0], [14.0, 5.0], [12.0, 6.0]])  # 4 wide, 1 high
    out = normalise(pts)
    np.testing.assert_allclose(out, [[-1, -0.25], [1, -0.25], [0, 0.25]])  # centre (12, 5.5), half side 2


# -- modes of drawn clusters ----------------------------------------------------
def test_find_modes_of_drawn_blobs():
    centres, sigma = find_modes(normalise(blobs(THREE)))
    assert len(centres) == 3 and 0 < sigma < 0.1


def test_a_single_stroke_or_touching_blobs_have_no_modes():
    t = np.linspace(-0.9, 0.9, 200)
    assert find_modes(np.stack([t, np.sin(3 * t) * 0.5], 1)) == (None, None)
    assert find_modes(normalise(blobs([(0, 0), (0.08, 0)]))) == (None, None)


def test_ring_saved_as_points_finds_its_eight_modes(tmp_path):
    pts, _, _ = toy_points("ring", 4000, 0)
    path = write_points(tmp_path / "ring.npy", pts)
    _, centres, sigma = toy_points(f"points:{path}", 1, 0)
    assert len(centres) == 8 and sigma == pytest.approx(0.01, rel=0.2)


# -- config and loading ------------------------------------------------------------
def test_points_data_name_in_configs(tmp_path):
    path = write_points(tmp_path / "mine.csv", blobs(THREE) * 7 + 3)
    config = tiny_ring(**{"data.name": f"points:{path}"})
    assert config.is_2d
    data = load_dataset(config.data)
    assert data.is_2d and len(data) == 180 and float(data.x.abs().max()) == pytest.approx(1.0)
    assert len(data.centres) == 3
    with pytest.raises(ConfigError, match="points: needs a path"):
        tiny_ring(**{"data.name": "points:"})
    with pytest.raises(ConfigError, match="must be mlp for 2-D"):
        tiny_ring(**{"data.name": f"points:{path}", "generator.arch": "dcgan"})
    with pytest.raises(DataError, match="nowhere.csv"):
        load_dataset(tiny_ring(**{"data.name": f"points:{tmp_path}/nowhere.csv"}).data)


# -- noise -----------------------------------------------------------------------------
def test_noise_kinds():
    g = torch.Generator().manual_seed(0)
    uniform = draw_noise("uniform", 5000, 3, g)
    assert uniform.shape == (5000, 3) and uniform.min() >= -1 and uniform.max() <= 1
    assert float(uniform.std()) == pytest.approx(1 / math.sqrt(3), rel=0.05)
    same = torch.randn(4, 2, generator=torch.Generator().manual_seed(1))
    assert torch.equal(draw_noise("gaussian", 4, 2, torch.Generator().manual_seed(1)), same)  # runs replay
    with pytest.raises(ValueError):
        draw_noise("cauchy", 1, 1)
    with pytest.raises(ConfigError, match="generator.noise must be one of gaussian, uniform"):
        tiny_ring(**{"generator.noise": "cauchy"})


def test_trainer_draws_uniform_noise_when_asked():
    from studio.core.trainer import Trainer

    trainer = Trainer(tiny_ring(**{"generator.noise": "uniform", "train.n_fixed": 500}))
    assert trainer.fixed_noise.min() >= -1 and trainer.fixed_noise.max() <= 1
    assert float(trainer.fixed_noise.std()) < 0.7  # N(0, 1) would be near 1


# -- KL and JS -------------------------------------------------------------------------
def test_divergences_by_hand_with_fakes_outside_the_real_range():
    # union box [0, 3]², 2×2 cells split at 1.5: real p = [1, 0, 0, 0], fake q = [.5, 0, 0, .5]
    real = np.array([[0.0, 0.0], [1.0, 1.0]])
    fake = np.array([[0.0, 0.0], [3.0, 3.0]])
    eps = 0.01
    out = plane_divergences(real, fake, bins=2, eps=eps)
    ps = (np.array([1, 0, 0, 0]) + eps) / (1 + 4 * eps)
    qs = (np.array([0.5, 0, 0, 0.5]) + eps) / (1 + 4 * eps)
    assert out["kl"] == pytest.approx(float(np.sum(ps * np.log(ps / qs))))
    # m = [.75, 0, 0, .25]: JS = ½·1·log(1/.75) + ½(.5·log(.5/.75) + .5·log(.5/.25))
    assert out["js"] == pytest.approx(0.5 * math.log(4 / 3) + 0.25 * math.log(2 / 3) + 0.25 * math.log(2))


def test_divergences_are_zero_for_the_same_points_and_js_is_at_most_log_2():
    real = blobs(THREE)
    same = plane_divergences(real, real)
    assert same["kl"] == pytest.approx(0, abs=1e-12) and same["js"] == pytest.approx(0, abs=1e-12)
    apart = plane_divergences(real, real + 10)
    assert apart["js"] == pytest.approx(math.log(2)) and apart["kl"] > 3
    flat = plane_divergences(np.zeros((10, 2)), np.zeros((10, 2)))  # one point repeated: still a grid
    assert flat == {"kl": pytest.approx(0), "js": pytest.approx(0)}


def test_track_without_modes_gives_kl_and_js():
    real = blobs(THREE)
    track = CoverageTrack(None, None, real)
    found = track.add(10, real[::3])
    assert set(found) >= {"kl", "js", "step"} and "modes" not in found and track.n_modes == 0
    with_modes = CoverageTrack(*find_modes(real), real).add(10, real)
    assert with_modes["modes"] == 3 and with_modes["js"] == pytest.approx(0, abs=1e-12)


# -- CLI: train and eval on drawn points -------------------------------------------------
def test_cli_train_and_eval_on_points(tmp_path, capsys):
    from studio.cli import main

    data = write_points(tmp_path / "mine.csv", blobs(THREE, n_each=100))
    config = tiny_ring(**{"data.name": f"points:{data}", "generator.noise": "uniform"})
    (tmp_path / "c.json").write_text(config.to_json())
    run = tmp_path / "run"
    assert main(["train", "--config", str(tmp_path / "c.json"), "--steps", "20", "--out", str(run)]) == 0
    checkpoint = sorted(run.rglob("*.pt"))[-1]
    capsys.readouterr()
    assert main(["eval", str(checkpoint), "--n", "300"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"kl", "js", "modes", "hq", "reverse_kl"} <= set(report) and report["total_modes"] == 3
    assert Config.load(tmp_path / "c.json").generator.noise == "uniform"


def test_cli_reports_a_bad_points_file(tmp_path, capsys):
    from studio.cli import main

    (tmp_path / "bad.csv").write_text("x,y\n1,2\n")
    config = tiny_ring(**{"data.name": f"points:{tmp_path / 'bad.csv'}"})
    (tmp_path / "c.json").write_text(config.to_json())
    assert main(["train", "--config", str(tmp_path / "c.json"), "--steps", "2", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "gan-studio: error:" in err and "bad.csv holds 1 point(s)" in err and "Traceback" not in err
