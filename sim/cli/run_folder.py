"""A single run's folder (`vliegwiel` without -m): written under a temporary name and renamed
when whole."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import yaml

from ..atomic import FULL
from ..config.compose import ROOT
from ..errors import DiskFull
from ..runner import Results
from ..streams import run_seed
from ..version import model_version
from .settings import OutputSettings

PACKAGES = ("mesa", "numpy", "scipy", "pandas", "pyarrow", "matplotlib", "hydra-core", "networkx")


def write_run(results: Results, overrides: list[str] | None = None, output=None) -> Path:
    """Write config, manifest, Parquet tables and the figure into a new folder under
    `output.dir` (sim/cli/settings.py: OutputSettings); return the finished folder."""
    output = output or OutputSettings()
    cfg = results.config
    root = Path(output.dir)
    root.mkdir(parents=True, exist_ok=True)
    name = output.name or f"{datetime.now():%Y-%m-%d_%H-%M-%S}_seed{cfg.seed}"
    tmp = root / f".{name}.partial-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        (tmp / "config.yaml").write_text(config_yaml(cfg), encoding="utf-8")
        for table, df in results.tables.items():
            df.to_parquet(tmp / f"{table}.parquet", index=False)
        results.collectives.to_parquet(tmp / "collectives_final.parquet", index=False)
        results.residents.to_parquet(tmp / "residents_final.parquet", index=False)
        if output.plot:
            from ..plots import adoption_by_rogers

            adoption_by_rogers(results, tmp / "adoption_by_rogers.png")
        _write_json(tmp / "manifest.json", manifest(results, overrides, tmp))
        final = _rename_to_free_name(tmp, root, name)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError) and exc.errno in FULL:
            raise DiskFull(root) from exc
        raise
    return final


def config_yaml(cfg) -> str:
    """The resolved configuration as YAML (`read_config_yaml` reads it back)."""
    return yaml.safe_dump(dataclasses.asdict(cfg), sort_keys=False, allow_unicode=True)


def read_config_yaml(path: Path):
    """A run folder's config.yaml as a validated Config."""
    from ..config import Config, apply_overrides

    return apply_overrides(Config(), yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def manifest(results: Results, overrides: list[str] | None, folder: Path) -> dict:
    """Seed, versions, git commit, timings and a checksum of every file written."""
    cfg = results.config
    return {
        "model": "vliegwiel",
        "model_version": model_version(),
        "seed": cfg.seed,
        "replicate": cfg.replicate,
        "run_seed": str(run_seed(cfg.seed, cfg.replicate)),
        "months": cfg.months,
        "residents": int(results.region["residents"].iloc[0]),
        "villages": int(results.village["village"].max()) + 1,
        "overrides": list(overrides or []),
        "command": sys.argv,
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds_build": round(results.seconds_build, 3),
        "seconds_run": round(results.seconds_run, 3),
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in PACKAGES},
        "git": git_state(),
        "files": {f.name: _sha256(f) for f in sorted(folder.iterdir()) if f.is_file()},
    }


def git_state() -> dict:
    """Commit of the code that ran, and whether the work tree had uncommitted changes."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    if commit.returncode != 0:
        return {"commit": None, "dirty": None}
    return {"commit": commit.stdout.strip(), "dirty": bool(dirty.stdout.strip())}


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _rename_to_free_name(tmp: Path, root: Path, name: str) -> Path:
    """Rename tmp to root/name, or name-2, name-3, ... if taken (also if taken meanwhile)."""
    k = 1
    while True:
        final = root / (name if k == 1 else f"{name}-{k}")
        if not final.exists():
            try:
                os.rename(tmp, final)  # fails if another run took the name since exists()
                return final
            except OSError as exc:
                if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
        k += 1
