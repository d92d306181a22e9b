"""The sandbox is an independent oracle: no UI libraries, nothing else from closetui."""

from __future__ import annotations

import json
import subprocess
import sys


def test_sandbox_imports_nothing_from_the_rest_of_closetui() -> None:
    code = (
        "import json, sys\n"
        "import closetui.sandbox\n"
        "print(json.dumps(sorted(m for m, v in sys.modules.items() if v is not None\n"
        "    and m.split('.')[0] in ('closetui', 'textual', 'rich', 'httpx', 'pydantic'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert "closetui.sandbox" in loaded
    strangers = [m for m in loaded if m != "closetui" and not m.startswith("closetui.sandbox")]
    assert strangers == []
