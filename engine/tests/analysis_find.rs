//! `Analysis` over the synthetic territory (built by code, no real data): typed not-found
//! reasons, batch lookups in input order, ranking with the build's weights.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use repere_engine::analysis::NotFound;
use repere_engine::point_lookup::LookupError;
use repere_engine::ranking::Weights;
use repere_engine::{Analysis, CommuneCode, QpvCode};

fn analysis() -> Analysis {
    let t = common::SyntheticTerritory::new();
    let (dataset, report) = t.load().unwrap();
    Analysis::build_default(dataset, report).unwrap()
}

#[test]
fn finds_members_and_names_why_a_code_is_not_found() {
    let a = analysis();
    let c = a
        .find_commune(&CommuneCode::parse("99001").unwrap())
        .unwrap();
    assert_eq!(c.diagnostic.name, "Synthé-Ouest");
    assert_eq!(c.priority.unwrap().code.as_str(), "99001");
    match a.find_commune(&CommuneCode::parse("76540").unwrap()) {
        Err(NotFound::CommuneNotMember { code, communes, .. }) => {
            assert_eq!((code.as_str(), communes), ("76540", 2));
        }
        other => panic!("{other:?}"),
    }
    let q = a.find_qpv(&QpvCode::parse("QN09901M").unwrap()).unwrap();
    assert_eq!(q.name, "Quartier synthétique");
    match a.find_qpv(&QpvCode::parse("QN09999M").unwrap()) {
        Err(NotFound::QpvNotInTerritory { known, .. }) => {
            assert_eq!(known, [QpvCode::parse("QN09901M").unwrap()]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.qpv_summaries().len(), 1);
    assert_eq!(
        a.ranking(&Weights::default()),
        *a.default_ranking(),
        "the build's weights give the prepared ranking"
    );
}

#[test]
fn batch_lookups_keep_the_input_order_and_name_the_first_bad_point() {
    let a = analysis();
    let hits = a.lookup_many(&[(2.15, 48.05), (2.05, 48.05)]).unwrap();
    let codes: Vec<_> = hits
        .iter()
        .map(|h| h.commune.as_ref().unwrap().code.as_str())
        .collect();
    assert_eq!(codes, ["99002", "99001"]);
    let err = a
        .lookup_many(&[(2.05, 48.05), (2.0, 91.0), (200.0, 0.0)])
        .unwrap_err();
    assert_eq!(err.index, 1);
    assert!(matches!(
        err.source,
        LookupError::Point(repere_engine::point::PointError::Latitude { .. })
    ));
}
