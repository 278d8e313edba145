//! Delimited text tables as French open data publishes them: `;` or `,` separators, a UTF-8 BOM,
//! decimal commas and thousands separators (space, no-break space, U+202F).

use crate::problem::{Location, Problem};

/// A parsed table with its header and 1-based line numbers for every row.
#[derive(Debug)]
pub struct Table {
    /// The file name shown in messages.
    pub file: String,
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

/// Values that INSEE and ANCT files use for "no value" (secret statistique, not available).
const MISSING_MARKERS: [&str; 6] = ["", "s", "nd", "n.d.", "NA", "-"];

/// The header of a streamed table: column names and the file they come from.
#[derive(Debug, Clone)]
pub struct Header {
    /// The file name shown in messages.
    pub file: String,
    names: Vec<String>,
}

impl Header {
    /// The index of a required column.
    ///
    /// # Errors
    /// A [`Problem`] naming the file and the missing column, with the columns found.
    pub fn column(&self, name: &str) -> Result<usize, Problem> {
        self.names.iter().position(|h| h == name).ok_or_else(|| {
            Problem::at(
                &self.file,
                Location::Line(1),
                Some(name),
                format!(
                    "colonne absente (colonnes trouvées : {})",
                    self.column_list()
                ),
            )
        })
    }

    /// The index of an optional column.
    pub fn optional_column(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|h| h == name)
    }

    /// The column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The header as a message shows it: at most 30 names, each cut to 40 characters (a file
    /// that is not a table, such as a password file, has its whole first line as one "name").
    fn column_list(&self) -> String {
        let mut names: Vec<String> = self
            .names
            .iter()
            .take(30)
            .map(|h| crate::text::excerpt(h, crate::text::EXCERPT_CHARS))
            .collect();
        if self.names.len() > 30 {
            names.push(format!("… et {} autres", self.names.len() - 30));
        }
        names.join(", ")
    }
}

/// Streams a delimited table record by record from a reader, sniffing the delimiter (`;`, `,`
/// or tab) from the header line: memory holds one record at a time, never the whole file.
/// `header` is called once with the header (and may refuse it: a missing column is one error,
/// not one per row), then `each` with every non-blank row in file order.
///
/// # Errors
/// A [`Problem`] naming the file and line for undecodable text, a broken quoted record, an
/// empty file; or the first problem `header` or `each` returned (reading stops there).
pub fn stream(
    file: &str,
    mut reader: impl std::io::BufRead,
    header: impl FnOnce(&Header) -> Result<(), Problem>,
    mut each: impl FnMut(&Header, TableRow<'_>) -> Result<(), Problem>,
) -> Result<Header, Problem> {
    let mut first = Vec::new();
    reader.read_until(b'\n', &mut first).map_err(|e| {
        Problem::file(
            file,
            format!("lecture impossible : {}", crate::text::io_error_fr(&e)),
        )
    })?;
    let line = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&first);
    let count = |c: u8| line.iter().filter(|b| **b == c).count();
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|c| count(*c))
        .unwrap_or(b',');
    let bom = first.len() - line.len();
    let input = std::io::Read::chain(&first[bom..], reader);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let names: Vec<String> = csv
        .headers()
        .map_err(|e| {
            Problem::at(
                file,
                Location::Line(1),
                None,
                format!("en-tête illisible : {}", crate::text::csv_error_fr(&e)),
            )
        })?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if names.iter().all(String::is_empty) {
        return Err(Problem::file(file, "fichier vide ou sans ligne d'en-tête"));
    }
    let head = Header {
        file: file.to_owned(),
        names,
    };
    header(&head)?;
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                return Err(Problem::at(
                    file,
                    Location::Line(line),
                    None,
                    format!(
                        "enregistrement illisible : {}",
                        crate::text::csv_error_fr(&e)
                    ),
                ));
            }
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        each(
            &head,
            TableRow {
                file: &head.file,
                headers: &head.names,
                line,
                fields: Fields::Record(&record),
            },
        )?;
    }
    Ok(head)
}

impl Table {
    /// Parses a whole table into memory (small files; [`stream`] reads big ones record by
    /// record), sniffing the delimiter (`;`, `,` or tab) from the header line.
    ///
    /// # Errors
    /// A [`Problem`] naming the file and line for undecodable text or a broken quoted record.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Self, Problem> {
        let mut rows = Vec::new();
        let header = stream(
            file,
            bytes,
            |_| Ok(()),
            |_, row| {
                let n = row.len();
                rows.push((row.line, (0..n).map(|i| row.text(i).to_owned()).collect()));
                Ok(())
            },
        )?;
        Ok(Self {
            file: header.file,
            headers: header.names,
            rows,
        })
    }

    /// The index of a required column.
    ///
    /// # Errors
    /// A [`Problem`] naming the file and the missing column, with the columns found.
    pub fn column(&self, name: &str) -> Result<usize, Problem> {
        match self.optional_column(name) {
            Some(i) => Ok(i),
            None => Header {
                file: self.file.clone(),
                names: self.headers.clone(),
            }
            .column(name),
        }
    }

    /// The index of an optional column.
    pub fn optional_column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The rows as `(line, record)`.
    pub fn rows(&self) -> impl Iterator<Item = TableRow<'_>> {
        self.rows.iter().map(|(line, fields)| TableRow {
            file: &self.file,
            headers: &self.headers,
            line: *line,
            fields: Fields::Owned(fields),
        })
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no data rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[derive(Debug, Clone, Copy)]
enum Fields<'a> {
    /// Trimmed texts of a parsed table.
    Owned(&'a [String]),
    /// The record being streamed (trimmed when read).
    Record(&'a csv::StringRecord),
}

/// One data row with its line number.
#[derive(Debug, Clone, Copy)]
pub struct TableRow<'a> {
    file: &'a str,
    headers: &'a [String],
    /// 1-based line in the file.
    pub line: usize,
    fields: Fields<'a>,
}

impl<'a> TableRow<'a> {
    /// The text of a column, trimmed (empty when the row is short).
    pub fn text(&self, col: usize) -> &'a str {
        match self.fields {
            Fields::Owned(f) => f.get(col).map_or("", String::as_str),
            Fields::Record(r) => r.get(col).map_or("", str::trim),
        }
    }

    /// Number of fields in the row.
    pub fn len(&self) -> usize {
        match self.fields {
            Fields::Owned(f) => f.len(),
            Fields::Record(r) => r.len(),
        }
    }

    /// Whether the row has no field.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A problem at this row and column.
    pub fn problem(&self, col: usize, message: impl Into<String>) -> Problem {
        let field = self.headers.get(col).map(String::as_str);
        Problem::at(self.file, Location::Line(self.line), field, message)
    }

    /// A number in this column; `None` for an empty cell or a "no value" marker.
    ///
    /// # Errors
    /// A [`Problem`] naming file, line and column when the text is not a number.
    pub fn number(&self, col: usize) -> Result<Option<f64>, Problem> {
        parse_number(self.text(col)).map_err(|m| self.problem(col, m))
    }

    /// A required number.
    ///
    /// # Errors
    /// As [`TableRow::number`], and when the cell is empty.
    pub fn required_number(&self, col: usize) -> Result<f64, Problem> {
        self.number(col)?
            .ok_or_else(|| self.problem(col, "valeur absente"))
    }
}

/// The largest count of inhabitants a commune or IRIS can have: Paris, the largest French
/// commune, had 2.1 million in the 2021 census; anything above is a wrong column or unit.
pub const MAX_POPULATION: f64 = 3_000_000.0;

impl TableRow<'_> {
    /// A count of people in this column (`None` when empty): a number between 0 and
    /// [`MAX_POPULATION`].
    ///
    /// # Errors
    /// As [`TableRow::number`], and for a negative or absurd count.
    pub fn population(&self, col: usize) -> Result<Option<f64>, Problem> {
        // A short row is no "no value" marker: its count is missing, not secret.
        if col >= self.len() {
            return Err(self.problem(
                col,
                format!(
                    "ligne incomplète : {} champ(s), la colonne de l'effectif manque",
                    self.len()
                ),
            ));
        }
        let Some(v) = self.number(col)? else {
            return Ok(None);
        };
        if v < 0.0 {
            return Err(self.problem(
                col,
                format!(
                    "effectif négatif ({}) : un nombre d'habitants est positif ou nul",
                    crate::number::Shown(v)
                ),
            ));
        }
        if v > MAX_POPULATION {
            return Err(self.problem(
                col,
                format!(
                    "effectif invraisemblable ({}) : au plus 3 000 000 d'habitants par commune ou IRIS (mauvaise colonne ou mauvaise unité ?)",
                    crate::number::Shown(v)
                ),
            ));
        }
        Ok(Some(v))
    }

    /// A required count of people ([`TableRow::population`]).
    ///
    /// # Errors
    /// As [`TableRow::population`], and when the cell is empty.
    pub fn required_population(&self, col: usize) -> Result<f64, Problem> {
        self.population(col)?
            .ok_or_else(|| self.problem(col, "valeur absente"))
    }
}

/// Parses a number written the French or the English way.
///
/// # Examples
/// ```
/// use repere_engine::tabular::parse_number;
/// assert_eq!(parse_number("1 228").unwrap(), Some(1228.0));
/// assert_eq!(parse_number("52,7").unwrap(), Some(52.7));
/// assert_eq!(parse_number("12\u{202F}345,5").unwrap(), Some(12345.5));
/// assert_eq!(parse_number("1,234.5").unwrap(), Some(1234.5));
/// assert_eq!(parse_number("s").unwrap(), None);
/// assert!(parse_number("12a").is_err());
/// ```
///
/// # Errors
/// [`ValueError`](crate::problem::ValueError) for text that is neither a number nor a "no value" marker.
pub fn parse_number(text: &str) -> Result<Option<f64>, crate::problem::ValueError> {
    let t = text.trim();
    if MISSING_MARKERS.contains(&t) {
        return Ok(None);
    }
    let compact: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{A0}' | '\u{202F}' | '\''))
        .collect();
    let normal = if compact.contains(',') && compact.contains('.') {
        compact.replace(',', "")
    } else {
        compact.replace(',', ".")
    };
    match normal.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(crate::problem::ValueError::new(text, "nombre fini attendu")),
        Err(_) => Err(crate::problem::ValueError::new(text, "nombre attendu")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_semicolon_and_strips_bom() {
        let t = Table::parse("t.csv", "\u{FEFF}a;b\n1;2,5\n".as_bytes()).unwrap();
        assert_eq!(t.headers(), ["a", "b"]);
        let row = t.rows().next().unwrap();
        assert_eq!(row.line, 2);
        assert_eq!(row.number(1).unwrap(), Some(2.5));
    }

    #[test]
    fn missing_column_names_file_and_column() {
        let t = Table::parse("t.csv", b"a,b\n1,2\n").unwrap();
        let e = t.column("lat").unwrap_err().to_string();
        assert!(
            e.contains("t.csv") && e.contains("`lat`") && e.contains("colonne absente"),
            "{e}"
        );
    }

    #[test]
    fn streams_record_by_record_with_lines_and_a_missing_column_once() {
        let text = "\u{FEFF}id;lat\n1; 49,5 \n2;x\n";
        let mut seen = Vec::new();
        let header = stream(
            "t.csv",
            text.as_bytes(),
            |h| h.column("lat").map(|_| ()),
            |h, row| {
                let lat = h.column("lat")?;
                seen.push((row.line, row.text(0).to_owned(), row.number(lat)));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(header.names(), ["id", "lat"]);
        assert_eq!(seen.len(), 2);
        assert_eq!((seen[0].0, seen[0].1.as_str()), (2, "1"));
        assert_eq!(seen[0].2.as_ref().unwrap(), &Some(49.5));
        assert_eq!(seen[1].0, 3);
        assert!(seen[1].2.is_err());
        let e = stream(
            "t.csv",
            text.as_bytes(),
            |h| h.column("lon").map(|_| ()),
            |_, _| Ok(()),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("`lon`") && e.contains("id, lat"), "{e}");
    }

    #[test]
    fn nan_is_rejected() {
        assert!(parse_number("NaN").is_err());
        assert!(parse_number("inf").is_err());
    }
}
