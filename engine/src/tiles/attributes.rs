//! The diagnostic attributes carried by the `communes` layer (and by the communes CSV and
//! GeoJSON exports, which reuse the layer): key indicators and the priority score and rank.

use crate::diagnostic::Diagnostics;
use crate::indicator::invisibles::InvisiblesBasis;
use crate::ranking::Ranking;

use super::layers::CommuneExtras;
use super::schema::FieldValue;

/// Rounds to `decimals` places (tiles and exports carry display precision, not float noise).
fn round(v: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    // `+ 0.0` turns a negative zero (a rounded -0.001) into 0: exports show `0`, not `-0`.
    (v * k).round() / k + 0.0
}

/// Key indicators of each commune diagnostic and its place in `ranking`. Absent values are left
/// out (MVT has no null).
///
/// Fields: `youth_15_29`, `youth_15_29_share_pct`, `neet_share_2018_pct`,
/// `neet_trend_2008_2018_pts`, `estimated_neet_count`, `qpv_count`, `qpv_codes`,
/// `qpv_area_share_pct`, `youth_15_29_in_qpv_est`, `accessibility_index_per_1000`,
/// `distance_to_nearest_ml_ft_m`, `priority_score` (0-100), `priority_rank` (1 = first); with
/// local follow-up counts, `invisibles_low_est`, `invisibles_high_est`, `invisibles_central_est`
/// (each only when not secret) and `invisibles_range` (`60 à 120`, `< 11 à 40`).
pub fn commune_extras(diagnostics: &Diagnostics, ranking: &Ranking) -> CommuneExtras {
    let mut out = CommuneExtras::new();
    let rank_of: std::collections::HashMap<_, _> =
        ranking.entries.iter().map(|e| (&e.code, e)).collect();
    for c in &diagnostics.communes {
        let mut props: Vec<(String, FieldValue)> = Vec::new();
        let mut num = |name: &str, v: Option<f64>, decimals: i32| {
            if let Some(v) = v.filter(|v| v.is_finite()) {
                props.push((name.to_owned(), FieldValue::Double(round(v, decimals))));
            }
        };
        num("youth_15_29", c.youth_15_29.value, 0);
        num("youth_15_29_share_pct", c.youth_15_29_share_pct.value, 2);
        num("neet_share_2018_pct", c.neet_share_2018_pct.value, 2);
        num(
            "neet_trend_2008_2018_pts",
            c.neet_trend_2008_2018_pts.value,
            2,
        );
        num("estimated_neet_count", c.estimated_neet_count.value, 0);
        num("qpv_area_share_pct", c.qpv_area_share_pct.value, 2);
        num("youth_15_29_in_qpv_est", c.youth_15_29_in_qpv_est.value, 0);
        num(
            "accessibility_index_per_1000",
            c.accessibility_index_per_1000.value,
            3,
        );
        num(
            "distance_to_nearest_ml_ft_m",
            c.distance_to_nearest_ml_ft_m.value,
            0,
        );
        // Invisibles: the disclosed numbers only (a secret bound has no number; the range text
        // says "< 11"), never the unrounded range.
        let inv = &c.invisibles;
        if inv.basis == InvisiblesBasis::Local {
            for (name, d) in [
                ("invisibles_low_est", inv.low_est),
                ("invisibles_high_est", inv.high_est),
                ("invisibles_central_est", inv.central_est),
            ] {
                if let Some(v) = d.and_then(|d| d.value()) {
                    props.push((name.to_owned(), FieldValue::Int(i64::from(v))));
                }
            }
            if let (Some(lo), Some(hi)) = (inv.low_est, inv.high_est) {
                let text = if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo} à {hi}")
                };
                props.push(("invisibles_range".to_owned(), FieldValue::Str(text)));
            }
        }
        props.push(("qpv_count".to_owned(), FieldValue::Int(c.qpv.len() as i64)));
        let codes: Vec<&str> = c.qpv.iter().map(|q| q.code.as_str()).collect();
        props.push(("qpv_codes".to_owned(), FieldValue::Str(codes.join(","))));
        if let Some(e) = rank_of.get(&c.code) {
            props.push((
                "priority_score".to_owned(),
                FieldValue::Double(round(e.score, 2)),
            ));
            props.push(("priority_rank".to_owned(), FieldValue::Int(e.rank as i64)));
        }
        out.insert(c.code.clone(), props);
    }
    out
}
