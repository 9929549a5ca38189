"""Screen labels of the Growth page at city scale, the ward map, the ward report and the WebGL
network view (Japanese, English); merged into ``dashboards._i18n.LABELS``.

>>> all(len(pair) == 2 and all(pair) for pair in DASH_LABELS.values())
True
"""

from __future__ import annotations

__all__ = ["DASH_LABELS"]

DASH_LABELS: dict[str, tuple[str, str]] = {
    # growth (city scale)
    "growth_first_visit": (
        "この範囲の推移を初めて計算しています（データ更新後の初回のみ。次回からはすぐ表示されます）…",
        "Computing this scope's growth for the first time (once after each data update; "
        "later visits are instant)…"),
    "growth_step_timeline": ("年度ごとのつながりの一覧を作っています…",
                             "Building the dated tie list…"),
    "growth_step_year": ("年度を分析しています: {done} / {total}",
                         "Analysing fiscal years: {done} of {total}"),
    "growth_step_saving": ("結果を保存しています…", "Saving the result…"),
    "growth_ready": ("推移を計算しました（{seconds} 秒）。次回からは保存済みの結果を表示します。",
                     "Growth computed in {seconds} s; later visits show the saved result."),
    "growth_scope_caption": ("範囲: {n} 団体、{periods} 年度（{first}〜{last}）",
                             "Scope: {n} organisations, {periods} fiscal years ({first}–{last})"),
    "replay_communities": (
        "この範囲は大きいため、コミュニティ単位で再生します（円 = コミュニティ、大きさ = 団体数、"
        "線 = コミュニティ間のつながり）。区を選ぶと団体ごとに再生します。",
        "This scope is large, so the replay is at community level (circle = community, size = "
        "organisations, line = ties between communities). Choose wards to replay organisations."),
    "replay_drawn_communities": ("{year}: {c} コミュニティ、{n} 団体",
                                 "{year}: {c} communities, {n} organisations"),
    "replay_community_title": ("コミュニティ {c}（{label} ほか）: {n} 団体、内部のつながり {m}",
                               "Community {c} (around {label}): {n} organisations, {m} ties inside"),
    "replay_link_title": ("つながり {n} 本", "{n} ties"),
    "replay_legend_community": ("コミュニティ {c}", "Community {c}"),
    "replay_legend_labelled": ("コミュニティ {c}（{label} ほか）", "Community {c} (around {label})"),
    "replay_legend_other": ("その他のコミュニティ（灰色）", "Other communities (grey)"),
    "replay_colour_rule": (
        "色: 最も大きい {n} のコミュニティ（いずれかの年度の最大の団体数の順）に固有の色、"
        "それ以外は灰色。色は年度が変わっても同じです。",
        "Colours: the {n} largest communities (by their largest size in any year) each have "
        "a colour of their own, the same in every year; all others are grey."),
    "community_events": ("コミュニティの誕生・合併・分裂・消滅（年度別）",
                         "Community births, merges, splits and deaths per year"),
    "event": ("出来事", "Event"),
    "ev_birth": ("誕生", "Birth"),
    "ev_merge": ("合併", "Merge"),
    "ev_split": ("分裂", "Split"),
    "ev_death": ("消滅", "Death"),
    "ev_growth": ("拡大", "Growth"),
    "ev_contraction": ("縮小", "Contraction"),
    "ev_continuation": ("継続", "Continuation"),
    "alluvial_title": ("コミュニティの流れ（大きい順に12コミュニティ）",
                       "Community flows (the 12 largest communities)"),
    "events_table": ("出来事の一覧（継続を除く）", "Events (continuations left out)"),
    "rising_connectors": ("伸びているつなぎ役（最初と最後の年度の媒介中心性の差）",
                          "Rising connectors (betweenness, first year to last)"),
    "newly_isolated": ("新たに孤立した団体（前の年度はつながりがあった）",
                       "Newly isolated (tied the year before, no tie now)"),
    "col_gain": ("伸び", "Gain"),
    "col_start": ("最初の年度", "First year"),
    "col_end": ("最後の年度", "Last year"),
    "col_previous_degree": ("前年度のつながり数", "Ties the year before"),
    "col_period": ("年度", "Fiscal year"),
    "col_event": ("出来事", "Event"),
    "col_previous_size": ("前の団体数", "Previous size"),
    "col_related": ("関係するコミュニティ", "Related communities"),
    "col_jaccard": ("重なり（Jaccard）", "Overlap (Jaccard)"),
    # ward map
    "nav_map": ("区の地図", "Ward map"),
    "map_title": ("区の地図", "Ward map"),
    "map_intro": ("区ごとの指標を地図で比べます。区をクリックすると、その区が表示範囲になります。",
                  "Compare the wards on a map. Click a ward to make it the scope of every page."),
    "map_measure": ("色で示す指標", "Colour by"),
    "map_isolated_share": ("孤立した団体の割合", "Share isolated"),
    "map_territorial_thematic": ("地縁型↔テーマ型のつながりの割合", "Territorial↔thematic tie share"),
    "map_gap_share": ("ギャップ（期待より不足するつながりの割合）",
                      "Gap (share of expected ties missing)"),
    "map_connectors_per_1000": ("つなぎ役（1,000団体あたり）", "Connectors per 1,000 organisations"),
    "map_growth": ("伸び（最新年度の新しいつながり ÷ それまでのつながり）",
                   "Growth (new ties in the latest year ÷ ties before)"),
    "map_tiles_note": (
        "区の境界データが設定されていないため、24区を地理的な並び（北が上）のタイルで示しています。"
        "境界の GeoJSON（国土数値情報 N03 など）を TSUNAGARI_WARD_BOUNDARIES で指定すると実際の形で描きます。",
        "No ward boundaries are configured, so the wards are drawn as tiles in their geographic "
        "order (north at the top). Point TSUNAGARI_WARD_BOUNDARIES at a GeoJSON of the wards "
        "(e.g. the national land information N03 data) to draw their real shapes."),
    "map_source": ("境界: {source}", "Boundaries: {source}"),
    "map_chosen": ("表示範囲の区: {wards}", "Wards in scope: {wards}"),
    "map_all_wards": ("すべての区を表示", "Show all wards"),
    "map_table": ("区ごとの指標", "Figures per ward"),
    "col_connectors": ("つなぎ役", "Connectors"),
    "col_isolated": ("孤立", "Isolated"),
    # ward report
    "report_heading": ("区のレポート", "Ward report"),
    "report_note": ("会議で配れる数ページの報告書です（つなぎ役、孤立、ギャップ、紹介の提案、推移、報告書の数値、出典）。"
                    "作成には数秒かかります。",
                    "A few pages to hand out at a meeting (connectors, isolated, gaps, suggested "
                    "introductions, growth, report figures, sources). Takes a few seconds."),
    "report_pdf": ("{ward}のレポート（PDF）", "{ward} report (PDF)"),
    "report_xlsx": ("{ward}のレポート（Excel）", "{ward} report (Excel)"),
    "report_html": ("{ward}のレポート（HTML）", "{ward} report (HTML)"),
    # WebGL network view
    "webgl_toggle": ("すべての団体を描く（WebGL）", "Draw every organisation (WebGL)"),
    "webgl_find": ("探す", "Find"),
    "webgl_clear": ("解除", "Clear"),
    "webgl_hint": ("クリックでカード表示・ホイールで拡大", "Click for a card, scroll to zoom"),
    "webgl_drawn": ("{n} 団体・{m} 本のつながりを WebGL で表示（上位 {k} 本を描画）",
                    "{n} organisations and {m} ties drawn with WebGL ({k} strongest ties drawn)"),
    "growth_matches": ("見つかった団体（{n} 件まで表示）", "Matching organisations (up to {n} shown)"),
}
