"""Training a design: the loss falls, runs repeat bit for bit, the held-out digits are never
trained on, a diverging run leaves the weights alone, Stop keeps a consistent design, and every
bad setting is refused with a clear message."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch

from convdesigner.compute.engine import build_model, run
from convdesigner.compute.export import generate_code, save_weights
from convdesigner.compute.training import (
    Trainer,
    TrainingError,
    TrainSettings,
    check_settings,
    digit_batch,
    evaluate,
    learning_rate,
    trainability_problem,
)
from convdesigner.data.fit import fit_image_to_spec
from convdesigner.data.idx import write_idx
from convdesigner.data.mnist import bundled_digit, bundled_images, bundled_labels, indices_of
from convdesigner.data.training_data import (
    LabelledDigits,
    TrainingData,
    bundled_split,
    bundled_training_data,
    idx_digits,
    probabilities,
    train_count,
)
from convdesigner.design.layers import Conv2d, Design, Dropout, Flatten, InputSpec, Linear, ReLU
from convdesigner.errors import InputFileError


def small_design() -> Design:
    return Design(InputSpec(1, 28, 28), (Conv2d(1, 4, 4, 2, 1), ReLU(), Flatten(), Dropout(0.1),
                                         Linear(4 * 14 * 14, 10)), seed=3)


def small_data(count: int = 1600) -> TrainingData:
    """``count`` training digits and 200 held-out ones, of every label (the bundle is grouped by
    label, so a plain slice would hold only zeros)."""
    full = bundled_training_data()
    rng = np.random.default_rng(0)
    chosen = np.sort(rng.choice(len(full.train), count, replace=False))
    kept = np.sort(rng.choice(len(full.heldout), 200, replace=False))
    train = LabelledDigits(full.train.images[chosen], full.train.labels[chosen], "a few digits")
    heldout = LabelledDigits(full.heldout.images[kept], full.heldout.labels[kept], "held out")
    return TrainingData(train, heldout, "test data")


def test_the_loss_falls_over_a_fixed_50_step_run():
    result = Trainer(small_design(), small_data(), TrainSettings(epochs=1, batch_size=32, lr=0.003,
                                                                 device="cpu")).run()
    losses = [step.loss for step in result.history]
    assert len(losses) == 50
    assert np.mean(losses[-10:]) < 0.6 * np.mean(losses[:10])
    assert result.epochs[0].heldout_accuracy > 0.5


def test_same_seed_gives_bit_identical_weights_on_the_cpu():
    settings = TrainSettings(epochs=1, batch_size=64, device="cpu", seed=5)
    first = Trainer(small_design(), small_data(640), settings).run().design
    second = Trainer(small_design(), small_data(640), settings).run().design
    assert first.same_parameters(second)
    other = Trainer(small_design(), small_data(640),
                    TrainSettings(epochs=1, batch_size=64, device="cpu", seed=6)).run().design
    assert not first.same_parameters(other)


def test_training_leaves_the_global_random_state_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    Trainer(small_design(), small_data(64), TrainSettings(epochs=1, device="cpu")).run()
    assert torch.equal(torch.rand(3), expected)


def test_the_heldout_split_is_the_last_fifth_of_each_label():
    train, heldout = bundled_split()
    assert len(np.intersect1d(train, heldout)) == 0
    assert len(train) + len(heldout) == len(bundled_labels())
    for label in range(10):
        positions = indices_of(label)            # mnist:label:i is positions[i]
        cut = train_count(len(positions))
        assert cut == round(0.8 * len(positions))
        assert np.isin(positions[cut:], heldout).all()   # i >= round(0.8 n): held out
        assert np.isin(positions[:cut], train).all()
    data = bundled_training_data()
    # The trainer is given exactly the training positions' digits, and no held-out one.
    assert np.array_equal(data.train.images, bundled_images()[train])
    assert np.array_equal(data.heldout.labels, bundled_labels()[heldout])


def test_the_trainer_steps_on_training_digits_only_and_on_each_once_an_epoch():
    """Every batch the model is trained on (seen by a forward hook while it is in training
    mode) holds training digits only -- none of the held-out ones, which are only evaluated --
    and an epoch goes through each training digit exactly once."""
    data = small_data(320)
    trainer = Trainer(small_design(), data, TrainSettings(epochs=2, batch_size=48, optimizer="adam"))
    trained_on: list[np.ndarray] = []
    evaluated: list[np.ndarray] = []

    def seen(module, inputs) -> None:
        (trained_on if module.training else evaluated).append(inputs[0].detach().numpy().copy())

    trainer.model.register_forward_pre_hook(seen)
    trainer.run()
    train_rows = {row.tobytes() for row in data.train.pixels(np.arange(len(data.train)))}
    heldout_rows = {row.tobytes() for row in data.heldout.pixels(np.arange(len(data.heldout)))}
    assert not train_rows & heldout_rows          # no digit is in both (the test means something)
    batches = [row.tobytes() for batch in trained_on for row in batch]
    assert len(batches) == 2 * len(data.train)
    assert set(batches) == train_rows and not set(batches) & heldout_rows
    first_epoch = batches[:len(data.train)]
    assert len(set(first_epoch)) == len(train_rows)
    # The held-out digits are evaluated after each epoch, all of them.
    assert {row.tobytes() for batch in evaluated for row in batch} == heldout_rows


def test_digits_are_fed_as_mnist_specs_give_them():
    data = bundled_training_data()
    label, index = 7, 3
    position = indices_of(label)[index]
    row = int(np.flatnonzero(bundled_split()[0] == position)[0])
    assert np.array_equal(data.train.pixels(np.array([row]))[0, 0], bundled_digit(label, index))


def test_a_larger_input_gets_the_digits_centred_as_the_app_and_run_place_them():
    """LeNet-5's 1×32×32 input: each digit sits on a zero field, where fit_image_to_spec (the
    app) puts it, with the odd pixel of an odd border after it."""
    digits = small_data(64).train
    for height, width in [(32, 32), (31, 29), (28, 28)]:
        spec = InputSpec(1, height, width)
        batch = digit_batch(digits, spec, "cpu").numpy()
        assert batch.shape == (64, 1, height, width) and batch.dtype == np.float32
        for row in (0, 17, 63):
            expected = fit_image_to_spec(digits.pixels(np.array([row]))[0], spec)
            assert np.array_equal(batch[row], expected)
        top, left = (height - 28) // 2, (width - 28) // 2
        assert np.array_equal(batch[:, :, top:top + 28, left:left + 28], digits.pixels(np.arange(64)))
        assert batch.sum() == pytest.approx(float(digits.pixels(np.arange(64)).sum()), rel=1e-6)


def test_lenet5_on_32x32_trains_as_the_same_network_padding_28x28_by_two():
    """A zero border around the digit is what ``padding=2`` adds inside the first convolution:
    with the same seed (the same first weights), the two runs learn the same weights."""
    def lenet(spec: InputSpec, padding: int) -> Design:
        return Design(spec, (Conv2d(1, 6, 5, padding=padding), ReLU(), Conv2d(6, 4, 5, 2),
                             Flatten(), Linear(4 * 12 * 12, 10)), seed=5)

    data = small_data(320)
    settings = TrainSettings(epochs=1, batch_size=32, lr=0.003, device="cpu")
    bordered = Trainer(lenet(InputSpec(1, 32, 32), 0), data, settings).run()
    padded = Trainer(lenet(InputSpec(1, 28, 28), 2), data, settings).run()
    assert bordered.history[-1].loss < bordered.history[0].loss
    for ours, theirs in zip(bordered.design.layers, padded.design.layers, strict=True):
        for name, value in ours.parameter_values().items():
            np.testing.assert_allclose(value, theirs.parameter_values()[name], atol=1e-5)
    assert evaluate(bordered.design, data.heldout).accuracy == \
        evaluate(padded.design, data.heldout).accuracy


def test_trained_design_exports_to_the_same_predictions(tmp_path, subprocess_env):
    trained = Trainer(small_design(), small_data(320),
                      TrainSettings(epochs=1, batch_size=32, device="cpu")).run().design
    save_weights(trained, tmp_path / "w.pt")
    (tmp_path / "model.py").write_text(generate_code(trained, "w.pt"), encoding="utf-8")
    digit = bundled_digit(4, 5)[None]
    np.save(tmp_path / "digit.npy", digit)
    runner = ("import numpy as np, torch, model\n"
              "m = model.build_model()\n"
              "with torch.no_grad():\n"
              "    np.save('out.npy', m(torch.from_numpy(np.load('digit.npy'))[None])[0].numpy())\n")
    done = subprocess.run([sys.executable, "-c", runner], cwd=tmp_path, env=subprocess_env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert np.array_equal(np.load(tmp_path / "out.npy"), run(trained, digit).outputs[-1])


def test_a_diverging_run_restores_the_weights():
    design = small_design()
    result = Trainer(design, small_data(640),
                     TrainSettings(epochs=2, lr=1e12, optimizer="sgd", device="cpu")).run()
    assert result.diverged
    assert result.design is design
    assert "too large" in result.message and "as they were before the run" in result.message


def test_a_nan_loss_stops_at_once():
    design = small_design()
    trainer = Trainer(design, small_data(640), TrainSettings(epochs=1, device="cpu"))
    trainer.loss_function = lambda scores, labels: scores.sum() * float("nan")
    result = trainer.run()
    assert result.diverged and result.steps == 0 and result.design is design
    assert "the loss became nan at step 1 of epoch 1" in result.message


def test_stop_mid_run_keeps_a_consistent_design():
    steps = []
    trainer = Trainer(small_design(), small_data(), TrainSettings(epochs=1, batch_size=32, device="cpu"))
    result = trainer.run(on_step=steps.append, should_stop=lambda: len(steps) >= 7)
    assert result.stopped and result.steps == 7 and not result.epochs
    model = build_model(result.design)
    for name, tensor in trainer.model.state_dict().items():
        assert torch.equal(model.state_dict()[name], tensor)


def test_pause_is_waited_for_and_left_out_of_the_times():
    calls = []

    def wait() -> float:
        calls.append(1)
        return 100.0 if len(calls) == 3 else 0.0

    result = Trainer(small_design(), small_data(160),
                     TrainSettings(epochs=1, batch_size=32, device="cpu")).run(wait_while_paused=wait)
    assert len(calls) == 5
    assert result.epochs[0].seconds < 100


@pytest.mark.parametrize(("settings", "message"), [
    (TrainSettings(lr=0), "the learning rate must be a number above 0, got 0"),
    (TrainSettings(lr=-1.0), "the learning rate must be a number above 0, got -1.0"),
    (TrainSettings(lr=float("nan")), "the learning rate must be a number above 0"),
    (TrainSettings(batch_size=0), "the batch size must be a whole number from 1"),
    (TrainSettings(epochs=0), "epochs must be a whole number from 1"),
    (TrainSettings(optimizer="rmsprop"), "the optimizer must be adam or sgd"),
    (TrainSettings(schedule="cosine"), "the schedule must be constant or linear, got 'cosine'"),
])
def test_bad_settings_say_what_is_wrong(settings, message):
    with pytest.raises(TrainingError, match=message.replace("(", r"\(")):
        check_settings(settings)


def test_designs_that_cannot_be_trained_say_why():
    head_wrong = small_design().with_layer(4, Linear(4 * 14 * 14, 7))
    assert "output is [7], not 10 class scores" in trainability_problem(head_wrong)
    wrong_in = small_design().with_layer(4, Linear(700, 10))
    assert "expects 700 inputs, but layer 3 gives 784 = 4×14×14" in trainability_problem(wrong_in)
    no_weights = Design(InputSpec(1, 28, 28), (ReLU(),))
    assert "no weights to train" in trainability_problem(no_weights)
    maps = Design(InputSpec(1, 28, 28), (Conv2d(1, 2, 3),))
    assert "add a classifier head" in trainability_problem(maps)
    smaller_input = Design(InputSpec(1, 24, 24), (Flatten(), Linear(576, 10)))
    assert ("input is 1×24×24 but the digits are 1×28×28: set the input to 1×28×28 (or larger"
            in trainability_problem(smaller_input))
    wider_but_shorter = Design(InputSpec(1, 27, 40), (Flatten(), Linear(1080, 10)))
    assert "but the digits are 1×28×28" in trainability_problem(wider_but_shorter)
    colour_input = Design(InputSpec(3, 28, 28), (Flatten(), Linear(2352, 10)))
    assert "input is 3×28×28 but the digits are 1×28×28" in trainability_problem(colour_input)
    with pytest.raises(TrainingError, match="add a classifier head"):
        Trainer(maps, small_data(64), TrainSettings())


def test_digits_smaller_than_the_held_out_ones_are_refused_with_the_reason():
    """IDX digits of 20×20 fit a 1×20×20 design, but accuracy is measured on the bundled 28×28
    held-out digits, which do not: said before anything is built."""
    full = small_data(64)
    small = LabelledDigits(full.train.images[:, 4:24, 4:24].copy(), full.train.labels, "small")
    design = Design(InputSpec(1, 20, 20), (Flatten(), Linear(400, 10)))
    with pytest.raises(TrainingError, match=r"accuracy is measured on held out, which are 1×28×28, "
                                            r"but the design's input is 1×20×20: set the input "
                                            r"to 1×28×28 or larger"):
        Trainer(design, TrainingData(small, full.heldout, "small"), TrainSettings())


def test_an_idx_pair_whose_counts_differ_is_refused(tmp_path):
    write_idx(tmp_path / "images.idx", np.zeros((5, 28, 28), np.uint8))
    write_idx(tmp_path / "labels.idx", np.zeros(4, np.uint8))
    with pytest.raises(InputFileError, match="holds 4 labels but images.idx holds 5 images"):
        idx_digits(tmp_path / "images.idx", tmp_path / "labels.idx")
    write_idx(tmp_path / "labels.idx", np.full(5, 12, np.uint8))
    with pytest.raises(InputFileError, match="labels must be 0 to 9"):
        idx_digits(tmp_path / "images.idx", tmp_path / "labels.idx")


def test_evaluate_counts_every_digit_once_as_run_predicts_it():
    data = small_data(64)
    design = Trainer(small_design(), data, TrainSettings(epochs=1, batch_size=16)).run().design
    result = evaluate(design, data.heldout, "cpu")
    assert result.confusion.sum() == 200
    assert np.array_equal(result.confusion.sum(axis=1), np.bincount(data.heldout.labels, minlength=10))
    # Cell [true][predicted] counts the digits ``run`` (one digit at a time) puts there.
    expected = np.zeros((10, 10), np.int64)
    for i in range(len(data.heldout)):
        scores = run(design, data.heldout.pixels(np.array([i]))[0]).outputs[-1]
        expected[data.heldout.labels[i], int(np.argmax(scores))] += 1
    assert np.array_equal(result.confusion, expected)
    assert result.accuracy == np.trace(expected) / 200
    assert len(np.unique(np.nonzero(expected)[1])) > 1   # a trained design: not one answer


def test_probabilities_are_torch_softmax():
    scores = np.array([1.5, -2, 0, 3, 30, -40, 2, 2, 0.5, 1], np.float32)
    expected = torch.softmax(torch.from_numpy(scores).double(), 0).numpy()
    np.testing.assert_allclose(probabilities(scores), expected, rtol=1e-12)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA (torch.cuda.is_available() is False)")
def test_training_on_cuda_matches_the_cpu_to_rounding():
    settings = TrainSettings(epochs=1, batch_size=32, device="cuda")
    gpu = Trainer(small_design(), small_data(320), settings).run().design
    cpu = Trainer(small_design(), small_data(320),
                  TrainSettings(epochs=1, batch_size=32, device="cpu")).run().design
    for a, b in zip(gpu.layers, cpu.layers, strict=True):
        for name, value in a.parameter_values().items():
            np.testing.assert_allclose(value, b.parameter_values()[name], atol=1e-3)


def test_the_lenet5_lesson_to_train_learns_the_digits_with_the_settings_it_suggests() -> None:
    """The lesson says its settings reach about 96 % held-out in 3 epochs: they do (seed 0)."""
    from convdesigner.design.lessons import lesson_by_key

    lesson = lesson_by_key("lenet5-train")
    design = lesson.build()
    assert trainability_problem(design) is None
    assert lesson.training == {"lr": 0.005, "batch_size": 32, "epochs": 3}
    assert "0.005" in lesson.explanation and "(32)" in lesson.explanation
    settings = TrainSettings(epochs=lesson.training["epochs"], batch_size=lesson.training["batch_size"],
                             lr=lesson.training["lr"], seed=0, device="cpu")
    result = Trainer(design, bundled_training_data(), settings).run()
    assert result.epochs[-1].heldout_accuracy >= 0.95


def test_the_linear_schedule_falls_from_the_learning_rate_towards_0_step_by_step():
    settings = TrainSettings(lr=0.01, schedule="linear")
    assert [learning_rate(settings, done, 4) for done in range(4)] == \
        pytest.approx([0.01, 0.0075, 0.005, 0.0025])
    assert learning_rate(TrainSettings(lr=0.01), 3, 4) == 0.01
    assert settings.describe() == "3 epochs (Adam, lr 0.01 → 0)"
    assert TrainSettings(lr=0.01).describe() == "3 epochs (Adam, lr 0.01)"
    data = small_data(320)
    trainer = Trainer(small_design(), data, TrainSettings(epochs=2, batch_size=64, lr=0.01,
                                                          schedule="linear", device="cpu"))
    seen: list[float] = []
    result = trainer.run(on_step=lambda _report: seen.append(trainer.optimizer.param_groups[0]["lr"]))
    total = 2 * 5
    assert seen == pytest.approx([0.01 * (1 - done / total) for done in range(total)])
    # The same seed and settings again: the same weights, bit for bit; a constant rate differs.
    again = Trainer(small_design(), data, TrainSettings(epochs=2, batch_size=64, lr=0.01,
                                                        schedule="linear", device="cpu")).run()
    assert result.design.same_parameters(again.design)
    constant = Trainer(small_design(), data, TrainSettings(epochs=2, batch_size=64, lr=0.01,
                                                           device="cpu")).run()
    assert not result.design.same_parameters(constant.design)


def test_the_1998_lenet5_lesson_with_its_head_learns_the_digits_with_the_settings_it_suggests():
    """Its lesson says its settings (Adam, lr 0.01 falling to 0, batch 16) end near 96 %
    held-out in 3 epochs: at least 95 % (seed 0)."""
    from dataclasses import replace

    from convdesigner.design.analysis import analyze
    from convdesigner.design.catalog import classifier_head
    from convdesigner.design.lessons import lesson_by_key

    lesson = lesson_by_key("lenet5")
    design = lesson.build()
    head = classifier_head(design, analyze(design))
    assert head is not None
    design = replace(design, layers=design.layers + head)
    assert lesson.training == {"lr": 0.01, "batch_size": 16, "epochs": 3, "schedule": "linear"}
    assert "0.01" in lesson.explanation and "batch size 16" in lesson.explanation
    settings = TrainSettings(epochs=3, batch_size=16, lr=0.01, schedule="linear", seed=0,
                             device="cpu")
    result = Trainer(design, bundled_training_data(), settings).run()
    assert result.epochs[-1].heldout_accuracy >= 0.95
