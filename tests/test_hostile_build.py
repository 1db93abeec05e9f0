"""A build survives any file: hostile files (made here, never stored) beside sample reports,
under a 3 GB address-space limit; folders through links; one report in two files."""

import os
import resource
import shutil
import subprocess
import sys

import pytest

from .pdfs import raw_pdf

GREENWICH_2020 = "80495_greenwich/children's services inspection - 27 january 2020.pdf"  # of the sample
STOCKTON_2023 = "80563_stockton-on-tees/children's services inspection - 09 may 2023.pdf"
# What a worker that a file took down may be reported as (which one depends on the machine).
WORKER_REASONS = ("the reader stopped on it (", "reading it took longer than 30 s (stopped)",
                  "reading it needs more memory than a reader may use")


def run(*args, limit_gb: int | None = None):
    def limit() -> None:
        if limit_gb:
            resource.setrlimit(resource.RLIMIT_AS, (limit_gb * 2**30, limit_gb * 2**30))

    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True,
                          preexec_fn=limit, timeout=600)


@pytest.fixture
def greenwich_2020(sample_reports):
    return sample_reports / GREENWICH_2020


def stats(store) -> str:
    return run("query", "stats", "--store", str(store), "--format", "csv").stdout.replace("\r", "")


def test_hostile_files_beside_reports_under_3_gb(tmp_path, sample_reports):
    folder = tmp_path / "in"
    folder.mkdir()
    for report in (sample_reports / GREENWICH_2020, sample_reports / STOCKTON_2023):
        shutil.copy(report, folder / report.name)
    # A page stream that inflates to 400 MB of text: 2.9 MB on disk.
    line = b"BT /F1 1 Tf 10 10 Td (" + b"A" * 1000 + b") Tj ET\n"
    raw_pdf(folder / "bomb.pdf", (line * 1000 for _ in range(400)))
    # One page showing 17 million characters.
    raw_pdf(folder / "chars.pdf", [b"BT /F1 1 Tf 10 10 Td (" + b"B" * 17_000_000 + b") Tj ET\n"])
    # 2.5 GB that takes no disk: refused by its size, never read or hashed whole.
    with (folder / "huge.pdf").open("wb") as handle:
        handle.truncate(2500 * 2**20)
    result = run("build", str(folder), "--store", str(tmp_path / "s"), "-j", "2", "--file-seconds", "30",
                 limit_gb=3)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("2 ingested, 0 stored with problems, 0 unchanged, 3 failed in "), result.stderr
    failed = sorted(lines[1:])
    assert len(failed) == 3
    assert failed[0].startswith("failed: bomb.pdf: ")
    assert any(failed[0].startswith(f"failed: bomb.pdf: {reason}") for reason in WORKER_REASONS), failed[0]
    assert failed[1] == ("failed: chars.pdf: not an Ofsted children's services inspection report (no known "
                         f"title on page 1: '{'B' * 60}')")
    assert failed[2] == "failed: huge.pdf: the file is 2,500 MB; files over 200 MB are not read"
    assert "reports,2" in stats(tmp_path / "s")


def test_a_reader_killed_by_its_time_limit_is_replaced(tmp_path):
    """With a limit no real report meets, every file fails by name and the build ends."""
    folder = tmp_path / "in"
    folder.mkdir()
    line = b"BT /F1 1 Tf 10 10 Td (" + b"A" * 1000 + b") Tj ET\n"
    for number in range(3):
        raw_pdf(folder / f"slow-{number}.pdf", (line * 1000 for _ in range(200)))
    result = run("build", str(folder), "--store", str(tmp_path / "s"), "-j", "1", "--file-seconds", "1",
                 "--file-memory", "4096")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("0 ingested, 0 stored with problems, 0 unchanged, 3 failed in ")
    assert sorted(lines[1:]) == [f"failed: slow-{n}.pdf: reading it took longer than 1 s (stopped)"
                                 for n in range(3)]


def test_folders_through_links_are_searched_once(tmp_path, greenwich_2020):
    real = tmp_path / "real"
    real.mkdir()
    shutil.copy(greenwich_2020, real / "greenwich.pdf")
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(real, target_is_directory=True)
    (top / "loop").symlink_to(top, target_is_directory=True)  # would search for ever
    result = run("build", str(top), "--store", str(tmp_path / "s"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("1 ingested, 0 stored with problems, 0 unchanged, 0 failed in ")


# Root reads every folder, unless it gives up the capabilities that let it.
AS_USER = (["setpriv", "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else [])


@pytest.mark.skipif(AS_USER != [] and shutil.which("setpriv") is None, reason="root, and no setpriv")
def test_an_unreadable_folder_is_reported(tmp_path, greenwich_2020):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(greenwich_2020, folder / "greenwich.pdf")
    os.chmod(folder / "locked", 0)
    try:
        result = subprocess.run([*AS_USER, sys.executable, "-m", "ofsted_kg", "build", str(folder), "--store",
                                 str(tmp_path / "s")], capture_output=True, text=True, timeout=600)
    finally:
        os.chmod(folder / "locked", 0o755)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[1:] == [
        f"failed: {folder / 'locked'}: the folder cannot be searched (Permission denied)"]
    assert result.stderr.startswith("1 ingested, 0 stored with problems, 0 unchanged, 1 failed in ")


def test_one_report_in_two_files_settles_on_one_copy(tmp_path, greenwich_2020):
    folder = tmp_path / "in"
    folder.mkdir()
    data = greenwich_2020.read_bytes()
    (folder / "b.pdf").write_bytes(data)
    (folder / "a.pdf").write_bytes(data + b"\n% another download of the same report\n")
    note = ("note: b.pdf and a.pdf are the same report (<https://w3id.org/ofsted-kg/id/report/80495/ilacs/"
            "2019-12-09>); a.pdf is stored (first by path)")
    query = tmp_path / "files.rq"
    query.write_text("PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>\n"
                     "SELECT ?name WHERE { ?r a ofsted:Report ; ofsted:fileName ?name }\n")
    for _ in range(2):
        result = run("build", str(folder), "--store", str(tmp_path / "s"), "-j", "2")
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines()[1:] == [note]
        names = run("sparql", str(query), "--store", str(tmp_path / "s"), "--format", "csv").stdout.split()
        assert names == ["name", "a.pdf"]
