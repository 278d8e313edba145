//! Which OpenStreetMap ways a pedestrian may use: the `highway=*`, `foot=*` and `access=*` rules.
//!
//! A way is walkable when it has a `highway` tag and:
//!
//! 1. `foot` = `yes`, `designated`, `permissive`, `official` or `destination` makes it walkable
//!    whatever the other tags say (a motorway bridge with a signed footway, a private road
//!    open to pedestrians), except for ways that do not exist on the ground (rule 3);
//! 2. otherwise `foot` = `no`, `private` or `use_sidepath` (the sidewalk is mapped as its own
//!    way, which is then used instead) excludes it, and so does `access` = `no` or `private`;
//! 3. `highway` = `construction`, `proposed`, `abandoned`, `razed`, `disused`, `bus_guideway`,
//!    `raceway`, `escape` is never walkable;
//! 4. `highway` = `motorway`, `motorway_link`, `trunk`, `trunk_link` is not walkable without
//!    rule 1 (French motorways and expressways forbid pedestrians);
//! 5. every other highway class a pedestrian can be on is walkable: `footway`, `pedestrian`,
//!    `path`, `steps`, `living_street`, `residential`, `service`, `unclassified`, `track`,
//!    `tertiary`, `secondary`, `primary` and their `_link`s, `road`, `cycleway` (as routers such
//!    as GraphHopper do, for want of a `foot` tag), `bridleway`, `corridor`, `elevator`,
//!    `platform`, `crossing`, `busway`. Unknown classes are not walkable.
//!
//! Ways are walked in both directions: `oneway` restricts vehicles, not pedestrians.
//! `highway=pedestrian` areas (closed ways with `area=yes`) are walked along their outline.

/// Whether a way with these tags is walkable (see the module docs). `tag(key)` gives a tag's
/// value.
///
/// # Examples
/// ```
/// use repere_engine::walking::rules::is_walkable;
/// let tags = |pairs: &'static [(&'static str, &'static str)]| {
///     move |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v)
/// };
/// assert!(is_walkable(tags(&[("highway", "footway")])));
/// assert!(!is_walkable(tags(&[("highway", "motorway")])));
/// assert!(is_walkable(tags(&[("highway", "trunk"), ("foot", "yes")])));
/// assert!(!is_walkable(tags(&[("highway", "residential"), ("foot", "no")])));
/// assert!(!is_walkable(tags(&[("highway", "service"), ("access", "private")])));
/// assert!(is_walkable(tags(&[("highway", "service"), ("access", "private"), ("foot", "yes")])));
/// ```
pub fn is_walkable<'a>(tag: impl Fn(&str) -> Option<&'a str>) -> bool {
    let Some(highway) = tag("highway") else {
        return false;
    };
    if matches!(
        highway,
        "construction"
            | "proposed"
            | "abandoned"
            | "razed"
            | "disused"
            | "bus_guideway"
            | "raceway"
            | "escape"
    ) {
        return false;
    }
    let foot = tag("foot");
    if matches!(
        foot,
        Some("yes" | "designated" | "permissive" | "official" | "destination")
    ) {
        return true;
    }
    if matches!(foot, Some("no" | "private" | "use_sidepath")) {
        return false;
    }
    if matches!(tag("access"), Some("no" | "private")) {
        return false;
    }
    matches!(
        highway,
        "footway"
            | "pedestrian"
            | "path"
            | "steps"
            | "living_street"
            | "residential"
            | "service"
            | "unclassified"
            | "track"
            | "tertiary"
            | "tertiary_link"
            | "secondary"
            | "secondary_link"
            | "primary"
            | "primary_link"
            | "road"
            | "cycleway"
            | "bridleway"
            | "corridor"
            | "elevator"
            | "platform"
            | "crossing"
            | "busway"
    )
}

/// The keys [`is_walkable`] reads; readers keep only these.
pub const KEYS: [&str; 3] = ["highway", "foot", "access"];

#[cfg(test)]
mod tests {
    use super::*;

    fn walkable(pairs: &[(&str, &str)]) -> bool {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        is_walkable(|k| {
            owned
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        })
    }

    #[test]
    fn motorways_and_trunks_need_an_explicit_foot_tag() {
        for h in ["motorway", "motorway_link", "trunk", "trunk_link"] {
            assert!(!walkable(&[("highway", h)]), "{h}");
            assert!(walkable(&[("highway", h), ("foot", "yes")]), "{h}");
            assert!(walkable(&[("highway", h), ("foot", "designated")]), "{h}");
        }
    }

    #[test]
    fn foot_no_and_access_no_exclude_unless_foot_allows() {
        assert!(!walkable(&[("highway", "footway"), ("foot", "no")]));
        assert!(!walkable(&[("highway", "residential"), ("access", "no")]));
        assert!(walkable(&[
            ("highway", "residential"),
            ("access", "no"),
            ("foot", "permissive")
        ]));
        assert!(!walkable(&[
            ("highway", "primary"),
            ("foot", "use_sidepath")
        ]));
    }

    #[test]
    fn ways_not_on_the_ground_and_non_highways_are_never_walkable() {
        assert!(!walkable(&[("highway", "construction"), ("foot", "yes")]));
        assert!(!walkable(&[("highway", "proposed")]));
        assert!(!walkable(&[("railway", "rail")]));
        assert!(!walkable(&[("highway", "something_new")]));
        for h in [
            "steps",
            "footway",
            "path",
            "pedestrian",
            "living_street",
            "service",
        ] {
            assert!(walkable(&[("highway", h)]), "{h}");
        }
    }
}
