"""Kernel presets: the values a first course expects, checked by convolving with PyTorch, and the
apply helpers, which change exactly the chosen scope (bit for bit) and nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from convdesigner.design import Conv2d
from convdesigner.design.presets import (
    PRESETS,
    PresetNotAvailable,
    anchor_cell,
    apply_to_kernel,
    apply_to_layer,
    apply_to_sub_kernel,
    box_blur,
    gabor,
    identity,
    laplacian,
    preset_values,
    restore_input_channel,
    set_bias,
    set_weight,
    sharpen,
    sobel_x,
    sobel_y,
    sub_kernel_values,
    zero_input_channel,
    zeros,
)
from convdesigner.errors import DesignError

torch = pytest.importorskip("torch")
F = torch.nn.functional


def conv(image: np.ndarray, kernel: np.ndarray, **kwargs) -> np.ndarray:
    """PyTorch's conv2d of a one-channel ``[H, W]`` image with one ``[kH, kW]`` kernel."""
    out = F.conv2d(torch.from_numpy(image[None, None].astype(np.float32)),
                   torch.from_numpy(kernel[None, None].astype(np.float32)), **kwargs)
    return out[0, 0].numpy()


@pytest.fixture
def image() -> np.ndarray:
    return np.random.default_rng(3).random((12, 12)).astype(np.float32)


def random_layer(**kwargs) -> Conv2d:
    layer = Conv2d(**kwargs)
    rng = np.random.default_rng(7)
    bias = rng.standard_normal(layer.out_channels) if layer.bias else None
    return layer.with_parameters(rng.standard_normal(layer.weight_shape), bias)


# -- values --------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6, 7])
def test_identity_convolved_with_an_image_returns_the_image(image, size) -> None:
    # The usual "keep the size" padding, (k - 1) // 2 before: for even k PyTorch's 'same'.
    result = conv(image, identity(size, size), padding="same")
    assert np.array_equal(result, image)
    if size % 2 == 0 and size > 1:
        # Conv2d(…, 4, 2, 1) (padding 1 = (4 - 1) // 2 each side): stride 2 picks every other pixel.
        strided = conv(image, identity(size, size), stride=2, padding=(size - 1) // 2)
        assert np.array_equal(strided[: image.shape[0] // 2, : image.shape[1] // 2], image[::2, ::2])


def test_identity_puts_its_one_at_the_cell_pytorch_padding_aligns() -> None:
    assert anchor_cell(3, 3) == (1, 1) and anchor_cell(4, 4) == (1, 1) and anchor_cell(5, 2) == (2, 0)
    assert identity(4, 4).sum() == 1.0 and identity(4, 4)[1, 1] == 1.0


def test_sobel_x_is_positive_on_a_dark_to_bright_vertical_edge() -> None:
    edge = np.zeros((20, 20), np.float32)
    edge[:, 10:] = 1.0                      # dark on the left, bright on the right
    assert np.array_equal(sobel_x(3, 3), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    for size in (3, 5, 7):
        response = conv(edge, sobel_x(size, size))
        assert response.max() > 0 and response.min() == 0       # positive at the edge only
        assert np.all(conv(edge[:, ::-1].copy(), sobel_x(size, size)) <= 0)  # bright→dark: negative
        assert np.all(conv(edge.T.copy(), sobel_x(size, size)) == 0)         # blind to horizontal edges


def test_sobel_y_is_positive_where_the_image_gets_brighter_downwards() -> None:
    edge = np.zeros((9, 9), np.float32)
    edge[5:, :] = 1.0
    assert np.array_equal(sobel_y(3, 3), [[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
    assert conv(edge, sobel_y(3, 3)).max() > 0 and conv(edge, sobel_y(3, 3)).min() == 0
    assert np.array_equal(sobel_y(5, 5), sobel_x(5, 5).T)
    # 5×5 is the standard construction: binomial smoothing ⊗ smoothed derivative.
    assert np.array_equal(sobel_x(5, 5), np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1]))


def test_laplacian_and_sharpen() -> None:
    assert np.array_equal(laplacian(3, 3), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    assert np.array_equal(sharpen(3, 3), [[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    assert not any(np.signbit(v) and v == 0 for v in sharpen(3, 3).ravel())   # no "-0" cells
    for size in (3, 5, 7):
        assert laplacian(size, size).sum() == 0
        assert sharpen(size, size).sum() == pytest.approx(1.0, abs=1e-6)
        ramp = np.tile(np.arange(12, dtype=np.float32), (12, 1))   # a plane: second derivative 0
        assert np.allclose(conv(ramp, laplacian(size, size)), 0)
    assert laplacian(5, 5)[2, 2] == -24      # OpenCV's Laplacian(ksize=5)


@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (3, 3), (4, 4), (5, 3), (7, 7)])
def test_box_blur_sums_to_one_and_keeps_flat_areas(shape) -> None:
    kernel = box_blur(*shape)
    assert kernel.dtype == np.float32 and kernel.shape == shape
    assert kernel.sum(dtype=np.float64) == pytest.approx(1.0, abs=1e-6)
    assert np.allclose(conv(np.full((10, 10), 0.7, np.float32), kernel), 0.7, atol=1e-6)


def test_gabor_orientation_rotates_the_kernel_and_its_response() -> None:
    for size in (3, 4, 5, 7):
        for theta in (0.0, 30.0, 45.0):
            assert np.allclose(gabor(size, size, theta=theta + 90), np.rot90(gabor(size, size, theta=theta)),
                               atol=1e-6)
    wavelength = 7 / 1.5      # the default for 7×7
    columns = np.arange(20, dtype=np.float32)
    vertical_stripes = np.tile(np.cos(2 * np.pi * columns / wavelength), (20, 1)).astype(np.float32)
    horizontal_stripes = vertical_stripes.T.copy()
    energy = lambda img, theta: float(np.abs(conv(img, gabor(7, 7, theta=theta))).mean())  # noqa: E731
    assert energy(vertical_stripes, 0) > 3 * energy(vertical_stripes, 90)
    assert energy(horizontal_stripes, 90) > 3 * energy(horizontal_stripes, 0)
    assert gabor(5, 5).max() == 1.0 and gabor(5, 5).dtype == np.float32


def test_every_preset_returns_float32_of_the_size_it_supports() -> None:
    for preset in PRESETS.values():
        for kh, kw in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (3, 5), (6, 4)]:
            if preset.supports(kh, kw):
                values = preset.values(kh, kw)
                assert values.shape == (kh, kw) and values.dtype == np.float32
                assert np.all(np.isfinite(values))
                assert preset.unavailable_message(kh, kw) is None
            else:
                with pytest.raises(PresetNotAvailable):
                    preset.values(kh, kw)
        assert preset.name and preset.description and preset.sizes


@pytest.mark.parametrize("key, name", [("sharpen", "Sharpen")])
def test_odd_only_presets_say_why_an_even_size_is_refused(key, name) -> None:
    preset = PRESETS[key]
    assert preset.supports(3, 3) and preset.supports(5, 5) and preset.supports(3, 5)
    assert not preset.supports(4, 4) and not preset.supports(1, 1) and not preset.supports(3, 4)
    message = f"{name} is not available for 4×4 kernels (it needs an odd size: 3×3, 5×5, …)"
    with pytest.raises(PresetNotAvailable) as error:
        preset_values(key, 4, 4)
    assert str(error.value) == message
    assert isinstance(error.value, DesignError)
    assert preset.unavailable_message(4, 4) == message


@pytest.mark.parametrize("key", ["zeros", "identity", "box_blur", "gabor"])
def test_any_size_presets_support_even_and_one_by_one(key) -> None:
    for shape in [(1, 1), (2, 2), (4, 4), (6, 3)]:
        assert PRESETS[key].supports(*shape)
        assert preset_values(key, *shape).shape == shape


def test_bad_requests_raise_design_errors() -> None:
    with pytest.raises(DesignError, match="no kernel preset"):
        preset_values("emboss", 3, 3)
    with pytest.raises(DesignError, match="takes no parameter"):
        preset_values("sobel_x", 3, 3, theta=4)
    with pytest.raises(DesignError, match="finite"):
        gabor(3, 3, theta=float("nan"))
    with pytest.raises(DesignError):
        zeros(0, 3)


# -- apply helpers -------------------------------------------------------------------------------
def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def changed_mask(before: Conv2d, after: Conv2d) -> np.ndarray:
    return before.weight.view(np.uint32) != after.weight.view(np.uint32)


def test_apply_to_sub_kernel_changes_that_sub_kernel_only() -> None:
    layer = random_layer(in_channels=4, out_channels=6, kernel_size=3)
    values = sobel_x(3, 3)
    after = apply_to_sub_kernel(layer, 2, 1, values)
    assert after is not layer and layer.weight.flags.writeable is False
    assert same(after.weight[2, 1], values)
    expected = np.zeros(layer.weight_shape, bool)
    expected[2, 1] = changed_mask(layer, after)[2, 1]
    assert np.array_equal(changed_mask(layer, after), expected)
    assert same(after.bias_values, layer.bias_values)
    assert after == layer   # same arguments


def test_apply_to_kernel_changes_every_sub_kernel_of_that_kernel_only() -> None:
    layer = random_layer(in_channels=4, out_channels=6, kernel_size=3)
    after = apply_to_kernel(layer, 5, identity(3, 3))
    for sub in range(4):
        assert same(after.weight[5, sub], identity(3, 3))
    assert same(after.weight[:5], layer.weight[:5]) and same(after.bias_values, layer.bias_values)
    whole = np.arange(4 * 9, dtype=np.float32).reshape(4, 3, 3)
    assert same(apply_to_kernel(layer, 0, whole).weight[0], whole)


def test_apply_to_layer_changes_every_weight_and_keeps_the_bias() -> None:
    layer = random_layer(in_channels=4, out_channels=6, kernel_size=(3, 5), groups=2)
    after = apply_to_layer(layer, np.ones((3, 5)))
    assert after.weight.shape == layer.weight_shape and np.all(after.weight == 1)
    assert same(after.bias_values, layer.bias_values)


def test_apply_checks_shapes_and_indices() -> None:
    layer = random_layer(in_channels=2, out_channels=3, kernel_size=3)
    with pytest.raises(DesignError, match="do not fit"):
        apply_to_sub_kernel(layer, 0, 0, np.zeros((5, 5)))
    with pytest.raises(DesignError, match="kernel 3 does not exist"):
        apply_to_kernel(layer, 3, np.zeros((3, 3)))
    with pytest.raises(DesignError, match="sub-kernel 2 does not exist"):
        apply_to_sub_kernel(layer, 0, 2, np.zeros((3, 3)))
    with pytest.raises(DesignError, match="NaN"):
        apply_to_layer(layer, np.full((3, 3), np.nan))
    with pytest.raises(DesignError, match="no weights"):
        apply_to_layer(Conv2d(1, 1, 3), np.zeros((3, 3)))


def test_set_weight_and_set_bias_change_one_number() -> None:
    layer = random_layer(in_channels=2, out_channels=3, kernel_size=4)
    after = set_weight(layer, 1, 0, 2, 3, 0.5)
    assert after.weight[1, 0, 2, 3] == np.float32(0.5)
    assert np.count_nonzero(changed_mask(layer, after)) == 1
    biased = set_bias(layer, 2, -1.25)
    assert biased.bias_values[2] == np.float32(-1.25)
    assert same(biased.bias_values[:2], layer.bias_values[:2]) and same(biased.weight, layer.weight)
    assert np.all(set_bias(layer, None, 0.0).bias_values == 0)
    with pytest.raises(DesignError, match="no bias"):
        set_bias(random_layer(in_channels=1, out_channels=1, kernel_size=3, bias=False), 0, 1.0)


def test_zero_and_restore_round_trip_bit_for_bit() -> None:
    layer = random_layer(in_channels=3, out_channels=4, kernel_size=3)
    saved = sub_kernel_values(layer, 2, 1)
    zeroed = zero_input_channel(layer, 2, 1)
    assert np.all(zeroed.weight[2, 1] == 0)
    assert np.count_nonzero(changed_mask(layer, zeroed)) == 9
    assert restore_input_channel(zeroed, 2, 1, saved).same_parameters(layer)
    # ... or from an earlier value of the layer itself.
    assert restore_input_channel(zeroed, 2, 1, layer).same_parameters(layer)
    with pytest.raises(DesignError, match="cannot restore"):
        restore_input_channel(zeroed, 2, 1, random_layer(in_channels=3, out_channels=5, kernel_size=3))


def test_input_channel_of_follows_groups() -> None:
    assert Conv2d(4, 6, 3).input_channel(5, 3) == 3
    assert Conv2d(4, 6, 3, groups=2).input_channel(4, 1) == 3   # kernel 4 reads channels 2, 3


def test_presets_module_needs_neither_torch_nor_qt(subprocess_env) -> None:
    import subprocess
    import sys
    code = ("import sys, convdesigner.design.presets; "
            "print(any(m.split('.')[0] in {'torch', 'PySide6', 'pyqtgraph'} for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env=subprocess_env)
    assert result.stdout.strip() == "False"


def test_the_edge_presets_have_even_sized_versions() -> None:
    # 4×4, the opening design's kernels: the Sobel construction with the difference taken between
    # the two middle cells.
    np.testing.assert_array_equal(sobel_x(4, 4), np.outer([1, 3, 3, 1], [-1, -1, 1, 1]))
    np.testing.assert_array_equal(sobel_y(4, 4), sobel_x(4, 4).T)
    np.testing.assert_array_equal(laplacian(4, 4), [[2, 2, 2, 2], [2, -6, -6, 2],
                                                    [2, -6, -6, 2], [2, 2, 2, 2]])
    np.testing.assert_array_equal(sobel_x(2, 2), [[-1, 1], [-1, 1]])
    for kh, kw in [(2, 2), (4, 4), (6, 6), (4, 3), (3, 4), (6, 5)]:
        for function in (sobel_x, sobel_y):
            values = function(kh, kw)
            assert values.dtype == np.float32 and values.shape == (kh, kw) and values.sum() == 0
        assert sobel_y(kh, kw).T.tolist() == sobel_x(kw, kh).tolist()
        if min(kh, kw) >= 3:
            assert laplacian(kh, kw).sum() == 0
            ramp = np.tile(np.arange(12, dtype=np.float32), (12, 1))   # second derivative 0
            assert np.allclose(conv(ramp, laplacian(kh, kw)), 0)
            assert np.allclose(conv(ramp.T.copy(), laplacian(kh, kw)), 0)
    # Sobel x 4×4 finds a dark-to-bright vertical edge (positive), is 0 on flat areas, and is
    # largest where the edge runs between the kernel's two middle columns.
    edge = np.zeros((8, 8), np.float32)
    edge[:, 4:] = 1.0
    response = conv(edge, sobel_x(4, 4))
    assert response.min() >= 0 and response[:, 0].max() == 0
    assert int(np.argmax(response[2])) == 2 and response[2, 2] == 16      # columns 2..5: 3|4
    assert np.all(conv(edge, sobel_y(4, 4)) == 0)
    # Too small a kernel is refused with a sentence.
    assert PRESETS["laplacian"].unavailable_message(2, 2) == (
        "Laplacian is not available for 2×2 kernels (it needs at least 3×3)")
    assert not PRESETS["sobel_x"].supports(1, 3) and PRESETS["sobel_x"].supports(4, 4)
    assert PRESETS["sobel_x"].supports(3, 3) and PRESETS["laplacian"].supports(4, 4)
