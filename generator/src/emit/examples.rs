//! Usage examples built from the IR: the Rust expression that builds an
//! operation's arguments from the spec's request example (or, without one,
//! from placeholders of the right types), and the snippets around it (rustdoc
//! doctests on methods and functions, whole programs for the Markdown docs).
//!
//! Expressions use exactly what `models.rs` generates: `Type::new(required..)`
//! with setters for optional fields, enum variants, union variants, `vec![]`,
//! `BTreeMap::from([...])` and `serde_json::json!` for untyped JSON. An
//! example that does not fit its type is never forced into wrong code: the
//! value is decoded from its JSON with `serde_json::from_value` instead, and
//! the mismatch is reported as a warning on the operation.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::rust::{contains_directly, ident, named_in, type_tokens};
use crate::diagnostics::Diagnostic;
use crate::ir::{
    Api, BodyEncoding, IntKind, Operation, Presence, Struct, TypeId, TypeKind, TypeRef, TypeSpace,
    Union, VariantPayload,
};

/// Where an example value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The operation has no arguments.
    None,
    /// Built from the spec's request example.
    Spec,
    /// The spec gives no example: required fields with placeholder values.
    Placeholder,
    /// The spec's example does not fit its type: decoded from JSON at run time.
    Decoded,
}

/// The arguments of one operation's example call.
#[derive(Debug, Clone)]
pub struct OpExample {
    /// Statements that run before the call (`let params: X = serde_json::from_value(...)?;`).
    setup: Vec<TokenStream>,
    /// The call's arguments after the client.
    args: Vec<TokenStream>,
    /// A name for each argument (the parameter's Rust name, or `params` for the body).
    arg_names: Vec<String>,
    /// Whether each argument already is the variable of that name (bound in `setup`).
    arg_bound: Vec<bool>,
    /// Models the expressions name.
    models: BTreeSet<TypeId>,
    /// Whether `BTreeMap` is used.
    btreemap: bool,
    /// Where the values come from.
    pub source: Source,
}

/// Examples of every operation, and what they need to print.
#[derive(Debug)]
pub struct Examples<'a> {
    api: &'a Api,
    /// The library name, e.g. `autumn_sdk`.
    lib: String,
    by_op: Vec<OpExample>,
    /// The finished texts, per operation.
    snippets: Vec<Snippets>,
}

/// The finished example texts of one operation.
#[derive(Debug, Clone, Default)]
pub struct Snippets {
    /// Rustdoc doctest body for the grouped method (wrapper lines hidden with `# `).
    pub method_doc: String,
    /// Whole program with the grouped method, for the Markdown docs.
    pub method_program: String,
    /// Whole program with the standalone function, for the Markdown docs.
    pub function_program: String,
    /// Pieces for hand-written snippets (the README).
    pub parts: Parts,
}

/// How a value reaches the place it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// `impl Into<T>`: constructor arguments and setters.
    Into,
    /// Exactly `T`: list items, map values, union payloads, operation arguments.
    Exact,
}

impl<'a> Examples<'a> {
    /// Builds the example of every operation and all its texts; spec
    /// examples that do not fit their schema are reported in the notes.
    pub fn new(api: &'a Api, lib: &str) -> Result<(Self, Vec<Diagnostic>), Diagnostic> {
        let client = api.info.client.type_name.as_str();
        let mut notes = Vec::new();
        let names = Names {
            lib: lib.to_owned(),
            taken: [
                client,
                "BTreeMap",
                "Duration",
                "Error",
                "RetryPolicy",
                "Backoff",
                "Hook",
                "HookContext",
                "TryStreamExt",
            ]
            .map(str::to_owned)
            .to_vec(),
        };
        let by_op = api
            .operations
            .iter()
            .map(|op| {
                let ex = op_example(&api.types, op, &names);
                if ex.source == Source::Decoded {
                    let what = if op.body.as_ref().is_some_and(|b| b.example.is_some()) {
                        "the request example of `{}` does not fit its schema; its docs decode it with serde_json instead of building it"
                    } else {
                        "no placeholder request could be built for `{}`; its docs decode one with serde_json"
                    };
                    notes.push(Diagnostic::new(
                        op.pointer.clone(),
                        what.replace("{}", &op.id),
                    ));
                }
                ex
            })
            .collect();
        let mut examples = Examples {
            api,
            lib: lib.to_owned(),
            by_op,
            snippets: Vec::new(),
        };
        // Every text is printed by prettyplease.
        for (i, op) in api.operations.iter().enumerate() {
            let ex = &examples.by_op[i];
            let texts = (|| -> Result<_, Diagnostic> {
                Ok((
                    examples.doc_example(op, ex)?,
                    examples.method_program(op, ex)?,
                    examples.function_program(op, ex)?,
                    examples.parts(op, ex)?,
                ))
            })();
            let snippets = match texts {
                Ok((method_doc, method_program, function_program, (mut p, setup))) => {
                    p.setup = statements_of(&setup);
                    let uses = !ex.models.is_empty() || ex.btreemap;
                    Snippets {
                        method_doc: hide_wrapper(&method_doc, uses),
                        method_program: method_program.trim_end().to_owned(),
                        function_program: function_program.trim_end().to_owned(),
                        parts: p,
                    }
                }
                // A bug here must not cost the whole crate: the operation goes without examples.
                Err(e) => {
                    notes.push(Diagnostic::new(
                        op.pointer.clone(),
                        format!("the examples of `{}` are left out: {}", op.id, e.message),
                    ));
                    Snippets::default()
                }
            };
            examples.snippets.push(snippets);
        }
        Ok((examples, notes))
    }

    /// `# Example` with a `no_run` doctest, as doc attributes for the
    /// operation's method (the one place in the code its docs are written in full).
    pub fn doc_section(&self, op: &Operation) -> TokenStream {
        let Some(snippets) = self.snippets.get(self.index_of(op)) else {
            return TokenStream::new();
        };
        let code = &snippets.method_doc;
        if code.trim().is_empty() {
            return TokenStream::new();
        }
        let text = format!("\n# Example\n\n```no_run\n{code}\n```");
        let lines = text.lines().map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        });
        quote! { #( #[doc = #lines] )* }
    }

    /// The finished texts of `op`.
    pub fn snippets(&self, op: &Operation) -> &Snippets {
        &self.snippets[self.index_of(op)]
    }

    /// Where the values of `op`'s example come from.
    pub fn source(&self, op: &Operation) -> Source {
        self.by_op[self.index_of(op)].source
    }

    /// The index of `op` in `api.operations`.
    fn index_of(&self, op: &Operation) -> usize {
        self.api
            .operations
            .iter()
            .position(|o| std::ptr::eq(o, op))
            .or_else(|| self.api.operations.iter().position(|o| o.id == op.id))
            .unwrap_or(0)
    }

    /// Counts per source, for reports: (spec, placeholder, decoded).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |s: Source| self.by_op.iter().filter(|e| e.source == s).count();
        (
            count(Source::Spec),
            count(Source::Placeholder),
            count(Source::Decoded),
        )
    }

    /// The variable the client is kept in: `autumn`.
    pub fn client_var(&self) -> String {
        self.api.info.client.example_var.clone()
    }

    fn lib_ident(&self) -> proc_macro2::Ident {
        format_ident!("{}", self.lib)
    }

    /// `use` items for the models an example names, and `BTreeMap`.
    fn model_uses(&self, ex: &OpExample) -> Vec<TokenStream> {
        let lib = self.lib_ident();
        let names: Vec<_> = ex
            .models
            .iter()
            .map(|id| self.api.types.get(*id).name.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|n| ident(&n))
            .collect();
        let mut uses = Vec::new();
        match names.len() {
            0 => {}
            1 => {
                let n = &names[0];
                uses.push(quote!(use #lib::models::#n;));
            }
            _ => uses.push(quote!(use #lib::models::{ #(#names),* };)),
        }
        if ex.btreemap {
            uses.push(quote!(
                use std::collections::BTreeMap;
            ));
        }
        uses
    }

    /// The call through the client: `autumn.customers().get_or_create(args)`.
    fn method_call(&self, op: &Operation, args: &[TokenStream]) -> TokenStream {
        let var = format_ident!("{}", self.client_var());
        let method = ident(&op.method_name);
        match self.api.namespace_of(op) {
            Some(ns) => {
                let accessor = ident(&ns.accessor);
                quote!(#var.#accessor().#method(#(#args),*))
            }
            None => quote!(#var.#method(#(#args),*)),
        }
    }

    /// The call of the standalone function: `customers_get_or_create(&autumn, args)`.
    fn function_call(&self, op: &Operation, ex: &OpExample) -> TokenStream {
        let var = format_ident!("{}", self.client_var());
        let func = ident(&op.func_name);
        let args = &ex.args;
        quote!(#func(&#var #(, #args)*))
    }

    /// `let result = <call>.await?; println!(..)`, or just the call for operations without an answer.
    fn await_and_print(&self, op: &Operation, call: TokenStream) -> TokenStream {
        if op.returns.is_nothing() {
            quote! { #call.await?; }
        } else {
            quote! {
                let result = #call.await?;
                println!("{result:?}");
            }
        }
    }

    /// The whole program for the Markdown docs: the grouped method.
    fn method_program(&self, op: &Operation, ex: &OpExample) -> Result<String, Diagnostic> {
        let lib = self.lib_ident();
        let client = ident(&self.api.info.client.type_name);
        let var = format_ident!("{}", self.client_var());
        let mut uses = self.model_uses(ex);
        uses.push(quote!(use #lib::#client;));
        let setup = &ex.setup;
        let call = self.await_and_print(op, self.method_call(op, &ex.args));
        let body = quote! {
            #[tokio::main]
            async fn main() -> Result<(), Box<dyn std::error::Error>> {
                let #var = #client::from_env()?;
                #(#setup)*
                #call
                Ok(())
            }
        };
        program(uses, body)
    }

    /// The whole program for the Markdown docs: the standalone function, its
    /// result handled as a value (as the TypeScript SDK's `res.ok`).
    fn function_program(&self, op: &Operation, ex: &OpExample) -> Result<String, Diagnostic> {
        let lib = self.lib_ident();
        let client = ident(&self.api.info.client.type_name);
        let var = format_ident!("{}", self.client_var());
        let func = ident(&op.func_name);
        let mut uses = vec![quote!(use #lib::funcs::#func;)];
        uses.extend(self.model_uses(ex));
        uses.push(quote!(use #lib::#client;));
        let setup = &ex.setup;
        let call = self.function_call(op, ex);
        let failed = format!("{func} failed: {{err}}");
        let ok = if op.returns.is_nothing() {
            quote!(Ok(()) => println!("done"))
        } else {
            quote!(Ok(result) => println!("{result:?}"))
        };
        let body = quote! {
            #[tokio::main]
            async fn main() -> Result<(), Box<dyn std::error::Error>> {
                let #var = #client::from_env()?;
                #(#setup)*
                let res = #call.await;
                match res {
                    #ok,
                    Err(err) => eprintln!(#failed),
                }
                Ok(())
            }
        };
        program(uses, body)
    }

    /// A rustdoc example: `async fn example() { .. }`, whose wrapper lines are hidden later.
    fn doc_example(&self, op: &Operation, ex: &OpExample) -> Result<String, Diagnostic> {
        let call = self.await_and_print(op, self.method_call(op, &ex.args));
        let lib = self.lib_ident();
        let client = ident(&self.api.info.client.type_name);
        let var = format_ident!("{}", self.client_var());
        let uses = self.model_uses(ex);
        let setup = &ex.setup;
        format_items(quote! {
            async fn example() -> Result<(), Box<dyn std::error::Error>> {
                #(#uses)*
                let #var = #lib::#client::from_env()?;
                #(#setup)*
                #call
                Ok(())
            }
        })
    }

    /// Pieces for hand-written snippets (the README): the `use` lines, the
    /// call without `.await`, and (second) the statements that bind the
    /// arguments, inside `fn wrapper() { .. }` for the formatter.
    fn parts(&self, op: &Operation, ex: &OpExample) -> Result<(Parts, String), Diagnostic> {
        let uses = self.model_uses(ex);
        let uses = if uses.is_empty() {
            String::new()
        } else {
            format_items(quote!(#(#uses)*))?.trim_end().to_owned()
        };
        // Arguments go into `let` bindings so the call itself stays one short line.
        let mut setup = ex.setup.clone();
        let mut names = Vec::new();
        for ((arg, name), bound) in ex.args.iter().zip(&ex.arg_names).zip(&ex.arg_bound) {
            let name = ident(name);
            if !bound {
                setup.push(quote!(let #name = #arg;));
            }
            names.push(quote!(#name));
        }
        let setup_text = format_items(quote!(fn wrapper() { #(#setup)* }))?;
        let call = self.method_call(op, &names).to_string();
        Ok((
            Parts {
                uses,
                setup: String::new(),
                call: tidy_call(&call),
                returns_nothing: op.returns.is_nothing(),
            },
            setup_text,
        ))
    }
}

/// The pieces of an example call for hand-written snippets.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Parts {
    /// `use` lines for the models, one per line (may be empty).
    pub uses: String,
    /// Statements binding the arguments (may be empty).
    pub setup: String,
    /// The call, e.g. `autumn.customers().get_or_create(params)`.
    pub call: String,
    /// Whether the operation answers with nothing.
    pub returns_nothing: bool,
}

/// Names the snippets use besides the models.
#[derive(Debug)]
struct Names {
    /// The library, e.g. `autumn_sdk`.
    lib: String,
    /// Type names the snippets import from elsewhere (the client, `Error`,
    /// `BTreeMap`...): a model with one of these names is written by path.
    taken: Vec<String>,
}

/// The example of one operation.
fn op_example(space: &TypeSpace, op: &Operation, names: &Names) -> OpExample {
    let mut b = Builder::new(space, names);
    let mut args = Vec::new();
    let mut arg_names = Vec::new();
    let mut arg_bound = Vec::new();
    let mut source = Source::None;
    if let Some(id) = op.params_type {
        // The parameters struct, built from placeholders of its required fields.
        let ty = TypeRef::Named(id);
        let value = placeholder(space, &ty, "params", 0);
        let expr = b
            .value(&ty, &value, Slot::Exact)
            .unwrap_or_else(|| quote!(Default::default()));
        args.push(expr);
        arg_names.push("params".to_owned());
        arg_bound.push(false);
        source = Source::Placeholder;
    }
    // The body is `params` alone, `body` next to a parameters struct.
    let body_name = if op.params_type.is_some() {
        "body"
    } else {
        "params"
    };
    let mut setup = Vec::new();
    if let Some(body) = &op.body {
        let (value, from_spec) = match &body.example {
            Some(v) => (v.clone(), true),
            None => (placeholder(space, &body.ty, "params", 0), false),
        };
        let built = match body.encoding {
            BodyEncoding::Bytes => value.as_str().map(|s| {
                let lit = Literal::byte_string(s.as_bytes());
                quote!(bytes::Bytes::from_static(#lit))
            }),
            BodyEncoding::Text => value.as_str().map(|s| quote!(#s.to_owned())),
            _ => {
                b.lenient = body.encoding == BodyEncoding::Form;
                b.value(&body.ty, &value, Slot::Exact)
            }
        };
        let expr = match built {
            Some(expr) => {
                source = if from_spec {
                    Source::Spec
                } else {
                    Source::Placeholder
                };
                expr
            }
            None => {
                source = Source::Decoded;
                b = Builder::new(space, names);
                // Honest code: decode the spec's JSON into the type at run time.
                let ty = type_tokens(space, &body.ty, false);
                let mut named = Vec::new();
                named_in(&body.ty, &mut named);
                b.models.extend(named);
                let json = json_literal(&value);
                let var = format_ident!("{body_name}");
                setup.push(quote!(let #var: #ty = serde_json::from_str(#json)?;));
                quote!(#var)
            }
        };
        args.push(expr);
        arg_names.push(body_name.to_owned());
        // A body decoded from JSON is already bound to its name by `setup`.
        arg_bound.push(source == Source::Decoded);
    }
    OpExample {
        setup,
        args,
        arg_names,
        arg_bound,
        models: b.models,
        btreemap: b.btreemap,
        source,
    }
}

/// Builds expressions for values of IR types, remembering what they name.
struct Builder<'a> {
    space: &'a TypeSpace,
    names: &'a Names,
    models: BTreeSet<TypeId>,
    btreemap: bool,
    /// Inside a union trial: unknown enum values do not fit.
    strict: bool,
    /// Numbers and booleans may be written as strings (form bodies).
    lenient: bool,
    /// The (type, value) pairs being built: a type that holds itself without
    /// nesting (`A = oneOf [A, B]`) would otherwise meet the same value forever.
    active: Vec<(TypeId, *const Value)>,
}

impl<'a> Builder<'a> {
    fn new(space: &'a TypeSpace, names: &'a Names) -> Self {
        Builder {
            space,
            names,
            models: BTreeSet::new(),
            btreemap: false,
            strict: false,
            lenient: false,
            active: Vec::new(),
        }
    }

    /// How the example names a model: imported, or by its path when its
    /// name is taken by something else the snippets import.
    fn path(&mut self, id: TypeId) -> TokenStream {
        let name = &self.space.get(id).name;
        let tokens = ident(name);
        if self.names.taken.iter().any(|t| t == name) {
            let lib = format_ident!("{}", self.names.lib);
            quote!(#lib::models::#tokens)
        } else {
            self.models.insert(id);
            quote!(#tokens)
        }
    }

    /// Form bodies are text on the wire, so their examples write numbers and
    /// booleans as strings (`"true"`, `"15"`); read them as such.
    fn scalar<'v>(&self, v: &'v Value) -> std::borrow::Cow<'v, Value> {
        match v {
            Value::String(s) if self.lenient => match serde_json::from_str::<Value>(s) {
                Ok(parsed @ (Value::Bool(_) | Value::Number(_))) => std::borrow::Cow::Owned(parsed),
                _ => std::borrow::Cow::Borrowed(v),
            },
            _ => std::borrow::Cow::Borrowed(v),
        }
    }

    /// The expression for `v` as a value of `t`, or `None` when `v` does not fit.
    fn value(&mut self, t: &TypeRef, v: &Value, slot: Slot) -> Option<TokenStream> {
        match t {
            TypeRef::Nullable(inner) => {
                if **inner == TypeRef::Any {
                    // `serde_json::Value` holds null itself.
                    return self.value(inner, v, slot);
                }
                match (v.is_null(), slot) {
                    (true, Slot::Exact) => Some(quote!(None)),
                    (true, Slot::Into) => None,
                    (false, Slot::Exact) => {
                        let e = self.value(inner, v, slot)?;
                        Some(quote!(Some(#e)))
                    }
                    (false, Slot::Into) => self.value(inner, v, slot),
                }
            }
            TypeRef::String => {
                let s = v.as_str()?;
                Some(match slot {
                    Slot::Into => quote!(#s),
                    Slot::Exact => quote!(#s.to_owned()),
                })
            }
            TypeRef::Integer(kind) => integer(*kind, &self.scalar(v), slot),
            TypeRef::Number => {
                let f = self.scalar(v).as_f64()?;
                if !f.is_finite() {
                    return None;
                }
                Some(float_literal(f))
            }
            TypeRef::Boolean => {
                let b = self.scalar(v).as_bool()?;
                Some(quote!(#b))
            }
            TypeRef::Any => {
                let json = json_tokens(v);
                Some(quote!(serde_json::json!(#json)))
            }
            TypeRef::Bytes => {
                let s = v.as_str()?;
                let lit = Literal::byte_string(s.as_bytes());
                Some(quote!(bytes::Bytes::from_static(#lit)))
            }
            TypeRef::File => {
                let s = v.as_str()?;
                let lit = Literal::byte_string(s.as_bytes());
                let lib = format_ident!("{}", self.names.lib);
                Some(quote!(#lib::FilePart::new(#lit.to_vec())))
            }
            TypeRef::List(inner) => {
                let items = v
                    .as_array()?
                    .iter()
                    .map(|item| self.value(inner, item, Slot::Exact))
                    .collect::<Option<Vec<_>>>()?;
                Some(quote!(vec![#(#items),*]))
            }
            TypeRef::Map(inner) => {
                let entries = v
                    .as_object()?
                    .iter()
                    .map(|(k, item)| {
                        let e = self.value(inner, item, Slot::Exact)?;
                        Some(quote!((#k.to_owned(), #e)))
                    })
                    .collect::<Option<Vec<_>>>()?;
                self.btreemap = true;
                Some(if entries.is_empty() {
                    quote!(BTreeMap::new())
                } else {
                    quote!(BTreeMap::from([#(#entries),*]))
                })
            }
            TypeRef::Named(id) => self.named(*id, v, slot),
        }
    }

    fn named(&mut self, id: TypeId, v: &Value, slot: Slot) -> Option<TokenStream> {
        let key = (id, v as *const Value);
        if self.active.contains(&key) {
            return None;
        }
        self.active.push(key);
        let expr = self.named_once(id, v, slot);
        self.active.pop();
        expr
    }

    fn named_once(&mut self, id: TypeId, v: &Value, slot: Slot) -> Option<TokenStream> {
        let def = self.space.get(id);
        match &def.kind {
            TypeKind::Alias(t) => self.value(t, v, slot),
            TypeKind::Enum(e) => {
                let s = v.as_str()?;
                let name = self.path(id);
                let expr = match e.values.iter().find(|x| x.wire == s) {
                    Some(known) => {
                        let variant = ident(&known.name);
                        quote!(#name::#variant)
                    }
                    None if self.strict => return None,
                    None => quote!(#name::from(#s)),
                };
                Some(expr)
            }
            TypeKind::Struct(s) => self.structure(id, s, v),
            TypeKind::Union(u) => self.union(id, u, v),
        }
    }

    /// `Type::new(required...)` with one setter per optional field the example sets.
    fn structure(&mut self, id: TypeId, s: &Struct, v: &Value) -> Option<TokenStream> {
        let def = self.space.get(id);
        let obj = v.as_object()?;
        // Only types callers build have `new` and setters.
        if !def.usage.request {
            return None;
        }
        // Keys the struct does not know (or extra properties) cannot be set.
        if obj.keys().any(|k| !s.fields.iter().any(|f| &f.wire == k)) {
            return None;
        }
        // The field's presence says what `models.rs` generated: `new` takes
        // the constructor arguments; optional fields have setters, and
        // tri-state ones also `clear_*`.
        let mut args = Vec::new();
        let mut setters = Vec::new();
        let mut nulls = Vec::new();
        for f in &s.fields {
            let value = obj.get(&f.wire);
            match &f.presence {
                Presence::Fixed(text) => {
                    if value.is_some_and(|v| v.as_str() != Some(text.as_str())) {
                        return None;
                    }
                }
                Presence::Required | Presence::RequiredNullable => {
                    let arg = match value {
                        Some(Value::Null) | None if *f.ty.non_null() == TypeRef::Any => {
                            quote!(serde_json::Value::Null)
                        }
                        Some(Value::Null) if f.presence == Presence::RequiredNullable => {
                            // `new` takes a value; the field is set to `None` afterwards.
                            nulls.push(ident(&f.name));
                            let stand_in = placeholder(self.space, f.ty.non_null(), &f.wire, 0);
                            self.value(f.ty.non_null(), &stand_in, Slot::Into)?
                        }
                        Some(Value::Null) | None => return None,
                        Some(value) => self.value(f.ty.non_null(), value, Slot::Into)?,
                    };
                    args.push(arg);
                }
                Presence::Optional | Presence::TriState => {
                    let Some(value) = value else { continue };
                    let setter = ident(f.setter.as_deref()?);
                    if value.is_null() && f.presence == Presence::TriState {
                        let clear = ident(f.clearer.as_deref()?);
                        setters.push(quote!(.#clear()));
                        continue;
                    }
                    if value.is_null() && *f.ty.non_null() != TypeRef::Any {
                        // A plain `Option`: unset and null read the same to the server.
                        continue;
                    }
                    let arg = self.value(f.ty.non_null(), value, Slot::Into)?;
                    setters.push(quote!(.#setter(#arg)));
                }
            }
        }
        let name = self.path(id);
        let built = quote!(#name::new(#(#args),*) #(#setters)*);
        if nulls.is_empty() {
            return Some(built);
        }
        Some(quote!({
            let mut value = #built;
            #(value.#nulls = None;)*
            value
        }))
    }

    /// The first variant the value fits, in the order decoding tries them.
    fn union(&mut self, id: TypeId, u: &Union, v: &Value) -> Option<TokenStream> {
        let name = self.path(id);
        for variant in &u.variants {
            let vname = ident(&variant.name);
            let saved = (self.models.clone(), self.btreemap, self.strict);
            self.strict = true;
            let found = match &variant.payload {
                VariantPayload::Constant(c) => (c == v).then(|| quote!(#name::#vname)),
                VariantPayload::Type(t) => self
                    .value(t, v, Slot::Exact)
                    .map(|e| self.payload(&name, &vname, id, t, e)),
                VariantPayload::Tagged { tag_value, ty } => {
                    let tag_matches = u
                        .tag
                        .as_ref()
                        .and_then(|tag| v.get(tag))
                        .and_then(Value::as_str)
                        == Some(tag_value.as_str());
                    if tag_matches {
                        let rest = strip_tag(self.space, ty, u.tag.as_deref(), v);
                        self.value(ty, &rest, Slot::Exact)
                            .map(|e| self.payload(&name, &vname, id, ty, e))
                    } else {
                        None
                    }
                }
            };
            self.strict = saved.2;
            match found {
                Some(expr) => return Some(expr),
                None => {
                    self.models = saved.0;
                    self.btreemap = saved.1;
                }
            }
        }
        None
    }

    /// `Union::Variant(expr)`, boxed when the variant holds the union itself.
    fn payload(
        &self,
        name: &TokenStream,
        vname: &proc_macro2::Ident,
        id: TypeId,
        t: &TypeRef,
        e: TokenStream,
    ) -> TokenStream {
        if contains_directly(self.space, t, id) {
            quote!(#name::#vname(Box::new(#e)))
        } else {
            quote!(#name::#vname(#e))
        }
    }
}

/// The object without the union's tag property, when the variant's struct does not have it.
fn strip_tag(space: &TypeSpace, ty: &TypeRef, tag: Option<&str>, v: &Value) -> Value {
    let (Some(tag), Some(obj)) = (tag, v.as_object()) else {
        return v.clone();
    };
    let keeps_tag = match ty.non_null() {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.wire == tag),
            _ => true,
        },
        _ => true,
    };
    if keeps_tag {
        return v.clone();
    }
    let mut rest = obj.clone();
    rest.remove(tag);
    Value::Object(rest)
}

/// An integer literal that fits where it goes: suffixed when `impl Into<T>`
/// would otherwise infer `i32`.
fn integer(kind: IntKind, v: &Value, slot: Slot) -> Option<TokenStream> {
    let fits_i32 = v.as_i64().is_some_and(|i| i32::try_from(i).is_ok());
    let lit = match kind {
        IntKind::I32 => Literal::i32_unsuffixed(i32::try_from(v.as_i64()?).ok()?),
        IntKind::I64 if slot == Slot::Exact || fits_i32 => Literal::i64_unsuffixed(v.as_i64()?),
        IntKind::I64 => Literal::i64_suffixed(v.as_i64()?),
        IntKind::U32 if slot == Slot::Exact => {
            Literal::u32_unsuffixed(u32::try_from(v.as_u64()?).ok()?)
        }
        IntKind::U32 => Literal::u32_suffixed(u32::try_from(v.as_u64()?).ok()?),
        IntKind::U64 if slot == Slot::Exact => Literal::u64_unsuffixed(v.as_u64()?),
        IntKind::U64 => Literal::u64_suffixed(v.as_u64()?),
    };
    Some(quote!(#lit))
}

fn float_literal(f: f64) -> TokenStream {
    let lit = Literal::f64_unsuffixed(f);
    quote!(#lit)
}

/// JSON as a raw string literal, pretty-printed, for `serde_json::from_str`.
fn json_literal(v: &Value) -> Literal {
    let text = serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(&text))
}

/// JSON as the tokens `serde_json::json!` takes.
fn json_tokens(v: &Value) -> TokenStream {
    match v {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let lit = Literal::i64_unsuffixed(i);
                quote!(#lit)
            } else if let Some(u) = n.as_u64() {
                let lit = Literal::u64_unsuffixed(u);
                quote!(#lit)
            } else {
                float_literal(n.as_f64().unwrap_or_default())
            }
        }
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({ #(#entries),* })
        }
    }
}

/// A JSON value of type `t` with its required parts filled by placeholders.
fn placeholder(space: &TypeSpace, t: &TypeRef, name: &str, depth: usize) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    match t {
        TypeRef::Nullable(inner) => placeholder(space, inner, name, depth),
        TypeRef::String => Value::String(format!("<{name}>")),
        TypeRef::Integer(_) => Value::from(1),
        TypeRef::Number => Value::from(1.0),
        TypeRef::Boolean => Value::Bool(false),
        TypeRef::Any => Value::Object(Default::default()),
        TypeRef::Bytes => Value::String(String::new()),
        TypeRef::File => Value::String(format!("<{name}>")),
        TypeRef::List(_) => Value::Array(Vec::new()),
        TypeRef::Map(_) => Value::Object(Default::default()),
        TypeRef::Named(id) => {
            let def = space.get(*id);
            match &def.kind {
                TypeKind::Alias(t) => placeholder(space, t, name, depth + 1),
                TypeKind::Enum(e) => e
                    .values
                    .first()
                    .map(|v| Value::String(v.wire.clone()))
                    .unwrap_or_else(|| Value::String(format!("<{name}>"))),
                TypeKind::Struct(s) => {
                    let mut obj = serde_json::Map::new();
                    for f in s.fields.iter().filter(|f| f.required) {
                        obj.insert(
                            f.wire.clone(),
                            placeholder(space, &f.ty, &f.wire, depth + 1),
                        );
                    }
                    Value::Object(obj)
                }
                TypeKind::Union(u) => match u.variants.first().map(|v| &v.payload) {
                    Some(VariantPayload::Constant(c)) => c.clone(),
                    Some(VariantPayload::Type(t)) => placeholder(space, t, name, depth + 1),
                    Some(VariantPayload::Tagged { tag_value, ty }) => {
                        let mut v = placeholder(space, ty, name, depth + 1);
                        if let (Some(tag), Some(obj)) = (&u.tag, v.as_object_mut()) {
                            obj.insert(tag.clone(), Value::String(tag_value.clone()));
                        }
                        v
                    }
                    None => Value::Null,
                },
            }
        }
    }
}

/// A program: `use` items, a blank line, then the items.
fn program(uses: Vec<TokenStream>, body: TokenStream) -> Result<String, Diagnostic> {
    let uses = format_items(quote!(#(#uses)*))?;
    let body = format_items(body)?;
    Ok(format!("{uses}\n{}", body.trim_end()))
}

/// Items printed as Rust (prettyplease).
fn format_items(tokens: TokenStream) -> Result<String, Diagnostic> {
    super::format_rust(tokens.clone()).map_err(|e| {
        Diagnostic::new(
            "",
            format!("internal error: an example is not valid Rust: {e}: {tokens}"),
        )
    })
}

/// The statements inside `fn wrapper() { .. }`, dedented.
fn statements_of(text: &str) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    if lines.len() < 3 {
        return String::new();
    }
    lines[1..lines.len() - 1]
        .iter()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Turns `async fn example() ... { body }` into doctest text: the wrapper
/// lines hidden with `# `, the body dedented, a blank line after the `use`s.
fn hide_wrapper(text: &str, has_uses: bool) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let mut out = Vec::with_capacity(lines.len() + 1);
    let last = lines.len().saturating_sub(1);
    let mut in_uses = has_uses;
    for (i, line) in lines.iter().enumerate() {
        if i == 0 || i == last {
            out.push(format!("# {line}"));
            continue;
        }
        let body = line.strip_prefix("    ").unwrap_or(line);
        if in_uses && !body.starts_with("use ") && !body.starts_with(' ') && !body.starts_with('}')
        {
            out.push(String::new());
            in_uses = false;
        }
        if i + 1 == last && body == "Ok(())" {
            out.push(format!("# {body}"));
        } else {
            out.push(body.to_owned());
        }
    }
    out.join("\n")
}

/// `quote!`'s spacing removed from a short call: `a.b().c(params)`.
fn tidy_call(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let keep = matches!(prev, Some(',')) && !matches!(next, Some(')'));
            if !keep {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapper_lines_are_hidden() {
        let text =
            "async fn example() -> Result<(), E> {\n    use a::B;\n    let x = 1;\n    Ok(())\n}\n";
        assert_eq!(
            hide_wrapper(text, true),
            "# async fn example() -> Result<(), E> {\nuse a::B;\n\nlet x = 1;\n# Ok(())\n# }"
        );
    }

    #[test]
    fn calls_lose_token_spacing() {
        assert_eq!(
            tidy_call("autumn . customers () . get (params , arg1)"),
            "autumn.customers().get(params, arg1)"
        );
    }

    #[test]
    fn integers_fit_their_slot() {
        let v = Value::from(1_767_225_600_000_i64);
        assert_eq!(
            integer(IntKind::I64, &v, Slot::Into).unwrap().to_string(),
            "1767225600000i64"
        );
        assert_eq!(
            integer(IntKind::I64, &Value::from(5), Slot::Into)
                .unwrap()
                .to_string(),
            "5"
        );
        assert!(integer(IntKind::U32, &Value::from(-1), Slot::Exact).is_none());
        assert!(integer(IntKind::I32, &Value::from(1.5), Slot::Exact).is_none());
    }
}
