"""The real data in data/, as it grows: it validates, every fact outside the seed articles is cited
to a web page, and the README's generated answers and figures are current."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from helpers import REPO

RECORDS = sorted((REPO / "data" / "records").glob("*.yaml"))
SEED = {p.name for p in (REPO / "tests" / "seed").glob("*.yaml")}


@pytest.fixture(scope="module")
def real_store(tmp_path_factory):
    from kg.graph.build import build

    store = tmp_path_factory.mktemp("real") / "store"
    build(REPO, store, force=True)
    return store


def test_the_seed_records_are_still_in_the_data():
    assert len(SEED) == 5 and SEED <= {p.name for p in RECORDS}
    for name in SEED:
        assert (REPO / "tests" / "seed" / name).read_bytes() == (REPO / "data" / "records" / name).read_bytes()


@pytest.mark.parametrize("path", [p for p in RECORDS if p.name not in SEED], ids=lambda p: p.stem)
def test_a_record_beyond_the_seed_cites_a_web_page(path):
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["id"] == path.stem
    assert data["source"]["kind"] == "web" and data["source"]["url"].startswith(("http://", "https://"))
    assert data["source"]["accessed"]


def test_the_whole_graph_has_no_violation(real_store):
    from kg.curation.validate import validate_graph

    report = validate_graph(REPO, real_store)
    assert report.count("violation") == 0, "\n".join(report.lines())


def test_the_readme_answers_and_figures_are_current(real_store):
    import os

    done = subprocess.run([sys.executable, str(REPO / "scripts" / "readme.py"), "--check"],
                          env={**os.environ, "DTKG_STORE": str(real_store)}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_readme_names_every_stored_query():
    readme = (REPO / "README.md").read_text("utf-8")
    paragraph = readme[readme.index("`dtkg queries` lists them all:"):]
    paragraph = paragraph[: paragraph.index("\n\n")]
    missing = [p.stem for p in sorted((REPO / "queries").glob("*.rq")) if f"`{p.stem}`" not in paragraph]
    assert not missing, f"README's list of stored queries lacks {missing}"
