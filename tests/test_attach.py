"""Following a run that another process writes: complete lines and files only, never a write."""
import json
import os
import subprocess
import sys
import time

from helpers import tiny_ring
from studio.core.attach import RunFollower


def test_half_written_lines_wait_for_their_newline(tmp_path):
    (tmp_path / "metrics.jsonl").write_text(json.dumps({"step": 1}) + "\n" + '{"step": 2, "lo')
    follower = RunFollower(tmp_path)
    assert [r["step"] for r in follower.poll().rows] == [1]
    with open(tmp_path / "metrics.jsonl", "a") as fh:
        fh.write('ss": 0.5}\n' + json.dumps({"step": 3}) + "\n")
    assert [r["step"] for r in follower.poll().rows] == [2, 3]
    assert not follower.poll()


def test_temporary_checkpoints_are_skipped_until_renamed(tmp_path):
    ckpts = tmp_path / "checkpoints"
    ckpts.mkdir()
    (ckpts / ".step-00000010.pt.abc.tmp").write_bytes(b"partial")
    follower = RunFollower(tmp_path)
    assert follower.poll().new_checkpoints == []
    os.replace(ckpts / ".step-00000010.pt.abc.tmp", ckpts / "step-00000010.pt")
    assert [p.name for p in follower.poll().new_checkpoints] == ["step-00000010.pt"]
    assert follower.poll().new_checkpoints == []


def test_a_rewritten_metrics_file_is_read_again(tmp_path):
    path = tmp_path / "metrics.jsonl"
    path.write_text("".join(json.dumps({"step": s}) + "\n" for s in (10, 20, 30)))
    follower = RunFollower(tmp_path)
    follower.poll()
    path.write_text(json.dumps({"step": 10}) + "\n")  # resumed from step 10
    assert [r["step"] for r in follower.poll().rows] == [10]


def test_follows_a_live_cli_run_without_writing(tmp_path):
    config = tmp_path / "c.json"
    tiny_ring(**{"train.log_every": 1}).save(config)
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "studio", "train", "--config", str(config), "--steps", "100000",
                             "--out", str(out), "--quiet"], stderr=subprocess.DEVNULL)
    try:
        follower = None
        steps: list[int] = []
        deadline = time.monotonic() + 120
        while len(steps) < 50 and time.monotonic() < deadline:
            if follower is None and out.is_dir():
                follower = RunFollower(out)
            if follower is not None:
                update = follower.poll()
                steps += [r["step"] for r in update.rows]
            time.sleep(0.05)
        assert follower.config().data.name == "ring"
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert len(steps) >= 50 and steps == list(range(1, len(steps) + 1))

    def snapshot():
        return {(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in out.rglob("*")}

    before = snapshot()  # the writer has stopped: anything that changes now is the follower's doing
    follower = RunFollower(out)
    while follower.poll():
        pass
    follower.config()
    assert snapshot() == before


def test_a_bounded_poll_reads_an_old_run_in_chunks(tmp_path):
    lines = [json.dumps({"step": s, "loss_d": 1.0}) + "\n" for s in range(1, 201)]
    (tmp_path / "metrics.jsonl").write_text("".join(lines))
    follower = RunFollower(tmp_path)
    steps, polls = [], 0
    while True:
        steps += [r["step"] for r in follower.poll(max_bytes=1000).rows]
        polls += 1
        if not follower.behind:
            break
    assert steps == list(range(1, 201)) and polls >= len("".join(lines)) // 1000
    long_line = json.dumps({"step": 201, "note": "x" * 3000}) + "\n"
    with open(tmp_path / "metrics.jsonl", "a") as fh:
        fh.write(long_line)
    assert [r["step"] for r in follower.poll(max_bytes=1000).rows] == [201]  # one line longer than the bound
    assert not follower.behind
