//! A flat view of one `openapiv3::Schema`, whichever variant the crate chose
//! for it, so lowering reads one shape instead of seven.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};
use serde::Serialize;
use serde_json::Value;

/// What a schema says, flattened.
pub struct Facts<'a> {
    /// Title, description, nullable, default, extensions...
    pub data: &'a SchemaData,
    /// The `type` keyword.
    pub ty: Option<&'a str>,
    /// The `format` keyword.
    pub format: Option<String>,
    /// `enum` values (a `const` arrives here as one value plus `x-const`).
    pub enum_values: Vec<Value>,
    /// `properties`, in document order.
    pub properties: Vec<(&'a str, &'a ReferenceOr<Box<Schema>>)>,
    /// `required`.
    pub required: &'a [String],
    /// `additionalProperties`.
    pub additional: Option<&'a AdditionalProperties>,
    /// `items`.
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    /// `oneOf`.
    pub one_of: &'a [ReferenceOr<Schema>],
    /// `anyOf`.
    pub any_of: &'a [ReferenceOr<Schema>],
    /// `allOf`.
    pub all_of: &'a [ReferenceOr<Schema>],
}

impl<'a> Facts<'a> {
    /// Flattens `schema`.
    pub fn of(schema: &'a Schema) -> Self {
        let mut f = Facts {
            data: &schema.schema_data,
            ty: None,
            format: None,
            enum_values: Vec::new(),
            properties: Vec::new(),
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                f.ty = Some("string");
                f.format = format_name(&s.format);
                f.enum_values = s
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map(Value::String).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                f.ty = Some("number");
                f.format = format_name(&n.format);
                f.enum_values = n
                    .enumeration
                    .iter()
                    .map(|v| v.map(Value::from).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                f.ty = Some("integer");
                f.format = format_name(&i.format);
                f.enum_values = i
                    .enumeration
                    .iter()
                    .map(|v| v.map(Value::from).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                f.ty = Some("boolean");
                f.enum_values = b
                    .enumeration
                    .iter()
                    .map(|v| v.map(Value::Bool).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                f.ty = Some("object");
                f.properties = o.properties.iter().map(|(k, v)| (k.as_str(), v)).collect();
                f.required = &o.required;
                f.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                f.ty = Some("array");
                f.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => f.one_of = one_of,
            SchemaKind::AllOf { all_of } => f.all_of = all_of,
            SchemaKind::AnyOf { any_of } => f.any_of = any_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(a) => {
                f.ty = a.typ.as_deref();
                f.format = a.format.clone();
                f.enum_values = a.enumeration.clone();
                f.properties = a.properties.iter().map(|(k, v)| (k.as_str(), v)).collect();
                f.required = &a.required;
                f.additional = a.additional_properties.as_ref();
                f.items = a.items.as_ref();
                f.one_of = &a.one_of;
                f.any_of = &a.any_of;
                f.all_of = &a.all_of;
            }
        }
        f
    }

    /// Whether the schema was a `const`.
    pub fn is_const(&self) -> bool {
        self.data.extensions.get("x-const") == Some(&Value::Bool(true))
    }

    /// Whether the schema only admits `null`.
    pub fn is_null_only(&self) -> bool {
        self.data.extensions.get("x-null-type") == Some(&Value::Bool(true))
    }

    /// `propertyNames` / `patternProperties`: the schema says this is a map even without `additionalProperties`.
    pub fn has_map_keywords(&self) -> bool {
        self.data.extensions.contains_key("x-property-names")
            || self.data.extensions.contains_key("x-pattern-properties")
    }
}

/// The format keyword as written, whichever enum `openapiv3` parsed it into.
fn format_name<T: Serialize>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(item) => serde_json::to_value(item)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
