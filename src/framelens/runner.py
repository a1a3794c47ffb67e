"""Run the report notebooks for one article with papermill, staging the output and moving it into place."""
from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import queue
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .article import load_article
from .corrections import find_corrections
from .config import NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR
from .errors import FramelensError
from .ids import article_folder
from .staging import atomic_path
from .nlp import resolve_model_name

if TYPE_CHECKING:
    import pandas as pd

    from .analysis import Analysis

log = logging.getLogger(__name__)

# The report notebooks, in the order they run; each reads the saved analysis and adds to output_dir.
REPORT_NOTEBOOKS = ("01_tokenising", "02_entities", "03_quotes_timeline", "04_framing_report")


# The project's kernel ("Python (framelens)"): `make` installs it into the environment, and every
# committed notebook names it. FALLBACK_KERNEL is ipykernel's own, always this interpreter.
PROJECT_KERNEL = "framelens"
FALLBACK_KERNEL = "python3"


def kernel_name() -> str:
    """The kernel that runs the notebooks: the project's, when it is installed for this
    environment, else ipykernel's ``python3`` (this interpreter: a fresh clone before ``make``,
    a test environment). A ``framelens`` kernel of another environment is not used, with a
    one-line warning, since it would import another copy of framelens."""
    from jupyter_client.kernelspec import KernelSpecManager

    return choose_kernel(KernelSpecManager().get_all_specs(), sys.prefix)


def choose_kernel(specs: dict[str, dict], prefix: str) -> str:
    """``kernel_name`` for the kernelspecs ``specs`` (as KernelSpecManager.get_all_specs gives
    them) and the environment ``prefix``; FramelensError when there is no usable kernel at all."""
    project = specs.get(PROJECT_KERNEL)
    if project is not None:
        argv = project.get("spec", {}).get("argv") or [""]
        python = Path(argv[0])
        if not python.is_absolute() or python.parent.parent.resolve() == Path(prefix).resolve():
            return PROJECT_KERNEL
        log.warning("the %r Jupyter kernel runs %s, not this environment's Python; using %r", PROJECT_KERNEL, python, FALLBACK_KERNEL)
    if FALLBACK_KERNEL in specs:
        return FALLBACK_KERNEL
    raise FramelensError(f"no Jupyter kernel for the notebooks: run `make` (it installs the {PROJECT_KERNEL!r} kernel)")


class NotebookFailed(RuntimeError):
    """A report notebook raised; the message names the notebook, the cell and where the copy is kept."""


@dataclass
class ReportResult:
    """Where a report run put things."""

    article_id: str
    report_dir: Path
    notebooks: list[Path]


def run_report(
    article_path: Path | str,
    *,
    out_dir: Path | str = REPORTS_DIR,
    model: str | None = None,
    metadata: dict[str, Any] | None = None,
    notebooks: Sequence[str] = REPORT_NOTEBOOKS,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    processed_root: Path | None = None,
    corrections: Path | str | None = None,
) -> ReportResult:
    """Analyse the article once, run each notebook on it, and write ``out_dir/<article-id>/``.

    ``corrections`` is a corrections file; None: the sidecar ``<stem>.corrections.yaml``, if any.

    The last notebook (04_framing_report) writes report.md and report.html. All the notebooks
    run in one kernel, one after the other (each with a fresh namespace), so imports, the spaCy
    model and the analysis itself are loaded once per report, by the first notebook.

    The report is built in a staging directory and moved into place only when every notebook
    succeeded, so ``out_dir`` never holds a half-written report. A failing notebook raises
    NotebookFailed; its executed copy (with the error) is kept in ``out_dir/_failed/<id>/``.
    """
    article_path = Path(article_path).absolute()  # not resolved: a symlink keeps its own name
    out_dir = Path(out_dir).resolve()
    corrections = Path(corrections).resolve() if corrections else None
    article = load_article(article_path, metadata=metadata)  # bad input fails here, before any kernel starts
    find_corrections(article.path, corrections)  # and so does a bad corrections file
    resolve_model_name(model)
    target = article_folder(out_dir, article.id)
    params = {
        "article_path": str(article_path),
        "spacy_model": model or "",
        "processed_root": str(processed_root or ""),
        "corrections_path": str(corrections or ""),
        **{k: str(v) for k, v in (metadata or {}).items() if k in ("title", "outlet", "date") and v},
    }
    executed = []
    with _one_kernel() as kernel:
        _analyse_in_kernel(kernel, params)  # bad input found by the analysis stops here, before anything is written
        with atomic_path(target) as stage:
            (stage / "notebooks").mkdir(parents=True)
            params["output_dir"] = str(stage)
            for name in notebooks:
                executed.append(_execute(notebooks_dir / f"{name}.ipynb", stage / "notebooks", params, out_dir, article.id, kernel))
            if not (stage / "report.html").is_file():
                from .analysis import load_or_analyze  # (this process imports no pandas otherwise)
                from .report import write_report  # a run without the report notebook still gets its page

                analysis = load_or_analyze(article_path, model=model, processed_root=processed_root, metadata=metadata, corrections=corrections)
                write_report(analysis, stage, parameters=params)
    return ReportResult(article.id, target, [target / "notebooks" / p.name for p in executed])


def _quiet_kernel_manager(kernel_dir: Path | None = None):
    """A kernel manager whose kernel does not print its start-up warnings on our stderr, whose
    connection file is written in ``kernel_dir`` (a folder of the report run's own, removed
    when the run ends) rather than left among the system's Jupyter runtime files, and whose
    ``client()`` is one client for the whole report (see _shared_client_class).

    Cell errors still reach us through the kernel's messages; only the kernel process's own
    log lines (transport warnings, shutdown notices) are dropped.
    """
    import subprocess
    import uuid

    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw):
            kw.setdefault("stderr", subprocess.DEVNULL)
            if kernel_dir is not None and not self.connection_file:
                kernel_dir.mkdir(parents=True, exist_ok=True)
                self.connection_file = str(kernel_dir / f"kernel-{uuid.uuid4()}.json")
            return await super().start_kernel(**kw)

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # jupyter_client polls a killed kernel every 0.1 s until it is gone, and a report's
            # kernel is gone within milliseconds of its SIGKILL: every report waited 0.1 s for it
            await super()._async_wait(pollinterval=min(pollinterval, 0.005))

        def client(self, **kw):
            shared = self.__dict__.get("shared_client")
            if shared is None:
                self.client_factory = _shared_client_class()
                shared = self.__dict__["shared_client"] = super().client(**kw)
                shared.start_channels()
            return shared

        def close_clients(self) -> None:
            # nbclient leaves the client of a kernel it does not own connected
            client = self.__dict__.pop("shared_client", None)
            if client is not None:
                client.stop_channels()

    return QuietKernelManager


@functools.lru_cache(maxsize=1)
def _shared_client_class():
    """The client every step of a report uses (the analysis, each notebook, the resets between them).

    Each new client would cost 0.2 s or more: jupyter_client's ``wait_for_ready`` (which nbclient
    calls per notebook) waits 0.2 s to drain IOPub after the kernel answers, and waits and asks
    again when the new IOPub subscription missed the answer's status messages. Here a client is
    ready once the kernel has answered a kernel_info request on shell and its status for that
    request has come on IOPub (so IOPub is connected); nbclient reads only the messages that
    answer its own requests, so nothing is drained.
    """
    from jupyter_client.asynchronous import AsyncKernelClient

    class SharedClient(AsyncKernelClient):
        def start_channels(self, *args, **kw):
            if not self.channels_running:  # nbclient starts them again for each notebook
                super().start_channels(*args, **kw)

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + (timeout or 60)
            while not await self._answers_on_both_channels(deadline - loop.time()):
                if not await self._async_is_alive():
                    raise RuntimeError("the kernel died before it answered")
                if loop.time() > deadline:
                    raise RuntimeError(f"the kernel did not answer within {timeout or 60:.0f} s")

        async def _answers_on_both_channels(self, timeout: float) -> bool:
            request = self.kernel_info()
            for channel in (self.shell_channel, self.iopub_channel):
                while True:
                    try:
                        msg = await channel.get_msg(timeout=max(min(timeout, 1.0), 0.05))
                    except queue.Empty:
                        return False
                    if msg["parent_header"].get("msg_id") == request:
                        break
            return True

    return SharedClient


# Run in the kernel between two notebooks: the next one starts with no variables and no open
# figures, as in a fresh kernel, but keeps the imported modules and what they cached.
# (%reset would also collect garbage over every object the libraries hold: half a second each time.)
_FRESH_NAMESPACE = """\
import matplotlib.pyplot
matplotlib.pyplot.close("all")
for _name in [n for n in get_ipython().user_ns if not n.startswith("_") and n not in get_ipython().user_ns_hidden]:
    del get_ipython().user_ns[_name]
"""


@contextlib.contextmanager
def _one_kernel():
    """A kernel for every notebook of one report, started now; shut down when the report is done."""
    from jupyter_core.utils import run_sync

    kernel_dir = Path(tempfile.mkdtemp(prefix="framelens-kernel-"))  # its connection file, removed after
    kernel = _quiet_kernel_manager(kernel_dir)(kernel_name=kernel_name())
    try:
        run_sync(kernel.start_kernel)(cwd=str(PROJECT_ROOT))
        yield kernel
    finally:
        kernel.close_clients()
        if kernel.has_kernel:
            run_sync(kernel.shutdown_kernel)(now=True)
        shutil.rmtree(kernel_dir, ignore_errors=True)


def _analyse_in_kernel(kernel, params: dict[str, str]) -> None:
    """Analyse the article in the report kernel (the notebooks then reuse it) while this process
    imports papermill; an input error the analysis finds is raised here as a FramelensError."""
    from jupyter_core.utils import run_sync

    client = kernel.client()
    request = client.execute(_ANALYSE.format(params=params), store_history=False)
    _import_papermill()
    while True:
        try:
            reply = run_sync(client.get_shell_msg)(timeout=30)
        except queue.Empty:
            if not run_sync(kernel.is_alive)():
                raise NotebookFailed("the report kernel died while analysing the article") from None
            continue
        if reply["parent_header"].get("msg_id") == request:
            break
    content = reply["content"]
    if content["status"] == "error":
        if content["ename"] == "FramelensError":
            raise FramelensError(content["evalue"])
        raise NotebookFailed(f"analysing the article in the report kernel failed ({content['ename']}: {content['evalue']})")


# The imports every notebook makes, and the analysis they share (runner.notebook_analysis).
_ANALYSE = """\
import matplotlib.pyplot, pandas, framelens.plots
framelens.plots.show_saved_figures(get_ipython())
from framelens.runner import notebook_analysis
notebook_analysis(**{params!r});
"""


def _fresh_namespace(kernel) -> None:
    from jupyter_core.utils import run_sync

    reply = run_sync(kernel.client().execute_interactive)(
        _FRESH_NAMESPACE, store_history=False, timeout=60, output_hook=lambda _msg: None
    )
    if reply["content"]["status"] != "ok":
        raise FramelensError(f"the report kernel could not be reset between notebooks ({reply['content'].get('ename')})")


# Optional imports of papermill's dependencies that a report never uses, hidden while papermill
# loads (an import of them fails fast, and each library runs without that option): jsonschema's
# format checkers (notebook validation checks no format; rfc3987_syntax alone compiles a grammar
# for about 2 s) and papermill's HDFS handler (all of pyarrow, a fifth of a second; reports are written to
# local files). The report process then loads neither pyarrow nor pandas.
_UNUSED_OPTIONAL_IMPORTS = (
    "rfc3987_syntax", "rfc3987", "rfc3986_validator", "rfc3339_validator", "isoduration", "uri_template",
    "webcolors", "jsonpointer", "fqdn", "pyarrow",
)


def _import_papermill():
    """papermill, imported without the optional modules of ``_UNUSED_OPTIONAL_IMPORTS``
    (those not loaded already: a module in use is never hidden)."""
    import sys

    if "papermill" in sys.modules:
        import papermill

        return papermill
    hidden = [name for name in _UNUSED_OPTIONAL_IMPORTS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # an import of it now fails fast
    try:
        import papermill
    finally:
        for name in hidden:
            del sys.modules[name]
    return papermill


REPORT_ENGINE = "framelens"


@functools.lru_cache(maxsize=1)
def _register_engine() -> None:
    """Register (once) papermill's nbclient engine with one change: the executed notebook is written
    when it starts, when it ends (also after an error) and every 30 s, not before and after every
    cell (papermill's default re-encodes every figure of the notebook twice per cell)."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SaveAtEnds(NotebookExecutionManager):
        _in_cell_hook = False

        def save(self, **kwargs):
            if not self._in_cell_hook:
                super().save(**kwargs)

        def cell_start(self, cell, cell_index=None, **kwargs):
            with self._cell_hook():
                super().cell_start(cell, cell_index, **kwargs)

        def cell_complete(self, cell, cell_index=None, **kwargs):
            with self._cell_hook():
                super().cell_complete(cell, cell_index, **kwargs)

        @contextlib.contextmanager
        def _cell_hook(self):
            self._in_cell_hook = True
            try:
                yield
            finally:
                self._in_cell_hook = False

    class SaveAtEndsEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            # papermill's Engine.execute_notebook, with the manager above
            nb_man = SaveAtEnds(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                                autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(REPORT_ENGINE, SaveAtEndsEngine)


def _execute(source: Path, stage: Path, params: dict[str, str], out_dir: Path, article_id: str, kernel) -> Path:
    from nbclient.exceptions import DeadKernelError

    pm = _import_papermill()
    _register_engine()

    name, output = source.stem, stage / source.name
    if not source.is_file():
        raise FramelensError(f"notebook {source} is missing")
    log.info("running %s", name)
    _fresh_namespace(kernel)
    try:
        pm.execute_notebook(
            str(source), str(output), parameters=params, kernel_name=kernel.kernel_name,
            cwd=str(PROJECT_ROOT), progress_bar=False, log_output=False, km=kernel, engine_name=REPORT_ENGINE,
        )
    except pm.PapermillExecutionError as exc:
        kept = _keep_failed_copy(output if output.is_file() else source, out_dir, article_id)
        raise NotebookFailed(
            f"notebook {name} failed in cell {exc.cell_index} ({exc.ename}: {exc.evalue}); executed copy kept at {kept}"
        ) from None
    except DeadKernelError:
        kept = _keep_failed_copy(output if output.is_file() else source, out_dir, article_id)
        raise NotebookFailed(
            f"notebook {name}: the kernel died (out of memory, or killed); the copy run so far is kept at {kept}"
        ) from None
    return output


def _keep_failed_copy(notebook: Path, out_dir: Path, article_id: str) -> Path:
    kept = article_folder(out_dir / "_failed", article_id) / notebook.name
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook, kept)
    return kept


def notebook_analysis(
    article_path: str, *, spacy_model: str = "", processed_root: str = "", corrections_path: str = "", **metadata: str
) -> "Analysis":
    """The analysis a notebook works on (notebook parameters as in ``notebook_inputs``): this
    process's own if it made one for the same inputs, else the saved one if current, else fresh."""
    from .analysis import load_or_analyze

    return load_or_analyze(
        _project_path(article_path), model=spacy_model or None, processed_root=Path(processed_root) if processed_root else None,
        metadata={k: v for k, v in metadata.items() if v},
        corrections=_project_path(corrections_path) if corrections_path else None, reuse=True,
    )


def notebook_inputs(
    article_path: str,
    *,
    spacy_model: str = "",
    output_dir: str = "",
    processed_root: str = "",
    corrections_path: str = "",
    **metadata: str,
) -> tuple["Analysis", Path]:
    """What every report notebook starts with: the (saved or fresh) analysis and its output folder.

    Relative paths are taken from the project root, so a notebook works from JupyterLab as well
    as from the runner. ``output_dir`` "" means ``reports/<article-id>/``; ``corrections_path``
    "" means the article's sidecar ``<stem>.corrections.yaml``, if it exists.
    """
    analysis = notebook_analysis(article_path, spacy_model=spacy_model, processed_root=processed_root, corrections_path=corrections_path, **metadata)
    out = Path(output_dir) if output_dir else REPORTS_DIR / analysis.article.id
    if not out.is_absolute():
        out = PROJECT_ROOT / out
    for sub in ("figures", "tables"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    return analysis, out


def _project_path(path: str) -> Path:
    """A path as given, relative ones taken from the project root."""
    return Path(path) if Path(path).is_absolute() else PROJECT_ROOT / path


def save_table(table: "pd.DataFrame", output_dir: Path | str, name: str) -> Path:
    """Write ``table`` to ``output_dir/tables/<name>.csv`` (spreadsheet-safe, see csvfiles) and return the path."""
    from .csvfiles import write_csv

    path = Path(output_dir) / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_csv(table, path)


_EXTERNAL_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>', re.I)


def export_html(notebook: Path | str, output: Path | str, *, show_code: bool = True) -> Path:
    """Export an (executed) notebook to one HTML file that works offline.

    nbconvert's page links MathJax, require.js and the widget renderer from CDNs; those script
    tags and the saved widget state are dropped so the page loads with no network and no
    console errors (widgets show their static fallback text, math stays as TeX). The page is
    written atomically: ``output`` holds the old page or the new one, never half of one.

    Raises:
        FramelensError: ``notebook`` is not a readable Jupyter notebook, or ``output`` is a folder
            or the notebook itself.
    """
    from nbconvert import HTMLExporter

    nb = read_notebook(notebook)
    output = Path(output)
    if output.is_dir():
        raise FramelensError(f"{output}: is a folder; give the HTML file to write")
    if output.exists() and output.resolve() == Path(notebook).resolve():
        raise FramelensError(f"{output}: is the notebook itself; give another file to write")
    nb.metadata.pop("widgets", None)
    exporter = HTMLExporter(template_name="lab", exclude_input=not show_code, embed_images=True)
    body, _resources = exporter.from_notebook_node(nb)
    with atomic_path(output) as staged:
        staged.write_text(_EXTERNAL_SCRIPT.sub("", body), encoding="utf-8")
    return output


def read_notebook(path: Path | str) -> Any:
    """A valid notebook (nbformat 4) read from ``path``; FramelensError with one line otherwise."""
    import nbformat

    path = Path(path)
    if not path.is_file():
        raise FramelensError(f"{path}: no such notebook" if not path.exists() else f"{path}: not a regular file")
    try:
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds (JSON, schema, version, encoding)
        reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else exc.__class__.__name__
        raise FramelensError(f"{path}: not a Jupyter notebook ({reason})") from None
    return nb
