"""Report runs: papermill notebooks on the seed and on a fixture, one parse, failures, atomic output."""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import nbformat
import pytest

from framelens.config import NOTEBOOKS_DIR, SEED_ARTICLE
from framelens.runner import REPORT_NOTEBOOKS, NotebookFailed, run_report

FIXTURE = Path(__file__).parent / "fixtures" / "harbour_flood.txt"
pytestmark = pytest.mark.slow


def _outputs_text(nb_path: Path) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    chunks = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            chunks.append(out.get("text", "") if out.get("output_type") == "stream" else json.dumps(out.get("data", {})))
    return "\n".join(chunks)


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("seed")
    return run_report(SEED_ARTICLE, out_dir=root / "reports", processed_root=root / "processed"), root


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("fixture")
    return run_report(FIXTURE, out_dir=root / "reports", processed_root=root / "processed"), root


@pytest.mark.parametrize("which", ["seed_report", "fixture_report"])
def test_report_directory_contents(which, request):
    result, _root = request.getfixturevalue(which)
    d = result.report_dir
    assert (d / "report.html").stat().st_size > 1000
    assert (d / "report.md").is_file()
    for figure in ("top_actors", "actor_mentions_along", "word_frequencies", "tokenizer_counts"):
        assert (d / "figures" / f"{figure}.png").stat().st_size > 1000
        assert (d / "figures" / f"{figure}.svg").read_text().lstrip().startswith("<?xml")
    for table in ("paragraphs", "actors", "mentions", "word_frequencies", "collocations", "cooccurrence"):
        assert (d / "tables" / f"{table}.csv").is_file()
    assert sorted(p.stem for p in (d / "notebooks").glob("*.ipynb")) == sorted(REPORT_NOTEBOOKS)
    assert not [p for p in d.parent.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_report_html_has_no_code_and_embeds_figures(seed_report):
    result, _ = seed_report
    html = (result.report_dir / "report.html").read_text()
    assert "data:image/png;base64," in html
    assert "import framelens" not in html and "notebook_inputs" not in html
    assert "Sputnik International" in html and "Vladimir Putin" in html


def test_one_parse_serves_every_notebook(seed_report):
    result, root = seed_report
    sources = [re.search(r"analysis (parsed|loaded|cached)", _outputs_text(nb)).group(1) for nb in result.notebooks]
    assert sources == ["cached"] * len(REPORT_NOTEBOOKS)  # analysed once in the kernel, before the notebooks
    assert (root / "processed" / result.article_id / "article.json").is_file()


def test_notebooks_share_one_kernel_but_not_its_variables(tmp_path):
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    _notebook(nb_dir / "01_first.ipynb", "import os\nleft_behind = os.getpid()\nprint('pid', left_behind)")
    _notebook(nb_dir / "02_second.ipynb", "import os\nprint('pid', os.getpid(), 'leftover' if 'left_behind' in dir() else 'clean')")
    result = run_report(FIXTURE, out_dir=tmp_path / "reports", notebooks=("01_first", "02_second"), notebooks_dir=nb_dir, processed_root=tmp_path / "p")
    first, second = (_outputs_text(nb) for nb in result.notebooks)
    assert first.split()[1] == second.split()[1]  # the same kernel process
    assert "clean" in second


def test_one_kernel_client_serves_the_analysis_and_every_notebook(tmp_path, monkeypatch):
    """A client per notebook would cost its own connection and jupyter_client's wait_for_ready
    (which waits 0.2 s to drain IOPub) each time; the report makes one."""
    from jupyter_client.client import KernelClient

    made = []
    real_init = KernelClient.__init__

    def counting_init(self, *args, **kw):
        made.append(type(self).__name__)
        real_init(self, *args, **kw)

    monkeypatch.setattr(KernelClient, "__init__", counting_init)
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    for name in ("01_first", "02_second", "03_third"):
        _notebook(nb_dir / f"{name}.ipynb", f"print({name!r})")
    result = run_report(FIXTURE, out_dir=tmp_path / "reports", notebooks=("01_first", "02_second", "03_third"),
                        notebooks_dir=nb_dir, processed_root=tmp_path / "p")
    assert [n.stem in _outputs_text(n) for n in result.notebooks] == [True] * 3
    assert len(made) == 1, made


def test_fixture_report_is_about_the_fixture(fixture_report):
    result, _ = fixture_report
    actors = (result.report_dir / "tables" / "actors.csv").read_text()
    assert "Joanna Pike" in actors and "Putin" not in actors


def _notebook(path: Path, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('article_path: str = ""  # article\noutput_dir: str = ""  # output')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_an_executed_notebook_is_written_when_it_starts_and_ends_not_around_each_cell(tmp_path, monkeypatch):
    import papermill.engines

    writes = []
    real_write = papermill.engines.write_ipynb
    monkeypatch.setattr(papermill.engines, "write_ipynb", lambda nb, path, **kw: (writes.append(path), real_write(nb, path, **kw)))
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    _notebook(nb_dir / "01_cells.ipynb", "\n".join(f"print({i})" for i in range(3)))
    result = run_report(FIXTURE, out_dir=tmp_path / "reports", notebooks=("01_cells",), notebooks_dir=nb_dir, processed_root=tmp_path / "p")
    assert len(writes) == 2  # papermill's default: twice more per cell (four cells with the parameters)
    executed = nbformat.read(result.notebooks[0], as_version=4)
    assert all(c.metadata.papermill["status"] == "completed" for c in executed.cells)
    assert "0\n1\n2" in _outputs_text(result.notebooks[0])


def test_failing_notebook_names_notebook_and_cell_and_writes_no_report(tmp_path):
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    _notebook(nb_dir / "01_ok.ipynb", "print('fine')")
    _notebook(nb_dir / "02_broken.ipynb", "raise ValueError('deliberate failure')")
    out = tmp_path / "reports"
    with pytest.raises(NotebookFailed) as info:
        run_report(FIXTURE, out_dir=out, notebooks=("01_ok", "02_broken"), notebooks_dir=nb_dir, processed_root=tmp_path / "p")
    message = str(info.value)
    assert "02_broken" in message and "ValueError" in message and "deliberate failure" in message
    assert "cell" in message
    assert not (out / "harbour_flood").exists()
    kept = out / "_failed" / "harbour_flood" / "02_broken.ipynb"
    assert "deliberate failure" in _outputs_text(kept) or "deliberate failure" in kept.read_text()


def test_failing_report_via_cli_exits_non_zero(tmp_path, monkeypatch):
    import framelens.runner as runner

    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    _notebook(nb_dir / "01_tokenising.ipynb", "1/0")
    # the CLI looks run_report up at call time: point it at the broken notebook
    monkeypatch.setattr(runner, "run_report", functools.partial(runner.run_report, notebooks_dir=nb_dir, processed_root=tmp_path / "p"))
    from framelens.cli import main

    assert main(["report", str(FIXTURE), "--out", str(tmp_path / "reports")]) == 1
    assert not (tmp_path / "reports" / "harbour_flood").exists()


def test_a_failing_report_among_several_stops_only_its_own_file(tmp_path, capsys, monkeypatch):
    import framelens.runner as runner
    from framelens.cli import main

    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    _notebook(nb_dir / "01_tokenising.ipynb", "if 'broken' in article_path:\n    raise ValueError('deliberate failure')")
    monkeypatch.setattr(
        runner, "run_report",
        functools.partial(runner.run_report, notebooks=("01_tokenising",), notebooks_dir=nb_dir, processed_root=tmp_path / "p"),
    )
    broken, good = tmp_path / "broken.txt", tmp_path / "good.txt"
    for path in (broken, good):
        path.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["report", str(broken), str(good), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [str(out / "good" / "report.html")]
    err = captured.err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith("framelens: failed: ") and "broken.txt" in err[0] and "NotebookFailed" in err[0]
    assert err[1] == "framelens: 1 of 2 reports written, 1 failed"
    assert (out / "good" / "report.html").is_file() and not (out / "broken").exists()
    assert (out / "_failed" / "broken" / "01_tokenising.ipynb").is_file()


def test_notebooks_have_one_tagged_parameters_cell_with_typed_commented_literals():
    import papermill as pm

    for name in REPORT_NOTEBOOKS:
        nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        for line in tagged[0].source.splitlines():
            assert ": " in line.split("=")[0] and "#" in line, (name, line)
        params = pm.inspect_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"))
        assert {"article_path", "spacy_model", "output_dir"} <= set(params)
        assert all(p["help"] for p in params.values()), name


def test_report_runs_on_an_article_with_no_names_and_no_quotes(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text(
        "the weather was mild on monday and most people stayed at home.\n"
        "rain is expected later in the week, with cooler air arriving from the west by the weekend.\n"
    )
    result = run_report(path, out_dir=tmp_path / "reports", processed_root=tmp_path / "p")
    markdown = (result.report_dir / "report.md").read_text()
    assert "The article quotes no one" in markdown
    assert "No people or organisations are named" in markdown


def test_a_dead_kernel_is_reported_on_one_line_and_keeps_a_failed_copy(tmp_path, capsys, monkeypatch):
    import framelens.runner as runner
    from framelens.cli import main

    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    _notebook(nb_dir / "01_tokenising.ipynb", "import os\nos._exit(9)")
    monkeypatch.setattr(runner, "run_report", functools.partial(runner.run_report, notebooks_dir=nb_dir, processed_root=tmp_path / "p"))
    assert main(["report", str(FIXTURE), "--out", str(tmp_path / "reports")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "kernel died" in err[0], err
    assert (tmp_path / "reports" / "_failed" / "harbour_flood" / "01_tokenising.ipynb").is_file()
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["_failed"]



def _spec(python: str) -> dict:
    return {"resource_dir": "/x", "spec": {"argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"]}}


def test_the_project_kernel_is_used_when_it_is_this_environments(tmp_path, caplog):
    import sys

    from framelens.errors import FramelensError
    from framelens.runner import choose_kernel

    ours, other = _spec(str(Path(sys.prefix) / "bin" / "python")), _spec(str(tmp_path / "elsewhere" / "bin" / "python"))
    assert choose_kernel({"framelens": ours, "python3": _spec("python")}, sys.prefix) == "framelens"
    assert choose_kernel({"framelens": _spec("python"), "python3": _spec("python")}, sys.prefix) == "framelens"
    assert choose_kernel({"python3": _spec("python")}, sys.prefix) == "python3"  # a fresh clone before `make`
    with caplog.at_level("WARNING", logger="framelens.runner"):
        assert choose_kernel({"framelens": other, "python3": _spec("python")}, sys.prefix) == "python3"
    assert "not this environment's Python" in caplog.text
    with pytest.raises(FramelensError, match="run `make`"):
        choose_kernel({}, sys.prefix)


def test_a_report_runs_without_the_project_kernel_installed(tmp_path, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    from framelens import runner

    every_spec = KernelSpecManager.get_all_specs
    monkeypatch.setattr(KernelSpecManager, "get_all_specs", lambda self: {k: v for k, v in every_spec(self).items() if k != "framelens"})
    assert runner.kernel_name() == "python3"
    result = run_report(FIXTURE, out_dir=tmp_path / "r", processed_root=tmp_path / "p", notebooks=("01_tokenising",))
    assert (result.report_dir / "notebooks" / "01_tokenising.ipynb").is_file() and (result.report_dir / "report.html").is_file()


def test_report_process_loads_no_table_libraries():
    """What `framelens report` does before the kernel analyses (parse the command line, load and
    check the article and its corrections, import papermill) loads neither pandas, pyarrow nor
    spaCy: the kernel loads them, and a second copy would cost the report process a second."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from framelens import cli, runner\n"
        "from framelens.article import load_article\n"
        "from framelens.corrections import find_corrections\n"
        f"article = load_article({str(SEED_ARTICLE)!r})\n"
        "find_corrections(article.path, None)\n"
        "runner._import_papermill(); runner._register_engine()\n"
        "print(' '.join(sorted(m for m in ('pandas', 'pyarrow', 'spacy', 'numpy') if m in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == []
    assert "pyarrow" not in result.stderr
