"""The PyTorch side of ConvDesigner: running designs, explaining convolutions, exporting code.

Imports torch and numpy, never Qt, so the command line and worker threads can use it.

* :mod:`~convdesigner.compute.device`  -- "auto"/"cpu"/"cuda"/"mps" with a fallback to the CPU;
* :mod:`~convdesigner.compute.weights` -- seeded default initialisation of missing parameters;
* :mod:`~convdesigner.compute.modules` -- design layer -> ``nn`` module (object and source code);
* :mod:`~convdesigner.compute.engine`  -- ``build_model``, ``run`` and the live app's ``Engine``;
* :mod:`~convdesigner.compute.explain` -- per-sub-kernel maps and one pixel's arithmetic;
* :mod:`~convdesigner.compute.export`  -- PyTorch code and state_dict files;
* :mod:`~convdesigner.compute.files`   -- atomic output files.
"""

from convdesigner.compute.device import DeviceChoice, available_devices, resolve_device
from convdesigner.compute.engine import Engine, LiveResult, RunResult, build_model, run
from convdesigner.compute.explain import (
    Contributions,
    PixelExplanation,
    PixelTerm,
    contributions,
    explain_pixel,
)
from convdesigner.compute.export import generate_code, save_weights
from convdesigner.compute.weights import default_init_values, initialize_conv, materialize

__all__ = [
    "Contributions", "DeviceChoice", "Engine", "LiveResult", "PixelExplanation", "PixelTerm",
    "RunResult", "available_devices", "build_model", "contributions", "default_init_values",
    "explain_pixel", "generate_code", "initialize_conv", "materialize", "resolve_device", "run",
    "save_weights",
]
