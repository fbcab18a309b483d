"""A wheel built from a checkout (what ``pip install .`` installs, as the README says) holds
everything the installed package reads at run time: the simulator's data, the inbox's templates
and static files, and the type marker."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEEDED = (
    "notifications_python_client/py.typed",
    "notifications_python_client/simulator/data/default_data.json",
    "notifications_python_client/simulator/web/templates/inbox.html",
    "notifications_python_client/simulator/web/templates/document.html",
    "notifications_python_client/simulator/web/static/inbox.css",
    "notifications_python_client/simulator/web/static/inbox.js",
)


def test_a_wheel_from_the_checkout_holds_the_files_read_at_run_time(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("notifications_python_client-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())

    assert [name for name in NEEDED if name not in names] == []
    folder = "notifications_python_client/simulator/web/templates"
    templates = {name for name in names if name.startswith(f"{folder}/")}
    assert templates == {f"{folder}/{page.name}" for page in (ROOT / folder).glob("*.html")}
