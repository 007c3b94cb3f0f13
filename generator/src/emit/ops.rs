//! Operations → `src/funcs.rs` (one standalone function per operation, where
//! the request is built) and `src/ops/` (the namespaces the client hands out,
//! whose methods call those functions).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust::{
    cfg_for_tags, deprecated_attr, docs, ident, many_args_attr, render_body, render_returns,
    type_of_text, QUALIFIED,
};
use crate::ir::{
    Api, BodyEncoding, Namespace, Operation, ParamLocation, PartKind, ReturnShape, Returns,
    TypeKind,
};

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
    let returns = &op.returns;
    let plain = Returns {
        shape: returns.shape.clone(),
        fail_open: false,
    };
    let inner = type_of_text(&render_returns(&api.types, &plain, &QUALIFIED));
    let decoder = match &returns.shape {
        ReturnShape::Empty => quote!(crate::request::decode_empty),
        ReturnShape::Bytes => quote!(crate::request::decode_bytes),
        ReturnShape::Text => quote!(crate::request::decode_text),
        ReturnShape::Json(_) | ReturnShape::Mixed => quote!(crate::request::decode_json::<#inner>),
    };
    let note = match &returns.shape {
        ReturnShape::Mixed => Some(
            "The API answers with different shapes depending on the status code, so the body is returned as JSON."
                .to_owned(),
        ),
        _ if returns.fail_open => Some(
            "Fails open: on a 5xx answer, a connection error or a timeout, the call returns a marked fallback \
             (see `FailOpen::is_fallback`) unless fail-open is turned off on the client. A fallback is not \
             the server's answer: treat whatever the call would have recorded (such as usage) as not recorded."
                .to_owned(),
        ),
        _ => None,
    };
    if returns.fail_open {
        Output {
            ty: type_of_text(&render_returns(&api.types, returns, &QUALIFIED)),
            decoder: quote!(crate::request::decode_fail_open::<#inner>),
            note,
        }
    } else {
        Output {
            ty: inner,
            decoder,
            note,
        }
    }
}

/// The argument list (after the client), the argument names, and the
/// expression that builds the request from `request` (`None` when there is
/// nothing to add to it).
fn arguments(
    api: &Api,
    op: &Operation,
) -> (Vec<TokenStream>, Vec<TokenStream>, Option<TokenStream>) {
    let mut args = Vec::new();
    let mut names = Vec::new();
    let mut calls = Vec::new();
    if let Some(id) = op.params_type {
        // One struct holds the parameters, field by field in `op.params`' order.
        let def = api.types.get(id);
        let fields = match &def.kind {
            TypeKind::Struct(s) => s.fields.as_slice(),
            _ => &[],
        };
        let ty = ident(&def.name);
        args.push(quote!(params: crate::models::#ty));
        names.push(quote!(params));
        for (p, f) in op.params.iter().zip(fields) {
            let field = ident(&f.name);
            let wire = &p.wire;
            calls.push(match p.location {
                ParamLocation::Path => quote!(.path_param(#wire, &params.#field)),
                ParamLocation::Header => quote!(.header_param(#wire, &params.#field)),
                ParamLocation::Cookie => quote!(.cookie_param(#wire, &params.#field)),
                ParamLocation::Query => quote!(.query_param(#wire, &params.#field)),
            });
        }
    }
    let request = quote!(request #(#calls)*);
    let Some(body) = &op.body else {
        if calls.is_empty() {
            // Without parameters or body the builder is the whole answer.
            return (args, names, None);
        }
        return (args, names, Some(request));
    };
    let ty = type_of_text(&render_body(&api.types, body, &QUALIFIED));
    let media = &body.media_type;
    // The body is `params` alone, `body` next to a parameters struct.
    let arg = if op.params_type.is_some() {
        quote!(body)
    } else {
        quote!(params)
    };
    let attach = match body.encoding {
        BodyEncoding::Json => quote!(json_body(&#arg)),
        BodyEncoding::Form => quote!(form_body(&#arg)),
        BodyEncoding::Bytes => quote!(raw_body(#arg, #media)),
        BodyEncoding::Text => quote!(raw_body(#arg.into_bytes(), #media)),
        BodyEncoding::Multipart => multipart_parts(api, body, &arg),
    };
    names.push(arg.clone());
    args.push(quote!(#arg: #ty));
    (args, names, Some(quote!(#request.#attach)))
}

/// `multipart_body()` and a part per field of the body's struct, as
/// lowering decided (`Body::parts`).
fn multipart_parts(api: &Api, body: &crate::ir::Body, arg: &TokenStream) -> TokenStream {
    let fields = match body.ty.non_null() {
        crate::ir::TypeRef::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Struct(s) => s.fields.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    let parts = body.parts.iter().filter_map(|part| {
        let field = fields.iter().find(|f| f.wire == part.wire)?;
        let name = ident(&field.name);
        let wire = &part.wire;
        let content_type = match &part.content_type {
            Some(ct) => quote!(Some(#ct)),
            None => quote!(None),
        };
        let method = match part.kind {
            PartKind::File => quote!(file_part),
            PartKind::Text => quote!(text_part),
            PartKind::Json => quote!(json_part),
        };
        Some(quote!(.#method(#wire, &#arg.#name, #content_type)))
    });
    quote!(multipart_body() #(#parts)*)
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

/// A standalone function's docs: the headline, and a link to the method,
/// whose docs are the one full copy (description, notes, example).
fn func_docs(api: &Api, op: &Operation) -> TokenStream {
    let headline = [op.summary.as_deref(), op.description.as_deref()]
        .into_iter()
        .flatten()
        .map(|t| t.trim().split("\n\n").next().unwrap_or_default().to_owned())
        .next()
        .unwrap_or_else(|| format!("Calls `{} {}`.", op.http_method, op.path));
    let method = crate::naming::unraw(&op.method_name);
    let (label, target) = match api.namespace_of(op) {
        Some(ns) => (
            format!("{}::{method}", ns.type_name),
            format!("crate::ops::{}::{method}", ns.type_name),
        ),
        None => {
            let client = &api.info.client.type_name;
            (
                format!("{client}::{method}"),
                format!("crate::{client}::{method}"),
            )
        }
    };
    let mut out = docs(Some(&headline));
    let link = format!(
        " The same call as [`{label}`]({target}), with the client as the first argument; \
         its docs have the details and an example."
    );
    let wire = format!(" `{} {}` (operation `{}`).", op.http_method, op.path, op.id);
    out.extend(quote!(#[doc = ""] #[doc = #link] #[doc = ""] #[doc = #wire]));
    out
}

/// `src/funcs.rs`.
pub fn funcs_file(api: &Api) -> TokenStream {
    let mut items = Vec::new();
    for op in &api.operations {
        let out = output(api, op);
        let (args, _, build) = arguments(api, op);
        let name = ident(&op.func_name);
        let oid = &op.id;
        let sdk_name = &op.sdk_name;
        let method = format_ident!("{}", op.http_method);
        let path = &op.path;
        let doc = func_docs(api, op);
        let ty = &out.ty;
        let decoder = &out.decoder;
        let cfg = cfg_for_tags(api, &op.tag.iter().cloned().collect::<Vec<_>>());
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
        let accept = op.accept.as_deref().map(|m| quote!(.accept(#m)));
        let start = quote!(RequestBuilder::new(client, &OPERATION, #decoder) #accept);
        let body = match build {
            None => start,
            Some(build) => quote! {
                let request = #start;
                #build
            },
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
        #![doc = " Each does the same as the matching client method, whose docs it links to;"]
        #![doc = " use whichever reads better."]
        #uses
        #(#items)*
    }
}

/// `src/ops/<module>.rs`: the namespace type and its methods.
pub fn namespace_file(
    api: &Api,
    ns: &Namespace,
    examples: &super::examples::Examples<'_>,
) -> TokenStream {
    let type_name = ident(&ns.type_name);
    let doc = match &ns.docs {
        Some(d) => docs(Some(d)),
        None => {
            let d = format!(" The `{}` operations.", ns.tag);
            quote!(#[doc = #d])
        }
    };
    let methods = methods(
        api,
        api.operations
            .iter()
            .filter(|o| o.tag.as_deref() == Some(&ns.tag)),
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
        let func = ident(&op.func_name);
        let mut doc = op_docs(op, out.note.as_deref());
        doc.extend(examples.doc_section(op));
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
    for ns in &api.info.tags {
        let module = ident(&ns.module);
        let ty = ident(&ns.type_name);
        let feature = &ns.feature;
        let accessor = ident(&ns.accessor);
        let doc = format!(" The `{}` operations.", ns.tag);
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
        .filter_map(|g| g.setter.as_ref().map(|setter| (g, setter)))
        .map(|(g, setter)| {
            let wire = g.name.to_ascii_lowercase();
            let method = ident(setter);
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
