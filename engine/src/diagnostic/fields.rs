//! The French label and unit of every indicator field the diagnostics, the `communes` tiles and
//! the exports carry, written once here from the diagnostic parameters (a label naming a
//! catchment shows the catchment in use), so that clients never restate them.
//!
//! Field names are the JSON and tile property names; a unit is `""` for counts, scores and
//! ranks.

use std::collections::BTreeMap;

use super::DiagnosticParams;

/// The French label, unit and source of one field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldDoc {
    /// What the field is, in French, without its unit (`Part de jeunes NEET (2018)`).
    pub label: String,
    /// The unit as shown (`%`, `m`, `m²`, `km²`, `pts`), `""` for counts, scores and ranks.
    pub unit: &'static str,
    /// Where the figure comes from and its vintage, in French, as a page writes it beside the
    /// value (`RP 2013`, `QPV 2024`, `population légale 2026`), from the loaded data's vintages;
    /// `""` for identifiers.
    pub source: String,
}

/// The vintages of the loaded data that the figures carry (`GET /api/fields`'s `vintages`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DataVintages {
    /// Census (RP) vintage of the population by age (`youth_15_29`, shares, estimates).
    pub census: Option<u16>,
    /// Vintage of the legal municipal populations.
    pub population: Option<u16>,
    /// The QPV vintage diagnosed (the latest loaded).
    pub qpv: Option<u16>,
}

impl DataVintages {
    /// The vintages of a dataset.
    pub fn of(ds: &crate::dataset::Dataset) -> Self {
        Self {
            census: ds.youth.census_vintage,
            population: ds.population_vintage,
            qpv: ds.latest_qpv_vintage(),
        }
    }
}

/// `prefix year`, or the prefix alone when the year is unknown.
fn with_year(prefix: &str, year: Option<u16>) -> String {
    year.map_or_else(|| prefix.to_owned(), |y| format!("{prefix} {y}"))
}

/// The source of a field under `v` (see [`FieldDoc::source`]).
fn source_of(name: &str, v: &DataVintages) -> String {
    let census = with_year("RP", v.census);
    let qpv = with_year("QPV", v.qpv);
    let actors = "acteurs placés de l'inventaire";
    match name {
        "population" => with_year("population légale", v.population),
        "area_km2" => "contours communaux".to_owned(),
        "youth_15_29" | "youth_15_29_share_pct" => census,
        "neet_share_2008_pct" => "RP 2008".to_owned(),
        "neet_share_2013_pct" => "RP 2013".to_owned(),
        "neet_share_2018_pct" => "RP 2018".to_owned(),
        "neet_trend_2008_2018_pts" => "RP 2008 et 2018".to_owned(),
        "neet_trend_2013_2018_pts" => "RP 2013 et 2018".to_owned(),
        "estimated_neet_count" => format!("RP 2018 × {census}"),
        // The follow-up files (source, age band, date) are named by the card and `repere check`.
        "invisibles_low_est"
        | "invisibles_high_est"
        | "invisibles_central_est"
        | "invisibles_range" => {
            format!("RP 2018 × {census}, comptages de jeunes suivis du territoire")
        }
        "qpv_area_m2" | "qpv_area_share_pct" | "qpv_count" | "qpv_codes" => qpv,
        // QPV population from the matching 2015 quartiers (INSEE), times the communes' census
        // share of 15-29 (see crate::indicator::youth).
        "youth_15_29_in_qpv_est" => format!("{census}, population Insee des quartiers 2015, {qpv}"),
        "distance_to_nearest_ml_ft_m" => format!("{actors}, depuis le centre de la commune"),
        "accessibility_index_per_1000" => format!("{actors}, {census}"),
        "stops_near_qpv" => format!("GTFS, {qpv}"),
        "priority_score" | "priority_rank" => format!("RP 2018, {census}, {qpv}, {actors}"),
        _ => String::new(),
    }
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

/// The labels, units and sources of the indicator fields under `params`, the sources naming the
/// vintages `v`.
pub fn field_docs(params: &DiagnosticParams, v: &DataVintages) -> FieldDocs {
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
                    source: source_of(name, v),
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
        let docs = field_docs(&DiagnosticParams::default(), &DataVintages::default());
        assert_eq!(
            docs["stops_near_qpv"].label,
            "Arrêts à moins de 500 m des QPV"
        );
        let wider = DiagnosticParams {
            stop_catchment_m: 750.0,
            ..DiagnosticParams::default()
        };
        assert_eq!(
            field_docs(&wider, &DataVintages::default())["stops_near_qpv"].label,
            "Arrêts à moins de 750 m des QPV"
        );
        assert_eq!(docs["neet_share_2018_pct"].unit, "%");
    }

    #[test]
    fn sources_name_the_vintages_of_the_data() {
        let v = DataVintages {
            census: Some(2013),
            population: Some(2026),
            qpv: Some(2024),
        };
        let docs = field_docs(&DiagnosticParams::default(), &v);
        assert_eq!(docs["youth_15_29"].source, "RP 2013");
        assert_eq!(docs["population"].source, "population légale 2026");
        assert_eq!(
            docs["youth_15_29_in_qpv_est"].source,
            "RP 2013, population Insee des quartiers 2015, QPV 2024"
        );
        assert_eq!(docs["neet_share_2018_pct"].source, "RP 2018");
        let unknown = field_docs(&DiagnosticParams::default(), &DataVintages::default());
        assert_eq!(unknown["youth_15_29"].source, "RP");
        assert_eq!(unknown["code"].source, "");
    }
}
