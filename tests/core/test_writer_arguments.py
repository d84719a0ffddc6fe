"""A writer's format argument is the count its reader splits by: one that disagrees with the
instance wrote a file that reads back as other instances; now it is refused."""

from __future__ import annotations

import pytest

import schedkit
from schedkit.errors import SchedkitError
from schedkit.loading import write
from tests.conftest import DATA, ROOT

WT40_1 = f"{ROOT / 'instances' / 'smtt' / 'wt40.txt'}#1"


@pytest.mark.parametrize(("source", "name", "format", "match"), [
    (WT40_1, "out.txt", "orlib-wt:5", "orlib-wt:40"),  # 40 jobs read back as 8 instances of 5
    (WT40_1, "wt50.txt", None, "wt40.txt"),  # the name says 50 jobs
    (WT40_1, "wt50.txt", "orlib-wt:40", "wt40.txt"),
    (DATA / "dag" / "small.stg", "o.stg", "stg:8", "stg:4"),  # read back on 8 processors
    (ROOT / "instances" / "vmr" / "sample_m12.json", "folder", "vmr-csv:K=5", "migration_limit"),
])
def test_a_disagreeing_format_argument_is_refused(tmp_path, source, name, format, match):
    instance = schedkit.load(source)
    with pytest.raises(SchedkitError, match=match):
        write(instance, tmp_path / name, format)


def test_an_agreeing_argument_round_trips(tmp_path):
    instance = schedkit.load(WT40_1)
    path = write(instance, tmp_path / "out.txt", "orlib-wt:40")
    back = schedkit.load(path, format="orlib-wt:40")
    assert back.p.tolist() == instance.p.tolist() and back.d.tolist() == instance.d.tolist()
