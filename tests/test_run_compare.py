"""The run comparison's model: what differs between runs, their curves on one step axis, a run that is
still being written, the nearest sample pictures, and a sweep's numbers per setting."""
import json
import math
import statistics
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import tiny_ring

from studio.core.run import RunDirectory
from studio.core.run_compare import RunComparison, legend_names, read_sweep
from studio.core.run_loop import RunLoop
from studio.core.trainer import Trainer

# (folder, config changes, steps): lengths and logged metrics differ (wgan-gp logs `wasserstein`)
RUNS = (("plain", {}, 20), ("hinge", {"loss.kind": "hinge"}, 30),
        ("sn", {"discriminator.spectral_norm": True}, 40), ("wgan", {"loss.kind": "wgan-gp", "train.seed": 3}, 20))
NAMES = ["spectral_norm=false, kind=nonsaturating, seed=0", "spectral_norm=false, kind=hinge, seed=0",
         "spectral_norm=true, kind=nonsaturating, seed=0", "spectral_norm=false, kind=wgan-gp, seed=3"]


@contextmanager
def one_torch_thread():
    """Tiny networks train fastest on one thread (and the machine is shared)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def train_runs(folder: Path) -> list[Path]:
    """The four RUNS, trained into `folder` (a checkpoint with sidecars every 10 steps)."""
    paths = []
    with one_torch_thread():
        for name, changes, steps in RUNS:
            RunLoop(Trainer(tiny_ring(**changes)), RunDirectory(folder / name), total_steps=steps).run_to_end()
            paths.append(folder / name)
    return paths


@contextmanager
def run_being_written(folder: Path, first_steps: int = 10, **changes):
    """A RunLoop that has written `first_steps` steps and holds the folder; released at the end."""
    loop = RunLoop(Trainer(tiny_ring(**changes)), RunDirectory(folder), total_steps=100)
    loop.begin()
    try:
        with one_torch_thread():
            loop.advance(max_steps=first_steps)
        yield loop
    finally:
        loop.close()


def write_trial(folder: Path, changes: dict, metrics: dict, elapsed: float) -> None:
    """A sweep trial's folder as `gan-studio sweep` leaves it, without training: its config and a last
    checkpoint (an empty file: only its sidecar is read) whose sidecar holds `metrics`."""
    (folder / "checkpoints").mkdir(parents=True)
    tiny_ring(**changes, **{"train.steps": 100}).save(folder / "config.json")
    (folder / "checkpoints" / "step-00000100.pt").write_bytes(b"")
    modes = {k: metrics.pop(k) for k in ("modes", "hq", "reverse_kl")}
    (folder / "checkpoints" / "step-00000100.json").write_text(json.dumps(
        {"step": 100, "saved_at": 0.0, "elapsed": elapsed, "metrics": metrics, **modes}))


# trial values: setting (spectral_norm, loss.kind) → per seed (modes, loss_d)
TRIALS = {(False, "nonsaturating"): [(3, 1.2), (5, 1.3), (7, 1.1)], (False, "r1"): [(8, 1.0), (6, 1.4), (7, 1.0)],
          (True, "nonsaturating"): [(2, 1.3), (2, 1.3), (5, 1.5)], (True, "r1"): [(8, 1.2), (8, 1.2), (8, 1.2)]}


def write_sweep(folder: Path) -> Path:
    for (sn, kind), values in TRIALS.items():
        for seed, (modes, loss_d) in enumerate(values):
            write_trial(folder / f"spectral_norm={str(sn).lower()},kind={kind},seed={seed}",
                        {"discriminator.spectral_norm": sn, "loss.kind": kind, "train.seed": seed},
                        {"modes": modes, "hq": modes / 10, "reverse_kl": 0.5, "loss_d": loss_d, "loss_g": 0.7},
                        elapsed=10.0 + seed)
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[Path]:
    return train_runs(tmp_path_factory.mktemp("runs"))


def test_the_table_holds_only_the_fields_that_differ_and_the_legend_names_them(runs):
    comparison = RunComparison(runs)
    assert comparison.fields == ["discriminator.spectral_norm", "loss.kind", "train.seed"]
    assert comparison.names == NAMES
    assert comparison.table() == [("discriminator.spectral_norm", ["false", "false", "true", "false"]),
                                  ("loss.kind", ["nonsaturating", "hinge", "nonsaturating", "wgan-gp"]),
                                  ("train.seed", ["0", "0", "0", "3"])]
    markdown, table = comparison.table_markdown(), comparison.table_csv().splitlines()
    assert "| loss.kind | nonsaturating | hinge | nonsaturating | wgan-gp |" in markdown
    assert table[0] == "field,plain,hinge,sn,wgan" and "last step,20,30,40,20" in table


def test_legend_names_fall_back_to_the_folder_name():
    folders = [Path("a"), Path("b"), Path("c")]
    same = [{"loss.kind": "hinge"}] * 3
    assert legend_names(same, [], folders) == ["a", "b", "c"]
    assert legend_names([{"x.lr": 1.0}, {"x.lr": 1.0}, {"x.lr": 2.0}], ["x.lr"], folders) == \
        ["lr=1.0 (a)", "lr=1.0 (b)", "lr=2.0"]


def test_runs_of_different_lengths_and_metrics_share_the_step_axis(runs):
    comparison = RunComparison(runs)
    metrics = comparison.metrics()
    assert metrics[:3] == ["loss_d", "loss_g", "wasserstein"] and metrics[-3:] == ["modes", "hq", "reverse_kl"]
    last_steps = [found[0][-1] for found in comparison.series("loss_d")]
    assert last_steps == [20, 30, 40, 20]
    wasserstein = comparison.series("wasserstein")
    assert wasserstein[:3] == [None, None, None] and len(wasserstein[3][0]) == 4  # logged every 5 steps
    steps, modes = comparison.series("modes")[2]  # from the checkpoints' sidecars
    assert list(steps) == [10, 20, 30, 40] and np.all(modes >= 0)
    raw = comparison.series("loss_d")[1][1]
    smooth = comparison.series("loss_d", smoothing=0.9)[1][1]
    assert smooth[0] == raw[0] and np.std(np.diff(smooth)) < np.std(np.diff(raw))


def test_a_run_still_being_written_grows_on_refresh(runs, tmp_path):
    with run_being_written(tmp_path / "live") as loop:
        comparison = RunComparison([runs[0], tmp_path / "live"])
        assert comparison.series("loss_d")[1][0][-1] == 10
        assert comparison.runs[1].live
        with one_torch_thread():
            loop.advance(max_steps=10)
        with open(tmp_path / "live" / "metrics.jsonl", "a") as fh:
            fh.write('{"step": 25, "loss_d"')  # a line still being written waits for its end
        assert comparison.refresh()
        steps = comparison.series("loss_d")[1][0]
        assert steps[-1] == 20 and len(steps) == 4
        assert comparison.sample_steps()[-1] == 20 and comparison.series("modes")[1][0][-1] == 20
        assert not comparison.refresh()
    assert not comparison.runs[1].live


def test_each_run_shows_its_sample_picture_nearest_to_the_step(runs):
    comparison = RunComparison(runs[:3])
    assert comparison.sample_steps() == [0, 10, 20, 30, 40]
    nearest = comparison.samples_near(34)
    assert [step for step, _ in nearest] == [20, 30, 30]
    assert nearest[2][1] == runs[2] / "samples" / "step-00000030.png"
    assert [step for step, _ in comparison.samples_near(15)] == [10, 10, 10]  # a tie: the earlier one


def test_a_sweep_without_results_csv_is_summarised_from_its_trials(tmp_path):
    summary = read_sweep(write_sweep(tmp_path / "sweep"))
    assert summary.fields == ["discriminator.spectral_norm", "loss.kind"] and "checkpoints" in summary.source
    assert summary.metrics == ["modes", "hq", "reverse_kl", "loss_d", "loss_g", "wall_s"]
    rows = {tuple(row.setting.values()): row for row in summary.rows}
    for (sn, kind), values in TRIALS.items():
        row = rows[(str(sn).lower(), kind)]
        modes = [m for m, _ in values]
        assert row.seeds == 3
        assert row.stats["modes"] == pytest.approx((sum(modes) / 3, statistics.stdev(modes)))
        assert row.stats["loss_d"][0] == pytest.approx(sum(d for _, d in values) / 3)
        assert row.stats["wall_s"] == pytest.approx((11.0, 1.0))
    assert rows[("false", "nonsaturating")].stats["modes"] == pytest.approx((5.0, 2.0))  # 3, 5, 7
    xs, groups = summary.plot_series("modes", "loss.kind")
    assert xs == ["nonsaturating", "r1"] and [label for label, _, _ in groups] == ["spectral_norm=false",
                                                                                  "spectral_norm=true"]
    assert groups[1][1] == pytest.approx([3.0, 8.0]) and groups[1][2] == pytest.approx([math.sqrt(3), 0.0])


def test_a_sweeps_results_csv_is_read_rather_than_recomputed(tmp_path):
    folder = write_sweep(tmp_path / "sweep")
    (folder / "results.csv").write_text("discriminator.spectral_norm,loss.kind,seeds,failed,modes_mean,modes_std\n"
                                        "false,r1,5,0,6.5,0.5\ntrue,r1,1,1,4.0,\n")
    summary = read_sweep(folder)
    assert summary.source == "results.csv" and summary.metrics == ["modes"] and summary.steps == 100
    assert [row.setting for row in summary.rows] == [{"discriminator.spectral_norm": "false", "loss.kind": "r1"},
                                                     {"discriminator.spectral_norm": "true", "loss.kind": "r1"}]
    assert summary.rows[0].stats["modes"] == (6.5, 0.5) and math.isnan(summary.rows[1].stats["modes"][1])
    assert summary.table()[2] == ["true", "r1", "1", "4"]
