"""packages/file_store: each data file read from disk once per command, within a budget."""

from __future__ import annotations

import pytest

from tambon_portal.packages import descriptor_reader
from tambon_portal.packages.file_store import FileStore, TooLarge


def test_a_file_asked_for_twice_is_read_from_disk_once_and_keeps_its_first_bytes(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"x\n1\n")
    store = FileStore()
    assert store.read(path) == b"x\n1\n"
    path.write_bytes(b"x\n2\n")  # changed under a running build: every stage sees one version
    assert store.read(path) == b"x\n1\n"
    assert store.reads == 1


def test_past_its_budget_the_store_reads_again_instead_of_keeping(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"0123456789")
    store = FileStore(budget=5)
    assert store.read(path) == store.read(path) == b"0123456789"
    assert store.reads == 2


def test_a_file_past_the_limit_raises_too_large_and_is_not_kept(tmp_path):
    path = tmp_path / "datapackage.json"
    path.write_bytes(b"{}" + b" " * 100)
    store = FileStore()
    with pytest.raises(TooLarge):
        store.read(path, limit=10)
    assert store.read(path) == b"{}" + b" " * 100
    with pytest.raises(TooLarge):  # kept now, still refused under the limit
        store.read(path, limit=10)


def test_a_missing_file_raises_the_error_path_read_bytes_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        FileStore().read(tmp_path / "absent.csv")


def test_a_descriptor_read_through_a_store_is_not_read_again(tmp_path):
    path = tmp_path / "datapackage.json"
    path.write_text('{"name": "x", "resources": []}', encoding="utf-8")
    store = FileStore()
    assert descriptor_reader.read_descriptor(path, store) == {"name": "x", "resources": []}
    assert descriptor_reader.read_descriptor(path, store)["name"] == "x"
    assert store.reads == 1
