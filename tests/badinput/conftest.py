"""Fixtures of the bad-input suite: a fresh copy of a small study folder per case
(see :mod:`badinput_support`)."""

import shutil

import pytest

from badinput_support import build_study_folder


@pytest.fixture(scope="session")
def study_template(tmp_path_factory) -> str:
    folder = str(tmp_path_factory.mktemp("badinput-template") / "study")
    build_study_folder(folder)
    return folder


@pytest.fixture
def work(study_template, tmp_path, monkeypatch) -> str:
    """A fresh copy of the study folder, also the working directory."""
    folder = str(tmp_path / "work")
    shutil.copytree(study_template, folder)
    monkeypatch.chdir(folder)
    return folder


