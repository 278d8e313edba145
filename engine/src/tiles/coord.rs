//! A validated tile address `z/x/y` (XYZ scheme, y down from the north).

use std::fmt;

use super::MAX_ZOOM;
use super::error::TileError;

/// A tile address with `z ≤ MAX_ZOOM` and `x, y < 2^z`.
///
/// # Examples
/// ```
/// use repere_engine::tiles::TileCoord;
/// let t = TileCoord::new(14, 8293, 5640).unwrap();
/// assert_eq!(t.to_string(), "14/8293/5640");
/// assert!(TileCoord::new(2, 4, 0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileCoord {
    z: u8,
    x: u32,
    y: u32,
}

impl TileCoord {
    /// Validates a tile address.
    ///
    /// # Errors
    /// [`TileError::Coord`] naming the field (`z`, `x` or `y`) out of range.
    pub fn new(z: u8, x: u32, y: u32) -> Result<Self, TileError> {
        if z > MAX_ZOOM {
            return Err(TileError::Coord {
                field: "z",
                message: format!("zoom {z} au-delà du zoom maximal {MAX_ZOOM}"),
            });
        }
        let n = 1u32 << z;
        if x >= n {
            return Err(TileError::Coord {
                field: "x",
                message: format!("x {x} doit être inférieur à 2^{z} = {n}"),
            });
        }
        if y >= n {
            return Err(TileError::Coord {
                field: "y",
                message: format!("y {y} doit être inférieur à 2^{z} = {n}"),
            });
        }
        Ok(Self { z, x, y })
    }

    /// Parses the three path segments of a tile URL.
    ///
    /// # Errors
    /// [`TileError::Coord`] naming the field that is not a number or out of range.
    pub fn parse(z: &str, x: &str, y: &str) -> Result<Self, TileError> {
        let num = |field: &'static str, text: &str| {
            text.parse::<u32>().map_err(|_| TileError::Coord {
                field,
                message: format!("numéro de tuile attendu, reçu « {text} »"),
            })
        };
        let z = num("z", z)?;
        let z = u8::try_from(z).map_err(|_| TileError::Coord {
            field: "z",
            message: format!("zoom {z} au-delà du zoom maximal {MAX_ZOOM}"),
        })?;
        Self::new(z, num("x", x)?, num("y", y)?)
    }

    /// Zoom.
    pub fn z(self) -> u8 {
        self.z
    }
    /// Column, from the west.
    pub fn x(self) -> u32 {
        self.x
    }
    /// Row, from the north.
    pub fn y(self) -> u32 {
        self.y
    }
}

impl fmt::Display for TileCoord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_fields_are_named() {
        let field = |r: Result<TileCoord, TileError>| match r {
            Err(TileError::Coord { field, .. }) => field,
            other => panic!("expected a coordinate error, got {other:?}"),
        };
        assert_eq!(field(TileCoord::new(15, 0, 0)), "z");
        assert_eq!(field(TileCoord::new(3, 8, 0)), "x");
        assert_eq!(field(TileCoord::new(3, 0, 8)), "y");
        assert_eq!(field(TileCoord::parse("a", "0", "0")), "z");
        assert_eq!(field(TileCoord::parse("300", "0", "0")), "z");
        assert_eq!(field(TileCoord::parse("1", "-1", "0")), "x");
        assert_eq!(field(TileCoord::parse("1", "0", "1.5")), "y");
    }

    #[test]
    fn the_largest_address_of_each_zoom_is_accepted() {
        for z in 0..=MAX_ZOOM {
            let n = (1u32 << z) - 1;
            assert!(TileCoord::new(z, n, n).is_ok(), "zoom {z}");
        }
    }
}
