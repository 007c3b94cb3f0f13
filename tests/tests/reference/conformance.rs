//! Conformance checked by Prism (`@stoplight/prism-cli`), in two runs. Needs
//! `SHARED_SPECS` and Prism (installed by `.ci/run` under `target/prism`, or
//! named by `PRISM_BIN`).
//!
//! 1. Prism serves **our** `spec/autumn.yaml` (API 2.5.0), for every operation.
//! 2. Prism serves **upstream's** 2.3.0 document, Autumn's own published
//!    contract, for the operations whose contract did not change since: the
//!    requests of those whose request body is the same in both documents, the
//!    answers of those whose 2XX answers are (compared with `$ref`s inlined
//!    and words left out; see [`unchanged_operations`]).
//!
//! In each run a small harness crate calls the generated SDK with the
//! operation's request example from `spec/autumn.yaml` (decoded into our
//! params type, then sent by the SDK):
//!
//! 1. against `prism mock --errors` (static): Prism checks the request (body,
//!    headers, bearer auth) against the document and answers 422 on any
//!    violation, so "accepted" means the contract takes what our SDK sends;
//! 2. against `prism mock -d --errors` (dynamic): Prism makes up a random
//!    answer from the document's schema each time; `--errors` makes it refuse
//!    (500, violations in `response`) the answers its own validator finds
//!    invalid, so every answer our SDK tries to decode is schema-valid. Each
//!    operation must decode every one of at least [`ANSWERS`] such answers.
//!    Answers Prism refuses, or fails to make (its generator sometimes
//!    crashes), are skipped and counted, not tried.
//!
//! The test prints a table per run (operation, request accepted, answers
//! decoded / tried, skipped) and, for each answer that does not decode, the
//! operation, the body (cut) and the JSON path of the error. It also notes
//! example answers that break their own schema (Prism checks the static
//! answers too); they do not fail the test.
//!
//! `CONFORMANCE_ONLY=<operationId or funcs name>` runs one operation only.

use std::fmt::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tests::{call_arms, our_api, shared_specs, workspace, Harness};

/// Schema-valid random answers each operation must decode.
const ANSWERS: usize = 20;

/// Where Prism is: `PRISM_BIN`, else where `.ci/run` installs it.
fn prism_bin() -> PathBuf {
    let path = match std::env::var_os("PRISM_BIN") {
        Some(path) => PathBuf::from(path),
        None => workspace().join("target/prism/node_modules/.bin/prism"),
    };
    assert!(
        path.exists(),
        "Prism is not installed at {}. Install it with\n  npm install --no-save --prefix target/prism @stoplight/prism-cli@5\n(`.ci/run` does), or set PRISM_BIN.",
        path.display()
    );
    path
}

fn prism_version() -> String {
    Command::new(prism_bin())
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// A running `prism mock`, killed when dropped (also when the test panics).
struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
    label: &'static str,
}

impl Prism {
    fn start(label: &'static str, spec: &Path, extra: &[&str]) -> Prism {
        // A free port: bind port 0, note what the system gave, let it go.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free local port")
            .port();
        let log = workspace().join(format!("target/conformance/prism-{label}.log"));
        std::fs::create_dir_all(log.parent().unwrap()).unwrap();
        let out = std::fs::File::create(&log).expect("Prism's log file");
        let child = Command::new(prism_bin())
            .args([
                "mock",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "--errors",
            ])
            .args(["-v", "warn"])
            .args(extra)
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Prism ({label}): {e}"));
        Prism {
            child,
            port,
            log,
            label,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Waits until the port answers (Prism's first start takes a few seconds).
    fn wait_ready(&mut self) {
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "Prism ({}) exited with {status} before it listened:\n{}",
                    self.label,
                    self.log_tail()
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(180),
                "Prism ({}) did not listen on {} within 180 s:\n{}",
                self.label,
                self.port,
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Upstream's document for the dynamic server, with the same meaning but
/// easier for Prism's generator: json-schema-faker 0.5 ignores a numeric
/// (OpenAPI 3.1) `exclusiveMinimum`/`exclusiveMaximum`, and upstream writes
/// `minimum: -9007199254740991` + `exclusiveMinimum: 0`, so most generated
/// answers held negative counts that Prism's own validator then refused.
/// Raising `minimum` to the exclusive bound changes nothing (`x > 0` and
/// `x >= 0` is `x > 0`); the validator still checks the exclusive bound.
fn tighten_bounds(v: &mut Value) -> usize {
    let mut changed = 0;
    match v {
        Value::Object(map) => {
            for (exclusive, inclusive, tighter) in [
                ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
                ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
            ] {
                let Some(bound) = map.get(exclusive).and_then(Value::as_f64) else {
                    continue;
                };
                let current = map.get(inclusive).and_then(Value::as_f64);
                if current.is_none_or(|c| bound.partial_cmp(&c) == Some(tighter)) {
                    map.insert(inclusive.into(), map[exclusive].clone());
                    changed += 1;
                }
            }
            changed += map.values_mut().map(tighten_bounds).sum::<usize>();
        }
        Value::Array(items) => changed += items.iter_mut().map(tighten_bounds).sum::<usize>(),
        _ => {}
    }
    changed
}

const MAIN: &str = r##"//! Conformance harness, written by tests/tests/reference/conformance.rs: calls every
//! operation through the generated SDK against two Prism servers and prints
//! one JSON line per operation.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use autumn_sdk::{Autumn, Error, Hook, HookContext, RawResponse, RetryPolicy};
use serde_json::{json, Value};

const OPERATIONS: &[(&str, &str)] = &[
@OPERATIONS@];

/// Decodes a spec example into the operation's params type.
fn params<T: serde::de::DeserializeOwned>(example: &str) -> Result<T, String> {
    let value: Value = serde_json::from_str(example).map_err(|e| e.to_string())?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        format!("the spec example does not decode into the params type at `{}`: {}", e.path(), e.inner())
    })
}

/// Calls operation `index` once. `Err` when the call could not even be made.
async fn call(client: &Autumn, index: usize) -> Result<Result<(), Error>, String> {
    match index {
@ARMS@        _ => unreachable!(),
    }
}

/// What the last success answer said (for Prism's `sl-violations` header).
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Option<(u16, String)>>>);

impl Hook for Seen {
    fn after_success(&self, _: &HookContext, response: &RawResponse) {
        let violations = response
            .headers()
            .get("sl-violations")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        *self.0.lock().unwrap() = Some((response.status().as_u16(), violations));
    }
}

impl Seen {
    fn take(&self) -> Option<(u16, String)> {
        self.0.lock().unwrap().take()
    }
}

fn client(url: &str, seen: &Seen) -> Autumn {
    // Prism (Node) closes a keep-alive connection after 5 s idle; a pooled
    // connection reused at that moment fails with "connection closed before
    // message completed". Idle connections are dropped well before that.
    let http = autumn_sdk::reqwest::Client::builder()
        .no_proxy()
        .pool_idle_timeout(Duration::from_secs(1))
        .build()
        .expect("HTTP client");
    Autumn::builder()
        .http_client(http)
        .secret_key("am_sk_test_conformance")
        .server_url(url)
        .fail_open(false)
        .retry_policy(RetryPolicy::disabled())
        .timeout(Duration::from_secs(60))
        .hook(seen.clone())
        .build()
        .expect("client")
}

/// Prism's violations (from its problem body, else the `sl-violations` header).
fn violations(body: &[u8], header: Option<&str>) -> Vec<Value> {
    let from_body = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("validation").and_then(Value::as_array).cloned());
    from_body
        .or_else(|| header.and_then(|h| serde_json::from_str::<Vec<Value>>(h).ok()))
        .unwrap_or_default()
}

fn about_response(v: &Value) -> bool {
    v.pointer("/location/0").and_then(Value::as_str) == Some("response")
}

fn describe(v: &Value) -> String {
    let location: Vec<String> = v["location"]
        .as_array()
        .map(|l| l.iter().map(|p| p.as_str().map(str::to_owned).unwrap_or_else(|| p.to_string())).collect())
        .unwrap_or_default();
    format!("{} ({}) at {}", v["message"].as_str().unwrap_or("?"), v["severity"].as_str().unwrap_or("?"), location.join("."))
}

fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

/// Checks the request against the static server: accepted, and why not.
async fn check_request(client: &Autumn, seen: &Seen, index: usize) -> Value {
    let outcome = call(client, index).await;
    let success = seen.take();
    let (accepted, status, detail, note) = match outcome {
        Err(why) => (false, None, why, String::new()),
        Ok(result) => {
            let (status, list, body_note) = match &result {
                Ok(()) => {
                    let (status, header) = success.clone().unwrap_or_default();
                    (Some(status), violations(b"", Some(&header)), String::new())
                }
                Err(Error::Decode(e)) => {
                    let (_, header) = success.clone().unwrap_or_default();
                    (Some(e.status().as_u16()), violations(b"", Some(&header)),
                     format!("upstream's example answer does not decode: {e}"))
                }
                Err(Error::Api(e)) => {
                    let header = e.headers().get("sl-violations").and_then(|h| h.to_str().ok());
                    (Some(e.status().as_u16()), violations(e.body(), header), String::new())
                }
                Err(other) => (None, Vec::new(), other.to_string()),
            };
            let request_violations: Vec<String> = list.iter().filter(|v| !about_response(v)).map(describe).collect();
            let response_violations = list.iter().filter(|v| about_response(v)).count();
            let code = status.unwrap_or(0);
            // 2xx: accepted and answered; 500 with only `response` violations: accepted,
            // but upstream's example answer breaks upstream's schema (Prism checks its output too).
            let accepted = request_violations.is_empty()
                && ((200..300).contains(&code) || (code == 500 && response_violations > 0));
            let mut note = body_note;
            if let Some(first) = list.iter().find(|v| about_response(v)) {
                note = format!(
                    "upstream's example answer breaks upstream's schema: {}{}",
                    describe(first),
                    match response_violations - 1 {
                        0 => String::new(),
                        more => format!(" (and {more} more)"),
                    }
                );
            }
            let detail = if accepted {
                String::new()
            } else if !request_violations.is_empty() {
                request_violations.join("; ")
            } else {
                match &result {
                    Err(e) => cut(&e.to_string(), 600),
                    Ok(()) => format!("status {code}"),
                }
            };
            (accepted, status, detail, note)
        }
    };
    json!({"accepted": accepted, "status": status, "detail": detail, "note": note})
}

/// Asks the dynamic server for answers until `wanted` schema-valid ones were tried.
async fn check_answers(client: &Autumn, seen: &Seen, index: usize, wanted: usize) -> Value {
    let (mut tried, mut decoded, mut skipped) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    let mut errors = Vec::new();
    let mut skip_reasons: Vec<String> = Vec::new();
    let mut attempts = 0;
    while tried < wanted && attempts < wanted * 5 {
        attempts += 1;
        let outcome = call(client, index).await;
        let _ = seen.take();
        match outcome {
            Err(why) => {
                errors.push(why);
                break;
            }
            Ok(Ok(())) => {
                tried += 1;
                decoded += 1;
            }
            Ok(Err(Error::Decode(e))) => {
                tried += 1;
                failures.push(json!({
                    "path": e.path().unwrap_or("(top)"),
                    "error": e.to_string(),
                    "body": cut(&e.body_text(), 1500),
                }));
            }
            Ok(Err(Error::Api(e))) => {
                let header = e.headers().get("sl-violations").and_then(|h| h.to_str().ok());
                let list = violations(e.body(), header);
                let problem = serde_json::from_slice::<Value>(e.body()).unwrap_or_default();
                let kind = problem["type"].as_str().unwrap_or("");
                if e.status().as_u16() == 500 && kind.ends_with("#UNKNOWN") {
                    // Prism's generator crashed while making up the answer: nothing to decode.
                    skipped += 1;
                    let title = problem["title"].as_str().unwrap_or("");
                    let reason = format!("Prism failed to make an answer: {}", title.lines().take(2).collect::<Vec<_>>().join(" "));
                    if !skip_reasons.contains(&reason) {
                        skip_reasons.push(reason);
                    }
                } else if e.status().as_u16() == 500 && !list.is_empty() && list.iter().all(about_response) {
                    // Prism made up an answer its own validator refuses: not schema-valid, not tried.
                    skipped += 1;
                    for v in &list {
                        // Indices vary from answer to answer; the reason does not.
                        let reason = format!("Prism refused an answer it made up: {}", describe(v))
                            .split('.')
                            .map(|part| if part.parse::<usize>().is_ok() { "N" } else { part })
                            .collect::<Vec<_>>()
                            .join(".");
                        if !skip_reasons.contains(&reason) {
                            skip_reasons.push(reason);
                        }
                    }
                } else {
                    errors.push(cut(&e.to_string(), 600));
                }
            }
            Ok(Err(other)) => errors.push(other.to_string()),
        }
    }
    json!({"tried": tried, "decoded": decoded, "skipped": skipped, "failures": failures, "errors": errors, "skip_reasons": skip_reasons})
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (static_url, dynamic_url) = (&args[1], &args[2]);
    let wanted: usize = args[3].parse().expect("answers per operation");
    let only: Option<&str> = args.get(4).map(String::as_str);
    let seen = Seen::default();
    let (fixed, dynamic) = (client(static_url, &seen), client(dynamic_url, &seen));
    // Comma-separated operation ids to check requests / answers of (unset: all).
    let chosen = |var: &str, id: &str| {
        std::env::var(var).map_or(true, |list| list.split(',').any(|o| o == id))
    };
    for (index, (id, name)) in OPERATIONS.iter().enumerate() {
        if only.is_some_and(|o| o != *id && o != *name) {
            continue;
        }
        let (requests, answers) = (chosen("CHECK_REQUESTS", id), chosen("CHECK_ANSWERS", id));
        if !requests && !answers {
            continue;
        }
        let start = std::time::Instant::now();
        let request = if requests {
            check_request(&fixed, &seen, index).await
        } else {
            json!({"skipped": true})
        };
        let answers = if answers {
            check_answers(&dynamic, &seen, index, wanted).await
        } else {
            json!({"skipped": true})
        };
        let line = json!({
            "id": id, "name": name, "request": request, "answers": answers,
            "millis": start.elapsed().as_millis() as u64,
        });
        println!("RESULT {line}");
    }
}
"##;

/// One operation's result, as the harness printed it.
struct Row {
    name: String,
    request: Value,
    answers: Value,
    millis: u64,
}

/// Operations whose request (`requests`) or answers (`answers`) to check;
/// `None` checks every operation.
struct Selection {
    requests: Option<Vec<String>>,
    answers: Option<Vec<String>>,
}

/// Runs the harness against a static and a dynamic Prism serving `document`,
/// and returns one row per operation checked.
fn run_against(
    labels: (&'static str, &'static str),
    document: &Path,
    harness: &Harness,
    selection: &Selection,
) -> Vec<Row> {
    let mut fixed = Prism::start(labels.0, document, &[]);
    let mut parsed: Value = serde_yaml::from_str(
        &std::fs::read_to_string(document).expect("the document Prism serves"),
    )
    .expect("the document is YAML");
    let tightened = tighten_bounds(&mut parsed);
    let for_dynamic = workspace().join(format!("target/conformance/{}.json", labels.1));
    std::fs::create_dir_all(for_dynamic.parent().unwrap()).unwrap();
    std::fs::write(&for_dynamic, serde_json::to_string(&parsed).unwrap()).unwrap();
    let mut dynamic = Prism::start(labels.1, &for_dynamic, &["-d"]);
    fixed.wait_ready();
    dynamic.wait_ready();

    let mut command = Command::new(harness.target.join("debug/conformance"));
    command
        .args([fixed.url(), dynamic.url(), ANSWERS.to_string()])
        .args(std::env::var("CONFORMANCE_ONLY").ok())
        .stderr(Stdio::inherit());
    for (var, ids) in [
        ("CHECK_REQUESTS", &selection.requests),
        ("CHECK_ANSWERS", &selection.answers),
    ] {
        if let Some(ids) = ids {
            command.env(var, ids.join(","));
        }
    }
    let output = command.output().expect("the harness runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the harness failed ({}):\n{stdout}\nPrism's logs: {} and {}",
        output.status,
        fixed.log.display(),
        dynamic.log.display()
    );
    println!(
        "Prism {} on {} (dynamic: {tightened} numeric exclusive bounds also written as inclusive ones, see tighten_bounds)",
        prism_version(),
        document.display()
    );
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("RESULT "))
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("harness line");
            Row {
                name: v["name"].as_str().unwrap().to_owned(),
                request: v["request"].clone(),
                answers: v["answers"].clone(),
                millis: v["millis"].as_u64().unwrap(),
            }
        })
        .collect()
}

/// The operations whose wire contract is the same in both documents: their
/// request bodies (and `required`), or all their 2XX answers, are equal once
/// `$ref`s are inlined and words (descriptions, examples, titles,
/// extensions) are left out.
fn unchanged_operations(ours: &Value, upstream: &Value) -> (Vec<String>, Vec<String>) {
    let (mut requests, mut answers) = (Vec::new(), Vec::new());
    let Some(paths) = ours["paths"].as_object() else {
        return (requests, answers);
    };
    for (path, item) in paths {
        let Some((op, theirs)) = item["post"]
            .as_object()
            .zip(upstream["paths"][path]["post"].as_object())
        else {
            continue;
        };
        let id = op["operationId"].as_str().unwrap_or_default().to_owned();
        if op.get("operationId") != theirs.get("operationId") {
            continue;
        }
        let body = |doc: &Value, op: &serde_json::Map<String, Value>| {
            contract(doc, op.get("requestBody").unwrap_or(&Value::Null), 0)
        };
        if body(ours, op) == body(upstream, theirs) {
            requests.push(id.clone());
        }
        let successes = |doc: &Value, op: &serde_json::Map<String, Value>| -> Value {
            let responses = op.get("responses").and_then(Value::as_object);
            responses
                .into_iter()
                .flatten()
                .filter(|(status, _)| status.starts_with('2'))
                .map(|(status, r)| (status.clone(), contract(doc, r, 0)))
                .collect::<serde_json::Map<_, _>>()
                .into()
        };
        if successes(ours, op) == successes(upstream, theirs) {
            answers.push(id);
        }
    }
    (requests, answers)
}

/// `value` with `$ref`s (to `#/...`) inlined and everything that carries no
/// wire fact left out: descriptions, summaries, examples, titles, `$comment`,
/// `deprecated` and `x-` extensions.
fn contract(doc: &Value, value: &Value, depth: usize) -> Value {
    const WORDS: &[&str] = &[
        "description",
        "summary",
        "example",
        "examples",
        "title",
        "$comment",
        "deprecated",
    ];
    if depth > 64 {
        return Value::String("(deeper than 64 levels)".into());
    }
    match value {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            if let Some(target) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| doc.pointer(p))
            {
                if let Value::Object(inlined) = contract(doc, target, depth + 1) {
                    out.extend(inlined);
                }
            }
            for (key, v) in map {
                if key == "$ref" || WORDS.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                out.insert(key.clone(), contract(doc, v, depth + 1));
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| contract(doc, v, depth + 1)).collect())
        }
        other => other.clone(),
    }
}

#[test]
#[ignore = "needs SHARED_SPECS and Prism (npm); run with --include-ignored"]
fn prism_accepts_our_requests_and_we_decode_its_answers() {
    let total = Instant::now();
    let upstream = shared_specs().join("autumn/autumn-2.3.0.yml");
    assert!(upstream.exists(), "{} is missing", upstream.display());
    let ours_path = workspace().join("spec/autumn.yaml");
    let load = |path: &Path| -> Value {
        serde_yaml::from_str(&std::fs::read_to_string(path).expect("a document"))
            .expect("a YAML document")
    };
    let (requests, answers) = unchanged_operations(&load(&ours_path), &load(&upstream));

    let api = our_api();
    let operations: String = api
        .operations
        .iter()
        .map(|op| format!("    ({:?}, {:?}),\n", op.id, op.func_name))
        .collect();
    let main = MAIN
        .replace("@OPERATIONS@", &operations)
        .replace("@ARMS@", &call_arms(&api));
    let harness = Harness::write("conformance", &[("src/main.rs", &main)]);
    let build = Instant::now();
    let output = harness
        .cargo(&["build", "--quiet"])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the harness does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let build = build.elapsed();

    // 1. Our spec, every operation.
    let run = Instant::now();
    let everything = Selection {
        requests: None,
        answers: None,
    };
    let ours_rows = run_against(
        ("ours-static", "ours-dynamic"),
        &ours_path,
        &harness,
        &everything,
    );
    println!("{}", report(&ours_rows));
    // 2. Upstream's 2.3.0 document, for the operations whose contract did not change.
    let unchanged = Selection {
        requests: Some(requests.clone()),
        answers: Some(answers.clone()),
    };
    let upstream_rows = run_against(
        ("upstream-static", "upstream-dynamic"),
        &upstream,
        &harness,
        &unchanged,
    );
    println!(
        "upstream 2.3.0: {} operations with the same request contract, {} with the same answers\n",
        requests.len(),
        answers.len()
    );
    println!("{}", report(&upstream_rows));
    println!(
        "timings: harness build {:.1} s, both runs {:.1} s, total {:.1} s",
        build.as_secs_f64(),
        run.elapsed().as_secs_f64(),
        total.elapsed().as_secs_f64()
    );

    let only = std::env::var("CONFORMANCE_ONLY").is_ok();
    assert!(
        only || ours_rows.len() == api.operations.len(),
        "{} operations reported, {} expected",
        ours_rows.len(),
        api.operations.len()
    );
    assert!(
        !requests.is_empty() && !answers.is_empty(),
        "no operation kept its 2.3.0 contract: the comparison is broken"
    );
    let bad: Vec<String> = ours_rows
        .iter()
        .chain(&upstream_rows)
        .filter(|r| {
            let checked = |v: &Value| v["skipped"] != true;
            (checked(&r.request) && r.request["accepted"] != true)
                || (checked(&r.answers)
                    && (r.answers["tried"].as_u64() < Some(ANSWERS as u64)
                        || r.answers["decoded"] != r.answers["tried"]
                        || r.answers["errors"]
                            .as_array()
                            .is_some_and(|e| !e.is_empty())))
        })
        .map(|r| r.name.clone())
        .collect();
    assert!(
        bad.is_empty(),
        "not conformant: {} (details above)",
        bad.join(", ")
    );
}

/// The table, then the details of everything that went wrong.
fn report(rows: &[Row]) -> String {
    let mut out = String::new();
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(9).max(9);
    let _ = writeln!(
        out,
        "{:<width$}  {:<8}  {:>15}  {:>7}  {:>6}",
        "operation", "request", "decoded / tried", "skipped", "ms"
    );
    let (mut accepted, mut decoded_all, mut answers) = (0, 0, 0);
    let mut details = String::new();
    for r in rows {
        let request_skipped = r.request["skipped"] == true;
        let ok = request_skipped || r.request["accepted"] == true;
        accepted += usize::from(ok && !request_skipped);
        let tried = r.answers["tried"].as_u64().unwrap_or(0);
        let decoded = r.answers["decoded"].as_u64().unwrap_or(0);
        answers += tried;
        let answers_skipped = r.answers["skipped"] == true;
        decoded_all += usize::from(!answers_skipped && tried >= ANSWERS as u64 && decoded == tried);
        let _ = writeln!(
            out,
            "{:<width$}  {:<8}  {:>15}  {:>7}  {:>6}",
            r.name,
            if request_skipped {
                "-"
            } else if ok {
                "valid"
            } else {
                "REJECTED"
            },
            if answers_skipped {
                "-".to_owned()
            } else {
                format!("{decoded} / {tried}")
            },
            if answers_skipped {
                Value::from("-")
            } else {
                r.answers["skipped"].clone()
            },
            r.millis
        );
        if !ok {
            let _ = writeln!(
                details,
                "\n{}: request rejected (status {}): {}",
                r.name, r.request["status"], r.request["detail"]
            );
        }
        let note = r.request["note"].as_str().unwrap_or("");
        if !note.is_empty() {
            let _ = writeln!(details, "\n{}: static answer: {note}", r.name);
        }
        for f in r.answers["failures"].as_array().into_iter().flatten() {
            let _ = writeln!(
                details,
                "\n{}: answer does not decode at `{}`: {}\n  body: {}",
                r.name,
                f["path"].as_str().unwrap_or(""),
                f["error"].as_str().unwrap_or(""),
                f["body"].as_str().unwrap_or("")
            );
        }
        for e in r.answers["errors"].as_array().into_iter().flatten() {
            let _ = writeln!(details, "\n{}: dynamic call failed: {e}", r.name);
        }
        for e in r.answers["skip_reasons"].as_array().into_iter().flatten() {
            let _ = writeln!(
                details,
                "\n{}: skipped: {}",
                r.name,
                e.as_str().unwrap_or("")
            );
        }
    }
    let _ = writeln!(
        out,
        "\nPrism: {accepted}/{} operations send requests Prism accepts; {decoded_all}/{} decode all of at least {ANSWERS} dynamic answers ({answers} answers tried)",
        rows.iter().filter(|r| r.request["skipped"] != true).count(),
        rows.iter().filter(|r| r.answers["skipped"] != true).count()
    );
    out.push_str(&details);
    out
}
