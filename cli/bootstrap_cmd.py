"""`tsunagari bootstrap`: load the bundled Osaka data into the store, once.

The bundled default is the real records of the report (``data/osaka/real``) plus the
synthetic city generated with a fixed seed. Both are ingested as separate batches, so any view
can be restricted to the real records. Running it again changes nothing: each dataset's
content hash is already in the store.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["register", "bootstrap", "REAL_DATA", "SYNTH_SEED", "SYNTH_SCALE"]

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = ROOT / "data" / "osaka" / "real"
SYNTH_SEED = 2019
SYNTH_SCALE = "city"
SYNTH_YEARS = (2014, 2024)


def bootstrap(store: Path, *, scale: str = SYNTH_SCALE, seed: int = SYNTH_SEED,
              synth_dir: Path | None = None, progress: bool = False) -> list[str]:
    """Ingest the real records and the synthetic city into ``store``; return what was done.

    Each dataset is skipped when its content is already stored (the ingest is a no-op).
    """
    from ingest.store import ingest_dataset
    from synth.generator import generate

    done = [f"real records: {_describe(ingest_dataset(REAL_DATA, store=store, show_progress=progress))}"]
    synth_dir = synth_dir or ROOT / "data" / "synth" / f"{scale}-seed{seed}"
    if not (synth_dir / "organizations.csv").exists():
        generate(synth_dir, scale=scale, seed=seed, first_fy=SYNTH_YEARS[0],
                 last_fy=SYNTH_YEARS[1], progress=progress)
    result = ingest_dataset(synth_dir, store=store, show_progress=progress)
    done.append(f"synthetic {scale} (seed {seed}): {_describe(result)}")
    return done


def _describe(result) -> str:
    if result.noop:
        return f"already in the store (batch {result.batch})"
    rows = sum(result.counts.values())
    return f"batch {result.batch}, {rows:,} records in {result.seconds:.1f} s"


def _run(args) -> int:
    from ingest.store import default_store_path

    store = Path(args.store) if args.store else default_store_path()
    for line in bootstrap(store, scale=args.scale, seed=args.seed, progress=sys.stderr.isatty()):
        print(line)
    return 0


def register(sub) -> None:
    """Add the `bootstrap` subcommand."""
    parser = sub.add_parser("bootstrap", help="load the bundled Osaka data into the store (once)")
    parser.add_argument("--store", help="DuckDB store file (default: data/tsunagari.duckdb)")
    parser.add_argument("--scale", default=SYNTH_SCALE, choices=("ward", "city"))
    parser.add_argument("--seed", type=int, default=SYNTH_SEED)
    parser.set_defaults(func=_run)
