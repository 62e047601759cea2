"""FolderCommit and StagedOutputs: a folder or file is the complete old state or the complete new one."""

import json
import os

import pytest

from toolbox import atomic
from toolbox.atomic import MANIFEST, FolderCommit, OutputConflict, StagedOutputs


def write(folder, files):
    for name, text in files.items():
        path = os.path.join(folder, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def contents(folder):
    found = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            if relative != MANIFEST:
                with open(path, encoding="utf-8") as handle:
                    found[relative] = handle.read()
    return found


def commit(folder, files, **options):
    with FolderCommit(str(folder), **options) as staging:
        write(staging, files)


def test_first_run_creates_the_folder_with_a_manifest(tmp_path):
    folder = tmp_path / "run"
    commit(folder, {"report.html": "new", "tables/a.csv": "a"})
    assert contents(folder) == {"report.html": "new", "tables/a.csv": "a"}
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["files"] == {"report.html": 3, "tables/a.csv": 1}
    assert atomic.folder_is_complete(str(folder))
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(folder).st_mode & 0o777 == 0o777 & ~umask
    assert [e for e in os.listdir(tmp_path) if e != "run"] == []


def test_rerun_drops_files_the_new_run_does_not_write_and_keeps_the_users(tmp_path):
    folder = tmp_path / "run"
    commit(folder, {"report.html": "old", "tables/drivers.csv": "d", "figures/drivers.png": "p"})
    write(str(folder), {"notes.txt": "mine", "tables/my-own.csv": "mine too", "mine/deep/x.txt": "x"})
    os.mkdir(folder / "empty")
    inode = os.stat(folder / "notes.txt").st_ino
    commit(folder, {"report.html": "new", "tables/results.csv": "r"})
    assert contents(folder) == {"report.html": "new", "tables/results.csv": "r", "notes.txt": "mine",
                                "tables/my-own.csv": "mine too", "mine/deep/x.txt": "x"}
    assert not (folder / "figures").exists()  # only the dropped run's figure was in it
    assert (folder / "empty").is_dir()
    assert os.stat(folder / "notes.txt").st_ino == inode  # the same file, not a copy
    assert sorted(os.listdir(tmp_path)) == ["run"]


def test_failure_while_writing_leaves_the_old_run(tmp_path):
    folder = tmp_path / "run"
    commit(folder, {"report.html": "old", "log.txt": "old log"})
    with pytest.raises(RuntimeError):
        with FolderCommit(str(folder)) as staging:
            write(staging, {"report.html": "half"})
            raise RuntimeError("disk trouble")
    assert contents(folder) == {"report.html": "old", "log.txt": "old log"}
    assert sorted(os.listdir(tmp_path)) == ["run"]


def test_keyboard_interrupt_while_writing_leaves_the_old_run(tmp_path):
    folder = tmp_path / "run"
    commit(folder, {"report.html": "old"})
    with pytest.raises(KeyboardInterrupt):
        with FolderCommit(str(folder)) as staging:
            write(staging, {"report.html": "half"})
            raise KeyboardInterrupt
    assert contents(folder) == {"report.html": "old"}


def test_an_input_inside_the_folder_is_refused_before_any_work(tmp_path):
    folder = tmp_path / "data"
    write(str(folder), {"study.gpkg": "panel layer"})
    with pytest.raises(OutputConflict, match="holds an input of the study.*study.gpkg"):
        FolderCommit(str(folder), inputs=[f"{folder}/study.gpkg|layername=panel"])
    assert contents(folder) == {"study.gpkg": "panel layer"}


def test_an_input_reached_through_a_symlink_is_refused(tmp_path):
    real = tmp_path / "real"
    write(str(real), {"panel.csv": "x"})
    os.symlink(real, tmp_path / "alias")
    with pytest.raises(OutputConflict, match="holds an input"):
        FolderCommit(str(tmp_path / "alias"), inputs=[str(real / "panel.csv")])
    os.symlink(real / "panel.csv", tmp_path / "link.csv")
    with pytest.raises(OutputConflict, match="holds an input"):
        FolderCommit(str(real), inputs=[str(tmp_path / "link.csv")])


def test_a_file_as_folder_is_refused(tmp_path):
    (tmp_path / "results").write_text("a file")
    with pytest.raises(OutputConflict, match="existing file, not a folder"):
        FolderCommit(str(tmp_path / "results"))


def test_replacing_a_file_the_toolbox_did_not_write_is_refused(tmp_path):
    folder = tmp_path / "papers"
    write(str(folder), {"report.html": "my own report"})
    with pytest.raises(OutputConflict, match="report.html.*not written by the toolbox"):
        FolderCommit(str(folder), planned=["report.html"])
    with pytest.raises(OutputConflict, match="not written by the toolbox"):
        commit(folder, {"report.html": "new"})
    assert contents(folder) == {"report.html": "my own report"}
    assert sorted(os.listdir(tmp_path)) == ["papers"]


def test_a_run_folder_from_before_manifests_is_adopted_by_its_marker(tmp_path):
    folder = tmp_path / "old"
    write(str(folder), {"study-resolved.toml": "t", "report.html": "r", "tables/drivers.csv": "d",
                        "notes.txt": "mine"})
    commit(folder, {"study-resolved.toml": "t2", "report.html": "r2"},
           legacy_marker="study-resolved.toml",
           legacy_patterns=("study-resolved.toml", "report.html", "tables/*.csv"))
    assert contents(folder) == {"study-resolved.toml": "t2", "report.html": "r2", "notes.txt": "mine"}


def test_leftovers_of_a_killed_process_are_swept(tmp_path):
    dead = 2 ** 22 + 12345  # above the default pid_max of 2**22: no such process
    (tmp_path / f".run.ccd-new-{dead}-abcd").mkdir()
    (tmp_path / f".out.ccd-tmp-{dead}-abcd.csv").write_text("partial")
    commit(tmp_path / "run", {"a.txt": "a"})
    assert sorted(os.listdir(tmp_path)) == [f".out.ccd-tmp-{dead}-abcd.csv", "run"]
    with StagedOutputs() as staged:
        with open(staged.path(str(tmp_path / "out.csv")), "w") as handle:
            handle.write("complete")
    assert sorted(os.listdir(tmp_path)) == ["out.csv", "run"]


def test_a_folder_caught_between_the_fallback_renames_is_restored(tmp_path):
    dead = 2 ** 22 + 54321
    new = tmp_path / f".run.ccd-new-{dead}-abcd"
    write(str(new), {"report.html": "new", MANIFEST: json.dumps({"files": {"report.html": 3}})})
    old = tmp_path / f".run.ccd-old-{dead}-abcd"
    write(str(old), {"report.html": "old"})
    atomic.sweep_leftovers(str(tmp_path), "run")
    assert sorted(os.listdir(tmp_path)) == ["run"]
    assert contents(tmp_path / "run") == {"report.html": "new"}


def test_the_fallback_swap_without_exchange_gives_the_same_result(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)
    folder = tmp_path / "run"
    commit(folder, {"report.html": "old", "x.csv": "x"})
    write(str(folder), {"notes.txt": "mine"})
    commit(folder, {"report.html": "new"})
    assert contents(folder) == {"report.html": "new", "notes.txt": "mine"}
    assert sorted(os.listdir(tmp_path)) == ["run"]


def test_working_directory_inside_the_folder_follows_it(tmp_path, monkeypatch):
    folder = tmp_path / "run"
    commit(folder, {"report.html": "old"})
    (folder / "sub").mkdir()
    (folder / "sub" / "keep.txt").write_text("k")
    monkeypatch.chdir(folder / "sub")
    commit(folder, {"report.html": "new"})
    assert os.getcwd() == str(folder / "sub")
    assert open("keep.txt").read() == "k"


def test_staged_outputs_move_together_or_not_at_all(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old a")
    with pytest.raises(RuntimeError):
        with StagedOutputs() as staged:
            with open(staged.path(str(first)), "w") as handle:
                handle.write("new a")
            raise RuntimeError("second output failed")
    assert first.read_text() == "old a" and not second.exists()
    assert sorted(os.listdir(tmp_path)) == ["a.csv"]
    with StagedOutputs() as staged:
        for path in (first, second):
            with open(staged.path(str(path)), "w") as handle:
                handle.write("new")
    assert first.read_text() == second.read_text() == "new"


def test_a_geopackage_open_with_unsaved_changes_is_refused(tmp_path):
    (tmp_path / "w.gpkg").write_bytes(b"x")
    (tmp_path / "w.gpkg-wal").write_bytes(b"pending")
    with pytest.raises(OutputConflict, match="open in another program"):
        StagedOutputs().path(str(tmp_path / "w.gpkg"), copy_existing=True)
