//! Numbers as a message shows them: short whatever their magnitude.

use std::fmt;

/// Displays an `f64` as Rust does for ordinary magnitudes (`49.44`, `-5`), and in scientific
/// notation when that would need more than 15 digits before or 6 zeros after the point (Rust's
/// `Display` writes `1e308` with its 309 digits).
///
/// # Examples
/// ```
/// use repere_engine::number::Shown;
/// assert_eq!(Shown(49.44).to_string(), "49.44");
/// assert_eq!(Shown(1e308).to_string(), "1e308");
/// assert_eq!(Shown(-2.5e-9).to_string(), "-2.5e-9");
/// assert_eq!(Shown(f64::NAN).to_string(), "NaN");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown(pub f64);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        let a = v.abs();
        if v.is_finite() && a != 0.0 && !(1e-6..1e15).contains(&a) {
            write!(f, "{v:e}")
        } else {
            write!(f, "{v}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Shown;

    #[test]
    fn no_shown_number_is_longer_than_25_characters() {
        for v in [
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            1e15,
            -1e300,
            123_456.789,
            0.0,
            -0.0,
        ] {
            let s = Shown(v).to_string();
            assert!(s.len() <= 25, "{v:e} shown as {s}");
            assert_eq!(s.parse::<f64>().unwrap(), v, "{s} does not read back");
        }
    }
}
