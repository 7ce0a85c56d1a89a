"""Decompression bombs and damaged archives are refused from their headers, before inflating."""

from __future__ import annotations

import gzip
import struct
import zipfile

import numpy as np
import pytest
import torch

from convdesigner.compute import import_weights
from convdesigner.compute.import_weights import read_state_dict
from convdesigner.data import idx
from convdesigner.data.loaders import load_array_file
from convdesigner.errors import InputFileError


def gzip_idx(path, shape, payload_bytes: int, declared_type: int = 0x08) -> None:
    """An IDX .gz whose header declares ``shape`` followed by ``payload_bytes`` zeros (streamed)."""
    header = struct.pack(">BBBB", 0, 0, declared_type, len(shape)) + struct.pack(f">{len(shape)}I", *shape)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as stream:
        stream.write(header)
        chunk = bytes(1024**2)
        for _ in range(payload_bytes // len(chunk)):
            stream.write(chunk)
        stream.write(bytes(payload_bytes % len(chunk)))


@pytest.fixture
def no_payload_read(monkeypatch):
    monkeypatch.setattr(idx, "_read_payload", lambda *a: pytest.fail("inflated the payload"))


def test_a_gz_idx_of_huge_images_is_refused_from_its_header(tmp_path, no_payload_read) -> None:
    path = tmp_path / "bomb-images-idx3-ubyte.gz"
    gzip_idx(path, (1, 8192, 8192), 64 * 1024**2)            # 64 MB of zeros, ~65 kB on disk
    assert path.stat().st_size < 200_000
    with pytest.raises(InputFileError, match=r"8192×8192 pixels .* too large"):
        load_array_file(path)


def test_a_gz_idx_over_the_byte_limit_is_refused_before_inflating(tmp_path, monkeypatch,
                                                                   no_payload_read) -> None:
    monkeypatch.setattr(idx, "MAX_IDX_BYTES", 1_000_000)
    path = tmp_path / "many-images-idx3-ubyte.gz"
    gzip_idx(path, (2000, 28, 28), 2000 * 28 * 28)           # 1.6 MB of 28×28 digits
    with pytest.raises(InputFileError, match=r"1,568,000 bytes\), more than the 1,000,000-byte limit"):
        load_array_file(path)


def test_the_memory_budget_lowers_the_idx_limit(tmp_path, monkeypatch, no_payload_read) -> None:
    monkeypatch.setenv("CONVDESIGNER_MEMORY_BUDGET", "500000")
    path = tmp_path / "many-images-idx3-ubyte.gz"
    gzip_idx(path, (2000, 28, 28), 2000 * 28 * 28)
    with pytest.raises(InputFileError, match=r"more than the 500,000-byte limit"):
        load_array_file(path)


def test_a_lying_header_cannot_inflate_more_than_it_declares(tmp_path, monkeypatch) -> None:
    path = tmp_path / "liar-images-idx3-ubyte.gz"
    gzip_idx(path, (1, 28, 28), 8 * 1024**2)                 # declares 784 bytes, holds 8 MB
    read = []
    original = gzip.GzipFile.read
    monkeypatch.setattr(gzip.GzipFile, "read", lambda self, n=-1: read.append(n) or original(self, n))
    with pytest.raises(InputFileError, match="more data than its header declares"):
        load_array_file(path)
    assert all(0 <= n <= 784 for n in read)                  # never "read everything"


def test_big_endian_idx_values_come_back_native_and_exact(tmp_path) -> None:
    values = np.arange(-6, 6, dtype=np.float64).reshape(1, 3, 4) / 7
    idx.write_idx(tmp_path / "f.idx", values)
    back = idx.read_idx(tmp_path / "f.idx")
    assert back.dtype == np.float64 and back.dtype.isnative and np.array_equal(back, values)


# -- .pt archives --------------------------------------------------------------------------------

def saved_state(path) -> dict[str, torch.Tensor]:
    state = {"conv.weight": torch.arange(64, dtype=torch.float32).reshape(4, 1, 4, 4),
             "conv.bias": torch.ones(4)}
    torch.save(state, path)
    return state


def test_a_deflated_pt_that_unpacks_past_the_limit_is_refused_from_its_directory(tmp_path, monkeypatch) -> None:
    path = tmp_path / "bomb.pt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
        archive.writestr("archive/data/0", bytes(50 * 1024**2))      # 50 MB of zeros, ~50 kB
    assert path.stat().st_size < 200_000
    monkeypatch.setattr(import_weights, "MAX_FILE_BYTES", 10 * 1024**2)
    monkeypatch.setattr(torch, "load", lambda *a, **k: pytest.fail("torch.load was called"))
    with pytest.raises(InputFileError, match=r"bomb.pt would unpack to 52,428,8\d\d bytes .*at most "
                                             r"10,485,760 bytes"):
        read_state_dict(path)


def test_a_pt_larger_than_the_budget_is_refused_from_its_size(tmp_path, monkeypatch) -> None:
    path = tmp_path / "model.pt"
    saved_state(path)
    monkeypatch.setenv("CONVDESIGNER_MEMORY_BUDGET", "1000")        # half of it: 500 bytes
    monkeypatch.setattr(torch, "load", lambda *a, **k: pytest.fail("torch.load was called"))
    with pytest.raises(InputFileError, match=r"model.pt is [\d,]+ bytes; weights files of at most 500 "):
        read_state_dict(path)


def test_corrupted_tensor_bytes_are_detected_by_the_zip_crc(tmp_path) -> None:
    path = tmp_path / "model.pt"
    state = saved_state(path)
    raw = bytearray(path.read_bytes())
    data = state["conv.weight"].numpy().tobytes()
    offset = raw.index(data[8:40])                          # inside the weight's stored bytes
    raw[offset] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(InputFileError, match=r"model.pt is damaged: its record '.*data/0' does not "
                                             r"match its checksum \(CRC-32\); it was not imported"):
        read_state_dict(path)
    path_ok = tmp_path / "ok.pt"
    saved_state(path_ok)
    assert np.array_equal(read_state_dict(path_ok)["conv.weight"], state["conv.weight"].numpy())
