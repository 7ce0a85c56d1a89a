"""The live updater: off the GUI thread, newest request wins, stale results are dropped."""

from __future__ import annotations

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
import torch

from convdesigner.compute.weights import materialize
from convdesigner.design import Conv2d, Design, InputSpec
from convdesigner.design.examples import learner_design
from convdesigner.ui.state.live import LiveUpdater
from tests.oracle import torch_outputs


@pytest.fixture
def updater(qapp):
    live = LiveUpdater("cpu")
    yield live
    live.shutdown()
    assert not live._thread.is_alive()


def test_a_frame_equals_torch_and_is_computed_off_the_gui_thread(updater, qtbot, monkeypatch) -> None:
    design = materialize(learner_design())
    image = np.random.default_rng(1).random((1, 28, 28), dtype=np.float32)
    threads = []
    original = LiveUpdater._compute

    def spy(engine, request, should_stop):
        threads.append(threading.current_thread())
        return original(engine, request, should_stop)

    monkeypatch.setattr(LiveUpdater, "_compute", staticmethod(spy))
    with qtbot.waitSignal(updater.frameReady, timeout=20000) as blocker:
        updater.request(design, image, focus=(2, 5))
    frame = blocker.args[0]
    assert threads and threads[0] is not threading.main_thread()
    for shown, expected in zip(frame.outputs, torch_outputs(design, image), strict=True):
        np.testing.assert_allclose(shown, expected, rtol=1e-6, atol=1e-6)
    total = frame.contributions.partial_maps.sum(axis=0) + frame.contributions.bias
    np.testing.assert_allclose(total, frame.outputs[2][5], rtol=1e-5, atol=1e-5)


def test_the_request_is_a_snapshot(updater, qtbot) -> None:
    design = materialize(learner_design())
    image = np.zeros((1, 28, 28), np.float32)
    with qtbot.waitSignal(updater.frameReady, timeout=20000) as blocker:
        updater.request(design, image)
        image[:] = 1.0  # the GUI keeps painting after asking
    assert float(blocker.args[0].image.max()) == 0.0


def test_stale_results_are_dropped_and_only_the_newest_is_shown(updater, qtbot) -> None:
    # A design slow enough that requests pile up behind the running one.
    design = materialize(Design(InputSpec(3, 96, 96), (Conv2d(3, 64, 3, padding=1), Conv2d(64, 64, 3, padding=1))))
    shown = []
    updater.frameReady.connect(lambda frame: shown.append(frame.request_id))
    last = 0
    for value in np.linspace(0, 1, 30, dtype=np.float32):
        last = updater.request(design, np.full((3, 96, 96), value, np.float32))
    qtbot.waitUntil(lambda: updater.idle, timeout=60000)
    assert shown[-1] == last
    assert shown == sorted(shown) and len(shown) < 30
    assert updater.computed_count < 30   # requests that were replaced while pending never ran
    np.testing.assert_allclose(updater.latest_request_id, last)


def test_an_engine_error_is_reported_and_the_worker_goes_on(updater, qtbot) -> None:
    design = materialize(learner_design())
    with qtbot.waitSignal(updater.failed, timeout=20000) as blocker:
        updater.request(design, np.zeros((1, 28, 28), np.float32), focus=(1, 0))  # not a Conv2d
    assert "not a Conv2d" in blocker.args[0]
    with qtbot.waitSignal(updater.frameReady, timeout=20000):
        updater.request(design, np.zeros((1, 28, 28), np.float32))


def test_a_missing_device_falls_back_to_the_cpu_with_a_note(updater, qtbot) -> None:
    if torch.cuda.is_available():
        pytest.skip("CUDA is present here")
    updater.set_device("cuda")
    design = materialize(learner_design())
    with qtbot.waitSignals([updater.deviceNote, updater.frameReady], timeout=20000):
        updater.request(design, np.zeros((1, 28, 28), np.float32))
    assert updater.idle


def test_explanations_run_on_the_worker_and_the_newest_of_a_kind_wins(updater, qtbot) -> None:
    from convdesigner.ui.state.live import ChannelTarget, PixelTarget
    design = materialize(learner_design())
    image = np.random.default_rng(2).random((1, 28, 28), dtype=np.float32)
    answers = []
    updater.explained.connect(lambda target, result, error: answers.append((target, result, error)))
    pixels = [PixelTarget(design, 0, image, 3, y, 1) for y in range(8)]
    channel = ChannelTarget(design, 0, image, 5)
    for target in pixels:
        updater.explain(target)
    updater.explain(channel)                  # another kind: not pushed out by the pixels
    qtbot.waitUntil(lambda: updater.idle, timeout=20000)
    shown = [target for target, _result, _error in answers]
    assert shown[-1] is pixels[-1] or shown[-2] is pixels[-1]
    assert channel in shown
    assert all(target is pixels[-1] for target in shown if isinstance(target, PixelTarget)
               and target is not shown[0])     # at most the first ran before the newest came
    for target, result, error in answers:
        assert error == ""
        if target is channel:
            expected = torch.nn.functional.conv2d(torch.tensor(image)[None],
                                                  torch.tensor(design.layers[0].weight),
                                                  torch.tensor(design.layers[0].bias_values),
                                                  stride=2, padding=1)[0, 5].numpy()
            np.testing.assert_allclose(result.partial_maps.sum(0) + result.bias, expected,
                                       rtol=1e-5, atol=1e-5)
        else:
            assert (result.out_channel, result.y, result.x) == (3, target.y, 1)


def test_an_explanation_error_is_answered_with_its_message(updater, qtbot) -> None:
    from convdesigner.ui.state.live import PixelTarget
    design = materialize(learner_design())
    target = PixelTarget(design, 0, np.zeros((1, 28, 28), np.float32), 3, 99, 0)
    with qtbot.waitSignal(updater.explained, timeout=20000) as blocker:
        updater.explain(target)
    assert blocker.args[0] is target and blocker.args[1] is None
    assert "y" in blocker.args[2] and "14" in blocker.args[2]


def _threads_of_a_new_thread() -> int:
    """torch's thread count as a thread that starts using torch now sees it."""
    seen = []
    thread = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
    thread.start()
    thread.join()
    return seen[0]


def test_the_worker_leaves_torchs_thread_count_as_it_found_it(qapp, qtbot) -> None:
    before = _threads_of_a_new_thread()
    live = LiveUpdater("cpu")
    try:
        design = materialize(learner_design())     # small: its frames run on one thread
        with qtbot.waitSignal(live.frameReady, timeout=20000):
            live.request(design, np.zeros((1, 28, 28), np.float32))
        assert _threads_of_a_new_thread() == before
    finally:
        live.shutdown()
    assert _threads_of_a_new_thread() == before
