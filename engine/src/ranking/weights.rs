//! The components of the priority score and their weights.

use std::fmt;

/// A component of the priority score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// NEET share 2018 (higher → more priority). Key `neet` (alias `neet_share`).
    NeetShare,
    /// Estimated NEET count (higher → more priority). Key `neet_count`.
    NeetCount,
    /// Estimated young people aged 15-29 living in QPV (higher → more priority). Key `youth_qpv`.
    YouthInQpv,
    /// Weak accessibility: the 2SFCA index, inverted (lower index → more priority). Key `access`.
    WeakAccess,
    /// Distance from the commune centroid to the nearest mission locale or France Travail
    /// (farther → more priority). Key `distance` (alias `distance_ml_ft`).
    DistanceMlFt,
    /// NEET young people estimated to be followed by no one, middle of the range (higher →
    /// more priority; unavailable without follow-up counts). Key `invisibles`.
    Invisibles,
}

impl Component {
    /// All components, in output order.
    pub const ALL: [Component; 6] = [
        Component::NeetShare,
        Component::NeetCount,
        Component::YouthInQpv,
        Component::WeakAccess,
        Component::DistanceMlFt,
        Component::Invisibles,
    ];

    /// The key used in `--weights` and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::NeetShare => "neet",
            Self::NeetCount => "neet_count",
            Self::YouthInQpv => "youth_qpv",
            Self::WeakAccess => "access",
            Self::DistanceMlFt => "distance",
            Self::Invisibles => "invisibles",
        }
    }

    /// Parses a key or alias.
    pub fn parse(key: &str) -> Option<Self> {
        match key.trim().to_ascii_lowercase().as_str() {
            "neet" | "neet_share" => Some(Self::NeetShare),
            "neet_count" => Some(Self::NeetCount),
            "youth_qpv" => Some(Self::YouthInQpv),
            "access" | "weak_access" => Some(Self::WeakAccess),
            "distance" | "distance_ml_ft" => Some(Self::DistanceMlFt),
            "invisibles" => Some(Self::Invisibles),
            _ => None,
        }
    }

    /// The diagnostic field the component's raw value is (its label, unit and source are in
    /// [`crate::diagnostic::fields`]).
    pub fn field(self) -> &'static str {
        match self {
            Self::NeetShare => "neet_share_2018_pct",
            Self::NeetCount => "estimated_neet_count",
            Self::YouthInQpv => "youth_15_29_in_qpv_est",
            Self::WeakAccess => "accessibility_index_per_1000",
            Self::DistanceMlFt => "distance_to_nearest_ml_ft_m",
            Self::Invisibles => "invisibles_central_est",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Self::NeetShare => "Part de jeunes non insérés (2018)",
            Self::NeetCount => "Nombre estimé de jeunes non insérés",
            Self::YouthInQpv => "Jeunes de 15-29 ans estimés en QPV",
            Self::WeakAccess => "Faible accessibilité aux acteurs (2SFCA)",
            Self::DistanceMlFt => "Distance à la mission locale / France Travail la plus proche",
            Self::Invisibles => "Jeunes NEET estimés sans suivi (invisibles)",
        }
    }

    /// The unit of the component's raw value, in French (`%`, `jeunes`, `pour 1 000 jeunes`,
    /// `m`).
    pub fn unit(self) -> &'static str {
        match self {
            Self::NeetShare => "%",
            Self::NeetCount | Self::YouthInQpv | Self::Invisibles => "jeunes",
            Self::WeakAccess => "pour 1 000 jeunes",
            Self::DistanceMlFt => "m",
        }
    }
}

/// Why weights did not parse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    /// A key names no component.
    #[error(
        "clé de pondération « {key} » inconnue (attendu : neet, neet_count, youth_qpv, access, distance ou invisibles)"
    )]
    UnknownKey {
        /// The key as given.
        key: String,
    },
    /// An item is not `key=value`.
    #[error("pondération « {item} » mal formée : attendu clé=nombre")]
    Syntax {
        /// The item as given.
        item: String,
    },
    /// A value is not a finite non-negative number.
    #[error("pondération {key}=« {value} » refusée : attendu un nombre fini ≥ 0")]
    BadValue {
        /// The key.
        key: String,
        /// The value as given.
        value: String,
    },
    /// A value above [`MAX_WEIGHT`]: weights are relative, and huge ones overflow their sum.
    #[error(
        "pondération {key}=« {value} » refusée : au plus {max} (les pondérations sont relatives : neet=2,access=1 équivaut à neet=2000,access=1000)",
        max = MAX_WEIGHT
    )]
    TooLarge {
        /// The key.
        key: String,
        /// The value as given.
        value: String,
    },
    /// The same component given twice (`neet=1,neet=2`).
    #[error("pondération {key} donnée deux fois : une seule valeur par composante")]
    Repeated {
        /// The key (canonical form).
        key: String,
    },
    /// Every weight is 0.
    #[error("toutes les pondérations sont nulles : au moins une doit être positive")]
    AllZero,
}

/// The largest weight accepted: weights only count relative to each other.
pub const MAX_WEIGHT: f64 = 1000.0;

/// Weights of the components (non-negative; they are normalised by their sum).
///
/// Defaults: `neet=2, neet_count=2, youth_qpv=1.5, access=1, distance=1, invisibles=2`: the
/// NEET situation first (share and volume, and those followed by no one where follow-up counts
/// are loaded), then the concentration of young people in QPV, then access.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Weights {
    /// NEET share.
    pub neet: f64,
    /// Estimated NEET count.
    pub neet_count: f64,
    /// Young people in QPV.
    pub youth_qpv: f64,
    /// Weak accessibility.
    pub access: f64,
    /// Distance to the nearest ML/FT.
    pub distance: f64,
    /// NEET young people estimated to be followed by no one.
    pub invisibles: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            neet: 2.0,
            neet_count: 2.0,
            youth_qpv: 1.5,
            access: 1.0,
            distance: 1.0,
            invisibles: 2.0,
        }
    }
}

impl Weights {
    /// Parses `key=value,…` over the defaults: keys given replace their default, others keep it
    /// (`neet=0` switches a component off). An empty text gives the defaults.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::ranking::Weights;
    /// let w = Weights::parse("neet=3, access=0").unwrap();
    /// assert_eq!((w.neet, w.access, w.distance), (3.0, 0.0, 1.0));
    /// assert!(Weights::parse("speed=1").unwrap_err().to_string().contains("« speed »"));
    /// ```
    ///
    /// # Errors
    /// [`WeightsError`] naming the unknown key, the malformed item or value, or all zero.
    pub fn parse(text: &str) -> Result<Self, WeightsError> {
        let mut w = Self::default();
        let mut seen = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (key, value) = item.split_once('=').ok_or_else(|| WeightsError::Syntax {
                item: item.to_owned(),
            })?;
            let component = Component::parse(key).ok_or_else(|| WeightsError::UnknownKey {
                key: key.trim().to_owned(),
            })?;
            let v: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| WeightsError::BadValue {
                    key: component.key().to_owned(),
                    value: value.trim().to_owned(),
                })?;
            if v > MAX_WEIGHT {
                return Err(WeightsError::TooLarge {
                    key: component.key().to_owned(),
                    value: value.trim().to_owned(),
                });
            }
            if seen.contains(&component) {
                return Err(WeightsError::Repeated {
                    key: component.key().to_owned(),
                });
            }
            seen.push(component);
            *w.get_mut(component) = v;
        }
        if Component::ALL.iter().all(|c| w.get(*c) == 0.0) {
            return Err(WeightsError::AllZero);
        }
        Ok(w)
    }

    /// The weight of a component.
    pub fn get(&self, c: Component) -> f64 {
        match c {
            Component::NeetShare => self.neet,
            Component::NeetCount => self.neet_count,
            Component::YouthInQpv => self.youth_qpv,
            Component::WeakAccess => self.access,
            Component::DistanceMlFt => self.distance,
            Component::Invisibles => self.invisibles,
        }
    }

    fn get_mut(&mut self, c: Component) -> &mut f64 {
        match c {
            Component::NeetShare => &mut self.neet,
            Component::NeetCount => &mut self.neet_count,
            Component::YouthInQpv => &mut self.youth_qpv,
            Component::WeakAccess => &mut self.access,
            Component::DistanceMlFt => &mut self.distance,
            Component::Invisibles => &mut self.invisibles,
        }
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Component::ALL
            .iter()
            .map(|c| format!("{}={}", c.key(), self.get(*c)))
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_items_and_values_are_named() {
        assert_eq!(
            Weights::parse("neet"),
            Err(WeightsError::Syntax {
                item: "neet".into()
            })
        );
        assert_eq!(
            Weights::parse("neet=-1"),
            Err(WeightsError::BadValue {
                key: "neet".into(),
                value: "-1".into()
            })
        );
        assert_eq!(
            Weights::parse("neet=abc").unwrap_err().to_string(),
            "pondération neet=« abc » refusée : attendu un nombre fini ≥ 0"
        );
    }

    #[test]
    fn huge_and_repeated_weights_are_refused() {
        assert!(matches!(
            Weights::parse("neet=1e308,access=1e308"),
            Err(WeightsError::TooLarge { .. })
        ));
        assert!(Weights::parse("neet=1000").is_ok());
        assert_eq!(
            Weights::parse("neet=1,neet_share=2"),
            Err(WeightsError::Repeated { key: "neet".into() })
        );
    }

    #[test]
    fn all_zero_weights_are_refused() {
        assert_eq!(
            Weights::parse("neet=0,neet_count=0,youth_qpv=0,access=0,distance=0,invisibles=0"),
            Err(WeightsError::AllZero)
        );
    }

    #[test]
    fn display_round_trips() {
        let w = Weights::parse("neet=2.5,distance=0").unwrap();
        assert_eq!(Weights::parse(&w.to_string()).unwrap(), w);
    }
}
