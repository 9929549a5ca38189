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
}
