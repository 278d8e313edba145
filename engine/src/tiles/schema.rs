//! Field types and values of a tile layer, and the schema collected from its features.

use std::collections::BTreeMap;

/// A property value carried by a tile feature.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// Text.
    Str(String),
    /// Integer.
    Int(i64),
    /// Real number.
    Double(f64),
    /// Boolean.
    Bool(bool),
}

impl FieldValue {
    /// The type of this value.
    pub fn field_type(&self) -> FieldType {
        match self {
            FieldValue::Str(_) => FieldType::String,
            FieldValue::Int(_) | FieldValue::Double(_) => FieldType::Number,
            FieldValue::Bool(_) => FieldType::Boolean,
        }
    }
}

impl From<&str> for FieldValue {
    fn from(s: &str) -> Self {
        FieldValue::Str(s.to_owned())
    }
}
impl From<String> for FieldValue {
    fn from(s: String) -> Self {
        FieldValue::Str(s)
    }
}
impl From<i64> for FieldValue {
    fn from(v: i64) -> Self {
        FieldValue::Int(v)
    }
}
impl From<u32> for FieldValue {
    fn from(v: u32) -> Self {
        FieldValue::Int(i64::from(v))
    }
}
impl From<f64> for FieldValue {
    fn from(v: f64) -> Self {
        FieldValue::Double(v)
    }
}
impl From<bool> for FieldValue {
    fn from(v: bool) -> Self {
        FieldValue::Bool(v)
    }
}

/// Field types as TileJSON `vector_layers[].fields` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum FieldType {
    /// Text.
    String,
    /// Integer or real.
    Number,
    /// Boolean.
    Boolean,
}

impl FieldType {
    /// The name used in TileJSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "String",
            FieldType::Number => "Number",
            FieldType::Boolean => "Boolean",
        }
    }
}

/// The fields of a layer: name → type, collected from every feature (a field some features lack
/// is still listed; a field with values of two types is listed as `String`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LayerSchema {
    /// Field name → type, sorted by name.
    pub fields: BTreeMap<String, FieldType>,
}

impl LayerSchema {
    /// Collects the schema of a list of property lists.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::tiles::{FieldType, FieldValue, LayerSchema};
    /// let a = vec![("code".to_owned(), FieldValue::from("76540")), ("pop".to_owned(), FieldValue::from(1u32))];
    /// let b = vec![("pop".to_owned(), FieldValue::from(2.5))];
    /// let s = LayerSchema::collect([a.as_slice(), b.as_slice()]);
    /// assert_eq!(s.fields.len(), 2);
    /// assert_eq!(s.fields["pop"], FieldType::Number);
    /// ```
    pub fn collect<'a>(properties: impl IntoIterator<Item = &'a [(String, FieldValue)]>) -> Self {
        let mut fields = BTreeMap::new();
        for props in properties {
            for (name, value) in props {
                let t = value.field_type();
                fields
                    .entry(name.clone())
                    .and_modify(|old: &mut FieldType| {
                        if *old != t {
                            *old = FieldType::String;
                        }
                    })
                    .or_insert(t);
            }
        }
        Self { fields }
    }
}
