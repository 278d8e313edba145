//! SIRET numbers: 14 digits whose Luhn checksum is valid (INSEE's rule for SIREN and SIRET).

/// Whether `digits` (ASCII digits only) passes the Luhn check: from the right, every second
/// digit doubled (minus 9 above 9), the sum a multiple of 10.
///
/// # Examples
/// ```
/// use repere_engine::project::siret::luhn_valid;
/// assert!(luhn_valid("73282932000074"));
/// assert!(!luhn_valid("73282932000075"));
/// ```
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in digits.bytes().rev().enumerate() {
        if !c.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// A SIRET checked and written without spaces, or why not (French).
///
/// Spaces and dots are accepted between digit groups (`732 829 320 00074`).
///
/// # Errors
/// A French message: not 14 digits, or a wrong checksum.
pub fn parse_siret(text: &str) -> Result<String, String> {
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '\u{202f}')
        .collect();
    if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "SIRET {:?} : 14 chiffres attendus (9 du SIREN puis 5 du NIC)",
            text.trim()
        ));
    }
    if !luhn_valid(&digits) {
        return Err(format!(
            "SIRET {digits} : clé de contrôle invalide (algorithme de Luhn) ; vérifiez les chiffres"
        ));
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_of_real_shape_pass_and_typos_fail() {
        // The SIRET of INSEE's head office (published), and one digit changed.
        assert_eq!(
            parse_siret("120 027 016 00019"),
            Ok("12002701600019".into())
        );
        assert!(parse_siret("12002701600018").is_err());
        assert!(
            parse_siret("1200270160001")
                .unwrap_err()
                .contains("14 chiffres")
        );
        assert!(parse_siret("1200270160001A").is_err());
        assert!(!luhn_valid(""));
    }
}
