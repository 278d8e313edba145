//! One commune or one QPV of an analysis, or the typed reason it is not there. The one place
//! deciding "not a member / other vintage / not in the territory" for the server and the CLI.

use crate::codes::{CommuneCode, QpvCode};
use crate::diagnostic::{CommuneDiagnostic, QpvDiagnostic};
use crate::ranking::RankEntry;

use super::Analysis;

/// Why a commune or a QPV has no diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotFound {
    /// The commune code is valid but names no member commune.
    #[error("la commune {code} n'est pas membre du territoire {territory} ({communes} communes)")]
    CommuneNotMember {
        /// The code asked for.
        code: CommuneCode,
        /// Territory name.
        territory: String,
        /// How many member communes the territory has.
        communes: usize,
    },
    /// The QPV is in the data but of another vintage than the diagnosed one.
    #[error(
        "le QPV {code} est du millésime {vintage} ; les diagnostics portent sur les QPV {diagnosed}"
    )]
    QpvOtherVintage {
        /// The code asked for.
        code: QpvCode,
        /// Its vintage.
        vintage: u16,
        /// The vintage the diagnostics cover.
        diagnosed: u16,
    },
    /// The QPV code is in none of the territory's QPV layers.
    #[error("le QPV {code} n'est pas dans le territoire {territory} (codes : {})", known.iter().map(QpvCode::as_str).collect::<Vec<_>>().join(", "))]
    QpvNotInTerritory {
        /// The code asked for.
        code: QpvCode,
        /// Territory name.
        territory: String,
        /// The diagnosed QPV codes.
        known: Vec<QpvCode>,
    },
}

/// A commune's diagnostic with its place in the prepared ranking: the body of
/// `GET /api/communes/{code}` and of `repere diagnose --commune CODE --format json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommuneDetail<'a> {
    /// The diagnostic (its fields at the top level of the JSON).
    #[serde(flatten)]
    pub diagnostic: &'a CommuneDiagnostic,
    /// Score and rank with the default weights (absent when the commune is not ranked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<&'a RankEntry>,
}

impl Analysis {
    /// The diagnostic of a member commune and its priority.
    ///
    /// # Errors
    /// [`NotFound::CommuneNotMember`].
    pub fn find_commune(&self, code: &CommuneCode) -> Result<CommuneDetail<'_>, NotFound> {
        let diagnostic =
            self.diagnostics()
                .commune(code)
                .ok_or_else(|| NotFound::CommuneNotMember {
                    code: code.clone(),
                    territory: self.dataset().name.clone(),
                    communes: self.dataset().communes.len(),
                })?;
        let priority = self
            .default_ranking()
            .entries
            .iter()
            .find(|e| e.code == *code);
        Ok(CommuneDetail {
            diagnostic,
            priority,
        })
    }

    /// The diagnostic of a QPV of the diagnosed vintage.
    ///
    /// # Errors
    /// [`NotFound::QpvOtherVintage`] when the data hold it in another vintage,
    /// [`NotFound::QpvNotInTerritory`] otherwise.
    pub fn find_qpv(&self, code: &QpvCode) -> Result<&QpvDiagnostic, NotFound> {
        let d = self.diagnostics();
        if let Some(q) = d.qpv(code) {
            return Ok(q);
        }
        match self.dataset().qpv(code) {
            Some(q) => Err(NotFound::QpvOtherVintage {
                code: code.clone(),
                vintage: q.vintage,
                diagnosed: d.qpv_vintage.unwrap_or(2024),
            }),
            None => Err(NotFound::QpvNotInTerritory {
                code: code.clone(),
                territory: self.dataset().name.clone(),
                known: d.qpv.iter().map(|q| q.code.clone()).collect(),
            }),
        }
    }
}
