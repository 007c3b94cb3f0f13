//! Types in the IR: the type table, its kinds, and references between types.

use serde_json::Value;

/// Index of a named type in the [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// Every named type of the API. Ids are handed out before a type's body is
/// lowered, so recursive and forward references need no special casing.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    defs: Vec<TypeDef>,
}

impl TypeSpace {
    /// Reserves an id for a type whose body is lowered later.
    pub fn reserve(&mut self, hint: NameHint, pointer: String) -> TypeId {
        self.defs.push(TypeDef {
            name: String::new(),
            module: String::new(),
            hint,
            title: None,
            docs: None,
            kind: TypeKind::Alias(TypeRef::Any),
            pointer,
            usage: Usage::default(),
            tags: Vec::new(),
        });
        TypeId(self.defs.len() - 1)
    }

    /// The type with this id.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    /// The type with this id, mutably.
    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.defs[id.0]
    }

    /// All types with their ids, in creation order.
    pub fn iter(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.defs.iter().enumerate().map(|(i, d)| (TypeId(i), d))
    }

    /// Drops the most recently reserved type (it turned out to duplicate another).
    pub fn pop(&mut self) {
        self.defs.pop();
    }

    /// Number of types.
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    /// Whether there are no types.
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }
}

/// One named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, filled in by `naming`.
    pub name: String,
    /// Its module under `src/models/` and page under `docs/models/`, filled in by `naming`.
    pub module: String,
    /// Where the name comes from structurally.
    pub hint: NameHint,
    /// The schema's own `title`, which naming tries first.
    pub title: Option<String>,
    /// Documentation from the spec.
    pub docs: Option<String>,
    /// What the type is.
    pub kind: TypeKind,
    /// JSON pointer of the schema it was lowered from.
    pub pointer: String,
    /// Whether requests, responses or both use it.
    pub usage: Usage,
    /// Tags (namespaces) of the operations that use it, sorted; empty when unused.
    pub tags: Vec<String>,
}

/// Where a type sits, for naming it when it has no usable `title`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameHint {
    /// The key under `components/schemas`.
    Component(String),
    /// An inline schema: a property (or item, or union branch) of another type.
    Context {
        /// The type that holds it.
        parent: TypeId,
        /// The property name, or a word for its role (`Item`, `Value`...).
        part: String,
    },
    /// The request form of a type that requests and responses both use,
    /// without its `readOnly` properties (and with request forms inside).
    Input {
        /// The type it is the request form of.
        of: TypeId,
    },
    /// An inline request or response body of an operation.
    Operation {
        /// The operation's Rust-cased name, e.g. `GetCustomer`.
        operation: String,
        /// `Params`, `Response`...
        role: String,
    },
}

/// Where a type is used, for choosing derives and builders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Part of some request.
    pub request: bool,
    /// Part of some response.
    pub response: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enumeration, open to unknown values.
    Enum(StringEnum),
    /// One of several shapes.
    Union(Union),
    /// Another name for a type (e.g. `CustomerId` = `String`).
    Alias(TypeRef),
}

/// An object with known properties.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Struct {
    /// Properties in document order.
    pub fields: Vec<Field>,
    /// Type of extra properties (`additionalProperties`), collected into a map.
    pub additional: Option<TypeRef>,
    /// Sent only as a `multipart/form-data` body: a part per field, not JSON.
    pub multipart: bool,
}

impl Struct {
    /// Whether every field may be left out, so the struct implements `Default`.
    pub fn all_optional(&self) -> bool {
        self.fields
            .iter()
            .all(|f| matches!(f.presence, Presence::Optional | Presence::TriState))
    }
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust field name, filled in by `naming`.
    pub name: String,
    /// Its type (nullable types are wrapped in [`TypeRef::Nullable`]).
    pub ty: TypeRef,
    /// Whether the property must be present.
    pub required: bool,
    /// How the field is held and sent, decided by `lower` from `required`,
    /// nullability and the owner's usage.
    pub presence: Presence,
    /// The builder's setter, filled in by `naming` for optional fields of request types.
    pub setter: Option<String>,
    /// The builder's method that sends `null`, filled in by `naming` for tri-state fields.
    pub clearer: Option<String>,
    /// Documentation from the spec.
    pub docs: Option<String>,
    /// The spec's default value.
    pub default: Option<Value>,
    /// The only value the property may have (`const`), when the spec fixes one.
    pub constant: Option<Value>,
    /// Marked deprecated.
    pub deprecated: bool,
    /// `readOnly`: sent by the server only; request forms leave it out.
    pub read_only: bool,
    /// `writeOnly`: sent by the caller only; response forms leave it out.
    pub write_only: bool,
}

/// How a struct field is held in Rust and sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Presence {
    /// Always present: `T` (a nullable untyped value is `serde_json::Value`, which holds `null`).
    #[default]
    Required,
    /// Required string constant: `T`, filled in by the builder with this value.
    Fixed(String),
    /// Required but nullable: `Option<T>`; an absent key decodes as `None`.
    RequiredNullable,
    /// May be absent: `Option<T>`, left out when `None`.
    Optional,
    /// Optional and nullable in a request type: `Nullable<T>`, where absent,
    /// `null` and a value mean three different things.
    TriState,
}

impl Presence {
    /// The wrapper around the value type: `Option`, `Nullable`, or none.
    pub fn wrapper(&self) -> Option<&'static str> {
        match self {
            Presence::Required | Presence::Fixed(_) => None,
            Presence::RequiredNullable | Presence::Optional => Some("Option"),
            Presence::TriState => Some("Nullable"),
        }
    }

    /// Whether the caller must give the field to the builder's `new`.
    pub fn is_constructor_arg(&self) -> bool {
        matches!(self, Presence::Required | Presence::RequiredNullable)
    }
}

/// A string enumeration; unknown values decode into an `Unknown` variant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StringEnum {
    /// Known values in document order.
    pub values: Vec<EnumValue>,
}

/// One known value of a string enumeration.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumValue {
    /// The value on the wire.
    pub wire: String,
    /// The Rust variant name, filled in by `naming`.
    pub name: String,
}

/// A union of shapes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Union {
    /// The property whose constant value tells the variants apart, when there is one.
    /// Tagged unions also decode unknown tags into an `Unknown` variant.
    pub tag: Option<String>,
    /// The alternatives, in the order decoding tries them.
    pub variants: Vec<Variant>,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// The Rust variant name, filled in by `naming` from `hint`.
    pub name: String,
    /// A name suggestion from the spec (title, component, type word or constant).
    pub hint: String,
    /// What the variant holds: a type, or a constant value with no payload.
    pub payload: VariantPayload,
}

/// What a union variant holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VariantPayload {
    /// A value of this type.
    Type(TypeRef),
    /// Exactly this JSON value (a `const` branch); no payload in Rust.
    Constant(Value),
    /// For tagged unions: the tag value and the type of the rest of the object.
    Tagged {
        /// The tag property's value for this variant.
        tag_value: String,
        /// The variant's fields (a struct without the tag property).
        ty: TypeRef,
    },
}

/// A reference to a type, as a field or item sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A named type.
    Named(TypeId),
    /// Text.
    String,
    /// An integer of the given width.
    Integer(IntKind),
    /// A floating point number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON value.
    Any,
    /// Raw bytes (binary bodies).
    Bytes,
    /// A file sent as a part of a multipart body (the runtime's `FilePart`).
    File,
    /// A list.
    List(Box<TypeRef>),
    /// A map from strings.
    Map(Box<TypeRef>),
    /// A type that also admits `null`.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// The type without a [`TypeRef::Nullable`] wrapper.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner.non_null(),
            other => other,
        }
    }

    /// Whether `null` is a valid value.
    pub fn is_nullable(&self) -> bool {
        matches!(self, TypeRef::Nullable(_))
    }
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntKind {
    /// `int32`.
    I32,
    /// `int64` or unspecified.
    I64,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
}
