//! Crate-level files: `src/api_info.rs` (the API facts the runtime reads),
//! and the text templates: `Cargo.toml`, `README.md`, `src/lib.rs` and the
//! Markdown docs under `docs/` (data from `docs_pages`).

use std::path::PathBuf;

use minijinja::{context, Environment};
use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::examples::Examples;
use super::{docs_pages, runtime_files, EmitOptions, Files};
use crate::diagnostics::Diagnostic;
use crate::ir::Api;

/// `src/api_info.rs`: constants that parameterise the runtime for this API.
pub fn api_info(api: &Api) -> TokenStream {
    let client = &api.info.client.type_name;
    let prefix = &api.info.client.env_prefix;
    let crate_name = &api.info.client.crate_name;
    let server = api.info.server_url.clone().unwrap_or_default();
    let secret_env = format!("{prefix}_SECRET_KEY");
    let server_env = format!("{prefix}_SERVER_URL");
    let fail_open_env = format!("{prefix}_FAIL_OPEN");
    let user_agent = format!("{crate_name}/");
    let globals = api
        .globals
        .iter()
        .filter(|g| !g.is_runtime_owned())
        .map(|g| {
            let name = g.name.to_ascii_lowercase();
            let default = match &g.default {
                Some(d) => quote!(Some(#d)),
                None => quote!(None),
            };
            let env = &g.env_var;
            quote!(crate::client::GlobalHeader { name: #name, default: #default, env: Some(#env) })
        });
    let key_required = api.info.bearer_auth;
    let version = &api.info.version;
    quote! {
        //! Facts about the API that the runtime reads: names, defaults, environment variables.

        /// The client type's public name.
        pub(crate) const CLIENT_NAME: &str = #client;
        /// The package name.
        #[allow(dead_code)]
        pub(crate) const CRATE_NAME: &str = #crate_name;
        /// The API version this crate was generated from.
        #[allow(dead_code)]
        pub(crate) const API_VERSION: &str = #version;
        /// Sent as `User-Agent` unless the caller sets another.
        pub(crate) const USER_AGENT: &str = concat!(#user_agent, env!("CARGO_PKG_VERSION"), " (rust)");
        /// Where requests go unless the caller says otherwise.
        pub(crate) const DEFAULT_SERVER_URL: &str = #server;
        /// Environment variable holding the secret key.
        pub(crate) const SECRET_KEY_ENV: &str = #secret_env;
        /// Environment variable overriding the server URL.
        pub(crate) const SERVER_URL_ENV: &str = #server_env;
        /// Environment variable that turns fail-open off (`false`, `0`, `off`).
        pub(crate) const FAIL_OPEN_ENV: &str = #fail_open_env;
        /// Headers sent on every call, hidden from method signatures.
        pub(crate) const GLOBAL_HEADERS: &[crate::client::GlobalHeader] = &[ #(#globals),* ];
        /// Whether every call needs the secret key (the API declares bearer auth).
        pub(crate) const SECRET_KEY_REQUIRED: bool = #key_required;
    }
}

/// The oldest Rust the generated crate's code builds with (its `rust-version`).
const RUST_VERSION: &str = "1.80";

/// One tag, as the text templates see it.
#[derive(Serialize)]
struct TagView {
    name: String,
    feature: String,
    module: String,
    accessor: String,
    type_name: String,
    description: Option<String>,
    operations: Vec<OpView>,
}

/// `text` made safe between double quotes in Rust and in TOML: `\\`, `\"` and
/// line breaks escaped, other control characters dropped.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One operation, as the text templates see it.
#[derive(Serialize)]
struct OpView {
    method: String,
    function: String,
    http_method: String,
    path: String,
    summary: String,
}

/// `Cargo.toml`, `README.md`, `src/lib.rs` and `docs/` from their templates.
pub fn text_files(
    api: &Api,
    opts: &EmitOptions,
    rust_header: &str,
    examples: &Examples<'_>,
) -> Result<Files, Diagnostic> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    // Spec text in Markdown: code fences made safe for doctests, one line in table cells.
    env.add_filter("md", |text: String| super::docs::sanitize(&text));
    env.add_filter("cell", |text: String| {
        docs_pages::one_line(&super::docs::sanitize(&text))
    });
    // Spec text inside a quoted string of Rust or TOML (`"..."`): the escapes both languages share.
    env.add_filter("quoted", |text: String| quoted(&text));
    let client = &api.info.client;
    let docs = docs_pages::docs_data(api, examples)?;
    let tags: Vec<TagView> = api
        .info
        .tags
        .iter()
        .map(|ns| TagView {
            name: ns.tag.clone(),
            feature: ns.feature.clone(),
            module: ns.module.clone(),
            accessor: ns.accessor.clone(),
            type_name: ns.type_name.clone(),
            description: ns.docs.clone(),
            operations: api
                .operations
                .iter()
                .filter(|o| o.tag.as_deref() == Some(&ns.tag))
                .map(op_view)
                .collect(),
        })
        .collect();
    let untagged: Vec<OpView> = api
        .operations
        .iter()
        .filter(|o| o.tag.is_none())
        .map(op_view)
        .collect();
    // The webhook runtime is declared apart, behind its feature.
    let runtime_modules: Vec<&str> = runtime_files()
        .filter(|(f, _)| *f != super::webhooks::RUNTIME_FILE)
        .map(|(f, _)| f.trim_end_matches(".rs"))
        .collect();
    let webhooks = super::webhooks::view(api);
    let ctx = context! {
        crate_name => client.crate_name,
        lib_name => client.lib_name,
        package => package_facts(api, opts),
        own_workspace => opts.own_workspace,
        rust_version => RUST_VERSION,
        client => client.type_name,
        env_prefix => client.env_prefix,
        title => api.info.title,
        version => api.info.version,
        description => api.info.description,
        server_url => api.info.server_url,
        spec_label => opts.spec_label,
        tags => tags,
        untagged => untagged,
        runtime_modules => runtime_modules,
        rust_header => rust_header,
        client_var => examples.client_var(),
        client_dir => client.docs_dir,
        globals => globals(api),
        bearer_auth => api.info.bearer_auth,
        docs => &docs,
        webhooks => &webhooks,
        tracker => tracker_view(api),
    };
    // Every `.j2` template is registered, so templates can import shared ones.
    for (path, source) in super::embedded::TEMPLATES {
        if path.ends_with(".j2") {
            env.add_template(path, source).map_err(|e| {
                Diagnostic::new("", format!("internal error: templates/{path}: {e:#}"))
            })?;
        }
    }
    let render = |template_path: &str, ctx: &minijinja::Value| -> Result<String, Diagnostic> {
        env.get_template(template_path)
            .and_then(|t| t.render(ctx))
            .map_err(|e| {
                Diagnostic::new(
                    "",
                    format!("internal error: templates/{template_path}: {e:#}"),
                )
            })
    };
    let mut files = Files::new();
    for (template_path, out) in [
        ("Cargo.toml.j2", "Cargo.toml"),
        ("README.md.j2", "README.md"),
        ("lib.rs.j2", "src/lib.rs"),
    ] {
        files.insert(PathBuf::from(out), render(template_path, &ctx)?);
    }
    if webhooks.is_some() {
        files.insert(
            PathBuf::from("docs/webhooks.md"),
            render("docs/webhooks.md.j2", &ctx)?,
        );
    }
    for page in &docs.pages {
        let text = render("docs/sdk.md.j2", &context! { page => page, ..ctx.clone() })?;
        files.insert(
            PathBuf::from(format!("docs/sdks/{}/README.md", page.dir)),
            text,
        );
    }
    for model in &docs.models {
        let text = render(
            "docs/model.md.j2",
            &context! { model => model, ..ctx.clone() },
        )?;
        files.insert(
            PathBuf::from(format!("docs/models/{}.md", model.stem)),
            text,
        );
    }
    Ok(files)
}

/// The crate's publishing facts, as `Cargo.toml` and the README see them:
/// the configuration's value where it sets one, else the document's.
#[derive(Serialize)]
struct PackageView<'a> {
    version: &'a str,
    license: Option<&'a str>,
    homepage: Option<&'a str>,
    api_docs: Option<&'a str>,
    repository: Option<&'a str>,
    authors: &'a [String],
    keywords: &'a [String],
    categories: &'a [String],
}

fn package_facts<'a>(api: &'a Api, opts: &'a EmitOptions) -> PackageView<'a> {
    let config = &opts.package;
    let info = &api.info;
    PackageView {
        version: config.version(),
        license: config.license.as_deref().or(info.license.as_deref()),
        homepage: config.homepage.as_deref().or(info.homepage.as_deref()),
        api_docs: config.api_docs.as_deref().or(info.docs_url.as_deref()),
        repository: config.repository.as_deref(),
        authors: &config.authors,
        keywords: &config.keywords,
        categories: &config.categories,
    }
}

/// The background tracker, as the templates see it.
#[derive(Serialize)]
struct TrackerView {
    /// The batch operation's method, e.g. `batch_track`.
    method: String,
    /// Its SDK name, e.g. `batch_track`.
    sdk_name: String,
    /// The cargo feature that compiles it, if any.
    feature: Option<String>,
    /// The event type's name.
    event: String,
    /// The most events one call takes.
    max_batch: u64,
    /// Statuses that mean nothing was taken.
    retry_statuses: Vec<u16>,
    /// Whether events get an idempotency key.
    idempotency: bool,
    /// The event field stamped with the time.
    timestamp: String,
}

fn tracker_view(api: &Api) -> Option<TrackerView> {
    let op = super::tracking::tracker_operation(api)?;
    let tracker = op.tracker.as_ref()?;
    let event = api.types.get(tracker.event);
    let crate::ir::TypeKind::Struct(fields) = &event.kind else {
        return None;
    };
    Some(TrackerView {
        method: crate::naming::unraw(&op.method_name).to_owned(),
        sdk_name: op.sdk_name.clone(),
        feature: api.namespace_of(op).map(|ns| ns.feature.clone()),
        event: event.name.clone(),
        max_batch: tracker.max_batch,
        retry_statuses: tracker.retry_statuses.clone(),
        idempotency: tracker.idempotency_field.is_some(),
        timestamp: fields.fields.get(tracker.timestamp_field)?.wire.clone(),
    })
}

/// A header sent on every call that the caller may set on the client, as the README sees it.
#[derive(Serialize)]
struct GlobalView {
    /// Header name.
    header: String,
    /// The typed setter on the client builder.
    setter: String,
    /// The environment variable read when the builder does not set it.
    env: String,
    /// The default value.
    default: Option<String>,
}

fn globals(api: &Api) -> Vec<GlobalView> {
    api.globals
        .iter()
        .filter_map(|g| {
            Some(GlobalView {
                setter: crate::naming::unraw(g.setter.as_ref()?).to_owned(),
                header: g.name.to_ascii_lowercase(),
                env: g.env_var.clone(),
                default: g.default.clone(),
            })
        })
        .collect()
}

fn op_view(op: &crate::ir::Operation) -> OpView {
    OpView {
        method: crate::naming::unraw(&op.method_name).to_owned(),
        function: op.func_name.clone(),
        http_method: op.http_method.clone(),
        path: op.path.clone(),
        summary: op
            .summary
            .clone()
            .or_else(|| {
                op.description
                    .as_ref()
                    .and_then(|d| d.lines().next().map(str::to_owned))
            })
            .unwrap_or_default(),
    }
}
