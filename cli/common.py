"""What several subcommands share: exit statuses and loading their input.

A command that analyses data reads it either from a dataset folder (``--dataset PATH``, read
and validated, no store) or from the store (``--store FILE``, the default store otherwise).

>>> EXIT_OK, EXIT_STORE, EXIT_BAD_INPUT
(0, 1, 2)
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["EXIT_OK", "EXIT_STORE", "EXIT_BAD_INPUT", "CLI_TEXTS", "add_input_arguments",
           "add_lang_argument", "cli_lang", "say", "load_input", "load_or_explain",
           "synthetic_dataset", "load_average"]

EXIT_OK, EXIT_STORE, EXIT_BAD_INPUT = 0, 1, 2

# Messages of the data commands, (Japanese, English); see ``say``.
CLI_TEXTS: dict[str, tuple[str, str]] = {
    "invalid": ("{path}無効です — 何も{doing_ja}いません。", "{path}invalid — nothing was {doing}."),
    "report_written": ("問題の一覧を {target} に書き出しました", "report written to {target}"),
    "report_empty": ("{target} に書き出しました（問題はありません）",
                     "report written to {target} (no problems)"),
    "report_error": ("エラー：一覧 {target} を書き出せません：{error}",
                     "error: cannot write the report {target}: {error}"),
    "validated": ("{path}：問題ありません — {counts}", "{path}: OK — {counts}"),
    "merges_apply": ("確認済みの別名統合 {n} 件が適用されます",
                     "{n} reviewed alias merge(s) apply"),
    "merges_applied": ("確認済みの別名統合 {n} 件を適用しました",
                       "{n} reviewed alias merge(s) applied"),
    "note": ("注：{note}", "note: {note}"),
    "noop": ("{path}：同じ内容が {store} に取り込み済みです（取り込み番号 {batch}）。何もしません",
             "{path}: already in {store} as batch {batch} (same content); nothing to do"),
    "loaded": ("{path}：取り込み番号 {batch} として {store} に取り込みました — {counts}（{seconds} 秒）",
               "{path}: batch {batch} loaded into {store} — {counts} ({seconds} s)"),
    "error": ("エラー：{error}", "error: {error}"),
    "invalid_dataset": ("{path}：無効なデータセットです", "{path}: invalid dataset"),
    "not_read": ("{path}：読めませんでした — 何も書き出していません。",
                 "{path}: not read — nothing was written."),
    "store": ("ストア {store}", "store {store}"),
    "status_header": ("{table:<16}{records:>10}{stored:>10}", "{table:<16}{records:>10}{stored:>10}"),
    "status_columns": ("表|現在の件数|保存した件数", "table|records|stored"),
    "batches": ("取り込み履歴：{n} 件", "batches: {n}"),
    "batch": ("  #{batch} {at} {name}（{total} 件、{hash}） {path}",
              "  #{batch} {at} {name} ({total} records, {hash}) {path}"),
    "status_tail": (("食い違い：{conflicts}  成果の記録：{outcomes}  名寄せ候補（最新の取り込み）："
                    "{candidates}"),
                    ("conflicts: {conflicts}  outcomes: {outcomes}  merge candidates (latest "
                    "batch): {candidates}")),
    "candidates": (("重複かもしれない団体名が {n} 組あります（統合はしていません。確認した組は "
                   "aliases.csv に alias,org_id で書いてください）："),
                   ("{n} possible duplicate organisation name(s) for review (not merged; add "
                   "reviewed pairs to aliases.csv as alias,org_id):")),
    "candidate": ("  {org_a} {name_a!r} ~ {org_b} {name_b!r}（スコア {score:g}、{reason}）",
                  "  {org_a} {name_a!r} ~ {org_b} {name_b!r} (score {score:g}, {reason})"),
    "candidates_more": ("  …ほか {n} 組（tsunagari conflicts --candidates）",
                        "  … and {n} more (tsunagari conflicts --candidates)"),
}
# The reasons of ``ingest.resolve.merge_candidates`` in Japanese.
_CANDIDATE_REASONS_JA = {"same name key": "名前が同じ",
                         "same name in other kana or spelling": "かな・表記違いの同じ名前",
                         "similar names": "似た名前"}
_DOING_JA = {"loaded": "読み込んで", "analysed": "分析して", "exported": "書き出して"}


def add_lang_argument(parser, **options) -> None:
    """Add ``--lang ja|en``: the language of messages (default: the locale).

    >>> import argparse
    >>> p = argparse.ArgumentParser(); add_lang_argument(p)
    >>> p.parse_args(["--lang", "ja"]).lang
    'ja'
    """
    parser.add_argument("--lang", choices=("ja", "en"), help="language of messages "
                        "(default: ja when LC_ALL / LC_MESSAGES / LANG starts with ja, else en)",
                        **options)


def cli_lang(args) -> str:
    """``args.lang`` when given, else the language of the locale.

    >>> import argparse
    >>> cli_lang(argparse.Namespace(lang="ja"))
    'ja'
    """
    import os

    from ingest.messages import language_from_env

    return getattr(args, "lang", None) or language_from_env(os.environ)


def say(key: str, lang: str, **values) -> str:
    """The message ``key`` of :data:`CLI_TEXTS` in ``lang``, filled with ``values``.

    >>> say("validated", "ja", path="d", counts="organizations 3")
    'd：問題ありません — organizations 3'
    """
    japanese, english = CLI_TEXTS[key]
    if lang == "ja":
        values.setdefault("doing_ja", _DOING_JA.get(values.get("doing", ""), "処理して"))
        if "reason" in values:
            values["reason"] = _CANDIDATE_REASONS_JA.get(values["reason"], values["reason"])
    return (japanese if lang == "ja" else english).format(**values)


def add_input_arguments(parser, *, dataset: bool = True) -> None:
    """Add ``--store FILE`` (or ``--dataset PATH``, mutually exclusive) and ``--timeout``.

    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_input_arguments(p)
    >>> vars(p.parse_args(["--dataset", "d"]))
    {'store': None, 'dataset': 'd', 'timeout': None}
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--store", metavar="FILE",
                       help="DuckDB store (default $TSUNAGARI_STORE or data/tsunagari.duckdb)")
    if dataset:
        group.add_argument("--dataset", metavar="PATH",
                           help="read a dataset folder / XLSX workbook directly (no store)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds to wait for a busy store (default 10)")


def load_input(args):
    """The ``Dataset`` named by ``args.dataset``, or read from ``args.store`` / the default store.

    Honours ``args.real_only`` and ``args.timeout`` when the command has them.
    """
    if getattr(args, "dataset", None):
        from ingest.load import load_dataset

        return load_dataset(args.dataset)
    from ingest.store import default_store_path, read_dataset

    store = Path(args.store) if getattr(args, "store", None) else default_store_path()
    return read_dataset(store, real_only=getattr(args, "real_only", False),
                        timeout=getattr(args, "timeout", None))


def load_or_explain(args, *, doing: str = "analysed"):
    """``(dataset, EXIT_OK)``, or ``(None, status)`` after printing why nothing was ``doing``.

    Bad input (an invalid dataset, a missing ``--dataset`` folder) is status 2 with the
    file/row/column report; a missing, busy or damaged store is status 1.
    """
    from ingest.messages import format_failures
    from ingest.store import StoreError
    from ingest.validate import IngestError

    try:
        return load_input(args), EXIT_OK
    except IngestError as err:
        lang = cli_lang(args)
        path = f"{err.path or args.dataset}{'：' if lang == 'ja' else ': '}"
        print(say("invalid", lang, path=path, doing=doing), file=sys.stderr)
        print(format_failures(err.failures, lang, limit=50), file=sys.stderr)
        return None, EXIT_BAD_INPUT
    except FileNotFoundError as exc:
        dataset = getattr(args, "dataset", None)
        hint = ("" if dataset else
                " (load data first: `tsunagari bootstrap` or `tsunagari ingest PATH`, "
                "or pass --dataset PATH)")
        print(f"not found: {exc}{hint}", file=sys.stderr)
        return None, EXIT_BAD_INPUT if dataset else EXIT_STORE
    except StoreError as exc:
        print(f"store: {exc}", file=sys.stderr)
        return None, EXIT_STORE


def synthetic_dataset(scale: str, seed: int, workdir=None) -> Path:
    """The folder of a synthetic dataset for a benchmark, generated once (FY2014–FY2024).

    ``workdir/<scale>-seed<seed>`` is reused when it holds a generated dataset already (so
    repeated benchmark runs share one); without ``workdir`` a new temporary folder is used.

    >>> import tempfile
    >>> folder = synthetic_dataset("ward", 3, tempfile.mkdtemp())
    >>> folder.name, (folder / "organizations.csv").exists()
    ('ward-seed3', True)
    """
    import tempfile

    from synth.generator import generate

    work = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="tsunagari-bench-"))
    folder = work / f"{scale}-seed{seed}"
    if not (folder / "organizations.csv").exists():
        print(f"generating synthetic {scale} (seed {seed}) in {folder} …", file=sys.stderr)
        generate(folder, scale=scale, seed=seed)
    return folder


def load_average() -> str:
    """The machine's load average (1 / 5 / 15 min) for a benchmark report, or ``n/a``.

    >>> text = load_average(); text == "n/a" or text.count(" / ") == 2
    True
    """
    import os

    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def write_report(path, text: str) -> Path:
    """Write a benchmark's Markdown ``text`` to ``path`` (UTF-8), making its folder; return it.

    >>> import tempfile
    >>> out = write_report(Path(tempfile.mkdtemp()) / "docs" / "bench.md", "# figures")
    >>> out.read_text(encoding="utf-8")
    '# figures'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
