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

/// Longest excerpt of a file's content a message may quote.
pub const EXCERPT_CHARS: usize = 40;

/// Longest message a loading problem carries (its own words plus a library's).
pub const MESSAGE_CHARS: usize = 400;

/// At most `max` characters of `text`, with `…` when cut.
///
/// # Examples
/// ```
/// use repere_engine::text::excerpt;
/// assert_eq!(excerpt("abcdef", 3), "abc…");
/// assert_eq!(excerpt("abc", 3), "abc");
/// ```
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A message that quotes file content safely: every quoted span (`"…"` or `` `…` ``) cut to
/// [`EXCERPT_CHARS`] and the whole to [`MESSAGE_CHARS`]. Library errors (serde, csv, toml)
/// quote the offending value whole; a manifest pointing at an unrelated file must not make
/// Repère print that file.
///
/// # Examples
/// ```
/// use repere_engine::text::bounded_message;
/// let long = format!("invalid type: string \"{}\", expected f64", "x".repeat(100));
/// let m = bounded_message(&long);
/// assert!(m.chars().count() < 80, "{m}");
/// assert!(m.ends_with("expected f64"));
/// ```
pub fn bounded_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MESSAGE_CHARS + 8));
    let mut quote: Option<(char, String)> = None;
    for c in message.chars() {
        match &mut quote {
            Some((q, inner)) if c == *q => {
                out.push(*q);
                out.push_str(&excerpt(inner, EXCERPT_CHARS));
                out.push(*q);
                quote = None;
            }
            Some((_, inner)) => inner.push(c),
            None if c == '"' || c == '`' => quote = Some((c, String::new())),
            None => out.push(c),
        }
    }
    if let Some((q, inner)) = quote {
        out.push(q);
        out.push_str(&excerpt(&inner, EXCERPT_CHARS));
    }
    excerpt(&out, MESSAGE_CHARS)
}

/// An I/O error in French, from its kind (the operating system's own text is English).
///
/// # Examples
/// ```
/// let e = std::io::Error::from(std::io::ErrorKind::NotFound);
/// assert_eq!(repere_engine::text::io_error_fr(&e), "fichier ou dossier introuvable");
/// ```
pub fn io_error_fr(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "fichier ou dossier introuvable",
        K::PermissionDenied => "accès refusé (droits du fichier)",
        K::AlreadyExists => "le fichier existe déjà",
        K::IsADirectory => "c'est un dossier, pas un fichier",
        K::NotADirectory => "un élément du chemin n'est pas un dossier",
        K::InvalidData => "contenu illisible (texte non UTF-8 ?)",
        K::InvalidInput => "chemin ou paramètre refusé par le système",
        K::UnexpectedEof => "fin de fichier inattendue (fichier tronqué ?)",
        K::StorageFull => "disque plein",
        K::ReadOnlyFilesystem => "système de fichiers en lecture seule",
        K::AddrInUse => "adresse déjà utilisée par un autre programme",
        K::AddrNotAvailable => "adresse non disponible sur cette machine",
        K::ConnectionRefused => "connexion refusée",
        K::ConnectionReset => "connexion interrompue par l'autre partie",
        K::TimedOut => "délai dépassé",
        K::Interrupted => "opération interrompue",
        K::OutOfMemory => "mémoire insuffisante",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("erreur d'entrée-sortie (code système {code})"),
                None => "erreur d'entrée-sortie".to_owned(),
            };
        }
    };
    what.to_owned()
}

/// A JSON parse error in French, with its line and column (serde's own text is English).
///
/// # Examples
/// ```
/// let e = serde_json::from_str::<serde_json::Value>("[1,").unwrap_err();
/// assert_eq!(repere_engine::text::json_error_fr(&e), "JSON tronqué : fin inattendue ligne 1, colonne 3");
/// ```
pub fn json_error_fr(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    // A value-to-type conversion (`from_value`) has no position: line 0.
    let at = if e.line() == 0 {
        String::new()
    } else {
        format!(" ligne {}, colonne {}", e.line(), e.column())
    };
    match e.classify() {
        Category::Io => e
            .io_error_kind()
            .map(|k| io_error_fr(&std::io::Error::from(k)))
            .unwrap_or_else(|| "erreur d'entrée-sortie".to_owned()),
        Category::Syntax => format!("syntaxe JSON non valide{at}"),
        Category::Eof => format!("JSON tronqué : fin inattendue{at}"),
        Category::Data => format!("contenu JSON de forme inattendue{at}"),
    }
}

/// A CSV reader error in French, with its line when known (the csv crate's text is English).
pub fn csv_error_fr(e: &csv::Error) -> String {
    use csv::ErrorKind as K;
    let at = |pos: &Option<csv::Position>| {
        pos.as_ref()
            .map_or_else(String::new, |p| format!(" ligne {}", p.line()))
    };
    match e.kind() {
        K::Io(io) => io_error_fr(io),
        K::Utf8 { pos, .. } => format!("texte non UTF-8{}", at(pos)),
        K::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "enregistrement de {len} champ(s) au lieu de {expected_len}{}",
            at(pos)
        ),
        K::Deserialize { pos, .. } => format!("valeur de forme inattendue{}", at(pos)),
        _ => "fichier CSV illisible".to_owned(),
    }
}

/// Common English words that never belong in a French message.
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "is",
    "are",
    "was",
    "be",
    "been",
    "not",
    "no",
    "none",
    "of",
    "and",
    "or",
    "with",
    "without",
    "in",
    "at",
    "to",
    "for",
    "from",
    "into",
    "only",
    "has",
    "have",
    "must",
    "should",
    "cannot",
    "could",
    "which",
    "this",
    "that",
    "file",
    "line",
    "column",
    "field",
    "feature",
    "record",
    "expected",
    "missing",
    "invalid",
    "unknown",
    "unsupported",
    "unreadable",
    "malformed",
    "duplicate",
    "failed",
    "found",
    "error",
    "empty",
    "value",
    "outside",
    "between",
    "given",
    "got",
    "kept",
    "repaired",
    "rejected",
    "ring",
    "polygon",
    "worker",
    "request",
    "body",
    "weight",
    "vintage",
    "member",
    "layer",
    "tile",
    "available",
    "lists",
    "covers",
];

/// The English words of a user-facing text, outside quoted spans (`` `…` ``, `"…"`, `« … »`,
/// which hold identifiers and values as given) and command-line options (`--edit-token-file`):
/// what the tests that keep every message French look for.
///
/// # Examples
/// ```
/// use repere_engine::text::english_words;
/// assert_eq!(english_words("the list is kept"), ["the", "is", "kept"]);
/// assert!(english_words("aucun jeton (repere serve --edit-token-file)").is_empty());
/// assert!(english_words("valeur \"the x\" invalide : champ `kind.field`").is_empty());
/// ```
pub fn english_words(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    let mut close: Option<char> = None;
    let mut previous = ' ';
    for c in text.chars() {
        let dash_dash = previous == '-' && c == '-' && close.is_none();
        previous = c;
        if dash_dash {
            plain.pop();
            close = Some(' ');
            continue;
        }
        // An option (`--name`) ends at the first character that cannot be part of it.
        if close == Some(' ') && !(c.is_alphanumeric() || c == '-' || c == '_') {
            close = None;
        }
        match close {
            Some(q) if c == q => close = None,
            Some(_) => {}
            None => match c {
                '`' | '"' => close = Some(c),
                '«' => close = Some('»'),
                _ => plain.push(c),
            },
        }
    }
    plain
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| ENGLISH_WORDS.contains(&w.as_str()))
        .collect()
}
