"""The failure message catalogue: per failure code, an explanation and message forms.

Plain data read by ``ingest.messages``. ``CATALOGUE[code]`` holds ``explain`` (a short
explanation of the code, Japanese then English) and ``forms``: named pairs of templates
``(english, japanese)``. An English template is written exactly as the validators write
the message (``ingest.validate``, ``ingest.readers``, ``ingest.resolve``,
``ingest.normalise``, ``ingest.registries``), with ``{name}`` where a value of the failure
goes; the Japanese template uses the same names. A code without forms (the dashboard's
upload checks, whose messages are written in the page's language already) only has its
explanation.

>>> CATALOGUE["future_date"]["forms"]["after_today"][0]
"'{value}' is after today ({today})"
"""

from __future__ import annotations

__all__ = ["CATALOGUE", "TERMS"]

_DATE_USE = "use 2019-08-01, 2019年8月1日 or 令和元年8月1日"
_DATE_USE_JA = "2019-08-01、2019年8月1日、令和元年8月1日 のように書いてください"

CATALOGUE: dict[str, dict] = {
    # -- reading files (ingest.readers) --------------------------------------------------
    "path_not_found": {
        "explain": ("ファイルまたはフォルダが見つかりません", "File or folder not found"),
        "forms": {
            "cannot_read": ("cannot read: {detail}", "読み込めません：{detail}"),
            "no_such": ("{path}: no such file or folder", "{path}：そのようなファイルやフォルダはありません"),
        },
    },
    "not_csv": {
        "explain": ("CSVファイルではありません", "Not a CSV file"),
        "forms": {
            "binary": ("not a CSV file: the file holds binary data",
                       "CSVファイルではありません：バイナリデータを含んでいます"),
            "other_sheet": (("{path}: {kind} files are not read; save it as an Excel workbook "
                            "(.xlsx) or as CSV UTF-8"),
                            ("{path}：{kind} のファイルは読めません。Excelブック（.xlsx）か CSV UTF-8 で"
                            "保存してください")),
            "not_dataset": ("{path}: not a dataset (a folder of CSV files, a .csv or a .xlsx file)",
                            ("{path}：データセットではありません（CSVファイルのフォルダ、.csv、.xlsx の"
                            "いずれか）")),
        },
    },
    "not_xlsx": {
        "explain": ("読めるExcelブックではありません", "Not a readable XLSX workbook"),
        "forms": {
            "unreadable": ("not a readable XLSX workbook: {detail}",
                           "読めるExcelブック（XLSX）ではありません：{detail}"),
        },
    },
    "empty_file": {
        "explain": ("空のファイルまたはシートです", "Empty file or sheet"),
        "forms": {
            "file": ("empty file: no header row", "空のファイルです：見出し行がありません"),
            "sheet": ("sheet '{sheet}' is empty: no header row",
                      "シート「{sheet}」は空です：見出し行がありません"),
        },
    },
    "wrong_encoding": {
        "explain": ("文字コードが正しくありません", "Wrong text encoding"),
        "forms": {
            "utf16": (("wrong encoding: the file is UTF-16 (Excel's \"Unicode text\"); save it "
                      "as CSV UTF-8"),
                      ("文字コードが正しくありません：UTF-16（Excelの「Unicode テキスト」）です。"
                      "CSV UTF-8 で保存してください")),
            "unknown": (("wrong encoding: the file is neither UTF-8 (with or without BOM) nor "
                        "CP932/Shift_JIS; save it as UTF-8"),
                        ("文字コードが正しくありません：UTF-8（BOMあり・なし）でも CP932/Shift_JIS "
                        "でもありません。UTF-8 で保存してください")),
            "byte": (("wrong encoding: byte 0x{byte} is not a character in UTF-8 or "
                     "CP932/Shift_JIS; save the file as CSV UTF-8"),
                     ("文字コードが正しくありません：バイト 0x{byte} は UTF-8 でも CP932/Shift_JIS "
                     "でも文字になりません。CSV UTF-8 で保存してください")),
            "mixed": (("wrong encoding: the file mixes encodings (row {good} is UTF-8, row {bad} "
                      "is not); save the whole file as CSV UTF-8"),
                      ("文字コードが混在しています（{good} 行目は UTF-8、{bad} 行目は違います）。"
                      "ファイル全体を CSV UTF-8 で保存してください")),
            "euc": (("wrong encoding: the file looks like EUC-JP, which Tsunagari does not read; "
                    "save it as CSV UTF-8 (or CSV Shift_JIS)"),
                    ("文字コードが正しくありません：EUC-JP のようですが、Tsunagari は EUC-JP を読めません。"
                    "CSV UTF-8（または CSV Shift_JIS）で保存してください")),
        },
    },
    "bad_csv": {
        "explain": ("CSVとして読めません", "Not a readable CSV file"),
        "forms": {
            "cells": (("not a readable CSV file: row {row} has {cells} cells but the header only "
                      "{header}"),
                      ("CSVとして読めません：{row} 行目のセルは {cells} 個ですが、見出しは {header} 個"
                      "です")),
            "quotes": (("not a readable CSV file: a quoted cell opened on row {row} is never "
                       "closed (unbalanced quotes)"),
                       "CSVとして読めません：{row} 行目で始まる引用符（\"）が閉じていません"),
            "separator": (("not a comma-separated file: the header is separated by {separator}; "
                          "save it as CSV (comma-separated)"),
                          ("カンマ区切りではありません：見出しが {separator} で区切られています。"
                          "CSV（カンマ区切り）で保存してください")),
            "layout": ("{cells} columns; the 基本3情報 layout has {expected}",
                       "列が {cells} 個あります。基本3情報の形式は {expected} 列です"),
            "parser": ("not a readable CSV file: {detail}", "CSVとして読めません：{detail}"),
        },
    },
    "duplicate_column": {
        "explain": ("列名が重複しています", "Duplicate column"),
        "forms": {
            "reserved": (("column '{column}' has the name of a column Tsunagari adds ({reserved}); "
                         "rename it"),
                         ("列「{column}」は Tsunagari が付ける列（{reserved}）と同じ名前です。"
                         "名前を変えてください")),
            "same_meaning": (("columns '{first}' and '{second}' both mean '{canonical}'; keep one "
                             "of them"),
                             ("列「{first}」と「{second}」はどちらも「{canonical}」を表します。"
                             "どちらか一つにしてください")),
        },
    },
    "bad_metadata": {
        "explain": ("データセット情報（dataset）が正しくありません", "Bad dataset metadata"),
        "forms": {
            "json": ("dataset.json is not valid UTF-8 JSON: {detail}",
                     "dataset.json が正しい UTF-8 の JSON ではありません：{detail}"),
            "object": ("dataset.json must hold one object, e.g. {example}",
                       "dataset.json にはオブジェクトを一つ書いてください（例：{example}）"),
            "text": ("dataset.json: '{key}' must be text, got {got}",
                     "dataset.json：「{key}」は文字列にしてください（{got} になっています）"),
        },
    },
    "no_tables": {
        "explain": ("表が見つかりません", "No tables found"),
        "forms": {
            "not_a_table": ("'{file}' does not name a table (e.g. organizations.csv)",
                            "「{file}」は表の名前ではありません（例：organizations.csv）"),
            "none": (("no tables found (expected organizations.csv or a sheet named "
                     "organizations / 団体){ignored}"),
                     ("表が見つかりません（organizations.csv か、organizations／団体 という名前の"
                     "シートが必要です）{ignored}")),
        },
    },
    # -- checking tables (ingest.validate, ingest.load, ingest.resolve) ------------------
    "missing_table": {
        "explain": ("必要な表がありません", "Missing table"),
        "forms": {
            "organizations": (("the organizations table is required (organizations.csv or a "
                              "sheet named organizations / 団体){ignored}"),
                              ("団体の表が必要です（organizations.csv か、organizations／団体 という"
                              "名前のシート）{ignored}")),
            "no_records": (("the organizations table has a header but no records; at least one "
                           "organisation is needed"),
                           "団体の表に見出しはありますがデータがありません。団体が1件以上必要です"),
            "refers": (("{table}.{column} refers to {target}, but the dataset has no {target} "
                       "table (add {target}.csv or a sheet named {target})"),
                       ("{table}.{column} は {target} を参照していますが、{target} の表がありません"
                       "（{target}.csv か {target} という名前のシートを加えてください）")),
        },
    },
    "missing_column": {
        "explain": ("必須の列がありません", "Missing required column"),
        "forms": {
            "required": ("required column '{column}' is missing from {table} (headers: {headers})",
                         "必須の列「{column}」が {table} にありません（見出し：{headers}）"),
            "aliases": ("aliases need the columns alias,org_id; '{column}' is missing",
                        "別名の表には alias と org_id の列が必要です。「{column}」がありません"),
            "npo_portal": ("required column '{column}' is missing (the NPO portal's CSV)",
                           "必須の列「{column}」がありません（NPOポータルのCSV）"),
        },
    },
    "empty_value": {
        "explain": ("必須の値が空です", "Required value is empty"),
        "forms": {
            "required": ("required value '{column}' is empty", "必須の値「{column}」が空です"),
        },
    },
    "unknown_kind": {
        "explain": ("団体の種別が分かりません", "Unknown organisation kind"),
        "forms": {
            "enum": ("'{value}' is not a kind (one of {choices})",
                     "「{value}」は団体の種別ではありません（町会・自治会、地域活動協議会、市民活動団体、"
                     "NPO法人、企業、区役所、中間支援組織、学校、神社・寺院・教会、その他 のいずれか）"),
        },
    },
    "unknown_orientation": {
        "explain": ("地縁型・テーマ型の区分が分かりません", "Unknown orientation"),
        "forms": {
            "enum": ("'{value}' is not an orientation (one of {choices})",
                     "「{value}」は地縁型・テーマ型の区分ではありません（地縁型 か テーマ型）"),
        },
    },
    "unknown_status": {
        "explain": ("相談の状態が分かりません", "Unknown consultation status"),
        "forms": {
            "enum": ("'{value}' is not a status (one of {choices})",
                     "「{value}」は相談の状態ではありません（受付中、回答済み、終了 のいずれか）"),
        },
    },
    "unknown_field": {
        "explain": ("NPOの活動分野が分かりません", "Unknown NPO field"),
        "forms": {
            "field": (("'{value}' is not an NPO field (1–20 or a field name such as "
                      "子どもの健全育成)"),
                      ("「{value}」はNPOの活動分野ではありません（1〜20 の番号か、子どもの健全育成 の"
                      "ような分野名）")),
        },
    },
    "unknown_topic": {
        "explain": ("相談の分野が分かりません", "Unknown consultation topic"),
        "forms": {
            "topic": (("'{value}' is not a consultation topic (one of {choices}; free text as "
                      "その他:…)"),
                      ("「{value}」は相談の分野ではありません（{choices} のいずれか。自由記述は "
                      "その他:… と書きます）")),
        },
    },
    "unknown_ward": {
        "explain": ("大阪市の区ではありません", "Not a ward of the city"),
        "forms": {
            "osaka": ("'{value}' is not one of Osaka City's 24 wards",
                      "「{value}」は大阪市の24区のいずれでもありません"),
        },
    },
    "bad_date": {
        "explain": ("日付として読めません", "Not a date"),
        "forms": {
            "serial": ("'{value}' is not a date (it looks like an Excel date serial number: "
                       "format the cell as a date); " + _DATE_USE,
                       "「{value}」は日付ではありません（Excelの日付シリアル値のようです。セルの書式を"
                       "日付にしてください）。" + _DATE_USE_JA),
            "digits": ("'{value}' is not a date; " + _DATE_USE,
                       "「{value}」は日付ではありません。" + _DATE_USE_JA),
            "not_a_date": ("'{value}' is not a date (" + _DATE_USE + ")",
                           "「{value}」は日付ではありません（" + _DATE_USE_JA + "）"),
            "weekday_needs_day": (("'{value}': a day of the week needs a full date (year, month, "
                                  "day)"),
                                  "「{value}」：曜日を書くときは年月日をすべて書いてください"),
            "weekday": ("'{value}': {day} is a {actual}曜日 ({english}), not {given}曜日",
                        "「{value}」：{day} は{actual}曜日です（{given}曜日ではありません）"),
            "impossible": ("'{value}' is an impossible date ({detail})",
                           "「{value}」はありえない日付です（{detail}）"),
            "era_range": ("{value} is not in {era} ({start}{last})",
                          "{value} は{era}の期間（{start}{last}）にありません"),
            "era_year": ("era year must be 1 or more, got {value}",
                         "元号の年は1以上（元年）にしてください（{value} になっています）"),
            "too_early": ("'{value}' is too early (dates start in 1678)",
                          "「{value}」は古すぎます（1678年以降の日付にしてください）"),
        },
    },
    "future_date": {
        "explain": ("今日より後の日付です", "Date in the future"),
        "forms": {
            "after_today": ("'{value}' is after today ({today})",
                            "「{value}」は今日（{today}）より後の日付です"),
            "fiscal_year": (("'{value}' is a fiscal year that has not begun (today is in "
                            "FY{current})"),
                            "「{value}」はまだ始まっていない年度です（今日は {current} 年度）"),
        },
    },
    "date_order": {
        "explain": ("日付の前後が逆です", "Dates in the wrong order"),
        "forms": {
            "before": ("{end} {end_date} is before {start} {start_date}",
                       "{end}（{end_date}）が {start}（{start_date}）より前になっています"),
        },
    },
    "bad_number": {
        "explain": ("数値として読めません", "Not a number"),
        "forms": {
            "whole": ("'{value}' is not a whole number", "「{value}」は整数ではありません"),
            "number": ("'{value}' is not a number", "「{value}」は数値ではありません"),
            "too_large": ("'{value}' is too large", "「{value}」は大きすぎます"),
            "corporate_number": ("'{value}' is not a 13-digit 法人番号",
                                 "「{value}」は13桁の法人番号ではありません"),
        },
    },
    "bad_bool": {
        "explain": ("はい・いいえとして読めません", "Not true or false"),
        "forms": {
            "bool": ("'{value}' is not true/false (or 1/0, はい/いいえ)",
                     "「{value}」は はい／いいえ（true/false、1/0）ではありません"),
        },
    },
    "bad_fiscal_year": {
        "explain": ("年度として読めません", "Not a fiscal year"),
        "forms": {
            "fiscal_year": ("'{value}' is not a fiscal year (use FY2019, 2019年度 or 令和元年度)",
                            ("「{value}」は年度ではありません（FY2019、2019年度、令和元年度 のように"
                            "書いてください）")),
            "era": (("'{value}' does not exist: FY{year} ({first} – {last}) is not in {era}; "
                    "write it as {label}"),
                    ("「{value}」は存在しません：{year} 年度（{first} 〜 {last}）は{era}にありません。"
                    "{label} と書いてください")),
            "era_year": ("era year must be 1 or more, got {value}",
                         "元号の年は1以上（元年）にしてください（{value} になっています）"),
        },
    },
    "negative_value": {
        "explain": ("負の値です", "Negative value"),
        "forms": {
            "negative": ("'{value}' is negative; {column} must be 0 or more",
                         "「{value}」は負の値です。{column} は0以上にしてください"),
        },
    },
    "duplicate_id": {
        "explain": ("同じキーの記録が重複しています", "Duplicate key"),
        "forms": {
            "first_given": ("duplicate {key}: first given on {file} row {row}",
                            "{key} が重複しています：最初は {file} の {row} 行目"),
            "again": ("duplicate {key}: given again later",
                      "{key} が重複しています：後でもう一度出てきます"),
        },
    },
    "unknown_reference": {
        "explain": ("参照先が見つかりません", "Unknown reference"),
        "forms": {
            "not_an_id": ("'{value}' is not an organisation id in this dataset",
                          "「{value}」はこのデータセットの団体IDではありません"),
            "ambiguous": ("'{value}' matches several {label}s by name ({ids}); give the id",
                          "「{value}」は名前が複数の{label}に当てはまります（{ids}）。IDを書いてください"),
            "unknown": ("'{value}' is neither an {label} id nor a known {label} name",
                        "「{value}」は{label}のIDでも、既知の{label}の名前でもありません"),
        },
    },
    "too_few_orgs": {
        "explain": ("協働の団体が2つ未満です", "Fewer than two organisations"),
        "forms": {
            "collaboration": (("a collaboration needs at least two distinct organisations, got "
                              "{count}"),
                              "協働には異なる団体が2つ以上必要です（{count} 団体しかありません）"),
        },
    },
    "alias_cycle": {
        "explain": ("別名の統合が循環しています", "Cycle of aliases"),
        "forms": {
            "cycle": (("merging {merged} into {into} closes a cycle of aliases (each organisation "
                      "merged into another); keep one of them as the target"),
                      ("{merged} を {into} に統合すると別名が循環します（互いに統合し合っています）。"
                      "どれか一つを統合先として残してください")),
        },
    },
    "not_pseudonymous": {
        "explain": ("個人名が書かれている可能性があります", "Not a pseudonymous id"),
        "forms": {
            "pseudonym": (("'{value}' is not a pseudonymous id; {column} must never hold a "
                          "person's name (use an id such as T-001: letters, digits, - _ .)"),
                          ("「{value}」は仮名IDではありません。{column} には個人名を書かないでください"
                          "（T-001 のように英数字と - _ . で書きます）")),
        },
    },
    # -- upload checks of the dashboard (messages written in the page's language) --------
    "wrong_type": {"explain": ("対応していないファイル形式です", "Unsupported file type"),
                   "forms": {}},
    "too_big": {"explain": ("ファイルが大きすぎます", "File too large"), "forms": {}},
    "unreadable": {"explain": ("ファイルを読めません", "Unreadable file"), "forms": {}},
    "too_large": {"explain": ("ファイルが上限を超えています（大きさ・行数・列数・セルの長さ）",
                             "File over a limit (size, rows, columns or cell length)"),
                  "forms": {}},
    "bad_file_name": {"explain": ("ファイル名を読めません（UTF-8 ではありません）",
                                 "File name is not UTF-8"), "forms": {}},
}

# Words filled into the Japanese templates: table labels of ``NameIndex`` and the notes
# on files that were not read (``ingest.readers.ignored_note``).
TERMS: dict[str, str] = {
    "organisation": "団体",
    "event": "行事",
    "consultation": "相談",
    "talent": "人材",
    "offer": "申し出",
    "(not a table name)": "（表の名前ではありません）",
    "(a workbook: give it itself as the path)": "（Excelブック：ブック自体を指定してください）",
    "; ignored: ": "。読まなかったもの：",
    # Python's reasons for an impossible date (``datetime.date``)
    "month must be in 1..12": "月は1〜12です",
    "day is out of range for month": "その月にその日はありません",
}
