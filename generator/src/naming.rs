//! Stage 3: Rust names for everything in the IR, resolved in one place.
//!
//! Types are named from their strongest hint (title, component key, operation
//! role, or the property that holds them). A short name wanted by two
//! different types goes to neither: both take the longer parent+property
//! form. That keeps names stable when unrelated schemas come and go: a type
//! only moves when a new type wants exactly its name. Numbered suffixes are
//! the very last resort. Field, variant and method names are cased,
//! escaped when they are Rust keywords, and made unique within their scope.

use std::collections::{BTreeMap, HashMap, HashSet};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::ir::{Api, NameHint, Presence, TypeId, TypeKind};

/// Words Rust reserves; identifiers equal to one are escaped.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];
/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];
/// Type names generated code refers to unqualified; a model must not shadow them.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "From",
    "Into",
    "ToString",
    "Iterator",
];

/// Fills in every Rust name of `api`.
pub fn assign(api: &mut Api, crate_name: Option<&str>) {
    name_client(api);
    name_crate(api, crate_name);
    name_namespaces(api);
    name_globals(api);
    name_types(api);
    name_modules(api);
    name_members(api);
    name_operations(api);
}

/// Methods of the client type itself; accessors and untagged operations keep clear of them.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "builder",
    "clone",
    "config",
    "server_url",
    "timeout",
    "retry_policy",
    "fail_open",
    "tracker",
    "tracker_with",
];

/// Methods of the client builder; setters of global headers keep clear of them.
pub const BUILDER_METHODS: &[&str] = &[
    "secret_key",
    "server_url",
    "timeout",
    "retry_policy",
    "default_header",
    "global_header",
    "user_agent",
    "http_client",
    "fail_open",
    "hook",
    "with_env",
    "build",
];

/// The event enum of a document with webhooks.
pub const WEBHOOK_EVENT_TYPE: &str = "WebhookEvent";
/// The cargo feature that compiles webhook verification; tags keep clear of it.
pub const WEBHOOKS_FEATURE: &str = "webhooks";

/// Names in scope in `src/ops/mod.rs`, where the namespace types live.
const OPS_SCOPE_TYPES: &[&str] = &["Client", "RequestBuilder"];

/// Names the crate and the prelude already use; a client type takes another.
const CLIENT_RESERVED: &[&str] = &[
    "Self", "Error", "Result", "Option", "String", "Vec", "Box", "Some", "None", "Ok", "Err",
];

/// The client type: the API title without "API" (`Autumn API` → `Autumn`),
/// and the names made from it.
fn name_client(api: &mut Api) {
    let words: Vec<&str> = api
        .info
        .title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("api"))
        .collect();
    let name = type_name(&words.join(" "));
    let type_name = if name == "Value" || name.is_empty() {
        "Client".to_owned()
    } else if CLIENT_RESERVED.contains(&name.as_str()) {
        format!("{name}Client")
    } else {
        name
    };
    let client = &mut api.info.client;
    client.env_prefix = type_name.to_shouty_snake_case();
    let var = value_name(&type_name);
    // `let ref = ...` cannot be written, nor can a raw `r#ref` binding read well.
    client.example_var = match var.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_client"),
        None => var,
    };
    client.docs_dir = file_stem(&type_name);
    client.type_name = type_name;
}

/// The package and library names: the one asked for (checked before the
/// pipeline ran, see [`crate::config::check_crate_name`]), or one made from
/// the title's words without "API" (`Autumn API` → `autumn-sdk`).
fn name_crate(api: &mut Api, requested: Option<&str>) {
    let crate_name = match requested {
        Some(name) => name.to_owned(),
        None => crate_name_from_title(&api.info.title),
    };
    api.info.client.lib_name = crate_name.replace('-', "_");
    api.info.client.crate_name = crate_name;
}

/// A valid package name from a title: lower-case ASCII words joined by `-`,
/// ending in `-sdk`, starting with a letter, at most 64 characters.
fn crate_name_from_title(title: &str) -> String {
    let mut name = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            !w.is_empty() && !w.eq_ignore_ascii_case("api") && !w.eq_ignore_ascii_case("sdk")
        })
    {
        if name.len() + word.len() + 1 > 64 - "api--sdk".len() {
            break;
        }
        if !name.is_empty() {
            name.push('-');
        }
        name.push_str(&word.to_ascii_lowercase());
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, if name.is_empty() { "api" } else { "api-" });
    }
    name.push_str("-sdk");
    name
}

/// The file stem of a Rust type name (`GetOrCreateCustomerParams` →
/// `get_or_create_customer_params`), never a keyword.
pub fn file_stem(name: &str) -> String {
    let stem = name.to_snake_case();
    if escape_keyword(stem.clone()) == stem {
        stem
    } else {
        format!("{stem}_model")
    }
}

/// Module, type, accessor and feature of each tag's namespace: unique among
/// namespaces, and clear of the client's methods and the docs folder of the
/// client. In a document with webhooks the runtime's `webhooks` feature is
/// reserved; a tag that would take it gets `webhook-endpoints`.
fn name_namespaces(api: &mut Api) {
    let mut modules = HashSet::from([api.info.client.docs_dir.clone()]);
    let mut types: HashSet<String> = OPS_SCOPE_TYPES.iter().map(|s| (*s).to_owned()).collect();
    let mut accessors: HashSet<String> = CLIENT_METHODS.iter().map(|s| (*s).to_owned()).collect();
    let mut features = HashSet::from(["default".to_owned()]);
    if let Some(webhooks) = &mut api.webhooks {
        webhooks.feature = WEBHOOKS_FEATURE.to_owned();
        features.insert(webhooks.feature.clone());
    }
    for ns in &mut api.info.tags {
        // ASCII CamelCase that does not start with a digit, whatever the tag is written in.
        let word = type_name(&ns.tag.to_upper_camel_case());
        ns.module = unique(file_stem(&word), &mut modules);
        ns.type_name = unique(word.clone(), &mut types);
        ns.accessor = unique(value_name(&ns.tag), &mut accessors);
        let mut feature = if ns.tag.chars().any(|c| c.is_ascii_alphanumeric()) {
            word.to_snake_case().replace('_', "-")
        } else {
            "untagged".into()
        };
        if api.webhooks.is_some() && feature == WEBHOOKS_FEATURE {
            feature = "webhook-endpoints".into();
        }
        ns.feature = unique_feature(feature, &mut features);
    }
}

/// `feature` itself when free, else `feature-2`, `feature-3`, ...
fn unique_feature(feature: String, used: &mut HashSet<String>) -> String {
    if used.insert(feature.clone()) {
        return feature;
    }
    let name = (2..)
        .map(|n| format!("{feature}-{n}"))
        .find(|n| !used.contains(n))
        .unwrap_or(feature);
    used.insert(name.clone());
    name
}

/// The builder setter and environment variable of each global header.
fn name_globals(api: &mut Api) {
    let mut used: HashSet<String> = BUILDER_METHODS.iter().map(|s| (*s).to_owned()).collect();
    let prefix = api.info.client.env_prefix.clone();
    for g in &mut api.globals {
        g.env_var = format!("{prefix}_{}", g.name.to_shouty_snake_case());
        if g.is_runtime_owned() {
            continue;
        }
        let wire = g.name.to_ascii_lowercase();
        g.setter = Some(unique(
            value_name(wire.strip_prefix("x-").unwrap_or(&wire)),
            &mut used,
        ));
    }
}

/// The module of each model: its name's file stem, unique (two CamelCase
/// names can share one snake_case form).
fn name_modules(api: &mut Api) {
    let mut used = HashSet::from(["mod".to_owned()]);
    let ids: Vec<TypeId> = api.types.iter().map(|(id, _)| id).collect();
    for id in ids {
        let def = api.types.get_mut(id);
        if !def.name.is_empty() {
            def.module = unique(file_stem(&def.name), &mut used);
        }
    }
}

/// A Rust type or variant name for arbitrary text (ASCII letters and digits only).
pub fn type_name(text: &str) -> String {
    let ascii: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = ascii.to_upper_camel_case();
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        // The one CamelCase keyword, and it cannot be a raw identifier.
        name.push_str("Value");
    }
    name
}

/// A Rust field, method or argument name for arbitrary text, keyword-escaped.
pub fn value_name(text: &str) -> String {
    let ascii: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = ascii.to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    escape_keyword(name)
}

/// Whether `name` is a word Rust reserves.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `type` → `r#type`; `self` → `self_`.
pub fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The name without a raw-identifier prefix, as serde sees it.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Candidate names for one type, best first; `None` while its root is unnamed.
fn candidates(api: &Api, id: TypeId, names: &HashMap<TypeId, String>) -> Option<Vec<String>> {
    let def = api.types.get(id);
    let mut out = Vec::new();
    if let Some(title) = &def.title {
        out.push(type_name(title));
    }
    match &def.hint {
        NameHint::Component(key) => out.push(type_name(key)),
        NameHint::Operation { operation, role } => {
            out.push(format!("{}{}", type_name(operation), type_name(role)))
        }
        NameHint::Context { parent, part } => {
            out.extend(context_candidates(api, *parent, part, names)?)
        }
        NameHint::Input { of } => out.push(format!("{}Input", names.get(of)?)),
    }
    if let Some(title) = &def.title {
        out.push(format!(
            "{}{}",
            context_of_pointer(&def.pointer),
            type_name(title)
        ));
    }
    let mut seen = HashSet::new();
    out.retain(|c| seen.insert(c.clone()));
    Some(out)
}

/// Names for an inline schema from the property words that lead to it, up
/// to the nearest type with a name of its own (a component or an operation
/// body): `auto_topups` in `billing_controls` in `Customer` gives
/// `AutoTopup`, `CustomerAutoTopup`, `BillingControlsAutoTopup`,
/// `CustomerBillingControlsAutoTopup`. These depend only on the spec's
/// words, not on how other types were named, which keeps them stable.
fn context_candidates(
    api: &Api,
    parent: TypeId,
    part: &str,
    names: &HashMap<TypeId, String>,
) -> Option<Vec<String>> {
    let mut parts = vec![type_name(part)];
    let mut root = parent;
    for _ in 0..32 {
        let ancestor = api.types.get(root);
        match &ancestor.hint {
            // A titled ancestor has a name of its own: it is the root.
            NameHint::Context { parent, part } if ancestor.title.is_none() => {
                parts.push(type_name(part));
                root = *parent;
            }
            _ => break,
        }
    }
    let root_name = names.get(&root)?;
    let mut out = Vec::new();
    // One-word properties (`to`, `type`, `config`) say too little alone.
    if parts[0] != "Value" && parts[0].chars().filter(char::is_ascii_uppercase).count() > 1 {
        out.push(parts[0].clone());
    }
    for k in 1..=parts.len() {
        let chain: String = parts[..k].iter().rev().map(String::as_str).collect();
        if k >= 2 {
            out.push(chain.clone());
        }
        out.push(if root_name.ends_with(&chain) {
            format!("{root_name}Value")
        } else {
            format!("{root_name}{chain}")
        });
    }
    Some(out)
}

/// Words naming where a schema sits, from its pointer (`/paths/~1v1~1customers.get/post/...` → `CustomersGet`).
fn context_of_pointer(pointer: &str) -> String {
    let segs = crate::diagnostics::segments_of(pointer);
    match segs.first().map(String::as_str) {
        Some("paths") | Some("webhooks") => {
            let path = segs.get(1).map(String::as_str).unwrap_or("");
            let last = path
                .rsplit('/')
                .find(|s| !s.is_empty() && !s.starts_with('{'))
                .unwrap_or(path);
            type_name(last)
        }
        Some("components") => segs.get(2).map(|s| type_name(s)).unwrap_or_default(),
        _ => String::new(),
    }
}

fn name_types(api: &mut Api) {
    let mut names: HashMap<TypeId, String> = HashMap::new();
    let mut taken: HashSet<String> = RESERVED_TYPES.iter().map(|s| (*s).to_owned()).collect();
    let mut cands: HashMap<TypeId, Vec<String>> = HashMap::new();
    let mut level: HashMap<TypeId, usize> = HashMap::new();
    let mut pending: Vec<TypeId> = api.types.iter().map(|(id, _)| id).collect();
    // The event enum has a fixed name: the verification runtime refers to it.
    if let Some(webhooks) = &api.webhooks {
        taken.insert(WEBHOOK_EVENT_TYPE.to_owned());
        names.insert(webhooks.event_type, WEBHOOK_EVENT_TYPE.to_owned());
        pending.retain(|id| *id != webhooks.event_type);
    }
    while !pending.is_empty() {
        // Every pending type whose parent is named states what it wants now.
        let mut wants: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
        let mut exhausted = Vec::new();
        let mut waiting = Vec::new();
        for &id in &pending {
            if let std::collections::hash_map::Entry::Vacant(slot) = cands.entry(id) {
                match candidates(api, id, &names) {
                    Some(c) => {
                        slot.insert(c);
                    }
                    None => {
                        waiting.push(id);
                        continue;
                    }
                }
            }
            let c = &cands[&id];
            match c.get(level.get(&id).copied().unwrap_or(0)) {
                Some(want) => wants.entry(want.clone()).or_default().push(id),
                None => exhausted.push(id),
            }
        }
        if wants.is_empty() && exhausted.is_empty() {
            // Parents that never get named (a malformed table): give the rest plain names.
            for id in waiting {
                let n = unique_type_name("Type", &taken);
                taken.insert(n.clone());
                names.insert(id, n);
            }
            break;
        }
        // Out of words: number the longest candidate, in a fixed order (only for true clashes).
        for id in exhausted {
            let base = cands[&id].last().cloned().unwrap_or_else(|| "Type".into());
            let n = unique_type_name(&base, &taken);
            taken.insert(n.clone());
            names.insert(id, n);
        }
        let mut next = waiting;
        for (want, ids) in wants {
            if ids.len() == 1 && !taken.contains(&want) {
                taken.insert(want.clone());
                names.insert(ids[0], want);
            } else {
                // Contested or taken: everyone who wanted it moves to a longer name.
                for id in ids {
                    *level.entry(id).or_insert(0) += 1;
                    next.push(id);
                }
            }
        }
        next.sort();
        pending = next;
    }
    for (id, name) in names {
        api.types.get_mut(id).name = name;
    }
}

/// `base` itself when free, else `base2`, `base3`, ...
fn unique_type_name(base: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| base.to_owned())
}

/// Makes `name` unique in `used` with a numeric suffix (only for clashes the spec itself creates).
fn unique(name: String, used: &mut HashSet<String>) -> String {
    if used.insert(name.clone()) {
        return name;
    }
    // `r#type` → `type_2`, `self_` → `self_2` (never `self__2`, which is not snake case).
    let base = unraw(&name).trim_end_matches('_');
    let base = if base.is_empty() { "value" } else { base };
    let sep = if base.starts_with(char::is_uppercase) {
        ""
    } else {
        "_"
    };
    for n in 2.. {
        let candidate = format!("{base}{sep}{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
    }
    unreachable!("an unused name always exists")
}

fn name_members(api: &mut Api) {
    let ids: Vec<TypeId> = api.types.iter().map(|(id, _)| id).collect();
    let event_enum = api.webhooks.as_ref().map(|w| w.event_type);
    for id in ids {
        let def = api.types.get_mut(id);
        let request = def.usage.request;
        match &mut def.kind {
            TypeKind::Struct(s) => {
                let mut used = HashSet::from(["additional_properties".to_owned()]);
                for f in &mut s.fields {
                    f.name = unique(value_name(&f.wire), &mut used);
                }
                name_builder_methods(s, request);
            }
            TypeKind::Enum(e) => {
                let mut used = HashSet::from(["Unknown".to_owned()]);
                for v in &mut e.values {
                    let mut n = type_name(&v.wire);
                    // `Unknown` is the catch-all variant.
                    if n == "Unknown" {
                        n.push_str("Value");
                    }
                    v.name = unique(n, &mut used);
                }
            }
            TypeKind::Union(u) => {
                // Tagged unions end with an `Unknown` catch-all; so does the
                // webhook event enum, whose untagged form has it as its last variant.
                let events = event_enum == Some(id);
                let mut used: HashSet<String> = (u.tag.is_some() || events)
                    .then(|| "Unknown".to_owned())
                    .into_iter()
                    .collect();
                let last = u.variants.len().saturating_sub(1);
                for (i, v) in u.variants.iter_mut().enumerate() {
                    v.name = if events && u.tag.is_none() && i == last {
                        "Unknown".to_owned()
                    } else {
                        unique(type_name(&v.hint), &mut used)
                    };
                }
            }
            TypeKind::Alias(_) => {}
        }
    }
}

/// Setters for the optional fields of a request type (named as the field;
/// `new` is the constructor) and `clear_*` for its tri-state fields, unless a
/// field already has that name.
fn name_builder_methods(s: &mut crate::ir::Struct, request: bool) {
    let fields: HashSet<String> = s.fields.iter().map(|f| f.name.clone()).collect();
    for f in &mut s.fields {
        let optional = matches!(f.presence, Presence::Optional | Presence::TriState);
        f.setter = (request && optional && f.name != "new").then(|| f.name.clone());
        f.clearer = None;
        if f.setter.is_some() && f.presence == Presence::TriState {
            let clear = format!("clear_{}", unraw(&f.name));
            f.clearer = (!fields.contains(&clear)).then_some(clear);
        }
    }
}

/// The method name without the words that repeat its namespace
/// (`emails_list` in `emails` → `list`, `get_contact` in `contacts` →
/// `get`); `None` when nothing repeats or nothing would be left.
pub fn without_namespace(method: &str, namespace: &str) -> Option<String> {
    let method = value_name(method);
    let words: Vec<&str> = unraw(&method)
        .split('_')
        .filter(|w| !w.is_empty())
        .collect();
    let ns: Vec<&str> = unraw(namespace)
        .split('_')
        .filter(|w| !w.is_empty())
        .collect();
    let (last, head) = ns.split_last()?;
    let one = crate::lower::singular(last);
    let mut singular = head.to_vec();
    if !one.ends_with("_item") {
        singular.push(&one);
    }
    for form in [&ns, &singular] {
        if form.is_empty() || words.len() <= form.len() {
            continue;
        }
        let rest = if words.starts_with(form) {
            &words[form.len()..]
        } else if words.ends_with(form) {
            &words[..words.len() - form.len()]
        } else {
            continue;
        };
        return Some(value_name(&rest.join("_")));
    }
    None
}

/// Each operation's method name, without the words that repeat its
/// namespace when that short name is free: a short name wanted by two
/// operations of one namespace, or equal to another one's name, goes to
/// neither, so names only move when an operation wants exactly that name.
fn short_method_names(api: &Api) -> Vec<String> {
    let short: Vec<Option<String>> = api
        .operations
        .iter()
        .map(|op| {
            let ns = api.namespace_of(op)?;
            without_namespace(&op.method_name, &ns.accessor)
        })
        .collect();
    let mut wanted: HashMap<(Option<&str>, String), usize> = HashMap::new();
    for (op, s) in api.operations.iter().zip(&short) {
        let own = value_name(&op.method_name);
        for name in s.iter().cloned().chain(Some(own)) {
            *wanted.entry((op.tag.as_deref(), name)).or_default() += 1;
        }
    }
    api.operations
        .iter()
        .zip(short)
        .map(|(op, s)| match s {
            Some(s) if wanted[&(op.tag.as_deref(), s.clone())] == 1 => s,
            _ => op.method_name.clone(),
        })
        .collect()
}

fn name_operations(api: &mut Api) {
    let mut used: HashMap<Option<String>, HashSet<String>> = HashMap::new();
    let accessors: HashSet<String> = api.info.tags.iter().map(|n| n.accessor.clone()).collect();
    let mut funcs = HashSet::new();
    let short = short_method_names(api);
    for (op, short) in api.operations.iter_mut().zip(short) {
        op.method_name = short;
        let scope = used.entry(op.tag.clone()).or_default();
        if op.tag.is_none() {
            for m in CLIENT_METHODS
                .iter()
                .map(|s| (*s).to_owned())
                .chain(accessors.iter().cloned())
            {
                scope.insert(m);
            }
        }
        let mut name = value_name(&op.method_name);
        if scope.contains(&name) {
            name = value_name(&op.id);
        }
        op.method_name = unique(name, scope);
        let method = unraw(&op.method_name);
        let accessor = op
            .tag
            .as_deref()
            .and_then(|t| api.info.tags.iter().find(|n| n.tag == t))
            .map(|n| unraw(&n.accessor).to_owned());
        let (func, sdk_name) = match &accessor {
            Some(accessor) => (
                value_name(&format!("{accessor}_{}", method.trim_end_matches('_'))),
                format!("{accessor}.{method}"),
            ),
            None => (value_name(method.trim_end_matches('_')), method.to_owned()),
        };
        op.func_name = unique(func, &mut funcs);
        op.sdk_name = sdk_name;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn crate_names_made_from_titles_are_valid_package_names() {
        for (title, name) in [
            ("Autumn API", "autumn-sdk"),
            ("Resend", "resend-sdk"),
            ("OpenAI API", "openai-sdk"),
            ("The Pet Store (v2)", "the-pet-store-v2-sdk"),
            ("3D Secure", "api-3d-secure-sdk"),
            ("", "api-sdk"),
            ("Ünïcode Só", "n-code-s-sdk"),
            ("Acme SDK", "acme-sdk"),
        ] {
            let made = super::crate_name_from_title(title);
            assert_eq!(made, name, "{title:?}");
            crate::config::check_crate_name(&made).unwrap();
        }
        let long = super::crate_name_from_title(&"word ".repeat(40));
        assert!(long.len() <= 64, "{long}");
        crate::config::check_crate_name(&long).unwrap();
    }

    use super::*;

    /// The named IR of a document with these operations (`tag op-id`, or `- op-id`
    /// for no tag) and these extra top-level YAML lines.
    fn named(title: &str, ops: &[&str], extra: &str) -> Api {
        let mut paths = String::new();
        for (i, op) in ops.iter().enumerate() {
            let (tag, id) = op.split_once(' ').unwrap();
            let tags = if tag == "-" {
                String::new()
            } else {
                format!("      tags: ['{tag}']\n")
            };
            paths.push_str(&format!(
                "  /p{i}:\n    get:\n      operationId: '{id}'\n{tags}      responses:\n        '204': {{description: done}}\n"
            ));
        }
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: '{title}', version: '1'}}\npaths:\n{paths}{extra}"
        );
        let loaded = crate::load::load_str(&text).expect("loads");
        let mut api = crate::lower::lower(&loaded).expect("lowers").api;
        assign(&mut api, None);
        api
    }

    /// `tag → module / type / accessor / feature` for every namespace.
    fn namespaces(api: &Api) -> Vec<String> {
        api.info
            .tags
            .iter()
            .map(|n| {
                format!(
                    "{} → {} / {} / {} / {}",
                    n.tag, n.module, n.type_name, n.accessor, n.feature
                )
            })
            .collect()
    }

    #[test]
    fn namespace_names_are_unique_and_clear_of_the_client() {
        #[rustfmt::skip]
        let rows: &[(&str, &[&str], &[&str])] = &[
            // An ordinary tag: every name from its words.
            ("Shop", &["Customers a"], &["Customers → customers / Customers / customers / customers"]),
            // Names of the client's own methods go to no accessor.
            ("Shop", &["server_url a", "timeout b", "fail_open c", "builder d"], &[
                "server_url → server_url / ServerUrl / server_url_2 / server-url",
                "timeout → timeout / Timeout / timeout_2 / timeout",
                "fail_open → fail_open / FailOpen / fail_open_2 / fail-open",
                "builder → builder / Builder / builder_2 / builder",
            ]),
            // Two tags that differ only in case or punctuation get distinct names.
            ("Shop", &["Customers a", "customers b", "customer-s c"], &[
                "Customers → customers / Customers / customers / customers",
                "customers → customers_2 / Customers2 / customers_2 / customers-2",
                "customer-s → customer_s / CustomerS / customer_s / customer-s",
            ]),
            // Types already in scope in `ops/mod.rs`, the `default` feature, keywords.
            ("Shop", &["Client a", "RequestBuilder b", "default c", "type d"], &[
                "Client → client / Client2 / client / client",
                "RequestBuilder → request_builder / RequestBuilder2 / request_builder / request-builder",
                "default → default / Default / default / default-2",
                "type → type_model / Type / r#type / type",
            ]),
            // The client's docs folder is not a namespace's.
            ("Shop API", &["Shop a"], &["Shop → shop_2 / Shop / shop / shop"]),
            // A tag with no ASCII letters still makes valid names.
            ("Shop", &["ĉiuj a"], &["ĉiuj → iuj / Iuj / iuj / iuj"]),
        ];
        for (title, ops, want) in rows {
            let api = named(title, ops, "");
            assert_eq!(namespaces(&api), *want, "{title} {ops:?}");
        }
        // With webhooks, the runtime's `webhooks` feature is reserved: the tag's moves.
        let hooks = "webhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object}\n      responses:\n        '200': {description: ok}\n";
        #[rustfmt::skip]
        let rows: &[(&[&str], &[&str])] = &[
            (&["webhooks a"], &["webhooks → webhooks / Webhooks / webhooks / webhook-endpoints"]),
            (&["webhooks a", "webhook-endpoints b"], &[
                "webhooks → webhooks / Webhooks / webhooks / webhook-endpoints",
                "webhook-endpoints → webhook_endpoints / WebhookEndpoints / webhook_endpoints / webhook-endpoints-2",
            ]),
        ];
        for (ops, want) in rows {
            let api = named("Shop", ops, hooks);
            assert_eq!(
                api.webhooks.as_ref().map(|w| w.feature.as_str()),
                Some("webhooks")
            );
            assert_eq!(namespaces(&api), *want, "{ops:?}");
        }
        // Without webhooks the tag keeps its own feature.
        let api = named("Shop", &["webhooks a"], "");
        assert_eq!(
            namespaces(&api),
            ["webhooks → webhooks / Webhooks / webhooks / webhooks"]
        );
    }

    #[test]
    fn the_client_and_its_derived_names() {
        #[rustfmt::skip]
        let rows = [
            ("Autumn API", "Autumn", "AUTUMN", "autumn", "autumn"),
            ("API", "Client", "CLIENT", "client", "client"),
            ("Result", "ResultClient", "RESULT_CLIENT", "result_client", "result_client"),
            ("Ref", "Ref", "REF", "ref_client", "ref_model"),
        ];
        for (title, ty, env, var, dir) in rows {
            let c = named(title, &["- a"], "").info.client;
            assert_eq!(
                (
                    c.type_name.as_str(),
                    c.env_prefix.as_str(),
                    c.example_var.as_str(),
                    c.docs_dir.as_str()
                ),
                (ty, env, var, dir),
                "{title}"
            );
        }
    }

    #[test]
    fn operation_names_are_unique_in_their_scope() {
        let api = named(
            "Shop",
            &[
                "- timeout",
                "- customers",
                "customers list",
                "customers list",
                "a_b c",
                "a b_c",
            ],
            "",
        );
        let names: Vec<(String, String, String)> = api
            .operations
            .iter()
            .map(|o| {
                (
                    o.method_name.clone(),
                    o.func_name.clone(),
                    o.sdk_name.clone(),
                )
            })
            .collect();
        let want = [
            // Untagged operations keep clear of the client's methods and accessors.
            ("timeout_2", "timeout_2", "timeout_2"),
            ("customers_2", "customers_2", "customers_2"),
            ("list", "customers_list", "customers.list"),
            ("list_2", "customers_list_2", "customers.list_2"),
            // `a_b.c` and `a.b_c` would both be `a_b_c` as functions.
            ("c", "a_b_c", "a_b.c"),
            ("b_c", "a_b_c_2", "a.b_c"),
        ];
        let want: Vec<(String, String, String)> = want
            .iter()
            .map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into()))
            .collect();
        assert_eq!(names, want);
    }

    #[test]
    fn method_names_drop_words_that_repeat_the_namespace() {
        let rows = [
            ("emails_list", "emails", Some("list")),
            (
                "emails/list-attachments",
                "emails",
                Some("list_attachments"),
            ),
            ("list_emails", "emails", Some("list")),
            ("get_contact", "contacts", Some("get")),
            ("api_keys_create", "api_keys", Some("create")),
            ("create_api_key", "api_keys", Some("create")),
            ("emails", "emails", None),
            ("email", "emails", None),
            ("emailsend", "emails", None),
            ("get_status", "status", Some("get")),
            ("status_get", "status", Some("get")),
            ("contacts_type", "contacts", Some("r#type")),
            ("contacts_2fa", "contacts", Some("n2fa")),
            ("send", "emails", None),
            ("list", "r#type", None),
            ("type_list", "r#type", Some("list")),
        ];
        for (method, namespace, want) in rows {
            assert_eq!(
                without_namespace(method, namespace).as_deref(),
                want,
                "{method} in {namespace}"
            );
        }
    }

    #[test]
    fn short_method_names_are_stable_and_unique() {
        let api = named(
            "Shop",
            &[
                "emails emails_list",
                "contacts contacts_get",
                "users users_get",
                "users get_user",
                "pets list_pets",
                "pets list",
                "things things",
            ],
            "",
        );
        let names: Vec<(&str, &str)> = api
            .operations
            .iter()
            .map(|o| (o.method_name.as_str(), o.func_name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("list", "emails_list"),
                ("get", "contacts_get"),
                // Both want `get`: neither takes it.
                ("users_get", "users_users_get"),
                ("get_user", "users_get_user"),
                // `list` is another operation's own name.
                ("list_pets", "pets_list_pets"),
                ("list", "pets_list"),
                // Nothing would be left.
                ("things", "things_things"),
            ]
        );
    }

    #[test]
    fn global_header_setters_keep_clear_of_the_builder() {
        let extra = "x-speakeasy-globals:\n  parameters:\n    - {name: x-timeout, in: header, schema: {type: string}}\n    - {name: x-api-version, in: header, schema: {type: string}}\n    - {name: fail-open, in: header, schema: {type: boolean}}\n";
        let api = named("Shop", &["- a"], extra);
        let setters: Vec<(Option<&str>, &str)> = api
            .globals
            .iter()
            .map(|g| (g.setter.as_deref(), g.env_var.as_str()))
            .collect();
        assert_eq!(
            setters,
            [
                (Some("timeout_2"), "SHOP_X_TIMEOUT"),
                (Some("api_version"), "SHOP_X_API_VERSION"),
                // The runtime sets this one from the client's fail-open setting.
                (None, "SHOP_FAIL_OPEN"),
            ]
        );
    }

    #[test]
    fn model_modules_are_unique_even_when_snake_case_meets() {
        let extra = "components:\n  schemas:\n    A: {type: string}\n    B: {type: string}\n    C: {type: string}\n";
        let mut api = named("Shop", &["- a"], extra);
        let ids: Vec<TypeId> = api.types.iter().map(|(id, _)| id).collect();
        for (id, name) in ids.iter().zip(["HttpServer", "HTTPServer", "Mod"]) {
            api.types.get_mut(*id).name = name.to_owned();
        }
        name_modules(&mut api);
        let modules: Vec<&str> = ids
            .iter()
            .map(|id| api.types.get(*id).module.as_str())
            .collect();
        assert_eq!(modules, ["http_server", "http_server_2", "mod_model"]);
    }

    #[test]
    fn builder_methods_skip_the_constructor_and_clashing_clears() {
        let extra = "components:\n  schemas:\n    P:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        new: {type: string}\n        note: {type: [string, 'null']}\n        tag: {type: [string, 'null']}\n        clear_tag: {type: string}\n        done: {type: boolean}\n";
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /p:\n    post:\n      operationId: a\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/P'}}\n      responses:\n        '204': {{description: done}}\n{extra}"
        );
        let loaded = crate::load::load_str(&text).unwrap();
        let mut api = crate::lower::lower(&loaded).unwrap().api;
        assign(&mut api, None);
        let (_, def) = api.types.iter().find(|(_, d)| d.name == "P").unwrap();
        let TypeKind::Struct(s) = &def.kind else {
            panic!("P is a struct")
        };
        let methods: Vec<(&str, Option<&str>, Option<&str>)> = s
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.setter.as_deref(), f.clearer.as_deref()))
            .collect();
        assert_eq!(
            methods,
            [
                ("id", None, None),
                ("new", None, None),
                ("note", Some("note"), Some("clear_note")),
                ("tag", Some("tag"), None),
                ("clear_tag", Some("clear_tag"), None),
                ("done", Some("done"), None),
            ]
        );
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("customerId"), "customer_id");
        assert_eq!(value_name("2fa"), "n2fa");
        assert_eq!(value_name(""), "value");
        assert_eq!(value_name("é"), "value");
    }

    #[test]
    fn properties_that_meet_after_escaping_get_snake_case_names() {
        let schema = "{type: object, properties: {self: {type: string}, Self: {type: string}, \
                      type: {type: string}, Type: {type: string}, type_: {type: string}, \
                      super: {type: string}, Super: {type: string}}}";
        let api = named(
            "Shop",
            &["- a"],
            &format!("components:\n  schemas:\n    T: {schema}\n"),
        );
        let (_, def) = api.types.iter().next().expect("one type");
        let TypeKind::Struct(s) = &def.kind else {
            panic!("a struct")
        };
        let names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["self_", "self_2", "r#type", "type_2", "type_3", "super_", "super_2"]
        );
    }

    #[test]
    fn type_names_are_ascii_camel_case() {
        assert_eq!(type_name("semi_annual"), "SemiAnnual");
        assert_eq!(type_name("1d"), "V1d");
        assert_eq!(type_name("Customer Object"), "CustomerObject");
        assert_eq!(type_name("a.b-c"), "ABC");
        assert_eq!(type_name("self"), "SelfValue");
    }
}
