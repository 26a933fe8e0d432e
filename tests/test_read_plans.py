"""``read_plans`` over folders: notes beside plans are passed over, named files are not."""

import shutil

import pytest

from kg.model import PlanError
from loaders import read_plans


def test_folder_with_a_readme_reads_the_plans(tmp_path, sample_path):
    shutil.copy(sample_path, tmp_path / "plan.txt")
    (tmp_path / "README.md").write_text("# Notes\nNo table here.\n", encoding="utf-8")
    result = read_plans([tmp_path])
    assert len(result.documents) == 1 and len(result.tasks) == 30


def test_a_named_file_without_table_still_fails(tmp_path):
    note = tmp_path / "README.md"
    note.write_text("# Notes\n", encoding="utf-8")
    with pytest.raises(PlanError, match="no task table"):
        read_plans([note])


def test_many_documents_keep_their_order(tmp_path, sample_path):
    for i in range(3):
        shutil.copy(sample_path, tmp_path / f"p{i}.txt")
    result = read_plans([tmp_path])
    assert [t.source.file for t in result.tasks[::30]] == [str(tmp_path / f"p{i}.txt") for i in range(3)]
