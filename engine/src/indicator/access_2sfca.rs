//! Accessibility index: two-step floating catchment area (2SFCA, Luo & Wang 2003) of actors
//! (supply) against young people aged 15-29 (demand), with a stepwise distance decay in the
//! spirit of the DREES "accessibilité potentielle localisée" (APL).
//!
//! Step 1, for each actor `j` with supply weight `S_j`: `R_j = S_j / Σ_i P_i · W(c_ij)`, where
//! `P_i` is the youth of demand point `i` and `W` the stepwise decay of the cost `c_ij`.
//! Step 2, for each demand point (or any origin): `A_i = 1000 · Σ_j R_j · W(c_ij)`: weighted
//! actors per 1000 young people aged 15-29 within reach. Youth-weighted, the mean of `A_i` over
//! the territory equals the total supply per 1000 young people (when every actor reaches some
//! demand), which is the Métropole reference.
//!
//! The cost is a parameter ([`Cost`]): the default is the straight-line Lambert-93 distance times
//! a detour factor, in metres; the transport module can plug in travel times (then the decay
//! steps are in the same unit, e.g. seconds). Demand only counts member communes' youth: actors
//! near the territory's edge look less loaded than they are (border effect).

use std::collections::BTreeMap;

use geo::{Centroid, Point};

use crate::codes::CommuneCode;
use crate::crs::distance_m;
use crate::dataset::Dataset;
use crate::model::actor::{Actor, ActorGroup};

/// A cost between an origin (Lambert-93 point) and an actor; `None` when unreachable.
pub trait Cost {
    /// The cost, in the unit of the decay steps.
    fn cost(&self, origin_l93: Point, actor: &Actor) -> Option<f64>;
}

impl<F: Fn(Point, &Actor) -> Option<f64>> Cost for F {
    fn cost(&self, origin_l93: Point, actor: &Actor) -> Option<f64> {
        self(origin_l93, actor)
    }
}

/// Straight-line Lambert-93 metres times a detour factor (street network vs crow flies).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct StraightLineCost {
    /// Multiplier of the straight-line distance (default 1.3).
    pub detour_factor: f64,
}

impl Default for StraightLineCost {
    fn default() -> Self {
        Self { detour_factor: 1.3 }
    }
}

impl Cost for StraightLineCost {
    fn cost(&self, origin_l93: Point, actor: &Actor) -> Option<f64> {
        Some(distance_m(origin_l93, actor.point_l93) * self.detour_factor)
    }
}

/// A stepwise decay: weight of the first step whose upper bound is ≥ the cost, 0 beyond the last.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StepDecay {
    /// `(max_cost, weight)` steps, ascending by cost.
    pub steps: Vec<(f64, f64)>,
}

impl Default for StepDecay {
    /// APL-like thirds on metres of network distance: ≤ 2 km → 1, ≤ 3.5 km → 2/3, ≤ 5 km → 1/3
    /// (the APL uses 10/15/20 minutes by road; these are roughly 25/45/60 minutes on foot or a
    /// short bus ride, the scale of a young person without a car).
    fn default() -> Self {
        Self {
            steps: vec![(2_000.0, 1.0), (3_500.0, 2.0 / 3.0), (5_000.0, 1.0 / 3.0)],
        }
    }
}

impl StepDecay {
    /// The weight of a cost.
    ///
    /// # Examples
    /// ```
    /// let d = repere_engine::indicator::access_2sfca::StepDecay::default();
    /// assert_eq!(d.weight(1_500.0), 1.0);
    /// assert!((d.weight(4_000.0) - 1.0 / 3.0).abs() < 1e-12);
    /// assert_eq!(d.weight(6_000.0), 0.0);
    /// ```
    pub fn weight(&self, cost: f64) -> f64 {
        self.steps
            .iter()
            .find(|(max, _)| cost <= *max)
            .map_or(0.0, |(_, w)| *w)
    }
}

/// At which level demand (youth 15-29) is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandLevel {
    /// IRIS centroids where IRIS contours exist; elsewhere one point per commune (its centroid)
    /// carrying the sum of its IRIS.
    #[default]
    Iris,
    /// One point per commune, at its centroid.
    Commune,
}

/// The parameters of the index.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SfcaParams {
    /// Demand level.
    pub demand_level: DemandLevel,
    /// Stepwise decay of the cost (its last step is the catchment).
    pub decay: StepDecay,
    /// Supply weight per actor group (groups absent from the map weigh 0).
    pub supply_weights: BTreeMap<ActorGroup, f64>,
    /// Detour factor of the default straight-line cost.
    pub detour_factor: f64,
}

impl Default for SfcaParams {
    /// Supply weights: mission locale and France Travail 3 (the employment public service for the
    /// young), information jeunesse and second-chance schools 2, France services, SIAE and centres
    /// sociaux 1, associations 0.5, other structures 0.
    fn default() -> Self {
        use ActorGroup::*;
        let supply_weights = [
            (MissionLocale, 3.0),
            (FranceTravail, 3.0),
            (InformationJeunesse, 2.0),
            (SecondeChance, 2.0),
            (FranceServices, 1.0),
            (Siae, 1.0),
            (CentreSocial, 1.0),
            (Association, 0.5),
        ]
        .into_iter()
        .collect();
        Self {
            demand_level: DemandLevel::Iris,
            decay: StepDecay::default(),
            supply_weights,
            detour_factor: 1.3,
        }
    }
}

/// Where demand is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandOrigin {
    /// An IRIS centroid.
    IrisCentroid,
    /// A commune centroid.
    CommuneCentroid,
}

/// One demand point.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DemandPoint {
    /// IRIS code or commune code.
    pub id: String,
    /// Commune.
    pub commune: CommuneCode,
    /// Location, Lambert-93 metres.
    #[serde(skip)]
    pub point_l93: Point,
    /// Young people aged 15-29.
    pub youth_15_29: f64,
    /// What the point is.
    pub origin: DemandOrigin,
}

/// The demand points of a dataset, sorted by id.
pub fn demand_points(ds: &Dataset, level: DemandLevel) -> Vec<DemandPoint> {
    let mut out = Vec::new();
    for c in &ds.communes {
        let Some(bands) = ds.youth.by_commune.get(&c.code) else {
            continue;
        };
        let iris: Vec<_> = ds
            .youth
            .iris
            .iter()
            .filter(|i| i.commune == c.code)
            .collect();
        let with_contours = level == DemandLevel::Iris
            && !iris.is_empty()
            && iris.iter().all(|i| i.boundary_l93.is_some());
        if with_contours {
            for i in iris {
                if let Some(p) = i.boundary_l93.as_ref().and_then(|b| b.centroid()) {
                    out.push(DemandPoint {
                        id: i.code.to_string(),
                        commune: c.code.clone(),
                        point_l93: p,
                        youth_15_29: i.population.age_15_29,
                        origin: DemandOrigin::IrisCentroid,
                    });
                }
            }
        } else if let Some(p) = c.boundary_l93.centroid() {
            out.push(DemandPoint {
                id: c.code.to_string(),
                commune: c.code.clone(),
                point_l93: p,
                youth_15_29: bands.age_15_29,
                origin: DemandOrigin::CommuneCentroid,
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The computed index.
#[derive(Debug, Clone, Default)]
pub struct SfcaIndex {
    /// Demand points, sorted by id.
    pub demand: Vec<DemandPoint>,
    /// Index per demand point (aligned with `demand`): weighted actors per 1000 young people.
    pub index_per_1000: Vec<f64>,
    /// Supply-to-demand ratio `R_j` of each actor (aligned with [`Dataset::actors`]).
    pub actor_ratio: Vec<f64>,
    /// The decay used.
    pub decay: StepDecay,
}

impl SfcaIndex {
    /// Computes the 2SFCA index with a cost function.
    pub fn compute(ds: &Dataset, params: &SfcaParams, cost: &dyn Cost) -> Self {
        let demand = demand_points(ds, params.demand_level);
        let n = ds.actors.len();
        // weights[i * n + j]: decay weight between demand i and actor j, computed once.
        let mut weights = vec![0.0; demand.len() * n];
        for (i, d) in demand.iter().enumerate() {
            for (j, a) in ds.actors.iter().enumerate() {
                if let Some(c) = cost.cost(d.point_l93, a) {
                    weights[i * n + j] = params.decay.weight(c);
                }
            }
        }
        let actor_ratio: Vec<f64> = ds
            .actors
            .iter()
            .enumerate()
            .map(|(j, a)| {
                let supply = params
                    .supply_weights
                    .get(&a.kind.group())
                    .copied()
                    .unwrap_or(0.0);
                let served: f64 = demand
                    .iter()
                    .enumerate()
                    .map(|(i, d)| d.youth_15_29 * weights[i * n + j])
                    .sum();
                if supply > 0.0 && served > 0.0 {
                    supply / served
                } else {
                    0.0
                }
            })
            .collect();
        let index_per_1000 = (0..demand.len())
            .map(|i| {
                1000.0
                    * (0..n)
                        .map(|j| actor_ratio[j] * weights[i * n + j])
                        .sum::<f64>()
            })
            .collect();
        Self {
            demand,
            index_per_1000,
            actor_ratio,
            decay: params.decay.clone(),
        }
    }

    /// Step 2 evaluated at any origin (e.g. a QPV centroid), per 1000 young people.
    pub fn at(&self, ds: &Dataset, origin_l93: Point, cost: &dyn Cost) -> f64 {
        1000.0
            * ds.actors
                .iter()
                .zip(&self.actor_ratio)
                .filter(|(_, r)| **r > 0.0)
                .map(|(a, r)| {
                    r * cost
                        .cost(origin_l93, a)
                        .map_or(0.0, |c| self.decay.weight(c))
                })
                .sum::<f64>()
    }

    /// Youth-weighted mean of the index over the demand points of a commune (`None` without
    /// demand there).
    pub fn commune_index(&self, commune: &CommuneCode) -> Option<f64> {
        crate::indicator::neet::weighted_mean(
            self.demand
                .iter()
                .zip(&self.index_per_1000)
                .filter(|(d, _)| &d.commune == commune)
                .map(|(d, a)| (Some(*a), d.youth_15_29)),
        )
    }

    /// Youth-weighted mean of the index over the whole territory.
    pub fn territory_index(&self) -> Option<f64> {
        crate::indicator::neet::weighted_mean(
            self.demand
                .iter()
                .zip(&self.index_per_1000)
                .map(|(d, a)| (Some(*a), d.youth_15_29)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_is_zero_beyond_the_last_step_and_one_at_zero_cost() {
        let d = StepDecay::default();
        assert_eq!(d.weight(0.0), 1.0);
        assert_eq!(d.weight(5_000.1), 0.0);
    }

    #[test]
    fn a_closure_is_a_cost() {
        let c = |_: Point, _: &Actor| Some(42.0);
        let f: &dyn Cost = &c;
        let a = Actor {
            id: "synthetic:1".into(),
            name: "synthetic".into(),
            kind: crate::model::actor::ActorKind::parse("FT").unwrap(),
            address: None,
            commune: None,
            point_wgs84: Point::new(0.0, 0.0),
            point_l93: Point::new(0.0, 0.0),
            source: "synthetic".into(),
            opening_hours: None,
        };
        assert_eq!(f.cost(Point::new(1.0, 1.0), &a), Some(42.0));
    }
}
