"""Makes answers for every operation from the official SDK's response models.

Usage: python answers.py OUT.json [COUNT] [operationId]

For each operation's 200 and 202 response model: its facts (facts.py)
become a JSON Schema, hypothesis-jsonschema draws instances from it
(derandomized, so every run draws the same ones; sizes capped so it stays
fast), and only the instances that the official SDK itself accepts (the way
it reads an answer: `autumn_sdk.utils.unmarshal`, i.e. pydantic validation of
the model) are kept, up to COUNT (default 20) distinct ones. A model with
fewer distinct instances than COUNT gives all it has (`exhausted`).

OUT.json: `{"answers": [{"operation_id", "status", "model", "samples": [...],
"rejected", "exhausted"}]}`; progress goes to stderr.
"""
import json
import sys
import time

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis_jsonschema import from_schema

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
MAX_DRAWS = 200

#: A small stand-in for "any JSON" (`Any`, `Dict[str, Any]` values).
ANY = {"anyOf": [
    {"type": "null"}, {"type": "boolean"},
    {"type": "integer", "minimum": -SAFE_INTEGER, "maximum": SAFE_INTEGER},
    {"type": "string", "maxLength": MAX_LENGTH},
    {"type": "array", "maxItems": MAX_ITEMS, "items": {"type": "string", "maxLength": MAX_LENGTH}},
    {"type": "object", "maxProperties": MAX_ENTRIES,
     "additionalProperties": {"type": "string", "maxLength": MAX_LENGTH}},
]}


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
        return {"anyOf": [json_schema(node["nullable"]), {"type": "null"}]}
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
        return {"anyOf": [json_schema(arm) for arm in node["union"]]}
    if "object" in node:
        properties = node["properties"]
        return {"type": "object",
                "properties": {k: json_schema(p["schema"]) for k, p in properties.items()},
                "required": [k for k, p in properties.items() if p["required"]],
                "additionalProperties": False}
    if "ref" in node:
        # A model inside itself: no instance goes deeper (none of the answers has one).
        return {"not": {}}
    raise ValueError(f"unknown facts node {node!r}")


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
        draws[0] += 1
        if len(kept) >= count:
            return
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
    except Unsatisfiable:
        pass
    return kept, refused[0], draws[0] < MAX_DRAWS and len(kept) < count


def main():
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
                            "rejected": refused, "exhausted": exhausted})
            print(f"{op['operation_id']} {status}: {len(samples)} answers, {refused} refused, "
                  f"{time.monotonic() - start:.1f} s", file=sys.stderr, flush=True)
    with open(out_path, "w") as out:
        json.dump({"answers": answers}, out, allow_nan=False)


if __name__ == "__main__":
    main()
