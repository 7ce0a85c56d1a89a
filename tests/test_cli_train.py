"""``convdesigner train`` and ``convdesigner evaluate`` end to end: output, files, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from convdesigner.cli import main
from convdesigner.compute.engine import run
from convdesigner.data.idx import write_idx
from convdesigner.data.mnist import bundled_digit
from convdesigner.design.io import load_design, save_design
from convdesigner.design.layers import Conv2d, Design, Flatten, InputSpec, Linear, ReLU

ERROR = "convdesigner: error: "


@pytest.fixture
def design_file(tmp_path) -> Path:
    path = tmp_path / "design.json"
    save_design(Design(InputSpec(1, 28, 28), (Conv2d(1, 2, 4, 4), ReLU(), Flatten(),
                                              Linear(2 * 7 * 7, 10)), seed=1), path)
    return path


@pytest.fixture
def idx_pair(tmp_path) -> tuple[Path, Path]:
    images = (np.stack([bundled_digit(label, 0) for label in range(10)] * 3) * 255).astype(np.uint8)
    write_idx(tmp_path / "images-idx3-ubyte", images)
    write_idx(tmp_path / "labels-idx1-ubyte", np.tile(np.arange(10, dtype=np.uint8), 3))
    return tmp_path / "images-idx3-ubyte", tmp_path / "labels-idx1-ubyte"


def test_train_prints_an_epoch_line_and_writes_the_trained_design(design_file, tmp_path, capsys):
    out = tmp_path / "trained.json"
    status = main(["train", str(design_file), "-o", str(out), "--epochs", "2", "--device", "cpu",
                   "--batch-size", "128", "--lr", "0.01", "--optimizer", "sgd", "--seed", "4"])
    printed = capsys.readouterr()
    assert status == 0, printed.err
    lines = printed.out.splitlines()
    assert lines[0].startswith("training 2 epochs (SGD, lr 0.01) on cpu, batch size 128, seed 4")
    assert lines[1].startswith("epoch 1/2: loss ") and "held-out accuracy" in lines[1]
    assert lines[2].startswith("epoch 2/2: ") and lines[2].endswith(" s")
    assert lines[3] == f"wrote {out}"
    assert "\r" not in printed.out      # no progress bar when stdout is not a terminal
    trained = load_design(out)
    assert all(layer.has_explicit_parameters for layer in trained.layers)
    # Same seed, same settings: the same file, bit for bit.
    again = tmp_path / "again.json"
    assert main(["train", str(design_file), "-o", str(again), "--epochs", "2", "--device", "cpu",
                 "--batch-size", "128", "--lr", "0.01", "--optimizer", "sgd", "--seed", "4"]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_on_a_terminal_a_progress_bar_runs_and_is_cleared_before_each_epoch_line(
        design_file, tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["train", str(design_file), "-o", str(tmp_path / "o.json"), "--epochs", "2",
                 "--batch-size", "256", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    bars = [part for part in out.split("\r") if part.startswith("epoch ") and "[" in part]
    # One bar every 5 steps and at each epoch's last step (32 steps of 256: 7 an epoch).
    assert len(bars) == 2 * 7
    assert bars[0].startswith("epoch 1/2 [") and "step 5/32  loss " in bars[0] and " left" in bars[0]
    assert bars[6].startswith("epoch 1/2 [" + "#" * 30 + "] step 32/32")
    # The bar is wiped ("\r", blanks, "\r") before each epoch's line, which reads cleanly.
    epoch_lines = [line.split("\r")[-1] for line in out.split("\n") if ": loss " in line]
    assert [line[:10] for line in epoch_lines] == ["epoch 1/2:", "epoch 2/2:"]
    assert all(line.split("\r")[-2].strip() == "" for line in out.split("\n") if ": loss " in line)


def test_evaluate_prints_accuracy_and_the_confusion_matrix(design_file, capsys):
    assert main(["evaluate", str(design_file), "--device", "cpu"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("held-out accuracy: ") and "of 2,000 bundled held-out digits" in lines[0]
    assert lines[2].startswith("confusion matrix")
    rows = [[int(v.replace(",", "")) for v in line.split()[1:]] for line in lines[4:14]]
    assert np.array(rows).shape == (10, 10) and np.array(rows).sum() == 2000


def test_idx_data_for_train_and_evaluate(design_file, idx_pair, tmp_path, capsys):
    out = tmp_path / "trained.json"
    assert main(["train", str(design_file), "-o", str(out), "--epochs", "1", "--device", "cpu",
                 "--data", *map(str, idx_pair)]) == 0
    assert "images-idx3-ubyte: 30 digits to train on" in capsys.readouterr().out
    assert main(["evaluate", str(out), "--device", "cpu", "--data", *map(str, idx_pair)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("accuracy: ") and "of 30 images-idx3-ubyte" in first
    # The accuracy counts what ``run`` predicts for each digit of the pair, as the file holds it.
    trained = load_design(out)
    images = (np.stack([bundled_digit(label, 0) for label in range(10)] * 3) * 255).astype(np.uint8)
    predicted = [int(np.argmax(run(trained, (image.astype(np.float32) / 255)[None]).outputs[-1]))
                 for image in images]
    correct = sum(p == label for p, label in zip(predicted, np.tile(np.arange(10), 3), strict=True))
    assert f"({correct} of 30 images-idx3-ubyte)" in first
    assert first.startswith(f"accuracy: {correct / 30 * 100:.2f}%")


@pytest.mark.parametrize(("args", "message"), [
    (["--lr", "0"], "the learning rate must be a number above 0, got 0.0"),
    (["--lr", "-0.5"], "the learning rate must be a number above 0"),
    (["--batch-size", "0"], "the batch size must be a whole number from 1"),
    (["--epochs", "0"], "epochs must be a whole number from 1"),
    (["--optimizer", "rmsprop"], "invalid choice: 'rmsprop'"),
    (["--data", "a", "b", "c"], "--data takes 'bundled' or two files"),
    (["--data", "bundled", "labels.idx"], "--data takes 'bundled' or two files"),
])
def test_bad_settings_exit_2_with_one_line_and_no_file(design_file, tmp_path, capsys, args, message):
    before = {p.name for p in tmp_path.iterdir()}
    status = main(["train", str(design_file), "-o", str(tmp_path / "out.json"), *args])
    err = capsys.readouterr().err
    assert status == 2 and len(err.splitlines()) == 1 and err.startswith(ERROR)
    assert message in err
    assert {p.name for p in tmp_path.iterdir()} == before


def test_a_head_of_the_wrong_size_is_refused(tmp_path, capsys):
    path = tmp_path / "design.json"
    save_design(Design(InputSpec(1, 28, 28), (Conv2d(1, 2, 4, 4), Flatten(), Linear(98, 7))), path)
    assert main(["train", str(path), "-o", str(tmp_path / "out.json")]) == 2
    assert "output is [7], not 10 class scores" in capsys.readouterr().err
    save_design(Design(InputSpec(1, 28, 28), (Conv2d(1, 2, 4, 4), Flatten(), Linear(90, 10))), path)
    assert main(["evaluate", str(path)]) == 2
    assert "expects 90 inputs, but layer 1 gives 98 = 2×7×7" in capsys.readouterr().err


def test_idx_counts_that_differ_are_refused(design_file, tmp_path, capsys):
    write_idx(tmp_path / "i.idx", np.zeros((3, 28, 28), np.uint8))
    write_idx(tmp_path / "l.idx", np.zeros(2, np.uint8))
    status = main(["train", str(design_file), "-o", str(tmp_path / "o.json"), "--data",
                   str(tmp_path / "i.idx"), str(tmp_path / "l.idx")])
    err = capsys.readouterr().err
    assert status == 2 and "holds 2 labels but i.idx holds 3 images" in err
    assert not (tmp_path / "o.json").exists()


def test_diverging_run_writes_nothing(design_file, tmp_path, capsys):
    status = main(["train", str(design_file), "-o", str(tmp_path / "o.json"), "--lr", "1e12",
                   "--optimizer", "sgd", "--device", "cpu"])
    err = capsys.readouterr().err
    assert status == 2 and "training diverged" in err and "nothing was written" in err
    assert not (tmp_path / "o.json").exists()


def test_a_run_that_learns_nothing_says_so(design_file, tmp_path, capsys):
    """Adam at lr 10 collapses this small design to one answer without the loss ever becoming
    NaN: the run is written (it did what was asked), with a note that it learned nothing."""
    assert main(["train", str(design_file), "-o", str(tmp_path / "o.json"), "--lr", "10",
                 "--epochs", "1", "--device", "cpu"]) == 0
    printed = capsys.readouterr()
    accuracy = float(printed.out.split("held-out accuracy ")[1].split("%")[0])
    assert accuracy <= 20
    assert (f"note: held-out accuracy {accuracy:.2f}% is no better than guessing one of 10 "
            "digits: the learning rate 10 may be too large (or too small)") in printed.err
    # A run that learns says nothing of the kind.
    assert main(["train", str(design_file), "-o", str(tmp_path / "p.json"), "--epochs", "1",
                 "--device", "cpu"]) == 0
    assert "no better than guessing" not in capsys.readouterr().err


def test_output_in_a_missing_folder_fails_before_training(design_file, tmp_path, capsys):
    assert main(["train", str(design_file), "-o", str(tmp_path / "no" / "o.json")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "training" not in capsys.readouterr().out


def test_train_refuses_to_overwrite_its_design(design_file, capsys):
    assert main(["train", str(design_file), "-o", str(design_file)]) == 2
    assert "same file as the design" in capsys.readouterr().err


def test_lenet5_on_32x32_trains_and_runs_on_the_digits_centred(tmp_path, idx_pair, capsys):
    """The 1998 LeNet-5 took 28×28 digits on a 32×32 input: train, evaluate and run all centre
    them the same way, so the trained design predicts in ``run`` what evaluate counted."""
    from convdesigner.data.fit import fit_image_to_spec
    from convdesigner.design.layers import AvgPool2d, Tanh

    path = tmp_path / "lenet32.json"
    design = Design(InputSpec(1, 32, 32), (Conv2d(1, 6, 5), Tanh(), AvgPool2d(2), Conv2d(6, 16, 5),
                                           Tanh(), AvgPool2d(2), Flatten(), Linear(400, 10)), seed=0)
    save_design(design, path)
    out = tmp_path / "trained.json"
    assert main(["train", str(path), "-o", str(out), "--epochs", "1", "--device", "cpu",
                 "--data", *map(str, idx_pair)]) == 0
    capsys.readouterr()
    maps = tmp_path / "maps.npz"
    assert main(["run", str(out), "--input", "mnist:3", "--out", str(maps)]) == 0
    err = capsys.readouterr().err
    assert "note: the 1×28×28 input is centred on the design's 1×32×32 input" in err
    with np.load(maps) as saved:
        centred = fit_image_to_spec(bundled_digit(3, 0)[None], design.input)
        assert np.array_equal(saved["input"], centred)
        scores = saved[str(len(design.layers) - 1)]
    assert np.array_equal(scores, run(load_design(out), centred).outputs[-1])
    # evaluate on the IDX pair counts the same predictions run gives, digit by digit
    assert main(["evaluate", str(out), "--device", "cpu", "--data", *map(str, idx_pair)]) == 0
    accuracy = float(capsys.readouterr().out.split()[1].rstrip("%")) / 100
    trained = load_design(out)
    right = sum(int(np.argmax(run(trained, fit_image_to_spec(bundled_digit(label, 0)[None],
                                                             design.input)).outputs[-1])) == label
                for label in range(10))
    assert accuracy == pytest.approx(right / 10)


def test_schedule_linear_says_so_and_trains_other_weights(design_file, tmp_path, capsys):
    falling, steady = tmp_path / "falling.json", tmp_path / "steady.json"
    assert main(["train", str(design_file), "-o", str(falling), "--epochs", "1", "--device", "cpu",
                 "--lr", "0.01", "--schedule", "linear"]) == 0
    assert capsys.readouterr().out.startswith("training 1 epoch (Adam, lr 0.01 → 0) on cpu")
    assert main(["train", str(design_file), "-o", str(steady), "--epochs", "1", "--device", "cpu",
                 "--lr", "0.01"]) == 0
    assert capsys.readouterr().out.startswith("training 1 epoch (Adam, lr 0.01) on cpu")
    assert not load_design(falling).same_parameters(load_design(steady))
    assert main(["train", str(design_file), "-o", str(tmp_path / "x.json"), "--schedule",
                 "cosine"]) == 2
    assert "invalid choice: 'cosine'" in capsys.readouterr().err
