//! Validated identifiers: INSEE commune codes, QPV codes, IRIS codes.
//!
//! Engine functions take these newtypes only; raw strings are checked once, at the edge.

use std::fmt;

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, $check:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Parses and validates a code (surrounding white space is ignored).
            ///
            /// # Errors
            /// A message naming the expected form when the text is not such a code.
            pub fn parse(text: &str) -> Result<Self, crate::problem::ValueError> {
                let t = text.trim().to_ascii_uppercase();
                let check: fn(&str) -> bool = $check;
                if check(&t) {
                    Ok(Self(t))
                } else {
                    Err(crate::problem::ValueError::new(text, concat!($what, " attendu")))
                }
            }
            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::problem::ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

fn is_commune_code(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 5
        && (b[..2].iter().all(u8::is_ascii_digit) || matches!(&b[..2], b"2A" | b"2B"))
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn is_qpv_code(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 8
        && (t.starts_with("QP") || t.starts_with("QN"))
        && b[2..].iter().all(u8::is_ascii_alphanumeric)
}

fn is_iris_code(t: &str) -> bool {
    // `get`: a 9-byte name may split a multi-byte character at byte 5.
    t.len() == 9
        && t.get(..5).is_some_and(is_commune_code)
        && t.as_bytes()[5..].iter().all(u8::is_ascii_digit)
}

code_type!(
    /// An INSEE commune code (code officiel géographique), e.g. `76540` for Rouen.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::CommuneCode;
    /// assert_eq!(CommuneCode::parse(" 76540 ").unwrap().as_str(), "76540");
    /// assert!(CommuneCode::parse("7654").is_err());
    /// ```
    CommuneCode,
    is_commune_code,
    "code commune INSEE (5 caractères, par ex. 76540 ou 2A004)"
);

code_type!(
    /// A QPV code: `QP` + 6 characters for the 2015 vintage (`QP076010`), `QN` + 6 for 2024
    /// (`QN07620M`).
    ///
    /// # Examples
    /// ```
    /// use repere_engine::QpvCode;
    /// assert!(QpvCode::parse("QN07620M").is_ok());
    /// assert!(QpvCode::parse("Q07620M").is_err());
    /// ```
    QpvCode,
    is_qpv_code,
    "code QPV (QP ou QN suivi de 6 lettres ou chiffres, par ex. QN07620M)"
);

code_type!(
    /// An INSEE IRIS code: commune code + 4 digits, e.g. `765400602`.
    IrisCode,
    is_iris_code,
    "code IRIS (9 caractères : code commune et 4 chiffres)"
);

impl IrisCode {
    /// The commune the IRIS belongs to.
    pub fn commune(&self) -> CommuneCode {
        CommuneCode(self.0[..5].to_owned())
    }
}

impl CommuneCode {
    /// The département: the first two characters, three overseas (`971` … `976`).
    ///
    /// # Examples
    /// ```
    /// use repere_engine::CommuneCode;
    /// assert_eq!(CommuneCode::parse("76540").unwrap().departement(), "76");
    /// assert_eq!(CommuneCode::parse("97411").unwrap().departement(), "974");
    /// ```
    pub fn departement(&self) -> &str {
        let n = if self.0.starts_with("97") { 3 } else { 2 };
        &self.0[..n]
    }
}

impl QpvCode {
    /// The département its code names (`QP093046` → `93`, `QN07620M` → `76`, `QP971001` →
    /// `971`, `QP02A001` → `2A`).
    ///
    /// # Examples
    /// ```
    /// use repere_engine::QpvCode;
    /// assert_eq!(QpvCode::parse("QP093046").unwrap().departement(), "93");
    /// assert_eq!(QpvCode::parse("QP971001").unwrap().departement(), "971");
    /// ```
    pub fn departement(&self) -> &str {
        let d = &self.0[2..5];
        d.strip_prefix('0').unwrap_or(d)
    }

    /// The vintage the code's form denotes: `QP` codes are 2015, `QN` codes 2024.
    pub fn vintage(&self) -> u16 {
        if self.0.starts_with("QN") { 2024 } else { 2015 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_accents_are_rejected_as_codes_without_panicking() {
        // Commune names as QPV files list them: 5 and 9 bytes with a multi-byte character
        // straddling the byte positions the checks look at.
        assert!(CommuneCode::parse("Sète").is_err());
        assert!(IrisCode::parse("Saint-Éa").is_err());
        assert!(IrisCode::parse("abcdé123").is_err());
    }

    #[test]
    fn commune_codes_accept_corsica_and_reject_letters_elsewhere() {
        assert!(CommuneCode::parse("2A004").is_ok());
        assert!(CommuneCode::parse("76A40").is_err());
        assert!(CommuneCode::parse("").is_err());
    }

    #[test]
    fn iris_code_knows_its_commune() {
        let iris = IrisCode::parse("765400602").unwrap();
        assert_eq!(iris.commune().as_str(), "76540");
    }

    #[test]
    fn qpv_vintage_follows_prefix() {
        assert_eq!(QpvCode::parse("QP076001").unwrap().vintage(), 2015);
        assert_eq!(QpvCode::parse("qn07620m").unwrap().vintage(), 2024);
    }
}
