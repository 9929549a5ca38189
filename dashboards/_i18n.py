"""Screen labels in Japanese (default) and English.

Every visible string of the dashboard comes from :data:`LABELS` through :func:`t`, so the
language switch in the sidebar changes every page at once. The language lives in
``st.session_state["lang"]`` (``"ja"`` or ``"en"``).

Code values (organisation kinds, orientations, wards, NPO fields, outcome statuses) are
translated by :func:`kind_label`, :func:`orientation_label`, :func:`ward_label`,
:func:`field_label` and :func:`status_label`.

>>> t("nav_overview", lang="en")
'Overview'
>>> kind_label("company", lang="ja")
'企業'
>>> ward_label("西淀川区", lang="en")
'Nishiyodogawa'
"""

from __future__ import annotations

from contextvars import ContextVar

import streamlit as st

from ingest.normalise import ward_in_english
from ingest.schemas import NPO_FIELDS, TABLE_ALIASES
from ingest.vocabulary import NPO_FIELDS_EN

__all__ = [
    "LABELS",
    "LANGS",
    "current_lang",
    "t",
    "kind_label",
    "orientation_label",
    "ward_label",
    "field_label",
    "status_label",
    "role_label",
    "measure_label",
    "sector_label",
    "keyed",
    "in_language",
    "isolation_label",
    "isolation_help",
    "event_kind_label",
    "community_event_label",
    "category_label",
    "table_label",
    "consultation_status_label",
    "resource_kind_label",
]

LANGS = ("ja", "en")

# Set while a widget's format_func runs (see ``keyed``), so labels keep the language the
# widget was drawn in even when Streamlit formats a value later, outside the script run.
_FORCED_LANG: ContextVar[str | None] = ContextVar("tsunagari_lang", default=None)

LABELS: dict[str, tuple[str, str]] = {
    # app, navigation and sidebar
    "nav_overview": ("概要", "Overview"),
    "nav_network": ("ネットワーク", "Network"),
    "nav_connectors": ("つなぎ役と孤立", "Connectors & isolated"),
    "nav_gaps": ("ギャップ", "Gaps"),
    "nav_introductions": ("紹介提案", "Introductions"),
    "nav_growth": ("推移", "Growth"),
    "nav_cases": ("事例", "Collaboration cases"),
    "nav_data": ("データ", "Data"),
    "english": ("English", "English"),
    "scope": ("表示範囲", "Scope"),
    "wards": ("区", "Wards"),
    "kinds": ("団体種別", "Kinds"),
    "fields": ("活動分野", "Fields"),
    "fiscal_year": ("年度", "Fiscal year"),
    "all_years": ("全期間", "All years"),
    "up_to_fy": ("{fy}末までの記録", "Records up to the end of {fy}"),
    "real_only": ("実データのみ（報告書の記録）", "Real records only (from the report)"),
    "all_wards_hint": ("未選択 = すべて", "Empty = all"),
    "store_label": ("データ: {path}（版 {version}）", "Data: {path} (version {version})"),
    "store_missing": (
        "データがまだありません。`tsunagari bootstrap` を実行するか、データのページで取り込んでください。",
        "No data yet. Run `tsunagari bootstrap` or ingest a dataset on the Data page.",
    ),
    "ingest_store_error": (
        "取り込めませんでした（データストアには何も書き込まれていません）: {message}",
        "Nothing was ingested (the store is unchanged): {message}",
    ),
    "store_busy": (
        "データストアが他の処理で使用中です。少し待ってから再読み込みしてください。",
        "The store is busy with another process. Wait a moment and reload.",
    ),
    "computing": ("ネットワークを計算しています（範囲ごとに初回のみ時間がかかります）…",
                  "Computing the network (only the first time for each scope)…"),
    "scope_empty": ("この範囲には団体がありません。表示範囲を広げてください。",
                    "No organisations in this scope. Widen the scope in the sidebar."),
    # overview
    "overview_title": ("概要", "Overview"),
    "overview_intro": (
        "選んだ範囲の団体と、そのつながり（連携・交流の場への同席・地活協の構成・人材派遣）の全体像です。",
        "The organisations in the chosen scope and their ties (collaborations, shared events, "
        "council membership, talent dispatches).",
    ),
    "kpi_orgs": ("団体数", "Organisations"),
    "kpi_ties": ("つながり数", "Ties"),
    "kpi_communities": ("コミュニティ数", "Communities"),
    "kpi_isolated": ("つながりのない団体", "Organisations with no tie"),
    "kpi_cross_sector": ("異分野間の割合", "Cross-sector ties"),
    "kpi_terr_them": ("地縁↔テーマの割合", "Territorial↔thematic"),
    "kpi_density": ("密度", "Density"),
    "kpi_components": ("連結成分", "Components"),
    "chart_kinds": ("種別ごとの団体数", "Organisations by kind"),
    "chart_wards": ("区ごとの団体数とつながりのない団体", "Organisations and those with no tie, by ward"),
    "kpi_largest": ("最大のまとまりに属する割合", "Share in the largest component"),
    "part_collaboration": ("連携・協働", "Collaboration"),
    "part_co_participation": ("交流の場への同席", "Shared events"),
    "part_co_membership": ("同じ地活協の構成団体", "Same council"),
    "part_shared_dispatch": ("同じ派遣人材", "Same dispatched talent"),
    "chart_tie_parts": ("つながりの内訳", "What the ties are made of"),
    "count": ("件数", "Count"),
    "share": ("割合", "Share"),
    "what_it_means": ("この数字の意味", "What these figures mean"),
    "overview_help": (
        "- **つながり**: 2団体が同じ連携事業・交流の場・地活協・派遣人材を共有していること。\n"
        "- **コミュニティ**: 互いに密につながった団体のまとまり（Louvain法）。\n"
        "- **つながりなし**: 範囲内のどの団体ともつながりがない団体。\n"
        "- **相手が1団体だけ**: つながっている相手が1団体だけの団体（1本のつながりに頼っている）。\n"
        "- **周辺**: 2団体以上とつながっているが、主なネットワークから切り離された小さなまとまりの中だけ、"
        "または公的機関とだけつながっている団体。\n"
        "- **活動が途絶えた**: 主なネットワークで2団体以上とつながっているが、表示の日付以降の活動記録がない団体"
        "（つながりが古いだけで、孤立ではありません）。\n"
        "- 1つの団体は、この順で最初に当てはまる1つの種類だけに数えます。\n"
        "- **異なる種別間**: 企業とNPO、町会と学校など、種別が違う団体どうしのつながりの割合。\n"
        "- **地縁型↔テーマ型**: 地縁型（町会・地活協）とテーマ型（NPO・ボランティア）の間のつながりの割合。",
        "- **Tie**: two organisations share a collaboration, an event, a council or a dispatched talent.\n"
        "- **Community**: a group of organisations more tightly tied to each other than to the rest (Louvain).\n"
        "- **No ties**: an organisation with no tie to any organisation inside the scope.\n"
        "- **Only one partner**: an organisation with exactly one partner (it hangs on a single tie).\n"
        "- **Peripheral**: two or more partners, but only in a small group cut off from the main "
        "network, or only public agencies.\n"
        "- **Inactive since a date**: two or more partners in the main network, but no recorded "
        "activity since the date shown (its ties are old, not missing: it is not isolated).\n"
        "- Each organisation is counted once, under the first of these kinds that applies.\n"
        "- **Cross-sector**: share of ties between organisations of different kinds (company–NPO, "
        "association–school, …).\n"
        "- **Territorial↔thematic**: share of ties between place-based groups (associations, councils) "
        "and cause-based groups (NPOs, volunteers).",
    ),
    # network
    "network_title": ("ネットワーク", "Network"),
    "color_by": ("色分け", "Colour by"),
    "size_by": ("大きさ", "Size by"),
    "by_community": ("コミュニティ", "Community"),
    "by_kind": ("種別", "Kind"),
    "by_ward": ("区", "Ward"),
    "by_orientation": ("地縁型/テーマ型", "Orientation"),
    "search_org": ("団体を検索", "Search an organisation"),
    "search_placeholder": ("団体名を入力…", "Type a name…"),
    "ego_depth": ("つながりの段数", "Steps out"),
    "view_all": ("全体", "Whole scope"),
    "choose_community": ("コミュニティを選ぶ", "Choose a community"),
    "too_large": (
        "この範囲は {n} 団体あり、一度に描くと重くなるため、コミュニティ単位で表示しています"
        "（円1つ = 1コミュニティ、線の太さ = コミュニティ間のつながり数）。コミュニティを選ぶと中を表示します。",
        "This scope has {n} organisations, too many to draw at once, so it is shown by community "
        "(one circle per community, line width = ties between them). Choose a community to open it.",
    ),
    "singletons_hidden": ("1団体だけのコミュニティ（{k} 団体、多くは孤立）は省いています。",
                          "Communities of a single organisation ({k}, mostly isolated) are left out."),
    "legend": ("凡例", "Legend"),
    "hover_hint": ("円にカーソルを合わせると詳細、ドラッグで移動、ホイールで拡大縮小。",
                   "Hover a circle for details, drag to pan, scroll to zoom."),
    "card_title": ("団体カード", "Organisation card"),
    "no_org_chosen": ("団体を検索すると、ここにカードが表示されます。", "Search an organisation to see its card here."),
    "evidence": ("つながりの根拠（元の記録）", "Records behind the ties"),
    "partner": ("相手", "Partner"),
    "weight": ("強さ", "Weight"),
    "records": ("記録", "Records"),
    "first_date": ("最初", "First"),
    "last_date": ("最新", "Latest"),
    "community": ("コミュニティ", "Community"),
    "role": ("役割", "Role"),
    "measures": ("指標", "Measures"),
    "edges_capped": ("（線は強い順に {k} 本まで表示）", "(the {k} strongest ties are drawn)"),
    "communities_drawn": ("{n} コミュニティ・その間の {m} 本のつながりを表示",
                          "Showing {n} communities and the {m} links between them"),
    "nodes_drawn": ("{n} 団体・{m} 本のつながりを表示", "Showing {n} organisations and {m} ties"),
    "stability_title": ("コミュニティの安定性", "Community stability"),
    "stability_help": (
        "コミュニティ分け（Louvain法）は乱数の種（シード）によって結果が少し変わります。"
        "{n} 通りのシードで分け直し、多数決でまとめたコミュニティ（コンセンサス）に対して、"
        "各団体が同じ仲間と同じコミュニティに入った割合（同所属率）を求めます。"
        "{threshold:.0%} 以上なら「安定」です。表示範囲ごとに一度だけ計算します（数秒かかります）。",
        "Community detection (Louvain) changes a little with its random seed. The network is "
        "split again with {n} seeds and the runs are combined into a consensus; each "
        "organisation's frequency is the share of runs in which it landed with the fellow "
        "members of its consensus community. At {threshold:.0%} or more it sits firmly. "
        "Computed once per scope (a few seconds).",
    ),
    "stability_run": ("安定性を計算する", "Compute the stability"),
    "stability_computing": ("Louvain法を {n} 回実行しています…", "Running Louvain {n} times…"),
    "stability_seeds": ("実行回数（シード数）", "Runs (seeds)"),
    "stability_firm_share": ("安定して所属する団体", "Organisations sitting firmly"),
    "stability_communities": ("コンセンサスのコミュニティ数", "Consensus communities"),
    "stability_modularity": ("各回のモジュラリティ: {low:.3f}〜{high:.3f}",
                             "Modularity of the runs: {low:.3f}–{high:.3f}"),
    "stability_per_community": ("コミュニティごとの安定性", "Stability per community"),
    "stability_chart": ("安定した団体の割合（大きい順に {n} コミュニティ）",
                        "Share sitting firmly (the {n} largest communities)"),
    "stability_least_firm": ("所属が不安定な団体（コミュニティの解釈に注意）",
                             "Least firm organisations (do not over-interpret their community)"),
    "col_community_id": ("番号", "No."),
    "col_share_firm": ("安定した団体の割合", "Share firm"),
    "col_mean_frequency": ("平均の同所属率", "Mean frequency"),
    "col_frequency": ("同所属率", "Frequency"),
    # columns
    "col_id": ("ID", "ID"),
    "col_name": ("団体名", "Name"),
    "col_kind": ("種別", "Kind"),
    "col_ward": ("区", "Ward"),
    "col_orientation": ("類型", "Orientation"),
    "col_fields": ("活動分野", "Fields"),
    "col_reason": ("理由", "Reason"),
    "col_score": ("スコア", "Score"),
    "col_degree": ("つながり先の数", "Partners"),
    "col_strength": ("つながりの強さ", "Strength"),
    "col_betweenness": ("媒介中心性", "Betweenness"),
    "col_pagerank": ("PageRank", "PageRank"),
    "col_constraint": ("制約度", "Constraint"),
    "col_effective_size": ("実効規模", "Effective size"),
    "col_participation": ("参加係数", "Participation coefficient"),
    "col_within_z": ("コミュニティ内 z", "Within-community z"),
    "col_within_module_z": ("コミュニティ内 z", "Within-community z"),
    "col_participation_coefficient": ("参加係数", "Participation coefficient"),
    "col_connector_score": ("つなぎ役スコア", "Connector score"),
    "col_harmonic_closeness": ("近接中心性", "Closeness"),
    "col_size": ("団体数", "Organisations"),
    "col_synthetic": ("合成", "Synthetic"),
    "col_source": ("出典", "Source"),
    # connectors & isolated
    "connectors_title": ("つなぎ役と孤立", "Connectors & isolated"),
    "connectors_intro": (
        "**つなぎ役**は、ほかでは出会わない団体どうしを結んでいる団体です。"
        "その下に、つながりのない団体・相手が1団体だけの団体・周辺の団体・活動が途絶えた団体を"
        "種類ごとに分けて示します（1団体は1つの種類だけに数えます）。",
        "**Connectors** link organisations that would not otherwise meet. Below them, "
        "organisations with no tie, with only one partner, on the periphery, and inactive since "
        "a date are listed apart, by kind (each organisation under one kind only).",
    ),
    "isolated_why": ("孤立の種類と理由", "Kind of isolation and why"),
    "connector_ranking": ("つなぎ役ランキング", "Connector ranking"),
    "isolated_groups": ("孤立・周辺・活動が途絶えた団体", "Isolated, peripheral and inactive organisations"),
    "computing_analysis": ("ネットワークを分析しています", "Analysing the network"),
    "stability_progress": ("Louvain法を繰り返し実行しています", "Running Louvain repeatedly"),
    "stage_scope": ("記録の範囲", "scope of the records"),
    "stage_ties": ("つながり", "ties"),
    "stage_communities": ("コミュニティ", "communities"),
    "stage_measures": ("中心性などの指標", "measures"),
    "stage_profiles": ("コミュニティの特徴", "community profiles"),
    "stage_connectors": ("つなぎ役", "connectors"),
    "stage_isolated": ("孤立の種類", "isolation kinds"),
    "stage_gaps": ("ギャップ", "gaps"),
    "merge_candidates": ("名寄せ候補（最新のバッチ）", "Merge candidates (latest batch)"),
    "merge_none": ("名寄せ候補はありません。", "No merge candidates."),
    "merge_help": (
        "名前がよく似た団体の組 {n} 件です。同じ団体かどうかを編集者が確認してください（自動では統合していません）。",
        "{n} pairs of organisations with very similar names. Editors: check whether they are "
        "the same organisation (nothing was merged automatically).",
    ),
    "merge_review": ("名前がよく似た団体の組が {n} 件あります。下の「名寄せ候補」で確認してください。",
                     "{n} pairs of very similar names: review them under Merge candidates below."),
    "col_name_a": ("団体名A", "Name A"),
    "col_name_b": ("団体名B", "Name B"),
    "col_similarity": ("類似度", "Similarity"),
    "gaps_table": ("ダウンロードする表", "Table to download"),
    "gaps_table_ward_sector": ("区×種別", "Ward × sector"),
    "gaps_table_field_field": ("分野×分野", "Field × field"),
    "gaps_table_community_holes": ("つながりの少ないコミュニティの組", "Community pairs with few bridges"),
    "gaps_table_orientation_bridging": ("区ごとの地縁↔テーマ", "Territorial↔thematic by ward"),
    "gaps_table_company_gaps": ("企業の連携先がない区・分野", "No company partner"),
    "download_xlsx_all": ("すべての表（XLSX）", "All tables (XLSX)"),
    "gaps_csv": ("この表をCSVでダウンロード", "Download this table (CSV)"),
    "gaps_xlsx": ("この表をExcelでダウンロード", "Download this table (XLSX)"),
    "isolation_kinds": ("孤立の種類ごとの団体数", "Organisations by kind of isolation"),
    "isolation_kind": ("種類", "Kind"),
    "isolation_since": ("この日以降活動なし", "No activity since"),
    "isolation_none": ("この種類の団体はありません。", "No organisation of this kind."),
    "role_map": ("役割マップ（Guimerà–Amaral）", "Role map (Guimerà–Amaral)"),
    "role_map_help": (
        "横軸 = 参加係数（つながりが複数のコミュニティに広がっているほど右）、縦軸 = コミュニティ内 z"
        "（自分のコミュニティの中でつながりが多いほど上）。右上ほど「つなぎ役のハブ」です。",
        "x = participation coefficient (further right: ties spread over more communities); "
        "y = within-community z (higher: more ties inside one's own community). Top right are "
        "connector hubs.",
    ),
    "top_n": ("表示件数", "How many"),
    # gaps
    "gaps_title": ("ギャップ", "Gaps"),
    "gaps_intro": (
        "つながりが「期待されるより少ない」組み合わせを示します。期待値は、それぞれの団体数とつながり数から"
        "偶然に生じる本数です。比が1未満なら不足、1より大きければ多い組み合わせです。",
        "Combinations with fewer ties than expected. The expected count is what chance would give "
        "from each side's number of organisations and ties; a ratio below 1 is a shortfall.",
    ),
    "ward_sector": ("区 × 種別", "Ward × kind"),
    "field_field": ("活動分野 × 活動分野", "Field × field"),
    "observed": ("実際", "Observed"),
    "expected": ("期待値", "Expected"),
    "ratio": ("実際/期待", "Observed/expected"),
    "community_pairs": ("橋渡しの少ないコミュニティの組", "Community pairs with few bridges"),
    "bridging_by_ward": ("区ごとの地縁型↔テーマ型の橋渡し", "Territorial↔thematic bridging by ward"),
    "no_company": ("企業とのつながりがない区・分野", "Wards and fields with no company"),
    "heatmap_value": ("表示する値", "Show"),
    "col_companies": ("企業数", "Companies"),
    "nothing_found": ("該当なし", "None found"),
    "fewer_found": (
        "{top} 件のうち {n} 件だけです。記録に裏付けられた理由のある相手は他にいません"
        "（目的を「橋渡し」にすると、別のまとまりの相手も探します）。",
        "{n} of the {top} asked: no other organisation has a reason backed by records (the "
        "bridge goal also looks in other communities).",
    ),
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
}

_KINDS = {
    "neighbourhood_association": ("町会・自治会", "Neighbourhood association"),
    "council": ("地域活動協議会", "Neighbourhood council"),
    "citizen_group": ("市民活動団体", "Citizen group"),
    "npo": ("NPO法人", "NPO"),
    "company": ("企業", "Company"),
    "public_agency": ("公的機関", "Public agency"),
    "intermediary": ("中間支援組織", "Intermediary"),
    "school": ("学校", "School"),
    "religious": ("社寺・教会", "Religious body"),
    "other": ("その他", "Other"),
}

# Roles, sign-in and batch removal (dashboards/_auth.py, the Data page).
LABELS.update({
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
})

_ORIENTATIONS = {
    "territorial": ("地縁型", "Territorial"),
    "thematic": ("テーマ型", "Thematic"),
    "": ("未分類", "Unclassified"),
}

_STATUSES = {
    "proposed": ("提案のみ", "Proposed"),
    "introduced": ("紹介した", "Introduced"),
    "declined": ("見送り", "Declined"),
    "partnered": ("連携が始まった", "Partnered"),
}


_FIELDS_EN = NPO_FIELDS_EN  # ingest.vocabulary: one English name per field


def current_lang() -> str:
    """The current language: ``"en"`` when the sidebar switch is on, else ``"ja"``."""
    forced = _FORCED_LANG.get()
    if forced is not None:
        return forced
    try:
        return "en" if st.session_state.get("lang") == "en" else "ja"
    except Exception:  # outside a Streamlit session (doctests, scripts)
        return "ja"


def _pick(pair: tuple[str, str], language: str | None) -> str:
    return pair[1] if (language or current_lang()) == "en" else pair[0]


def t(key: str, *, lang: str | None = None, **values) -> str:
    """The label ``key`` in the current (or given) language, formatted with ``values``.

    >>> t("nodes_drawn", lang="en", n=3, m=2)
    'Showing 3 organisations and 2 ties'
    """
    text = _pick(LABELS[key], lang)
    return text.format(**values) if values else text


def kind_label(kind: str, *, lang: str | None = None) -> str:
    """An organisation kind (``ORG_KINDS``) as people say it; missing → ``—``."""
    if not isinstance(kind, str) or not kind:
        return "—"
    return _pick(_KINDS.get(kind, (str(kind), str(kind))), lang)


def orientation_label(orientation: str | None, *, lang: str | None = None) -> str:
    """``territorial`` → 地縁型 / Territorial; empty → 未分類 / Unclassified."""
    return _pick(_ORIENTATIONS.get(orientation or "", (str(orientation), str(orientation))), lang)


def ward_label(ward: str | None, *, lang: str | None = None) -> str:
    """A ward name; romanised in English (``西淀川区`` → ``Nishiyodogawa``); missing → ``—``.

    >>> ward_label(float("nan"), lang="en"), ward_label(None, lang="ja")
    ('—', '—')
    """
    if not isinstance(ward, str) or not ward:
        return "—"
    if (lang or current_lang()) == "en":
        return ward_in_english(ward)
    return ward


def field_label(number: int, *, lang: str | None = None) -> str:
    """An NPO field number (1–20) with its name.

    >>> field_label(13, lang="ja")
    '13 子どもの健全育成'
    """
    number = int(number)
    name = _FIELDS_EN.get(number) if (lang or current_lang()) == "en" else NPO_FIELDS.get(number)
    return f"{number} {name or ''}".strip()


def status_label(status: str, *, lang: str | None = None) -> str:
    """An introduction outcome status (``OUTCOME_STATUSES``)."""
    return _pick(_STATUSES.get(status, (status, status)), lang)


def role_label(role: str, *, lang: str | None = None) -> str:
    """A Guimerà–Amaral role code (R1–R7) with its name (``graph.centrality`` names).

    >>> role_label("R6", lang="en")
    'R6 connector hub'
    """
    from graph.centrality import ROLE_NAMES, ROLE_NAMES_JA

    names = ROLE_NAMES if (lang or current_lang()) == "en" else ROLE_NAMES_JA
    return f"{role} {names[role]}" if role in names else str(role or "—")


def measure_label(name: str, *, lang: str | None = None) -> str:
    """A measure column (``degree``, ``betweenness``, …) as shown on screen.

    >>> measure_label("betweenness", lang="ja")
    '媒介中心性'
    """
    key = f"col_{name}"
    return t(key, lang=lang) if key in LABELS else name


def sector_label(sector: str, *, lang: str | None = None) -> str:
    """A sector (``graph.centrality.SECTORS`` values) in the current language.

    >>> sector_label("business", lang="ja"), sector_label("business", lang="en")
    ('企業', 'Companies')
    """
    from graph.brokerage import SECTOR_LABELS_EN
    from graph.centrality import SECTOR_LABELS_JA

    if (lang or current_lang()) == "en":
        text = SECTOR_LABELS_EN.get(sector, str(sector))
        return text[:1].upper() + text[1:]
    return SECTOR_LABELS_JA.get(sector, str(sector))


def keyed(widget, name: str, *args, **kwargs):
    """Call a Streamlit ``widget`` whose option labels depend on the language, keeping its value.

    The widget's key is ``"{name}__{lang}"`` (a widget whose labels changed is a new widget to
    Streamlit); its value is mirrored in ``st.session_state[name]`` and restored when the
    language changes, so switching language keeps every choice. Returns the widget's value.
    """
    language = current_lang()
    key = f"{name}__{language}"
    if "format_func" in kwargs:
        kwargs["format_func"] = in_language(kwargs["format_func"], language)
    if key not in st.session_state and name in st.session_state:
        st.session_state[key] = st.session_state[name]
    if key in st.session_state:
        for default in ("index", "default", "value"):
            kwargs.pop(default, None)
    value = widget(*args, key=key, **kwargs)
    st.session_state[name] = value
    return value


def in_language(func, language: str):
    """``func`` (a label function of one value) always answering in ``language``.

    >>> in_language(kind_label, "en")("company")
    'Company'
    """
    def label(value):
        token = _FORCED_LANG.set(language)
        try:
            return func(value)
        finally:
            _FORCED_LANG.reset(token)

    return label


def isolation_label(kind: str, *, lang: str | None = None) -> str:
    """An isolation kind (``graph.brokerage.ISOLATION_KINDS``) by name.

    >>> isolation_label("single_partner", lang="ja"), isolation_label("no_ties", lang="en")
    ('相手が1団体だけ', 'No ties')
    """
    from graph.brokerage import ISOLATION_KINDS

    found = ISOLATION_KINDS.get(kind)
    return _pick((found[1], found[0]), lang) if found else str(kind or "—")


def isolation_help(kind: str, *, lang: str | None = None) -> str:
    """The definition of an isolation kind, for help text.

    >>> isolation_help("no_ties", lang="en")
    'no tie to any organisation in the scope'
    """
    from graph.brokerage import ISOLATION_KINDS

    found = ISOLATION_KINDS.get(kind)
    return _pick((found[3], found[2]), lang) if found else ""


def event_kind_label(kind: str | None, *, lang: str | None = None) -> str:
    """An event kind (``local_festival``, ``meetup``, …) as people say it.

    >>> event_kind_label("local_festival", lang="ja")
    '地域のまつり'
    """
    from graph.suggest import EVENT_KIND_LABELS

    if not isinstance(kind, str) or not kind:
        return "—"
    return _pick(EVENT_KIND_LABELS.get(kind, (kind, kind)), lang)


_COMMUNITY_EVENTS = {
    "birth": ("誕生", "Birth"), "continuation": ("継続", "Continuation"),
    "growth": ("拡大", "Growth"), "contraction": ("縮小", "Contraction"),
    "merge": ("合流", "Merge"), "split": ("分裂", "Split"), "death": ("消滅", "Death"),
    "resurgence": ("再出現", "Resurgence"),
}


def community_event_label(event: str | None, *, lang: str | None = None) -> str:
    """A community event of ``graph.evolution`` (``birth``, ``merge``, …) in words.

    >>> community_event_label("birth", lang="ja"), community_event_label("split", lang="en")
    ('誕生', 'Split')
    """
    if not isinstance(event, str) or not event:
        return "—"
    return _pick(_COMMUNITY_EVENTS.get(event, (event, event)), lang)


_CATEGORIES = {"territorial": ("地縁型", "Territorial"), "thematic": ("テーマ型", "Thematic"),
               "total": ("合計", "Total"), "unknown": ("不明", "Unknown"),
               "dispatches": ("人材派遣件数", "Dispatches"),
               "consultations": ("相談件数", "Consultations"),
               "consultation_desks": ("相談窓口の数", "Consultation desks")}


def category_label(code: str | None, *, lang: str | None = None) -> str:
    """A report-series category or metric code (``territorial``, ``total``, …) in words.

    >>> category_label("thematic", lang="ja")
    'テーマ型'
    """
    if not isinstance(code, str) or not code:
        return "—"
    return _pick(_CATEGORIES.get(code, (code, code)), lang)


def table_label(table: str, *, lang: str | None = None) -> str:
    """A table of the record format: its Japanese name (the first Japanese file or sheet
    name it is read under) with the file name, or the file name in English.

    >>> table_label("organizations", lang="ja"), table_label("awards", lang="en")
    ('団体（organizations）', 'awards')
    """
    if (lang or current_lang()) == "en":
        return str(table)
    japanese = next((alias for alias, name in TABLE_ALIASES.items()
                     if name == table and not alias.isascii()), None)
    return f"{japanese}（{table}）" if japanese else str(table)


_CONSULTATION_STATUSES = {"open": ("受付中", "Open"), "answered": ("回答済み", "Answered"),
                          "closed": ("終了", "Closed"), "": ("受付中", "Open")}


def consultation_status_label(status: str | None, *, lang: str | None = None) -> str:
    """A consultation's status (``open``, ``answered``, ``closed``; empty = open) in words.

    >>> consultation_status_label("answered", lang="ja"), consultation_status_label("", lang="en")
    ('回答済み', 'Open')
    """
    if not isinstance(status, str):
        status = ""
    return _pick(_CONSULTATION_STATUSES.get(status, (status, status)), lang)


_RESOURCE_KINDS = {"space": ("場所・スペース", "Space"), "lecturer": ("講師", "Lecturer"),
                   "skills": ("スキル・ノウハウ", "Skills"), "equipment": ("備品・機材", "Equipment")}


def resource_kind_label(kind: str | None, *, lang: str | None = None) -> str:
    """A resource offer's kind (``space``, ``lecturer``, ``skills``, or the records' own words
    such as 情報) as people say it.

    >>> resource_kind_label("space", lang="ja"), resource_kind_label("情報", lang="ja")
    ('場所・スペース', '情報')
    """
    if not isinstance(kind, str) or not kind:
        return "—"
    return _pick(_RESOURCE_KINDS.get(kind, (kind, kind)), lang)


# Labels of the city-scale Growth page, ward map, ward report and WebGL view (issue 14).
from dashboards._labels_dash import DASH_LABELS  # noqa: E402

LABELS.update(DASH_LABELS)
