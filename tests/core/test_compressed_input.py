"""Instance files compressed with gzip, bzip2 or xz are read through (schedkit.common.textfile)."""

from __future__ import annotations

import bz2
import gzip
import lzma
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedkit
from schedkit.common import textfile
from schedkit.errors import ParseError

ROOT = Path(__file__).resolve().parents[2]
COMPRESSORS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


def _compressed(tmp_path: Path, source: Path, suffix: str) -> Path:
    target = tmp_path / (source.name + suffix)
    target.write_bytes(COMPRESSORS[suffix](source.read_bytes()))
    return target


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
@pytest.mark.parametrize("name", ["rcpsp/j30/j301_1.sm", "smtt/wt40.txt#3", "jobshop/classic/ft06",
                                  "jobshop/fjsp/edata_abz5.fjs", "dag/topcuoglu2002_fig2.json"])
def test_a_compressed_file_reads_as_the_plain_one(tmp_path: Path, suffix: str, name: str):
    file, _, selector = name.partition("#")
    source = ROOT / "instances" / file
    packed = _compressed(tmp_path, source, suffix)
    plain = schedkit.load(f"{source}#{selector}" if selector else source)
    read = schedkit.load(f"{packed}#{selector}" if selector else packed)
    assert type(read) is type(plain) and read.name == plain.name
    for key, value in vars(plain).items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(getattr(read, key), value), key


def test_a_broken_stream_is_one_line_and_exit_2(tmp_path: Path):
    packed = _compressed(tmp_path, ROOT / "instances/rcpsp/j30/j301_1.sm", ".gz")
    packed.write_bytes(packed.read_bytes()[:60])
    with pytest.raises(ParseError, match="broken gzip stream"):
        schedkit.load(packed)
    done = subprocess.run([sys.executable, "-m", "schedkit", "solve", str(packed)], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and str(packed) in done.stderr


def test_the_decompressed_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A small file may expand to any size: reading stops past the cap (lowered here)."""
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", 1 << 20)
    bomb = tmp_path / "zeros.sm.xz"
    bomb.write_bytes(lzma.compress(b"0" * (3 << 20)))
    assert bomb.stat().st_size < 10_000
    with pytest.raises(ParseError, match="once decompressed"):
        textfile.read_text(bomb)


@settings(max_examples=30, deadline=None)
@given(text=st.text(max_size=200), suffix=st.sampled_from(sorted(COMPRESSORS)))
def test_compressed_text_reads_back(tmp_path_factory: pytest.TempPathFactory, text: str, suffix: str):
    file = tmp_path_factory.mktemp("packed") / f"a.txt{suffix}"
    file.write_bytes(COMPRESSORS[suffix](text.encode("utf-8")))
    assert textfile.read_text(file) == text


@pytest.mark.parametrize("start", ["BZh is a word\n", "BZh91AY&S\n", "\x1f plain\n"])
def test_text_that_starts_like_bzip2_is_text(tmp_path: Path, start: str):
    file = tmp_path / "notes.txt"
    file.write_text(start)
    assert textfile.read_text(file) == start


def test_names_drop_both_extensions():
    assert textfile.file_stem("a/j301_1.sm.gz") == "j301_1" and textfile.file_stem("b/wt40.txt") == "wt40"
    assert textfile.plain_name("x/problems.json.xz") == Path("x/problems.json")
