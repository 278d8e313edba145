//! What the store keeps: actor records and edits.

use std::collections::BTreeMap;

/// An actor's fields as stored and exported (plain values: the server validates them with the
/// engine before they reach a store).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ActorRecord {
    /// Actor id (`source:id`).
    pub id: String,
    /// Source (`edits` for actors created by users).
    pub source: String,
    /// Name.
    pub name: String,
    /// data·inclusion typology code.
    pub kind: String,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
    /// INSEE commune code.
    #[serde(default)]
    pub commune: Option<String>,
    /// Opening hours per weekday.
    #[serde(default)]
    pub opening_hours: BTreeMap<String, String>,
    /// WGS84 longitude, degrees (`None` for an actor known by address only).
    #[serde(default)]
    pub lon: Option<f64>,
    /// WGS84 latitude, degrees.
    #[serde(default)]
    pub lat: Option<f64>,
}

impl ActorRecord {
    /// The WGS84 point, when placed.
    pub fn point(&self) -> Option<(f64, f64)> {
        Some((self.lon?, self.lat?))
    }
}

/// What an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// A new actor.
    Create,
    /// Fields changed.
    Update,
    /// An actor placed (or moved) on the map.
    Place,
    /// An actor retired (with a reason).
    Retire,
    /// An earlier edit undone (the state before it restored, as a new edit).
    Undo,
    /// Imported from a file.
    Import,
}

impl EditKind {
    /// Stable code in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Place => "place",
            Self::Retire => "retire",
            Self::Undo => "undo",
            Self::Import => "import",
        }
    }

    /// Parses [`EditKind::code`].
    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::Create,
            Self::Update,
            Self::Place,
            Self::Retire,
            Self::Undo,
            Self::Import,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// An edit to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEdit {
    /// Actor id.
    pub actor_id: String,
    /// The version the editor saw (0 for an actor never edited).
    pub expected_version: u32,
    /// What it does.
    pub kind: EditKind,
    /// Editor name (from the edit token).
    pub author: String,
    /// Why.
    pub reason: Option<String>,
    /// The actor after the edit; `None` when retired.
    pub state: Option<ActorRecord>,
}

impl NewEdit {
    /// What every backend writes once it has read the actor's `current` version inside its
    /// transaction: the new version, the time (ms since the epoch) and the state as JSON.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when `current` is not the version the editor saw; a backend
    /// error naming `store` when the state does not serialise.
    pub(crate) fn prepare(
        &self,
        current: u32,
        store: &str,
    ) -> Result<(u32, i64, Option<String>), crate::StoreError> {
        self.check_text()?;
        if current != self.expected_version {
            return Err(crate::StoreError::Conflict {
                actor_id: self.actor_id.clone(),
                current,
            });
        }
        let state = self
            .state
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| crate::StoreError::backend(store, e))?;
        Ok((current + 1, now_ms(), state))
    }
}

impl NewEdit {
    /// Refuses text no backend keeps whole: a NUL character (PostgreSQL refuses it in `text`,
    /// SQLite keeps it but GIS tools cut the value there). Checked before anything is written.
    ///
    /// # Errors
    /// [`crate::StoreError::InvalidText`] naming the first field at fault.
    pub fn check_text(&self) -> Result<(), crate::StoreError> {
        let mut fields: Vec<(String, &str)> = vec![
            ("id".into(), self.actor_id.as_str()),
            ("author".into(), self.author.as_str()),
        ];
        if let Some(r) = &self.reason {
            fields.push(("reason".into(), r));
        }
        if let Some(s) = &self.state {
            fields.push(("source".into(), &s.source));
            fields.push(("name".into(), &s.name));
            fields.push(("kind".into(), &s.kind));
            if let Some(a) = &s.address {
                fields.push(("address".into(), a));
            }
            if let Some(c) = &s.commune {
                fields.push(("commune".into(), c));
            }
            for (day, hours) in &s.opening_hours {
                fields.push((format!("opening_hours.{day}"), day));
                fields.push((format!("opening_hours.{day}"), hours));
            }
        }
        match fields.into_iter().find(|(_, v)| v.contains('\0')) {
            Some((field, _)) => Err(crate::StoreError::InvalidText {
                actor_id: self.actor_id.clone(),
                field,
                problem: "caractère nul (U+0000) refusé, rien n'a été enregistré".into(),
            }),
            None => Ok(()),
        }
    }
}

/// A committed edit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Edit {
    /// Position in the log (increasing in commit order).
    pub seq: i64,
    /// Actor id.
    pub actor_id: String,
    /// The actor's version after this edit (1 for its first edit).
    pub version: u32,
    /// What it did.
    pub kind: EditKind,
    /// Editor name.
    pub author: String,
    /// Commit time, milliseconds since the Unix epoch (UTC).
    pub time_ms: i64,
    /// Why.
    pub reason: Option<String>,
    /// The actor after the edit; `None` when retired.
    pub state: Option<ActorRecord>,
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
