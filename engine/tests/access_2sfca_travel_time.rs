//! The 2SFCA index with travel times (minutes) from `transit::cost` as its cost function.

use repere_engine::Territory;
use repere_engine::indicator::access_2sfca::{SfcaIndex, SfcaParams, StepDecay, StraightLineCost};
use repere_engine::model::actor::Actor;
use repere_engine::transit::cost::TravelTimeCost;
use repere_engine::transit::{TravelNetwork, TravelParams};
use repere_engine::walking::WalkParams;

#[test]
fn two_step_floating_catchment_with_walking_minutes_equals_the_metre_version() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let metres = SfcaParams::default();
    let by_metres = SfcaIndex::compute(&ds, &metres, &StraightLineCost::default());

    // The default feed has no timetable: travel time is walking time, 1.3 × straight line at
    // 4.5 km/h = 75 m per minute, so the metre steps become minute steps divided by 75.
    let net = TravelNetwork::new(ds.transport.as_ref(), TravelParams::default());
    assert!(!net.has_transit());
    assert_eq!(*net.params.walk(), WalkParams::default());
    let cost = TravelTimeCost::new(&net);
    let minutes = SfcaParams {
        decay: StepDecay {
            steps: metres
                .decay
                .steps
                .iter()
                .map(|(m, w)| (m / 75.0, *w))
                .collect(),
        },
        ..metres.clone()
    };
    let by_minutes =
        SfcaIndex::compute(&ds, &minutes, &|p, a: &Actor| cost.minutes(p, a.point_l93));
    assert_eq!(
        by_minutes.index_per_1000.len(),
        by_metres.index_per_1000.len()
    );
    for (a, b) in by_minutes
        .index_per_1000
        .iter()
        .zip(&by_metres.index_per_1000)
    {
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
    }
    assert!(by_minutes.index_per_1000.iter().any(|x| *x > 0.0));
}
