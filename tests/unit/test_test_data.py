"""The tests carry their own data: nothing they read lies outside the repository."""

from __future__ import annotations

import re

from tests.conftest import DATA, ROOT

OUTSIDE = re.compile(r"""parents\[\d+\]\.parent|ROOT\.parent|["']\.\./shared|["']/work/""")
"""A path built to leave the repository: the folder above it, or an absolute one."""


def test_no_test_or_bench_reads_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for top in ("tests", "bench")
        for path in sorted((ROOT / top).rglob("*.py"))
        if path.name != "test_test_data.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not found, "\n".join(found)


def test_every_data_file_says_where_it_came_from() -> None:
    readme = (DATA / "README.md").read_text()
    for path in sorted(DATA.rglob("*")):
        if path.is_file() and path.name != "README.md":
            folder = path.parent.relative_to(DATA)
            named = f"`{folder}/*{path.suffix}`" if folder.parts else f"`{path.name}`"
            assert named in readme, f"{path.relative_to(ROOT)} is not in tests/data/README.md"
