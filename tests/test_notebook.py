"""examples/explore.ipynb runs from top to bottom (nbclient, a kernel of this very interpreter), so it cannot rot."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.deps import need

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "explore.ipynb"

# The dev extra installs these; under CI=true a missing one is a failure, elsewhere a skip.
nbformat = need("nbformat")
nbclient = need("nbclient")
for _module in ("ipykernel", "pandas", "matplotlib"):
    need(_module)


def _kernel_manager():
    """A kernel manager for ``python3`` = ipykernel's native spec, i.e. ``sys.executable -m ipykernel_launcher``.

    No kernelspec directory is searched (``kernel_dirs=[]``): a ``python3`` kernel installed for
    the user or the system, possibly another Python without this project, cannot be picked instead.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    return KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))


def test_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_runs_without_errors(tmp_path: Path) -> None:
    import sys

    nb = nbformat.read(NOTEBOOK, as_version=4)
    km = _kernel_manager()
    assert km.kernel_spec.argv[0] == sys.executable
    client = nbclient.NotebookClient(
        nb, km=km, timeout=300, resources={"metadata": {"path": str(ROOT / "examples")}}
    )
    # The kernel imports this checkout's packages (a worktree, not an installed copy); its figures are inline PNGs.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
    }
    client.execute(env=env)  # raises CellExecutionError naming the cell when one fails
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Sở Nội vụ" in text and "Sở Tài chính" in text
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 4, "bar chart, heatmap, timeline, before/after"
