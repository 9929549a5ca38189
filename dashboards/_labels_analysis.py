"""Screen labels of the analysis pages (Overview, Network, Connectors & isolated, Gaps) and the
column headers they share (Japanese, English); merged into ``dashboards._i18n.LABELS``.

>>> all(len(pair) == 2 and all(pair) for pair in ANALYSIS_LABELS.values())
True
"""

from __future__ import annotations

__all__ = ["ANALYSIS_LABELS"]

ANALYSIS_LABELS: dict[str, tuple[str, str]] = {
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
}
