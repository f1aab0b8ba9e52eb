"""Put this folder on PYTHONPATH to break the runner's driver, and nothing else: in an
interpreter started to run workbench/runner/driver.py, `import runpy` fails, as a driver
that cannot start on some laptop would. Other interpreters are untouched."""

import os
import sys

if (
    sys.argv
    and os.path.basename(sys.argv[0]) == "driver.py"
    and os.path.basename(os.path.dirname(sys.argv[0])) == "runner"
):
    sys.modules["runpy"] = None  # type: ignore[assignment]
