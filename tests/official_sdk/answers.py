"""Makes answers for every operation from the official SDK's response models.

Usage: python answers.py OUT.json [COUNT] [operationId]

For each operation's 200 and 202 response model: its facts (facts.py)
become a JSON Schema, hypothesis-jsonschema draws instances from it
(derandomized, so every run draws the same ones; sizes capped so it stays
fast), and only the instances that the official SDK itself accepts (the way
it reads an answer: `autumn_sdk.utils.unmarshal`, i.e. pydantic validation of
the model) are kept, up to COUNT (default 20) distinct ones. A model with
fewer distinct instances than COUNT gives all it has (`exhausted`).

Three facts are adjusted on the way, all for what the server really sends:
integers stay within +-(2**53 - 1); `const` properties are required
(Speakeasy makes them optional with the constant as default; see `required`);
a number-or-string union is number-or-"inf" (Speakeasy writes upstream's
untyped `{const: "inf"}` as `str`; see `untyped_const`).

OUT.json: `{"answers": [{"operation_id", "status", "model", "samples": [...],
"refused", "exhausted"}]}`; progress goes to stderr.
"""
import json
import sys
import time

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis_jsonschema import _from_schema, from_schema
from hypothesis_jsonschema._encode import encode_canonical_json

import facts
from official_sdk import autumn_sdk  # noqa: F401 - the mended SDK first
from autumn_sdk import utils

#: Statuses whose answers are checked (the SDK's success answers).
STATUSES = ("200", "202")
#: Largest safe JSON integer: upstream bounds its integers so, and our SDK reads them as i64/f64.
SAFE_INTEGER = 2**53 - 1
#: Caps that keep instances small: items per list, entries per map, characters per string.
MAX_ITEMS, MAX_ENTRIES, MAX_LENGTH = 2, 2, 8
#: Instances drawn per model at most (duplicates and refused ones included).
MAX_DRAWS = 100

#: A small stand-in for "any JSON" (`Any`, `Dict[str, Any]` values).
ANY = {"anyOf": [
    {"type": "null"}, {"type": "boolean"},
    {"type": "integer", "minimum": -SAFE_INTEGER, "maximum": SAFE_INTEGER},
    {"type": "string", "maxLength": MAX_LENGTH},
    {"type": "array", "maxItems": MAX_ITEMS, "items": {"type": "string", "maxLength": MAX_LENGTH}},
    {"type": "object", "maxProperties": MAX_ENTRIES,
     "additionalProperties": {"type": "string", "maxLength": MAX_LENGTH}},
]}


def memoise_subschema_strategies():
    """Makes hypothesis-jsonschema build the strategy of each sub-schema once.

    It builds (resolves, canonicalises) the strategy of an object's property
    anew on every draw, which for models as large as a customer takes seconds
    per instance. Strategies are immutable and a schema always gives the same
    one, so this caches them: by the schema object first, else by its
    canonical JSON. The instances drawn stay the same, only faster (5-10x).
    """
    inner = getattr(_from_schema, "__from_schema")
    by_object, by_text = {}, {}

    def cached(schema, *, alphabet, custom_formats):
        """`__from_schema`, built once per schema."""
        hit = by_object.get(id(schema))
        if hit is not None and hit[0] is schema and hit[1] is alphabet and hit[2] is custom_formats:
            return hit[3]
        key = (encode_canonical_json(schema), id(alphabet), id(custom_formats))
        if key not in by_text:
            by_text[key] = (alphabet, custom_formats,
                            inner(schema, alphabet=alphabet, custom_formats=custom_formats))
        strategy = by_text[key][2]
        by_object[id(schema)] = (schema, alphabet, custom_formats, strategy)
        return strategy

    setattr(_from_schema, "__from_schema", cached)


def or_null(schema):
    """`schema` or null, without a new `anyOf` where possible: hypothesis-jsonschema merges
    each `anyOf` branch with its siblings again on every draw, which is slow for large models."""
    schema = dict(schema)
    if isinstance(schema.get("type"), str):
        schema["type"] = [schema["type"], "null"]
    elif "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    elif "const" in schema:
        schema["enum"] = [schema.pop("const"), None]
    elif "anyOf" in schema:
        schema["anyOf"] = [*schema["anyOf"], {"type": "null"}]
    else:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def required(prop):
    """Whether an answer always has the property (a facts property entry).

    Speakeasy turns every `const` property into an optional one defaulting to
    its constant (discriminators such as `type: "item_mismatch"` included),
    which drops upstream's `required`; the server sends those, so they are
    taken as required here.
    """
    return prop["required"] or ("const" in prop["schema"] and "default" in prop)


def untyped_const(arms):
    """Union arms with upstream's untyped `{const: "inf"}` restored.

    Speakeasy writes a `const` without `type` as a plain `str`: upstream's
    `anyOf: [{type: number}, {const: inf}]` (a tier's `to`, `included_usage`:
    no upper bound) becomes `Union[float, str]`, the only number-or-string
    unions of the SDK's answers. The server sends "inf" there, never another
    string, so that is the arm drawn.
    """
    if arms == [{"type": "number"}, {"type": "string"}]:
        return [{"type": "number"}, {"const": "inf"}]
    return arms


def json_schema(node):
    """The JSON Schema of a facts node (see facts.py), with the size caps."""
    if "type" in node:
        kind = node["type"]
        if kind == "integer":
            return {"type": kind, "minimum": -SAFE_INTEGER, "maximum": SAFE_INTEGER}
        if kind == "string":
            return {"type": kind, "maxLength": MAX_LENGTH}
        return {"type": kind}
    if "any" in node:
        return ANY
    if "nullable" in node:
        return or_null(json_schema(node["nullable"]))
    if "enum" in node:
        return {"enum": node["enum"]}
    if "const" in node:
        return {"const": node["const"]}
    if "array" in node:
        return {"type": "array", "maxItems": MAX_ITEMS, "items": json_schema(node["array"])}
    if "map" in node:
        return {"type": "object", "maxProperties": MAX_ENTRIES,
                "propertyNames": {"maxLength": MAX_LENGTH},
                "additionalProperties": json_schema(node["map"])}
    if "union" in node:
        return {"anyOf": [json_schema(arm) for arm in untyped_const(node["union"])]}
    if "object" in node:
        properties = node["properties"]
        return {"type": "object",
                "properties": {k: json_schema(p["schema"]) for k, p in properties.items()},
                "required": [k for k, p in properties.items() if required(p)],
                "additionalProperties": False}
    if "ref" in node:
        # A model inside itself: no instance goes deeper (none of the answers has one).
        return {"not": {}}
    raise ValueError(f"unknown facts node {node!r}")


class Enough(Exception):
    """Raised to stop Hypothesis once enough instances were kept."""


def accepted(model, sample):
    """Whether the official SDK reads `sample` as an answer of `model`."""
    try:
        utils.unmarshal(sample, model)
        return True
    except Exception:  # noqa: BLE001 - any refusal means "not an answer it accepts"
        return False


def draw(schema, model, count):
    """Up to `count` distinct instances of `schema` that `model` accepts; the refused count; exhausted."""
    kept, seen, refused, draws = [], set(), [0], [0]

    @settings(derandomize=True, database=None, max_examples=MAX_DRAWS, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(from_schema(schema))
    def collect(sample):
        """Keeps `sample` when it is new and the SDK accepts it; stops Hypothesis when enough."""
        if len(kept) >= count:
            raise Enough
        draws[0] += 1
        text = json.dumps(sample, sort_keys=True, allow_nan=False)
        if text in seen:
            return
        seen.add(text)
        if accepted(model, sample):
            kept.append(sample)
        else:
            refused[0] += 1

    try:
        collect()
    except (Enough, Unsatisfiable):
        pass
    return kept, refused[0], draws[0] < MAX_DRAWS and len(kept) < count


def main():
    """Draws the answers of every operation (or the one named) and writes the file."""
    memoise_subschema_strategies()
    out_path = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    only = sys.argv[3] if len(sys.argv) > 3 else None
    answers = []
    for op in facts.operations():
        if only and op["operation_id"] != only:
            continue
        for status in STATUSES:
            expression = op["responses"].get(status)
            if not expression:
                continue
            start = time.monotonic()
            model = facts.model(expression)
            schema = json_schema(facts.facts(model, frozenset(), {}))
            samples, refused, exhausted = draw(schema, model, count)
            answers.append({"operation_id": op["operation_id"], "status": status,
                            "model": expression, "samples": samples,
                            "refused": refused, "exhausted": exhausted})
            print(f"{op['operation_id']} {status}: {len(samples)} answers, {refused} refused, "
                  f"{time.monotonic() - start:.1f} s", file=sys.stderr, flush=True)
    with open(out_path, "w") as out:
        json.dump({"answers": answers}, out, allow_nan=False)


if __name__ == "__main__":
    main()
