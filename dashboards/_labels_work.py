"""Screen labels of the working pages (Introductions, Growth, Cases, Data, Directory and 相談),
sign-in and batch removal (Japanese, English); merged into ``dashboards._i18n.LABELS``.

>>> all(len(pair) == 2 and all(pair) for pair in WORK_LABELS.values())
True
"""

from __future__ import annotations

__all__ = ["WORK_LABELS"]

WORK_LABELS: dict[str, tuple[str, str]] = {
    # introductions
    "intro_title": ("紹介提案", "Introductions"),
    "intro_intro": (
        "団体（または区・コミュニティ）と目的を選ぶと、紹介すると良さそうな相手を理由つきで示します。"
        "紹介した結果を記録すると、次の提案の評価に使われます。",
        "Choose an organisation (or a ward or community) and a goal; Tsunagari suggests whom to "
        "introduce, with reasons. Recording what happened feeds the evaluation of later suggestions.",
    ),
    "intro_for": ("対象", "For"),
    "intro_for_org": ("団体", "An organisation"),
    "intro_for_ward": ("区", "A ward"),
    "intro_for_community": ("コミュニティ", "A community"),
    "goal": ("目的", "Goal"),
    "goal_strengthen": ("強める（身近な相手と関係を深める）", "Strengthen (deepen ties nearby)"),
    "goal_bridge": ("橋渡し（別のまとまりの相手とつなぐ）", "Bridge (reach another group)"),
    "intro_choose": ("上で団体・区・コミュニティを選ぶと、提案が表示されます。",
                     "Choose an organisation, a ward or a community above to see suggestions."),
    "suggestions": ("提案", "Suggestions"),
    "intro_weights_default": (
        "並び順は既定の重みです。記録の履歴から重みを較正するには、端末で "
        "`tsunagari suggest 団体 --calibrate` を実行してください（較正の方法・分割・理由は "
        "`tsunagari evaluate --json` でも確認できます）。",
        "Ranked with the default weights. To calibrate them on the records' history, run "
        "`tsunagari suggest ORG --calibrate` in a terminal (`tsunagari evaluate --json` shows "
        "how a calibration was done: method, folds, reason).",
    ),
    "intro_weights_calibrated": (
        "並び順は記録の履歴で較正した重みです（方法: {method}、分割: {scheme} {folds}）。"
        "理由: {reason}",
        "Ranked with weights calibrated on the records' history (method: {method}, folds: "
        "{scheme} {folds}). Why: {reason}",
    ),
    "record_outcome": ("結果を記録", "Record an outcome"),
    "outcome_pair": ("提案", "Suggestion"),
    "outcome_status": ("結果", "Outcome"),
    "outcome_date": ("日付", "Date"),
    "outcome_note": ("メモ", "Note"),
    "outcome_saved": ("記録しました（#{id}）。", "Recorded (#{id})."),
    "outcomes_so_far": ("これまでの記録", "Recorded outcomes"),
    "download_csv": ("作業リストをCSVでダウンロード", "Download the work list (CSV)"),
    "download_xlsx": ("作業リストをExcelでダウンロード", "Download the work list (XLSX)"),
    "save": ("記録する", "Save"),
    "talents_for": ("派遣できる地域公共人材", "Community talents to dispatch"),
    "conversion_title": ("紹介の成果", "Introduction outcomes"),
    "conversion_help": (
        "記録した紹介が実際のつながりになったかを示します。同じ2団体の記録は最新の1件だけを数え、"
        "その日付以降につながりの記録（連携・交流の場への同席など）があれば「つながった」とします。"
        "比べるのはサイドバーで選んだ年度までの記録です。",
        "Whether recorded introductions became ties. Each pair counts once, with its latest "
        "outcome; it converted when the two are tied and the tie's latest record (a "
        "collaboration, a shared event, …) is on or after the outcome's date. Ties are those of "
        "the records up to the fiscal year chosen in the sidebar.",
    ),
    "conversion_none": (
        "紹介の結果はまだ記録されていません。上で団体を選んで提案の「結果を記録」から記録するか、"
        "端末で `tsunagari outcome 団体A 団体B --status introduced --on 2025-04-01` "
        "（団体はIDまたは名称）を実行してください。記入済みの作業リストは "
        "`tsunagari outcome --from 作業リスト.xlsx` でまとめて記録できます。",
        "No introduction outcome has been recorded yet. Choose an organisation above and use "
        "“Record an outcome” under its suggestions, or run "
        "`tsunagari outcome ORG_A ORG_B --status introduced --on 2025-04-01` in a terminal "
        "(an organisation id or name). A filled work list is recorded at once with "
        "`tsunagari outcome --from worklist.xlsx`.",
    ),
    "conversion_summary": ("結果ごとの集計", "By outcome"),
    "conversion_pairs": ("2団体ごとの最新の記録", "Latest outcome per pair"),
    "status_all": ("すべて", "All"),
    "col_introductions": ("紹介数", "Introductions"),
    "col_converted": ("つながった", "Converted"),
    "col_rate": ("つながった割合", "Conversion rate"),
    "col_tied": ("現在つながりあり", "Tied now"),
    "col_tie_last": ("つながりの最新の記録", "Latest tie record"),
    "col_org_a": ("団体A", "Organisation A"),
    "col_org_b": ("団体B", "Organisation B"),
    "col_id_a": ("ID（A）", "ID (A)"),
    "col_id_b": ("ID（B）", "ID (B)"),
    # growth
    "growth_title": ("推移", "Growth"),
    "growth_intro": ("年度ごとにネットワークがどう育ったかを再生します。",
                     "Replays how the network grew, fiscal year by fiscal year."),
    "replay_year": ("年度を選んで再生", "Replay up to"),
    "per_year": ("年度ごとの指標", "Per fiscal year"),
    "metric": ("指標", "Metric"),
    "value": ("値", "Value"),
    "evolution": ("コミュニティの変遷", "How communities evolved"),
    "trajectory": ("団体の軌跡", "An organisation's trajectory"),
    "report_series": ("報告書の数値", "The report's own figures"),
    "report_series_open": ("報告書の数値を表示（派遣件数・助成・数値の食い違い）",
                           "Show the report's figures (dispatches, grants, conflicting figures)"),
    "dispatches_by_year": ("年度別の人材派遣件数（地縁型＋テーマ型の内訳と合計）", "Talent dispatches per year (territorial + thematic, and the total)"),
    "grants_by_year": ("年度別の助成（記録から集計）", "Grants per year (counted from the records)"),
    "reference_series": ("参考: 合成データと記録からの集計", "For reference: synthetic figures and counts from the records"),
    "reference_series_note": (
        "報告書の数値ではありません。合成データ（試験用に作った架空の数値）と、登録された記録から数えた件数です。",
        "Not the report's figures: synthetic figures (made up for testing) and counts from the stored records.",
    ),
    "source_version": ("出典", "Source"),
    "conflict_note": (
        "報告書は同じ年度の派遣件数を2通りに記載しています。両方をそのまま示します。",
        "The report prints two different dispatch tables for the same years; both are shown as printed.",
    ),
    "fy": ("年度", "Fiscal year"),
    "m_organisations": ("団体数", "Organisations"),
    "m_ties": ("つながり数", "Ties"),
    "m_communities": ("コミュニティ数", "Communities"),
    "m_new_ties": ("新しいつながり", "New ties"),
    "m_density": ("密度", "Density"),
    "m_isolated_share": ("孤立した団体の割合", "Share isolated"),
    "m_cross_sector_share": ("異なる種別間のつながりの割合", "Cross-sector share"),
    "m_territorial_thematic_share": ("地縁型↔テーマ型の割合", "Territorial↔thematic share"),
    # cases
    "cases_title": ("事例", "Collaboration cases"),
    "cases_intro": ("報告書に載っている実際の連携事例です。各事例の参加団体とその周辺のつながりを示します。",
                    "The real collaboration cases in the report, each with its partners and their "
                    "neighbourhood in the network."),
    "partners": ("参加団体", "Partners"),
    "dates": ("期間", "Dates"),
    "source_section": ("出典", "Source"),
    "description": ("内容", "Description"),
    "show_neighbourhood": ("ネットワーク上の周辺を表示", "Show its neighbourhood in the network"),
    "no_cases": ("実データの連携事例がありません。", "No real collaboration cases in the store."),
    # data
    "data_title": ("データ", "Data"),
    "upload": ("CSV・Excelを取り込む", "Upload CSV or XLSX"),
    "upload_help": (
        "表（organizations, events, …）ごとのCSV、または表ごとにシートを分けたExcelを1つ。上限 {mb} MB。",
        "One CSV per table (organizations, events, …) or one XLSX with a sheet per table. "
        "Limit {mb} MB.",
    ),
    "validate_ok": ("検証に合格しました：{summary}", "Validation passed: {summary}"),
    "validate_failed": ("{n} 件の問題があります。取り込みは行っていません。",
                        "{n} problems found. Nothing was ingested."),
    "ingest_confirm": ("ストアに取り込む", "Ingest into the store"),
    "ingested": ("取り込みました：{summary}", "Ingested: {summary}"),
    "batches": ("取り込み履歴", "Batches"),
    "conflicts": ("出典どうしの食い違い", "Conflicts between sources"),
    "downloads": ("ダウンロード", "Downloads"),
    "downloads_help": ("表示範囲（サイドバー）のつながりのグラフを書き出します。",
                       "Writes the tie graph of the scope chosen in the sidebar."),
    "format": ("形式", "Format"),
    "prepare_download": ("ファイルを作る", "Prepare the file"),
    "status_counts": ("表ごとの件数", "Records per table"),
    "col_file": ("ファイル", "File"),
    "col_sheet": ("シート", "Sheet"),
    "col_row": ("行", "Row"),
    "col_column": ("列", "Column"),
    "col_code": ("コード", "Code"),
    "col_message": ("理由", "Reason"),
    "col_explanation": ("問題", "Problem"),
    "col_table": ("表", "Table"),
    "col_records": ("現在の件数", "Current records"),
    "col_stored": ("保存した件数（履歴を含む）", "Stored (with history)"),
    "col_key": ("キー", "Key"),
    "col_differs": ("違う項目", "Differs in"),
    "col_batch": ("取り込み番号", "Batch"),
    "col_values": ("値", "Values"),
    "too_big": ("ファイルが大きすぎます（{size} MB、上限 {mb} MB）。", "File too large ({size} MB, limit {mb} MB)."),
    "wrong_type": ("対応していない形式です：{name}（CSV・XLSXのみ）。",
                   "Unsupported file type: {name} (CSV or XLSX only)."),
    "unreadable": ("読み込めませんでした：{reason}", "Could not read the upload: {reason}"),
    # needs (issue 13): the directory page and the 相談 view
    "nav_directory": ("団体・イベント・資源", "Directory"),
    "dir_title": ("団体・イベント・資源", "Directory"),
    "dir_intro": ("ポータルサイトの一覧のように、団体を区・種別・分野で、イベントを日付で、資源の提供（会場・備品・スキル）を探せます。サイドバーの範囲が適用されます。",
                  "Like the portal's listings: groups by ward, kind and field, events by date, resource offers (rooms, equipment, skills). The sidebar's scope applies."),
    "dir_search": ("キーワードで検索（名称・区・分野）", "Search (name, ward, field)"),
    "dir_groups": ("団体", "Groups"),
    "dir_events": ("イベント", "Events"),
    "dir_offers": ("資源の提供", "Resource offers"),
    "dir_count": ("{n} 件", "{n} found"),
    "dir_founded": ("設立", "Founded"),
    "dir_from": ("開始日", "From"),
    "dir_to": ("終了日", "To"),
    "dir_date": ("日付", "Date"),
    "dir_event": ("イベント名", "Event"),
    "dir_organizer": ("主催", "Organiser"),
    "dir_organizer_id": ("主催ID", "Organiser ID"),
    "dir_attendance": ("参加者数", "Attendance"),
    "dir_offer": ("提供内容", "Offer"),
    "dir_provider": ("提供団体", "Provider"),
    "dir_provider_id": ("提供団体ID", "Provider ID"),
    "dir_offered_on": ("掲載日", "Offered on"),
    "dir_org_id": ("団体ID", "Organisation ID"),
    "dir_download_csv": ("CSVでダウンロード", "Download (CSV)"),
    "dir_download_xlsx": ("Excel（XLSX）でダウンロード", "Download (XLSX)"),
    "dir_card_pick": ("団体カードを開く団体", "Organisation whose card to open"),
    "dir_open_card": ("団体カードへ", "Open card"),
    "needs_title": ("相談", "Consultations"),
    "needs_intro": ("区役所の相談窓口に寄せられた相談と、力になれる資源の提供・地域公共人材・団体を、理由とともに示します。",
                    "Consultations at the ward desks, and the offers, public community talents and groups that can help, with reasons."),
    "needs_figures": ("相談件数（報告書の数値と出典）", "Consultation figures (as the report gives them, with sources)"),
    "needs_period": ("期間", "Period"),
    "needs_category": ("内訳", "Category"),
    "needs_unit": ("単位", "Unit"),
    "needs_list": ("相談の記録", "Consultation records"),
    "needs_none": ("相談の記録はまだありません（consultations.csv を取り込むと表示されます）。",
                   "No consultation records yet (ingest a consultations.csv to see them)."),
    "needs_topics": ("相談項目", "Topics"),
    "needs_status": ("対応状況", "Status"),
    "needs_individual": ("個人・未登録団体", "an individual or unregistered group"),
    "needs_choose": ("相談を選ぶ", "Choose a consultation"),
    "needs_choose_hint": ("相談を選ぶと、力になれる相手を表示します", "Choose one to see who can help"),
    "needs_matches": ("力になれる相手", "Who can help"),
    "needs_no_match": ("この相談項目に合う提供・人材・団体は記録にありません。", "No offer, talent or group in the records fits these topics."),
    "needs_kind": ("種類", "Kind"),
    "needs_kind_offer": ("資源の提供", "Offer"),
    "needs_kind_talent": ("地域公共人材", "Talent"),
    "needs_kind_organisation": ("団体", "Group"),
    "needs_helper": ("提供内容・人材・団体", "Offer, talent or group"),
    "needs_distance": ("ネットワーク上の距離", "Network distance"),
    "needs_proximity": ("区の近さ", "Ward proximity"),
    "needs_same_ward": ("同じ区", "Same ward"),
    "needs_neighbour_ward": ("隣の区", "Neighbouring ward"),
    "needs_other_ward": ("他の区", "Other ward"),
    "needs_record": ("結果を記録する", "Record the outcome"),
    "needs_match": ("相手", "Match"),
    # roles, sign-in and batch removal (dashboards/_auth.py, the Data page)
    "role_editor": ("編集者：{name}", "Editor: {name}"),
    "role_viewer": ("閲覧のみ（編集するにはサインイン）", "Viewer (sign in to edit)"),
    "signin_editor": ("編集者としてサインイン", "Sign in as an editor"),
    "signin_name": ("名前", "Name"),
    "signin_password": ("パスワード", "Password"),
    "signin": ("サインイン", "Sign in"),
    "signin_oidc": ("組織のアカウントでサインイン", "Sign in with your organisation account"),
    "signin_failed": ("名前またはパスワードが違います。", "Wrong name or password."),
    "signin_locked": ("失敗が続いたため、1分間サインインできません。",
                      "Too many failed sign-ins; try again in a minute."),
    "signout": ("サインアウト", "Sign out"),
    "viewer_only": ("閲覧のみです。取り込み・結果の記録・取り込みの取り消しには、サイドバーから"
                    "編集者としてサインインしてください。",
                    "Read-only. Sign in as an editor (sidebar) to ingest, record outcomes or "
                    "remove a batch."),
    "remove_batch": ("取り込みを取り消す", "Remove a batch"),
    "remove_batch_pick": ("取り消す取り込み", "Batch to remove"),
    "remove_batch_confirm": ("この取り込みのレコードをすべて削除します（元に戻すには再度取り込み）",
                             "Delete every record of this batch (ingest the file again to "
                             "undo)"),
    "remove_batch_button": ("取り消す", "Remove"),
    "batch_removed": ("取り込み {batch}（{name}）を取り消しました：{summary}",
                      "Batch {batch} ({name}) removed: {summary}"),
    "batch_refused": ("取り消せませんでした（ストアは変わっていません）：{reason}",
                      "Not removed (the store is unchanged): {reason}"),
}
