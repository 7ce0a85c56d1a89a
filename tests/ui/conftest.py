"""Fixtures of the ui tests: the document most tests edit, and a selection that follows it."""

from __future__ import annotations

import pytest

from convdesigner.design.examples import learner_design
from convdesigner.ui.state.document import DesignDocument
from convdesigner.ui.state.selection import Selection


@pytest.fixture
def document(qapp) -> DesignDocument:
    """The learner's design, ``Conv2d(1, 64, 4, 2, 1)`` → ``LeakyReLU(0.2)`` →
    ``Conv2d(64, 128, 4, 2, 1)`` on 1×28×28, as the app opens it. A test file that needs another
    design overrides this fixture."""
    return DesignDocument(learner_design())


@pytest.fixture
def selection(document) -> Selection:
    """A selection of ``document``, nothing selected yet."""
    return Selection(document)
