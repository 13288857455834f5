"""Serve the page offline: put Solara's front-end packages where its server looks for them.

Solara loads some JavaScript from a CDN. Without internet it serves `/_solara/cdn/<spec>/...`
from `<venv>/share/solara/cdn/<spec>/` (or `$SOLARA_ASSETS_PROXY_CACHE_DIR`). This script
fills that folder with `npm pack <spec>` (from the npm registry, once), unpacked under the
exact spec name. It is idempotent: a stamp file lists the specs already in place.

    python -m sim.viz.assets            fill the folder (skips what is there)
    python -m sim.viz.assets --check    exit 1 if something is missing
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SPECS = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "mermaid@10.8.0",
    "katex@0.16.9",
    "vega@5",
    "vega-lite@5",
    "vega-embed@6",
)
STAMP = ".vliegwiel-assets"


def cdn_dir() -> Path:
    """The folder Solara's server reads CDN assets from (see solara/server/settings.py)."""
    env = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    return Path(env) if env else Path(sys.prefix) / "share" / "solara" / "cdn"


def present(root: Path) -> set[str]:
    stamp = root / STAMP
    done = set(stamp.read_text(encoding="utf-8").split()) if stamp.is_file() else set()
    return {s for s in done if (root / s).is_dir()}


def missing(root: Path | None = None) -> list[str]:
    root = root or cdn_dir()
    have = present(root)
    return [s for s in SPECS if s not in have]


def fetch(spec: str, root: Path) -> None:
    """`npm pack spec` into a temporary folder, then unpack it as root/<spec>/ (atomically)."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("assets: npm is needed to fetch Solara's front-end packages (apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([npm, "pack", spec, "--silent"], cwd=tmp, capture_output=True, text=True, timeout=300)
        tgz = [p for p in Path(tmp).glob("*.tgz")]
        if out.returncode != 0 or len(tgz) != 1:
            raise SystemExit(f"assets: npm pack {spec} failed: {out.stderr.strip()[-500:]}")
        staging = Path(tmp) / "unpacked"
        with tarfile.open(tgz[0]) as tar:
            tar.extractall(staging, filter="data")
        (package,) = [p for p in staging.iterdir() if p.is_dir()]  # npm tarballs hold one folder
        target = root / spec
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(str(package), str(target))


def ensure(root: Path | None = None, log=print) -> list[str]:
    """Fetch every missing spec; returns the specs fetched now."""
    root = root or cdn_dir()
    root.mkdir(parents=True, exist_ok=True)
    todo = missing(root)
    for spec in todo:
        log(f"assets: npm pack {spec}")
        fetch(spec, root)
        have = present(root) | {spec}
        (root / STAMP).write_text("\n".join(sorted(have)) + "\n", encoding="utf-8")
    return todo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.viz.assets", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if an asset is missing")
    args = parser.parse_args(argv)
    if args.check:
        gone = missing()
        for spec in gone:
            print(f"assets: missing {cdn_dir() / spec}", file=sys.stderr)
        return 1 if gone else 0
    fetched = ensure()
    print(f"assets: {len(SPECS)} packages in {cdn_dir()} ({len(fetched)} fetched now)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
