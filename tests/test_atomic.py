"""The one atomic writer: permissions, links, devices, pipes and left-overs of killed saves."""

from __future__ import annotations

import os
import stat

import pytest

from convdesigner.atomic import (
    atomic_output,
    is_temporary_name,
    remove_stale_temporaries,
    temporary_name,
    write_text_atomically,
)
from convdesigner.design.io import load_design, save_design
from convdesigner.design.layers import Design, InputSpec
from convdesigner.errors import ConvDesignerError, DesignError


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_file_gets_the_umask_permissions_not_0600(tmp_path, umask_022) -> None:
    design_path = tmp_path / "d.json"
    save_design(Design(), design_path)
    assert stat.S_IMODE(design_path.stat().st_mode) == 0o644
    other = tmp_path / "model.py"
    write_text_atomically(other, "print(1)\n")
    assert stat.S_IMODE(other.stat().st_mode) == 0o644


def test_an_existing_files_permissions_are_kept(tmp_path, umask_022) -> None:
    path = tmp_path / "d.json"
    save_design(Design(), path)
    path.chmod(0o640)
    save_design(Design(InputSpec(1, 5, 5)), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert load_design(path).input.shape == (1, 5, 5)


def test_a_symlink_is_followed_and_stays_a_link(tmp_path) -> None:
    real = tmp_path / "real" / "d.json"
    real.parent.mkdir()
    save_design(Design(), real)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    save_design(Design(InputSpec(2, 6, 6)), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_design(real).input.shape == (2, 6, 6)
    # A dangling link creates its target.
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "real" / "new.json")
    save_design(Design(), dangling)
    assert dangling.is_symlink() and (tmp_path / "real" / "new.json").is_file()


def test_a_character_device_is_written_through(tmp_path, character_device) -> None:
    null = character_device(tmp_path, "null")
    write_text_atomically(null, "nothing\n")
    assert stat.S_ISCHR(null.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["null"] if null.parent == tmp_path else [])
    full = character_device(tmp_path, "full")
    with pytest.raises(ConvDesignerError, match="No space left on device"):
        write_text_atomically(full, "x" * 10000)
    assert stat.S_ISCHR(full.stat().st_mode)


def test_a_named_pipe_is_written_through_not_replaced(tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the writer's open returns
    try:
        with atomic_output(fifo) as stream:
            stream.write(b"through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_stale_temporaries_of_our_own_are_cleaned_on_the_next_save(tmp_path) -> None:
    stale = tmp_path / temporary_name("d.json")
    stale.write_bytes(b"x" * 1000)
    os.utime(stale, (0, 0))  # 1970: long ago
    fresh = tmp_path / temporary_name("d.json")  # a save in progress elsewhere: kept
    fresh.write_bytes(b"partial")
    os.utime(fresh, (2**40, 2**40))
    foreign = tmp_path / ".d.json.tmp"  # not ours: kept whatever its age
    foreign.write_bytes(b"theirs")
    os.utime(foreign, (0, 0))
    save_design(Design(), tmp_path / "d.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".d.json.tmp", fresh.name, "d.json"])


def test_temporary_names_are_recognised_and_fit_long_names(tmp_path) -> None:
    name = temporary_name("d.json")
    assert name.startswith(".d.json.convdesigner-") and is_temporary_name(name)
    assert not is_temporary_name(".d.json.tmp") and not is_temporary_name("d.json")
    long_name = "é" * 120 + ".json"  # 245 bytes: with a suffix it would exceed 255
    assert len(os.fsencode(temporary_name(long_name))) <= 255
    write_text_atomically(tmp_path / long_name, "{}")
    assert (tmp_path / long_name).read_text() == "{}"
    assert remove_stale_temporaries(tmp_path / "missing") == []


def test_a_folder_or_a_socket_is_refused(tmp_path) -> None:
    with pytest.raises(ConvDesignerError, match="it is a folder"):
        write_text_atomically(tmp_path, "x")
    with pytest.raises(DesignError, match="cannot write"):
        save_design(Design(), tmp_path / "missing" / "d.json")


def test_a_text_that_cannot_be_utf8_is_refused_before_writing(tmp_path) -> None:
    path = tmp_path / "d.json"
    path.write_text("old")
    with pytest.raises(DesignError, match="cannot be stored as UTF-8"):
        save_design(Design(name="bad \ud800 name"), path)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["d.json"]


def test_an_error_inside_the_block_leaves_the_target_and_no_temporary(tmp_path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_output(path) as stream:
        stream.write(b"new")
        raise KeyboardInterrupt
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
