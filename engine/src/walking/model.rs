//! The walking model every access computation uses: the straight line (× detour factor), or the
//! OpenStreetMap pedestrian network when the territory has an extract.
//!
//! With the network, walking time is network metres / speed (see the [module docs](super));
//! a point that cannot be snapped, or a pair not connected, falls back to the straight line ×
//! detour factor at the same speed. The [`WalkModel::label`] goes into the method note of every
//! result: "à pied sur le réseau OpenStreetMap" or "à vol d'oiseau" (the network's note says
//! "ligne droite" for its fallback, so that the two notes never share a label).

use std::sync::Arc;

use geo::Point;

use super::WalkNetwork;
use super::dijkstra::Search;
use super::params::WalkParams;
use super::snap::Snapped;
use crate::crs::distance_m;

/// Label of the network model in method notes.
pub const NETWORK_LABEL: &str = "à pied sur le réseau OpenStreetMap";
/// Label of the straight-line model in method notes.
pub const STRAIGHT_LABEL: &str = "à vol d'oiseau";

/// Which walking model runs: the one model of RAPTOR transfers, access and egress, the gap
/// grid, coverage, isochrones, matrices and suggest.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum WalkModel {
    /// Lambert-93 straight line × detour factor at a speed (no extract).
    StraightLine(WalkParams),
    /// The pedestrian network of an extract.
    Network(NetworkWalk),
}

impl Default for WalkModel {
    fn default() -> Self {
        WalkModel::StraightLine(WalkParams::default())
    }
}

/// The network model: the network and the walking parameters (speed and radii; the detour factor
/// serves the straight-line fallback only).
#[derive(Debug, Clone, serde::Serialize)]
pub struct NetworkWalk {
    /// The extract, as named to the user.
    #[serde(rename = "file", serialize_with = "network_file")]
    pub network: Arc<WalkNetwork>,
    /// Speed, radii and fallback detour factor.
    #[serde(flatten)]
    pub params: WalkParams,
}

fn network_file<S: serde::Serializer>(n: &Arc<WalkNetwork>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&n.file)
}

impl PartialEq for NetworkWalk {
    /// The same network (shared) with the same parameters.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.network, &other.network) && self.params == other.params
    }
}

impl WalkModel {
    /// The walking parameters (speed, detour factor of the straight line or of the fallback).
    pub fn params(&self) -> &WalkParams {
        match self {
            WalkModel::StraightLine(p) => p,
            WalkModel::Network(n) => &n.params,
        }
    }

    /// The network, when the model is the network.
    pub fn network(&self) -> Option<&NetworkWalk> {
        match self {
            WalkModel::StraightLine(_) => None,
            WalkModel::Network(n) => Some(n),
        }
    }

    /// "à pied sur le réseau OpenStreetMap" or "à vol d'oiseau" (French, for method notes).
    pub fn label(&self) -> &'static str {
        match self {
            WalkModel::StraightLine(_) => STRAIGHT_LABEL,
            WalkModel::Network(_) => NETWORK_LABEL,
        }
    }

    /// A French sentence for method notes: model, speed, detour factor, snapping distance.
    pub fn method_note(&self) -> String {
        let p = self.params();
        let speed = french_number(p.speed_kmh);
        let detour = french_number(p.detour_factor);
        match self {
            WalkModel::StraightLine(_) => {
                format!("marche à vol d'oiseau × {detour} à {speed} km/h")
            }
            WalkModel::Network(n) => format!(
                "marche {NETWORK_LABEL} ({}, {} km de voies) à {speed} km/h ; \
                 points à plus de {} m du réseau : ligne droite × {detour}",
                n.network.file,
                french_number((n.network.stats.length_m / 100.0).round() / 10.0),
                n.network.max_snap_m.round()
            ),
        }
    }

    /// Walking seconds between two planar points (a fresh network search for the network model;
    /// prefer [`WalkModel::from_point`] or [`WalkModel::seconds_between`] in loops).
    pub fn seconds(&self, a_m: Point, b_m: Point) -> f64 {
        match self {
            WalkModel::StraightLine(p) => p.seconds_between(a_m, b_m),
            WalkModel::Network(n) => n.seconds_between(&mut None, a_m, b_m, f64::INFINITY),
        }
    }

    /// Walking seconds of a transfer between two stops, rounded; `None` beyond
    /// [`WalkParams::max_transfer_m`] (straight line), or, with the network, when the network
    /// walk exceeds the straight-line model's time for that radius.
    pub fn transfer_s(&self, a_m: Point, b_m: Point) -> Option<u32> {
        self.from_point(
            &mut None,
            a_m,
            self.params().seconds_for_m(self.params().max_transfer_m),
        )
        .within_m(b_m, self.params().max_transfer_m)
    }

    /// Walking seconds between a point and a stop, rounded; `None` beyond
    /// [`WalkParams::max_access_m`] (as [`WalkModel::transfer_s`]).
    pub fn access_s(&self, point_m: Point, stop_m: Point) -> Option<u32> {
        self.from_point(
            &mut None,
            point_m,
            self.params().seconds_for_m(self.params().max_access_m),
        )
        .within_m(stop_m, self.params().max_access_m)
    }

    /// Short French description, for reports.
    pub fn describe(&self) -> String {
        let p = self.params();
        format!(
            "{}, correspondances à pied jusqu'à {} m, accès aux arrêts jusqu'à {} m",
            self.method_note(),
            french_number(p.max_transfer_m),
            french_number(p.max_access_m)
        )
    }

    /// Walking seconds between two Lambert-93 points (the network search is bounded by
    /// `max_s`; beyond it the result is the straight-line fallback or more).
    pub fn seconds_between(
        &self,
        search: &mut Option<Search>,
        a: Point,
        b: Point,
        max_s: f64,
    ) -> f64 {
        match self {
            WalkModel::StraightLine(p) => p.seconds_between(a, b),
            WalkModel::Network(n) => n.seconds_between(search, a, b, max_s),
        }
    }
}

/// Walking times from one origin to many points, within a time budget (see
/// [`WalkModel::from_point`]).
#[derive(Debug)]
pub struct WalkFrom<'a> {
    model: &'a WalkModel,
    from: Point,
    max_s: f64,
    /// The origin's snap and the search run from it (network model, origin snapped).
    searched: Option<(Snapped, &'a Search)>,
}

impl WalkModel {
    /// Prepares walking times from `from` within `max_s` seconds: with the network, one
    /// bounded search from the snapped origin (reusing `search`).
    pub fn from_point<'a>(
        &'a self,
        search: &'a mut Option<Search>,
        from: Point,
        max_s: f64,
    ) -> WalkFrom<'a> {
        let searched = self.network().and_then(|n| {
            let s = n.network.snap(from)?;
            let st = search.get_or_insert_with(|| n.network.search());
            let max_m = if max_s.is_finite() {
                max_s * n.speed_ms()
            } else {
                f64::INFINITY
            };
            st.run_from(&n.network, &s, max_m);
            Some((s, &*st))
        });
        WalkFrom {
            model: self,
            from,
            max_s,
            searched,
        }
    }
}

impl WalkFrom<'_> {
    /// Rounded walking seconds to a point within `radius_m` (straight line) of the origin:
    /// straight line, the model's time; network, the network time when it fits the budget given
    /// to [`WalkModel::from_point`].
    pub fn within_m(&self, to: Point, radius_m: f64) -> Option<u32> {
        if distance_m(self.from, to) > radius_m {
            return None;
        }
        match self.model {
            WalkModel::StraightLine(p) => Some(p.seconds_between(self.from, to).round() as u32),
            WalkModel::Network(_) => self.seconds_to(to).map(|s| s.round() as u32),
        }
    }

    /// Walking seconds to `to`, `None` beyond the budget. With the network: network time when
    /// both ends snap, else the straight-line fallback.
    pub fn seconds_to(&self, to: Point) -> Option<f64> {
        let straight = || Some(self.model.params().seconds_between(self.from, to));
        let t = match (self.model, &self.searched) {
            (WalkModel::Network(n), Some((from, search))) => match n.network.snap(to) {
                Some(t) => {
                    let m = search.dist_to_m(&t);
                    let m = from.same_chain_m(&t).map_or(m, |s| s.min(m));
                    m.is_finite().then(|| n.seconds_for_network_m(m))
                }
                None => straight(),
            },
            _ => straight(),
        }?;
        (t <= self.max_s).then_some(t)
    }
}

impl NetworkWalk {
    /// Metres per second.
    fn speed_ms(&self) -> f64 {
        self.params.speed_kmh / 3.6
    }

    /// Seconds for network metres.
    pub fn seconds_for_network_m(&self, m: f64) -> f64 {
        m / self.speed_ms()
    }

    /// Walking seconds between two points on the network, or the straight-line fallback when
    /// one cannot be snapped or no path within `max_s` exists.
    pub fn seconds_between(
        &self,
        search: &mut Option<Search>,
        a: Point,
        b: Point,
        max_s: f64,
    ) -> f64 {
        let net = &self.network;
        let (Some(sa), Some(sb)) = (net.snap(a), net.snap(b)) else {
            return self.params.seconds_between(a, b);
        };
        let s = search.get_or_insert_with(|| net.search());
        let max_m = if max_s.is_finite() {
            max_s * self.speed_ms()
        } else {
            f64::INFINITY
        };
        match net.distance_m(s, &sa, &sb, max_m) {
            Some(m) => self.seconds_for_network_m(m),
            None => self.params.seconds_between(a, b).max(max_s),
        }
    }

    /// Network distances from every node to the nearest of `destinations` (one multi-source
    /// search of the whole network, in whole millimetres: see [`super::field`]), for "time to
    /// the nearest actor of a group" over many origins.
    pub fn nearest_field(&self, destinations: &[Point]) -> NearestField {
        let net = &self.network;
        let mut seeds = Vec::new();
        let mut on_chain: Vec<Snapped> = Vec::new();
        let mut unsnapped = Vec::new();
        for (&p, snapped) in destinations.iter().zip(net.snap_batch(destinations)) {
            match snapped {
                Some(s) => {
                    seeds.extend(s.to_core_ends_m());
                    on_chain.push(s);
                }
                None => unsnapped.push(p),
            }
        }
        // By chain (stable: destinations of a chain in their order), for a binary search.
        on_chain.sort_by_key(|s| s.chain);
        NearestField {
            dist_mm: net.fields.field_mm(&seeds),
            on_chain,
            unsnapped,
            points: destinations.to_vec(),
        }
    }

    /// Seconds from a point to the nearest destination of a field: the network to snapped
    /// destinations, the straight-line fallback to unsnapped ones and from an unsnapped point.
    pub fn seconds_to_nearest(&self, field: &NearestField, from: Point) -> f64 {
        self.seconds_to_nearest_snapped(field, from, self.network.snap(from).as_ref())
    }

    /// As [`NetworkWalk::seconds_to_nearest`], with the origin already snapped (`None`: it
    /// could not be), so that one snap serves several fields.
    pub fn seconds_to_nearest_snapped(
        &self,
        field: &NearestField,
        from: Point,
        snapped: Option<&Snapped>,
    ) -> f64 {
        let fallback = |pts: &mut dyn Iterator<Item = Point>| {
            pts.map(|d| self.params.seconds_between(from, d))
                .fold(f64::INFINITY, f64::min)
        };
        let Some(s) = snapped else {
            return fallback(&mut field.points.iter().copied());
        };
        let mut m = s
            .to_core_ends_m()
            .iter()
            .map(|&(v, d)| {
                field
                    .dist_mm
                    .get(v as usize)
                    .map_or(f64::INFINITY, |&mm| super::field::m_of_mm(mm))
                    + d
            })
            .fold(f64::INFINITY, f64::min);
        let first = field.on_chain.partition_point(|d| d.chain < s.chain);
        for d in field.on_chain[first..]
            .iter()
            .take_while(|d| d.chain == s.chain)
        {
            if let Some(x) = s.same_chain_m(d) {
                m = m.min(x);
            }
        }
        self.seconds_for_network_m(m)
            .min(fallback(&mut field.unsnapped.iter().copied()))
    }
}

/// Network metres from every node to the nearest destination (see
/// [`NetworkWalk::nearest_field`]).
#[derive(Debug, Clone)]
pub struct NearestField {
    /// Per core node, millimetres to the nearest snapped destination (see [`super::field`]).
    dist_mm: Vec<u32>,
    /// The snapped destinations, by chain.
    on_chain: Vec<Snapped>,
    /// Destinations farther than the snapping distance from the network.
    pub unsnapped: Vec<Point>,
    /// Every destination.
    pub points: Vec<Point>,
}

/// Straight-line metres between two Lambert-93 points (re-exported for callers of the model).
pub fn straight_m(a: Point, b: Point) -> f64 {
    distance_m(a, b)
}

/// A number with a decimal comma, without trailing zeros (4.5 → "4,5", 1.3 → "1,3").
fn french_number(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walking::graph::WalkGraph;

    fn line_network() -> Arc<WalkNetwork> {
        // A street 0 → 1000 m along x, and a detour: two points 100 m apart across a "river"
        // (y = 0 and y = 100) are joined only at x = 1000.
        let g = WalkGraph::from_parts(
            vec![[0.0, 0.0], [1000.0, 0.0], [1000.0, 100.0], [0.0, 100.0]],
            &[(0, 1), (1, 2), (2, 3)],
        );
        Arc::new(WalkNetwork::from_graph(g, Default::default(), "synthetic"))
    }

    #[test]
    fn network_time_follows_the_streets_and_unsnapped_points_fall_back() {
        let w = NetworkWalk {
            network: line_network(),
            params: WalkParams::default(),
        };
        let mut s = None;
        let t = w.seconds_between(
            &mut s,
            Point::new(0.0, 0.0),
            Point::new(0.0, 100.0),
            f64::INFINITY,
        );
        assert!((t - 2100.0 / 1.25).abs() < 1e-6, "{t}");
        // 10 km away: straight line × 1.3.
        let far = Point::new(0.0, 10_000.0);
        let t = w.seconds_between(&mut s, Point::new(0.0, 0.0), far, f64::INFINITY);
        assert!(
            (t - WalkParams::default().seconds_between(Point::new(0.0, 0.0), far)).abs() < 1e-6
        );
        let model = WalkModel::Network(w.clone());
        assert_eq!(model.label(), "à pied sur le réseau OpenStreetMap");
        assert!(!model.method_note().contains("vol d'oiseau"));
        assert!(
            model.method_note().contains("synthetic"),
            "{}",
            model.method_note()
        );
        assert_eq!(WalkModel::default().label(), "à vol d'oiseau");
        assert_eq!(
            WalkModel::default().method_note(),
            "marche à vol d'oiseau × 1,3 à 4,5 km/h"
        );
    }

    #[test]
    fn the_nearest_field_agrees_with_point_to_point_searches() {
        let w = NetworkWalk {
            network: line_network(),
            params: WalkParams::default(),
        };
        let dests = [Point::new(500.0, 110.0), Point::new(990.0, -20.0)];
        let field = w.nearest_field(&dests);
        let mut s = None;
        for from in [
            Point::new(10.0, 5.0),
            Point::new(300.0, 95.0),
            Point::new(700.0, 0.0),
        ] {
            let best = dests
                .iter()
                .map(|&d| w.seconds_between(&mut s, from, d, f64::INFINITY))
                .fold(f64::INFINITY, f64::min);
            let f = w.seconds_to_nearest(&field, from);
            assert!((best - f).abs() < 1e-6, "{from:?}: {best} vs {f}");
        }
    }
}
