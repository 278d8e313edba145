//! The French label and unit of every indicator field the diagnostics, the `communes` tiles and
//! the exports carry, written once here from the diagnostic parameters (a label naming a
//! catchment shows the catchment in use), so that clients never restate them.
//!
//! Field names are the JSON and tile property names; a unit is `""` for counts, scores and
//! ranks.

use std::collections::BTreeMap;

use super::DiagnosticParams;

/// The French label and unit of one field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldDoc {
    /// What the field is, in French, without its unit (`Part de jeunes NEET (2018)`).
    pub label: String,
    /// The unit as shown (`%`, `m`, `m²`, `km²`, `pts`), `""` for counts, scores and ranks.
    pub unit: &'static str,
}

/// Field name → label and unit, sorted by name.
pub type FieldDocs = BTreeMap<&'static str, FieldDoc>;

/// A distance as the page writes it: `500 m`, `1 km`, `1,5 km`.
///
/// # Examples
/// ```
/// use repere_engine::diagnostic::fields::distance_fr;
/// assert_eq!(distance_fr(500.0), "500 m");
/// assert_eq!(distance_fr(1_000.0), "1 km");
/// assert_eq!(distance_fr(1_500.0), "1,5 km");
/// ```
pub fn distance_fr(distance_m: f64) -> String {
    if distance_m < 1_000.0 {
        format!("{} m", crate::text::fr_decimal(distance_m, 0))
    } else {
        format!("{} km", crate::text::fr_decimal(distance_m / 1_000.0, 1))
    }
}

/// The labels and units of the indicator fields under `params`.
pub fn field_docs(params: &DiagnosticParams) -> FieldDocs {
    let stops = format!(
        "Arrêts à moins de {} des QPV",
        distance_fr(params.stop_catchment_m)
    );
    let fixed: [(&'static str, &str, &'static str); 26] = [
        ("population", "Population", ""),
        ("area_km2", "Superficie", "km²"),
        ("youth_15_29", "Jeunes de 15 à 29 ans", ""),
        ("youth_15_29_share_pct", "Part des 15-29 ans", "%"),
        ("neet_share_2008_pct", "Part de jeunes NEET (2008)", "%"),
        ("neet_share_2013_pct", "Part de jeunes NEET (2013)", "%"),
        ("neet_share_2018_pct", "Part de jeunes NEET (2018)", "%"),
        (
            "neet_trend_2008_2018_pts",
            "Évolution de la part NEET 2008-2018",
            "pts",
        ),
        (
            "neet_trend_2013_2018_pts",
            "Évolution de la part NEET 2013-2018",
            "pts",
        ),
        ("estimated_neet_count", "Jeunes NEET (estimation)", ""),
        (
            "invisibles_low_est",
            "Jeunes NEET estimés sans suivi (bas de la fourchette)",
            "",
        ),
        (
            "invisibles_high_est",
            "Jeunes NEET estimés sans suivi (haut de la fourchette)",
            "",
        ),
        (
            "invisibles_central_est",
            "Jeunes NEET estimés sans suivi (milieu de la fourchette)",
            "",
        ),
        (
            "invisibles_range",
            "Jeunes NEET estimés sans suivi (fourchette)",
            "",
        ),
        ("qpv_area_m2", "Surface en QPV", "m²"),
        ("qpv_area_share_pct", "Part de la surface en QPV", "%"),
        (
            "youth_15_29_in_qpv_est",
            "Jeunes de 15-29 ans en QPV (estimation)",
            "",
        ),
        (
            "distance_to_nearest_ml_ft_m",
            "Distance à la mission locale ou France Travail la plus proche",
            "m",
        ),
        (
            "accessibility_index_per_1000",
            "Accessibilité aux acteurs (offre pour 1 000 jeunes)",
            "",
        ),
        ("stops_near_qpv", &stops, ""),
        ("priority_score", "Score de priorité", ""),
        ("priority_rank", "Rang de priorité", ""),
        ("qpv_count", "Nombre de QPV", ""),
        ("qpv_codes", "Codes des QPV", ""),
        ("code", "Code INSEE", ""),
        ("name", "Nom", ""),
    ];
    fixed
        .into_iter()
        .map(|(name, label, unit)| {
            (
                name,
                FieldDoc {
                    label: label.to_owned(),
                    unit,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stops_label_names_the_catchment_in_use() {
        let docs = field_docs(&DiagnosticParams::default());
        assert_eq!(
            docs["stops_near_qpv"].label,
            "Arrêts à moins de 500 m des QPV"
        );
        let wider = DiagnosticParams {
            stop_catchment_m: 750.0,
            ..DiagnosticParams::default()
        };
        assert_eq!(
            field_docs(&wider)["stops_near_qpv"].label,
            "Arrêts à moins de 750 m des QPV"
        );
        assert_eq!(docs["neet_share_2018_pct"].unit, "%");
    }
}
