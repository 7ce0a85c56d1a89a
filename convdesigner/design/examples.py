"""Designs the app opens with and offers as starting points (pure data, no torch)."""

from __future__ import annotations

from convdesigner.design.i18n import QT_TRANSLATE_NOOP
from convdesigner.design.layers import Conv2d, Design, InputSpec, LeakyReLU


def learner_design() -> Design:
    """The design from the question this project was born from: a GAN discriminator for MNIST.

    ``Conv2d(1, 64, 4, 2, 1)`` → ``LeakyReLU(0.2)`` → ``Conv2d(64, 128, 4, 2, 1)`` on 1×28×28.
    """
    return Design(
        input=InputSpec(1, 28, 28),
        layers=(Conv2d(1, 64, 4, 2, 1), LeakyReLU(0.2), Conv2d(64, 128, 4, 2, 1)),
        name=QT_TRANSLATE_NOOP("lessons", "MNIST discriminator (the learner's question)"),
        seed=0,
    )
