//! Statistical secrecy of the follow-up counts and of the estimates drawn from them: no count or
//! estimate under 11 is shown (it reads "< 11"), and estimates are rounded to the nearest 10.
//!
//! [`Disclosed`] is the only form in which those numbers leave the engine: the API, the tiles,
//! the exports, the page and the reports all serialise or print a [`Disclosed`], built once by
//! [`Disclosed::count`] or [`Disclosed::estimate`], so the rule is applied in one place and the
//! rounding once.

use std::fmt;

/// The smallest value shown.
pub const SECRECY_THRESHOLD: u32 = 11;

/// What is written in place of a value under [`SECRECY_THRESHOLD`].
pub const SECRET_TEXT: &str = "< 11";

/// A count or an estimate as it may be shown.
///
/// Serialised as a JSON number, or as the string `"< 11"` when secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Disclosed {
    /// Under the threshold: never shown.
    Secret,
    /// Shown (always at least [`SECRECY_THRESHOLD`]).
    Value(u32),
}

impl Disclosed {
    /// A count (young people followed) as it may be shown: secret under 11.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::indicator::secrecy::Disclosed;
    /// assert_eq!(Disclosed::count(10), Disclosed::Secret);
    /// assert_eq!(Disclosed::count(11), Disclosed::Value(11));
    /// ```
    pub fn count(n: u32) -> Self {
        if n < SECRECY_THRESHOLD {
            Self::Secret
        } else {
            Self::Value(n)
        }
    }

    /// An estimate as it may be shown: rounded to the nearest 10 (halves away from zero), then
    /// secret when the rounded value is under 11 (so 14 is secret and 15 shows as 20); a
    /// negative or non-finite estimate is secret.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::indicator::secrecy::Disclosed;
    /// assert_eq!(Disclosed::estimate(14.9), Disclosed::Secret);
    /// assert_eq!(Disclosed::estimate(15.0), Disclosed::Value(20));
    /// assert_eq!(Disclosed::estimate(244.0), Disclosed::Value(240));
    /// ```
    pub fn estimate(x: f64) -> Self {
        if !x.is_finite() || x <= 0.0 {
            return Self::Secret;
        }
        let rounded = (x / 10.0).round() * 10.0;
        if rounded >= f64::from(u32::MAX) {
            return Self::Value(u32::MAX - u32::MAX % 10);
        }
        Self::count(rounded as u32)
    }

    /// The value when shown.
    pub fn value(self) -> Option<u32> {
        match self {
            Self::Secret => None,
            Self::Value(v) => Some(v),
        }
    }

    /// Whether the value is secret.
    pub fn is_secret(self) -> bool {
        self == Self::Secret
    }
}

impl fmt::Display for Disclosed {
    /// `< 11`, or the value with French thousands separators (`1 230`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Secret => f.write_str(SECRET_TEXT),
            Self::Value(v) => {
                // Thousands grouped by a narrow no-break space, as French typography does.
                let digits = v.to_string();
                let mut out = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        out.push('\u{202f}');
                    }
                    out.push(c);
                }
                f.write_str(&out)
            }
        }
    }
}

impl serde::Serialize for Disclosed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Secret => s.serialize_str(SECRET_TEXT),
            Self::Value(v) => s.serialize_u32(*v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn json_is_a_number_or_the_secret_text() {
        assert_eq!(serde_json::to_string(&Disclosed::Value(40)).unwrap(), "40");
        assert_eq!(
            serde_json::to_string(&Disclosed::Secret).unwrap(),
            "\"< 11\""
        );
        assert_eq!(Disclosed::Value(1230).to_string(), "1\u{202f}230");
    }

    proptest! {
        #[test]
        fn nothing_under_eleven_is_ever_disclosed(x in -1e3f64..1e7, n in 0u32..100_000) {
            for d in [Disclosed::estimate(x), Disclosed::count(n)] {
                if let Some(v) = d.value() {
                    prop_assert!(v >= SECRECY_THRESHOLD);
                }
            }
        }

        #[test]
        fn estimates_are_rounded_to_ten_once(x in 0f64..1e7) {
            if let Disclosed::Value(v) = Disclosed::estimate(x) {
                prop_assert_eq!(v % 10, 0);
                // Within 5 of the estimate: one rounding, never two.
                prop_assert!((f64::from(v) - x).abs() <= 5.0 + 1e-9);
            } else {
                prop_assert!(x < 15.0);
            }
        }

        #[test]
        fn disclosure_keeps_the_order(a in 0f64..1e6, b in 0f64..1e6) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(Disclosed::estimate(lo) <= Disclosed::estimate(hi));
        }
    }
}
