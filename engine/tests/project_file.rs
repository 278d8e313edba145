//! A project file validated against the default territory: each refusal names its field by
//! path with a French message; what passes is written back in canonical form; the coverage
//! sites are one per (placed site, service), carrying the site's days and opening window.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use repere_engine::Territory;
use repere_engine::model::actor::ActorGroup;
use repere_engine::project::coverage::expand_sites;
use repere_engine::project::{Project, ProjectError};
use serde_json::json;

fn base() -> serde_json::Value {
    json!({
        "title": "  Projet d'essai  ",
        "organisation": {"name": "Association", "siret": "120 027 016 00019"},
        "communes": ["76231", "76231"],
        "qpv": ["QN07613M"],
        "youth_target": "120",
        "budget_eur": "48 500,50",
        "sites": [
            {"name": "Elbeuf", "lon": 1.0092, "lat": 49.2868, "services": ["FT", "ML", "ML"],
             "opening_hours": {"Mardi": "9h-12h", "jeudi": "14:00-17:30"}},
            {"name": "À placer", "address": "rue de l'essai, Rouen", "services": ["PIJ_BIJ"]}
        ]
    })
}

fn refused(ds: &repere_engine::Dataset, patch: serde_json::Value) -> ProjectError {
    let mut v = base();
    for (k, x) in patch.as_object().unwrap() {
        v[k] = x.clone();
    }
    Project::validate(ds, &v).unwrap_err()
}

#[test]
fn a_project_file_is_validated_field_by_field_against_the_territory() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let p = Project::validate(&ds, &base()).unwrap();
    assert_eq!(p.title, "Projet d'essai");
    assert_eq!(p.organisation.siret.as_deref(), Some("12002701600019"));
    assert_eq!(p.communes.len(), 1, "repeats dropped");
    assert_eq!((p.youth_target, p.budget_eur), (Some(120), Some(48_500.5)));
    assert_eq!(
        p.sites[0].services,
        vec![ActorGroup::MissionLocale, ActorGroup::FranceTravail]
    );
    assert_eq!(
        p.sites[0].hours_line().as_deref(),
        Some("mardi 09:00-12:00 ; jeudi 14:00-17:30")
    );
    assert_eq!(p.sites[1].services, vec![ActorGroup::InformationJeunesse]);
    assert!(p.sites[1].point_wgs84.is_none());
    // The canonical form validates to the same project.
    assert_eq!(Project::of_input(&ds, &p.to_input()).unwrap(), p);

    // One coverage site per placed site and service, with the days and opening window.
    let (sites, site_of) = expand_sites(&p);
    assert_eq!(site_of, vec![0, 0]);
    assert_eq!(sites[0].group, Some(ActorGroup::MissionLocale));
    assert_eq!(sites[1].group, Some(ActorGroup::FranceTravail));
    assert_eq!(sites[0].hours, Some((9 * 3600, 17 * 3600 + 1800)));
    assert_eq!(sites[0].days.as_ref().map(Vec::len), Some(2));

    for (patch, field, words) in [
        (json!({"title": " "}), "title", "obligatoire"),
        (
            json!({"organisation": {"name": "A", "siret": "12002701600018"}}),
            "organisation.siret",
            "Luhn",
        ),
        (
            json!({"organisation": {"name": "A", "siret": "1234"}}),
            "organisation.siret",
            "14 chiffres",
        ),
        (
            json!({"organisation": {"siret": "12002701600019"}}),
            "organisation.name",
            "obligatoire",
        ),
        (
            json!({"communes": ["76231", "75056"]}),
            "communes[1]",
            "pas membre",
        ),
        (
            json!({"qpv": ["QN07699X"]}),
            "qpv[0]",
            "pas un quartier prioritaire",
        ),
        (json!({"youth_target": 12.5}), "youth_target", "entier"),
        (
            json!({"budget_eur": 10.123}),
            "budget_eur",
            "deux décimales",
        ),
        (
            json!({"sites": [{"name": "X", "lon": 49.2868, "lat": 1.0092, "services": ["ML"]}]}),
            "sites[0].lon",
            "inversées",
        ),
        (
            json!({"sites": [{"name": "X", "lon": 1.0092, "services": ["ML"]}]}),
            "sites[0].lat",
            "manquante",
        ),
        (
            json!({"sites": [{"name": "X", "services": ["BOULANGERIE"]}]}),
            "sites[0].services[0]",
            "inconnu",
        ),
        (
            json!({"sites": [{"name": "X", "services": ["ML"], "opening_hours": {"mardi": "12:00-09:00"}}]}),
            "sites[0].opening_hours.mardi",
            "fin",
        ),
        (
            json!({"sites": [{"name": "X", "services": ["ML"], "opening_hours": {"funday": "09:00-12:00"}}]}),
            "sites[0].opening_hours.funday",
            "jour inconnu",
        ),
        (
            json!({"sites": [{"name": "X", "services": ["ML"], "horaires": "lundi"}]}),
            "sites[0].horaires",
            "champ inconnu",
        ),
    ] {
        let e = refused(&ds, patch);
        assert_eq!(e.field, field, "{e}");
        assert!(e.to_string().contains(words), "{field}: {e}");
        assert!(
            e.to_string().starts_with(&format!("champ `{field}`")),
            "{e}"
        );
    }
}
