//! Travel time as a cost function (minutes), e.g. for the 2SFCA accessibility index.
//!
//! `TravelTimeCost::minutes(origin, destination)` is the walking time, or with a timetable the
//! best of walking and RAPTOR + egress walk, leaving at the first departure of the network's
//! [`Departures`](super::Departures). The RAPTOR run of the last origin is cached, so callers
//! that loop over destinations for each origin (as 2SFCA does) pay one run per origin. Use it
//! through a closure, `|p, a: &Actor| cost.minutes(p, a.point_l93)`, with decay steps in minutes.

use std::cell::RefCell;

use geo::Point;

use crate::transit::TravelNetwork;
use crate::transit::raptor::{StopLabels, earliest_arrival};

/// Travel-time cost over an access network, with a one-origin cache.
#[derive(Debug)]
pub struct TravelTimeCost<'a> {
    net: &'a TravelNetwork,
    cache: RefCell<Option<([u64; 2], StopLabels)>>,
    search: RefCell<Option<crate::walking::Search>>,
}

impl<'a> TravelTimeCost<'a> {
    /// A cost over `net`.
    pub fn new(net: &'a TravelNetwork) -> Self {
        Self {
            net,
            cache: RefCell::new(None),
            search: RefCell::new(None),
        }
    }

    /// Minutes from `origin_l93` to `destination_l93` (Lambert-93 points); always finite, since
    /// walking is always possible.
    pub fn minutes(&self, origin_l93: Point, destination_l93: Point) -> Option<f64> {
        let walk_s = self.net.params.walk.seconds_between(
            &mut self.search.borrow_mut(),
            origin_l93,
            destination_l93,
            f64::INFINITY,
        );
        let Some(tt) = self.net.timetable.as_ref() else {
            return Some(walk_s / 60.0);
        };
        let t0 = self
            .net
            .params
            .departures
            .times()
            .first()
            .copied()
            .unwrap_or(8 * 3600);
        let key = [origin_l93.x().to_bits(), origin_l93.y().to_bits()];
        let mut cache = self.cache.borrow_mut();
        if cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let arr = earliest_arrival(
                tt,
                &self.net.access_stops(origin_l93),
                t0,
                self.net.params.max_rounds,
            );
            *cache = Some((key, arr));
        }
        let Some((_, arr)) = cache.as_ref() else {
            return Some(walk_s / 60.0);
        };
        let best = self
            .net
            .access_stops(destination_l93)
            .into_iter()
            .filter_map(|(s, w)| {
                arr.by_vehicle(s as usize)
                    .map(|a| f64::from(a.saturating_sub(t0)) + f64::from(w))
            })
            .fold(walk_s, f64::min);
        Some(best / 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transit::synthetic::line_feed;
    use crate::transit::{Departures, ServiceDay, TravelParams};

    #[test]
    fn travel_time_cost_rides_the_line_when_it_beats_walking() {
        let feed = line_feed();
        let params = TravelParams {
            departures: Departures::At(7 * 3600 + 55 * 60),
            day: ServiceDay::Date(20240102),
            ..TravelParams::default()
        };
        let net = TravelNetwork::new(Some(&feed), params.clone());
        let cost = TravelTimeCost::new(&net);
        let (a, c) = (feed.stops[0].point_m, feed.stops[2].point_m);
        // Wait 5 min at A, ride 10 min: 15 min, against 4 km × 1.3 on foot = 69.3 min.
        let m = cost.minutes(a, c).unwrap();
        assert!((m - 15.0).abs() < 1e-9, "{m}");
        let walk_only = TravelNetwork::new(None, params);
        assert!((TravelTimeCost::new(&walk_only).minutes(a, c).unwrap() - 69.333_333).abs() < 1e-3);
    }
}
