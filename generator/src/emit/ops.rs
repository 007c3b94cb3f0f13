//! Operations → `src/funcs.rs` (one standalone function per operation, where
//! the request is built) and `src/ops/` (the namespaces the client hands out,
//! whose methods call those functions).

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust::{
    cfg_for_tags, deprecated_attr, docs, ident, many_args_attr, qualified_type_tokens,
};
use crate::ir::{Api, BodyEncoding, Operation, ParamLocation, TypeRef};

/// What a generated operation function returns and how it decodes the answer.
struct Output {
    /// `RequestBuilder<...>`'s type argument.
    ty: TokenStream,
    /// The decoder function.
    decoder: TokenStream,
    /// A line for the docs when the spec's answer could not be typed precisely.
    note: Option<String>,
}

fn output(api: &Api, op: &Operation) -> Output {
    let out = plain_output(api, op);
    match (&op.fail_open, out.note.is_none()) {
        (Some(_), true) => {
            let inner = out.ty;
            Output {
                ty: quote!(crate::FailOpen<#inner>),
                decoder: quote!(crate::request::decode_fail_open::<#inner>),
                note: Some(
                    "Fails open: on a 5xx answer, a connection error or a timeout, the call returns a marked fallback \
                     (see `FailOpen::is_fallback`) unless fail-open is turned off on the client."
                        .into(),
                ),
            }
        }
        _ => out,
    }
}

fn plain_output(api: &Api, op: &Operation) -> Output {
    let typed: Vec<&crate::ir::SuccessResponse> = op.success.iter().collect();
    let Some(first) = typed.first() else {
        return Output {
            ty: quote!(()),
            decoder: quote!(crate::request::decode_empty),
            note: None,
        };
    };
    let same = typed
        .iter()
        .all(|r| r.ty == first.ty && r.encoding == first.encoding);
    if !same {
        return Output {
            ty: quote!(serde_json::Value),
            decoder: quote!(crate::request::decode_json::<serde_json::Value>),
            note: Some(
                "The API answers with different shapes depending on the status code, so the body is returned as JSON."
                    .into(),
            ),
        };
    }
    match (&first.ty, first.encoding) {
        (None, _) => Output {
            ty: quote!(()),
            decoder: quote!(crate::request::decode_empty),
            note: None,
        },
        (Some(_), BodyEncoding::Bytes) => Output {
            ty: quote!(bytes::Bytes),
            decoder: quote!(crate::request::decode_bytes),
            note: None,
        },
        (Some(_), BodyEncoding::Text) => Output {
            ty: quote!(String),
            decoder: quote!(crate::request::decode_text),
            note: None,
        },
        (Some(t), _) => {
            let ty = qualified_type_tokens(&api.types, t);
            Output {
                decoder: quote!(crate::request::decode_json::<#ty>),
                ty,
                note: None,
            }
        }
    }
}

/// The Rust type of a parameter argument.
fn param_type(api: &Api, t: &TypeRef, required: bool) -> TokenStream {
    let inner = qualified_type_tokens(&api.types, t.non_null());
    if required {
        inner
    } else {
        quote!(Option<#inner>)
    }
}

/// The argument list (after the client), the argument names, and the
/// expression that builds the request from `request`.
fn arguments(api: &Api, op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>, TokenStream) {
    let mut args = Vec::new();
    let mut names = Vec::new();
    let mut calls = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Cookie)
    {
        let name = ident(&p.name);
        let ty = param_type(api, &p.ty, p.required);
        let wire = &p.wire;
        args.push(quote!(#name: #ty));
        names.push(quote!(#name));
        calls.push(match p.location {
            ParamLocation::Path => quote!(.path_param(#wire, &#name)),
            ParamLocation::Header => quote!(.header_param(#wire, &#name)),
            _ => quote!(.query_param(#wire, &#name)),
        });
    }
    let request = quote!(request #(#calls)*);
    let Some(body) = &op.body else {
        return (args, names, request);
    };
    let ty = match body.encoding {
        BodyEncoding::Bytes => quote!(bytes::Bytes),
        BodyEncoding::Text => quote!(String),
        _ => qualified_type_tokens(&api.types, &body.ty),
    };
    let media = &body.media_type;
    let attach = match body.encoding {
        BodyEncoding::Json => quote!(json_body(&params)),
        BodyEncoding::Form => quote!(form_body(&params)),
        BodyEncoding::Bytes => quote!(raw_body(params, #media)),
        BodyEncoding::Text => quote!(raw_body(params.into_bytes(), #media)),
    };
    names.push(quote!(params));
    let expr = if body.required {
        args.push(quote!(params: #ty));
        quote!(#request.#attach)
    } else {
        args.push(quote!(params: Option<#ty>));
        quote! {
            match params {
                Some(params) => #request.#attach,
                None => #request,
            }
        }
    };
    (args, names, expr)
}

/// The name of an operation's standalone function: `customers_get_or_create`.
pub fn func_name(op: &Operation) -> String {
    let method = crate::naming::unraw(&op.method_name)
        .trim_end_matches('_')
        .to_owned();
    match &op.tag {
        Some(tag) => crate::naming::value_name(&format!(
            "{}_{method}",
            crate::naming::unraw(&crate::naming::value_name(tag))
        )),
        None => crate::naming::value_name(&method),
    }
}

/// Operation docs: summary, description, and notes.
fn op_docs(op: &Operation, note: Option<&str>) -> TokenStream {
    let mut text = String::new();
    for part in [op.summary.as_deref(), op.description.as_deref()]
        .into_iter()
        .flatten()
    {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(part.trim());
    }
    if text.is_empty() {
        text = format!("Calls `{} {}`.", op.http_method, op.path);
    }
    let mut out = docs(Some(&text));
    let wire = format!(" `{} {}` (operation `{}`).", op.http_method, op.path, op.id);
    out.extend(quote!(#[doc = ""] #[doc = #wire]));
    if let Some(note) = note {
        let note = format!(" {note}");
        out.extend(quote!(#[doc = ""] #[doc = #note]));
    }
    out
}

/// `src/funcs.rs`.
pub fn funcs_file(api: &Api, examples: &super::examples::Examples<'_>) -> TokenStream {
    let mut items = Vec::new();
    for op in &api.operations {
        let out = output(api, op);
        let (args, _, build) = arguments(api, op);
        let name = format_ident!("{}", func_name(op));
        let oid = &op.id;
        let sdk_name = match &op.tag {
            Some(t) => format!(
                "{}.{}",
                crate::naming::unraw(&crate::naming::value_name(t)),
                crate::naming::unraw(&op.method_name)
            ),
            None => crate::naming::unraw(&op.method_name).to_owned(),
        };
        let method = format_ident!("{}", op.http_method);
        let path = &op.path;
        let mut doc = op_docs(op, out.note.as_deref());
        doc.extend(examples.doc_section(op, true));
        let ty = &out.ty;
        let decoder = &out.decoder;
        let cfg = cfg_for_tags(&op.tag.iter().cloned().collect::<Vec<_>>());
        let deprecated = deprecated_attr(op.deprecated);
        let too_many = many_args_attr(args.len());
        let (fail_open_static, fail_open) = match &op.fail_open {
            Some(f) => {
                let fallback = &f.fallback;
                let timeout = match f.timeout_ms {
                    Some(ms) => quote!(Some(std::time::Duration::from_millis(#ms))),
                    None => quote!(None),
                };
                (
                    quote! {
                        static FAIL_OPEN: crate::fail_open::FailOpenSpec = crate::fail_open::FailOpenSpec {
                            fallback: #fallback,
                            default_timeout: #timeout,
                        };
                    },
                    quote!(Some(&FAIL_OPEN)),
                )
            }
            None => (quote!(), quote!(None)),
        };
        let pagination = match &op.pagination {
            Some(p) => {
                let field = &p.request_field;
                quote!(Some(crate::pagination::Cursor { request_field: #field }))
            }
            None => quote!(None),
        };
        // JSON is the runtime's default `Accept`; say so when the answer is something else.
        let accept = op
            .success
            .iter()
            .find_map(|r| {
                r.media_type
                    .as_deref()
                    .filter(|_| r.encoding != BodyEncoding::Json)
            })
            .map(|m| quote!(.accept(#m)));
        let start = quote!(RequestBuilder::new(client, &OPERATION, #decoder) #accept);
        // Without parameters or body the builder is the whole answer.
        let body = if build.to_string() == "request" {
            start
        } else {
            quote! {
                let request = #start;
                #build
            }
        };
        items.push(quote! {
            #doc
            #cfg
            #deprecated
            #too_many
            pub fn #name(client: &Client, #(#args),*) -> RequestBuilder<#ty> {
                #fail_open_static
                static OPERATION: Operation = Operation {
                    id: #oid,
                    name: #sdk_name,
                    method: reqwest::Method::#method,
                    path: #path,
                    fail_open: #fail_open,
                    pagination: #pagination,
                };
                #body
            }
        });
    }
    let uses = if items.is_empty() {
        quote!()
    } else {
        quote! {
            use crate::client::Client;
            use crate::request::{Operation, RequestBuilder};
        }
    };
    quote! {
        #![doc = " One function per operation, taking the client as the first argument."]
        #![doc = ""]
        #![doc = " Each does the same as the matching client method; use whichever reads better."]
        #uses
        #(#items)*
    }
}

/// `src/ops/<tag>.rs`: the namespace type and its methods.
pub fn namespace_file(
    api: &Api,
    tag: &str,
    tag_docs: Option<&str>,
    examples: &super::examples::Examples<'_>,
) -> TokenStream {
    let type_name = ident(&namespace_type(tag));
    let doc = match tag_docs {
        Some(d) => docs(Some(d)),
        None => {
            let d = format!(" The `{tag}` operations.");
            quote!(#[doc = #d])
        }
    };
    let methods = methods(
        api,
        api.operations
            .iter()
            .filter(|o| o.tag.as_deref() == Some(tag)),
        examples,
    );
    quote! {
        use crate::client::Client;
        use crate::request::RequestBuilder;

        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #type_name<'a> {
            client: &'a Client,
        }

        impl<'a> #type_name<'a> {
            pub(crate) fn new(client: &'a Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }
    }
}

/// The namespace type for a tag: `customers` → `Customers`.
pub fn namespace_type(tag: &str) -> String {
    crate::naming::type_name(&tag.to_upper_camel_case())
}

/// Methods that forward to the standalone functions.
fn methods<'o>(
    api: &Api,
    ops: impl Iterator<Item = &'o Operation>,
    examples: &super::examples::Examples<'_>,
) -> Vec<TokenStream> {
    ops.map(|op| {
        let out = output(api, op);
        let (args, names, _) = arguments(api, op);
        let name = ident(&op.method_name);
        let func = format_ident!("{}", func_name(op));
        let mut doc = op_docs(op, out.note.as_deref());
        doc.extend(examples.doc_section(op, false));
        let ty = &out.ty;
        let deprecated = deprecated_attr(op.deprecated);
        let allow = if op.deprecated {
            quote!(#[allow(deprecated)])
        } else {
            quote!()
        };
        let too_many = many_args_attr(args.len());
        let client = if op.tag.is_some() {
            quote!(self.client)
        } else {
            quote!(self)
        };
        quote! {
            #doc
            #deprecated
            #too_many
            pub fn #name(&self, #(#args),*) -> RequestBuilder<#ty> {
                #allow
                crate::funcs::#func(#client, #(#names),*)
            }
        }
    })
    .collect()
}

/// `src/ops/mod.rs`: namespace modules, the client's accessors, and untagged operations.
pub fn ops_mod_file(api: &Api, examples: &super::examples::Examples<'_>) -> TokenStream {
    let mut mods = Vec::new();
    let mut accessors = Vec::new();
    for (tag, _) in &api.info.tags {
        let module = format_ident!("{}", super::module_name(tag));
        let ty = ident(&namespace_type(tag));
        let feature = super::feature_name(tag);
        let accessor = ident(&crate::naming::value_name(tag));
        let doc = format!(" The `{tag}` operations.");
        mods.push(quote! {
            #[cfg(feature = #feature)]
            mod #module;
            #[cfg(feature = #feature)]
            pub use #module::#ty;
        });
        accessors.push(quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub fn #accessor(&self) -> #ty<'_> {
                #ty::new(self)
            }
        });
    }
    let untagged = methods(
        api,
        api.operations.iter().filter(|o| o.tag.is_none()),
        examples,
    );
    let setters = api
        .globals
        .iter()
        .filter(|g| g.name != "fail-open")
        .map(|g| {
            let wire = g.name.to_ascii_lowercase();
            let method = ident(&crate::naming::value_name(
                wire.strip_prefix("x-").unwrap_or(&wire),
            ));
            let mut doc = format!(" Sets the `{}` header sent on every call", g.name);
            match &g.default {
                Some(d) => doc.push_str(&format!(" (default `{d}`).")),
                None => doc.push('.'),
            }
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #method(self, value: impl Into<String>) -> Self {
                    self.global_header(#wire, value.into())
                }
            }
        });
    let setters: Vec<TokenStream> = setters.collect();
    let builder_impl = if setters.is_empty() {
        quote!()
    } else {
        quote! {
            impl crate::client::ClientBuilder {
                #(#setters)*
            }
        }
    };
    let uses_builder = if untagged.is_empty() {
        quote!()
    } else {
        quote!(
            use crate::request::RequestBuilder;
        )
    };
    quote! {
        #![doc = " Operation groups, one per tag of the API, handed out by the client's accessor methods."]
        use crate::client::Client;
        #uses_builder

        #(#mods)*

        impl Client {
            #(#accessors)*
            #(#untagged)*
        }

        #builder_impl
    }
}
