//! Text normalisation for matching French place names written differently by different sources.

/// Lowercases, strips French diacritics, and folds hyphens, apostrophes and repeated spaces, so
/// that "Saint-Étienne-du-Rouvray" and "SAINT ETIENNE DU ROUVRAY" compare equal.
///
/// # Examples
/// ```
/// use repere_engine::text::fold_name;
/// assert_eq!(fold_name("Saint-Étienne-du-Rouvray"), fold_name("ST ETIENNE DU ROUVRAY"));
/// assert_eq!(fold_name("Le Grand-Quevilly"), "le grand quevilly");
/// ```
pub fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'â' | 'ä' | 'á' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ö' | 'ó' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' => "y",
            'ç' => "c",
            'œ' => "oe",
            'æ' => "ae",
            '-' | '\'' | '’' | '_' | '.' | ',' => " ",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(folded);
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    // "St" and "Ste" are the usual abbreviations of Saint and Sainte in addresses.
    words
        .iter()
        .map(|w| match *w {
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Like [`fold_name`], also dropping a leading article, for names that sources write with or
/// without it ("Le Grand-Quevilly" / "Grand-Quevilly").
pub fn fold_name_without_article(name: &str) -> String {
    let f = fold_name(name);
    for article in ["le ", "la ", "les ", "l "] {
        if let Some(rest) = f.strip_prefix(article) {
            return rest.to_owned();
        }
    }
    f
}

/// Escapes text for XML and HTML (`&`, `<`, `>`, `"`).
///
/// # Examples
/// ```
/// assert_eq!(repere_engine::text::escape_xml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
/// ```
pub fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number in French notation with at most `decimals` decimals, trailing zeros dropped
/// (`1,3`, `4,5`, `20`).
///
/// # Examples
/// ```
/// assert_eq!(repere_engine::text::fr_decimal(1.3, 2), "1,3");
/// assert_eq!(repere_engine::text::fr_decimal(20.0, 1), "20");
/// ```
pub fn fr_decimal(x: f64, decimals: usize) -> String {
    let t = format!("{x:.decimals$}");
    let t = if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        t
    };
    t.replace('.', ",")
}
