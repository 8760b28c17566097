"""The one run loop (core/run_loop.py) that the CLI, the window's worker, the compare panes and torchrun
drive, and the thread policy it applies for the window (core/thread_tuner.py)."""
import errno
import json

import pytest

from helpers import tiny_ring
from studio.core import run_loop
from studio.core.checkpoints import load_checkpoint
from studio.core.run import RunDirectory
from studio.core.run_loop import RunFailure, RunLoop
from studio.core.thread_tuner import ThreadTuner, candidate_counts
from studio.core.trainer import Trainer


def rows_of(run_dir):
    return [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]


def test_logs_samples_and_checkpoints_on_schedule_and_always_the_final_step(tmp_path):
    config = tiny_ring(**{"train.log_every": 5, "train.sample_every": 10, "train.save_every": 10})
    loop = RunLoop(Trainer(config), RunDirectory(tmp_path), total_steps=23)
    loop.run_to_end()
    assert [r["step"] for r in rows_of(tmp_path)] == [5, 10, 15, 20, 23]
    assert sorted(p.name for p in (tmp_path / "samples").glob("*.png")) == \
        [f"step-{s:08d}.png" for s in (0, 10, 20, 23)]
    assert [load_checkpoint(p)["step"] for p in loop.run.checkpoints()] == [10, 20, 23]
    assert loop.steps_this_session == 23 and loop.wall_seconds > 0


def test_advance_stops_at_its_step_count_or_deadline(tmp_path):
    loop = RunLoop(Trainer(tiny_ring()), None, total_steps=100)
    assert len(loop.advance(max_steps=7)) == 7 and loop.trainer.step_count == 7
    assert 1 <= len(loop.advance(max_seconds=0.0)) <= 1  # a deadline already past: one step, then return
    assert not loop.done
    loop.advance()
    assert loop.done and loop.trainer.step_count == 100


def test_keep_last_prunes_after_each_save_and_zero_keeps_all(tmp_path):
    config = tiny_ring(**{"train.save_every": 5})
    RunLoop(Trainer(config), RunDirectory(tmp_path / "kept"), 30, keep_last=2).run_to_end()
    RunLoop(Trainer(config), RunDirectory(tmp_path / "all"), 30, keep_last=0).run_to_end()
    kept = [load_checkpoint(p)["step"] for p in RunDirectory(tmp_path / "kept").checkpoints()]
    assert kept[-2:] == [25, 30] and len(kept) <= 3  # the last two, plus the best if it is older
    assert len(RunDirectory(tmp_path / "all").checkpoints()) == 6


def test_a_failed_write_is_a_run_failure_naming_the_folder_and_keeps_the_rows(tmp_path, monkeypatch):
    loop = RunLoop(Trainer(tiny_ring(**{"train.save_every": 4})), RunDirectory(tmp_path), 20)
    loop.begin()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_loop, "save_trainer_checkpoint", disk_full)
    with pytest.raises(RunFailure) as failure:
        loop.advance()
    assert failure.value.kind == "save" and failure.value.step == 4
    assert "No space left on device" in str(failure.value) and str(tmp_path) in str(failure.value)
    assert [r["step"] for r in loop.failed_rows] == [1, 2, 3, 4]
    assert loop.unsaved  # nothing was lost in memory: a later save can succeed
    monkeypatch.undo()
    assert load_checkpoint(loop.save("manual"))["step"] == 4 and not loop.unsaved


def test_a_diverging_step_names_the_step_and_the_last_checkpoint_before_it(tmp_path):
    config = tiny_ring(**{"optim.name": "sgd", "optim.lr_d": 10.0, "optim.lr_g": 10.0, "train.save_every": 1})
    loop = RunLoop(Trainer(config), RunDirectory(tmp_path), 100)
    loop.begin()
    with pytest.raises(RunFailure) as failure:
        loop.advance()
    step = failure.value.step
    assert failure.value.kind == "diverged" and step == loop.trainer.step_count + 1
    assert f"at step {step};" in str(failure.value)
    good = loop.last_good_checkpoint(step)
    assert load_checkpoint(good)["step"] == step - 1 and f"The last good state is {good}" in str(failure.value)


class FakeClock:
    """Step durations for the tuner: each thread count trains at its own rate."""

    def __init__(self, seconds_per_step: dict[int, float]):
        self.seconds_per_step = seconds_per_step
        self.threads = None
        self.history: list[int] = []

    def set_threads(self, n: int) -> None:
        self.threads = n
        self.history.append(n)

    def step(self, tuner: ThreadTuner) -> None:
        tuner.record(self.seconds_per_step[self.threads])


def test_the_tuner_keeps_the_fastest_count_and_measures_again_as_the_load_changes():
    clock = FakeClock({2: 0.05, 1: 0.02})  # a busy machine: one thread is faster
    tuner = ThreadTuner([2, 1], set_threads=clock.set_threads, probe_s=0.5, exploit_s=5.0, warmup_s=1.0)
    for _ in range(19):  # the warm-up (1 s at 0.05 s a step) is not measured
        clock.step(tuner)
    assert clock.history == [2] and tuner.history == []
    for _ in range(200):
        clock.step(tuner)
    assert tuner.chosen == 1 and tuner.last_probe[1] > tuner.last_probe[2]
    assert clock.history[:6] == [2, 2, 1, 2, 1, 1]  # warm up, then slices 2, 1, 2, 1 alternating, keep 1
    clock.seconds_per_step = {2: 0.01, 1: 0.02}  # the other job ended: two threads win at the next probe
    for _ in range(3000):
        clock.step(tuner)
    assert tuner.chosen == 2 and clock.threads == 2


def test_fewer_threads_must_win_every_round_by_the_margin():
    """A noisy probe must not drop a convolutional run to one thread: that costs a third of its speed."""
    clock = FakeClock({2: 0.0100, 1: 0.0095})  # one thread 5% faster: within the noise, keep two
    tuner = ThreadTuner([2, 1], set_threads=clock.set_threads, probe_s=0.5, exploit_s=5.0, warmup_s=0.0)
    for _ in range(500):
        clock.step(tuner)
    assert tuner.chosen == 2 and tuner.history and tuner.history[0]["chosen"] == 2

    clock = FakeClock({2: 0.02, 1: 0.01})
    tuner = ThreadTuner([2, 1], set_threads=clock.set_threads, probe_s=0.5, exploit_s=5.0, warmup_s=0.0)
    for _ in range(100):  # the first round: one thread twice as fast
        clock.step(tuner)
        if len(tuner._rounds) == 1 and len(tuner._rounds[0]) == 2:
            break
    clock.seconds_per_step = {2: 0.01, 1: 0.02}  # the second round disagrees (the neighbour stopped)
    for _ in range(300):
        clock.step(tuner)
    assert tuner.history[0]["chosen"] == 2


def test_a_confirmed_choice_is_measured_less_often():
    clock = FakeClock({2: 0.01, 1: 0.02})
    tuner = ThreadTuner([2, 1], set_threads=clock.set_threads, probe_s=0.5, exploit_s=5.0, warmup_s=0.0)
    for _ in range(20000):
        clock.step(tuner)
    gaps = [b["at_s"] - a["at_s"] for a, b in zip(tuner.history, tuner.history[1:])]
    assert gaps[0] < gaps[1] < gaps[2] and max(gaps) <= 60.0 + 3.0  # 10, 20, 40, then 60 s (+ the probe)


def test_one_candidate_is_never_probed():
    clock = FakeClock({1: 0.01})
    tuner = ThreadTuner([1], set_threads=clock.set_threads)
    for _ in range(3000):
        clock.step(tuner)
    assert set(clock.history) == {1} and tuner.last_probe == {}


def test_candidates_are_all_cores_half_and_one():
    assert candidate_counts(2) == [2, 1] and candidate_counts(16) == [16, 8, 1] and candidate_counts(1) == [1]


def test_weights_that_are_not_finite_are_never_saved(tmp_path):
    """A loss can stay finite while a weight turns NaN (an overflow in the update): the save refuses."""
    import torch

    loop = RunLoop(Trainer(tiny_ring(**{"train.save_every": 5})), RunDirectory(tmp_path / "run"), total_steps=20)
    loop.begin()
    loop.advance(max_steps=5)
    good = loop.latest_checkpoint()
    with torch.no_grad():
        next(loop.trainer.d.parameters())[0].fill_(float("nan"))
    with pytest.raises(RunFailure) as failure:
        loop.save("manual")
    assert failure.value.kind == "diverged" and failure.value.term == "weights"
    assert "D's weights are not finite after step 5" in str(failure.value)
    assert f"The last good state is {good}" in str(failure.value)
    assert loop.run.checkpoints() == [good] and load_checkpoint(good)["step"] == 5
    loop.close()
