"""Sends one request per operation with Autumn's official Python SDK.

Usage: python send.py SERVER_URL < calls.json

`calls.json` is a JSON list of `{"operation_id": ..., "body": ...}`: the body
is the request example of that operation in our spec (or null). Each call
goes to `SERVER_URL/<operation_id>` (so the recording server can tell the
calls apart) with the secret key `AUTUMN_TEST_KEY` (default `am_sk_test_contract`).
Method kwargs are built from the body: wire names become the request model's
field names (through `field.alias`), and those the method's parameter names
(Speakeasy appends `_` to some: `type` -> `type_`); a method that takes a
single `request` gets the whole body. Nested values are passed as plain dicts.

Prints one JSON line per call (`RESULT {...}`):

- `operation_id`;
- `sent`: whether an HTTP request left (answers are never decoded
  successfully here, and that does not matter);
- `error`: the exception when the call raised before sending, else null;
- `dropped`: top-level body keys the official method does not take (left
  out, so the rest can still be compared);
- `defaults`: what the SDK fills in from its model defaults that the body
  did not give, as `{"pointer", "value", "const"}` (`const`: the field
  allows that one value only, so the "default" is the SDK's own choice, not
  a value the server assumes).

The last line is `MENDED {...}`: the model modules that official_sdk.py had
to mend (their names used too early), which otherwise fail at import.
"""
import inspect
import json
import os
import sys
import traceback

import httpx
from pydantic import BaseModel, TypeAdapter
from pydantic_core import PydanticUndefined, to_jsonable_python

import official_sdk
from official_sdk import autumn_sdk
from autumn_sdk.types.basemodel import Unset
import facts

#: Keyword arguments every method takes besides the request's own fields.
CALL_OPTIONS = {"self", "retries", "server_url", "timeout_ms", "http_headers"}


def sub_sdk(client, op):
    """The object whose method `op` is: the client itself or one of its sub-SDKs."""
    if op["module"] == "sdk":
        return client
    for attribute, (module, cls) in type(client)._sub_sdk_map.items():
        if module == f"autumn_sdk.{op['module']}" and cls == op["class"]:
            return getattr(client, attribute)
    raise LookupError(f"no sub-SDK for {op['module']}.{op['class']}")


def request_type(op):
    """The Python type of the operation's request body, or None."""
    expression = op["request_model"]
    return facts.model(expression) if expression else None


def model_class(tp):
    """The pydantic model class inside `tp` (`Optional[X]` gives X), or None."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in getattr(tp, "__args__", ()):
        found = model_class(arg)
        if found is not None:
            return found
    return None


def kwargs_for(op, method, body):
    """The method's kwargs for `body`, and the top-level keys it does not take."""
    parameters = [p for p in inspect.signature(method).parameters if p not in CALL_OPTIONS]
    if "request" in parameters:
        return ({} if body is None else {"request": body}), []
    if body is None:
        return {}, []
    cls = model_class(request_type(op))
    by_wire = {}
    if cls is not None:
        by_wire = {(field.alias or name): name for name, field in cls.model_fields.items()}
    kwargs, dropped = {}, []
    for key, value in body.items():
        name = by_wire.get(key, key)
        # Speakeasy appends `_` to method parameters named like Python builtins (`type` -> `type_`).
        name = next((n for n in (name, f"{name}_") if n in parameters), None)
        if name is None:
            dropped.append(key)
        else:
            kwargs[name] = value
    return kwargs, dropped


def escape(key):
    """`key` as one JSON pointer segment."""
    return str(key).replace("~", "~0").replace("/", "~1")


def has_default(field):
    """Whether the field has a default the SDK writes out (not None, not UNSET)."""
    default = field.default
    return default is not PydanticUndefined and default is not None and not isinstance(default, Unset)


def is_const(cls, field):
    """Whether the field allows one value only (Speakeasy then defaults it to that value)."""
    namespace = vars(sys.modules[cls.__module__])
    return "const" in facts.facts(field.annotation, frozenset(), namespace)


def filled_defaults(value, pointer=""):
    """Where the SDK fills in a model default that the input did not set, inside a validated value."""
    found = []
    if isinstance(value, BaseModel) and not isinstance(value, Unset):
        cls = type(value)
        for name, field in cls.model_fields.items():
            here = f"{pointer}/{escape(field.alias or name)}"
            if name in value.model_fields_set:
                found += filled_defaults(getattr(value, name), here)
            elif has_default(field):
                found.append({"pointer": here, "value": to_jsonable_python(field.default),
                              "const": is_const(cls, field)})
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found += filled_defaults(item, f"{pointer}/{index}")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += filled_defaults(item, f"{pointer}/{escape(key)}")
    return found


def defaults_for(op, kwargs):
    """The defaults the SDK adds to what `kwargs` give (validated the way the SDK validates them)."""
    tp = request_type(op)
    if tp is None:
        return []
    if "request" in kwargs:
        given = kwargs["request"]
    else:
        fields = model_class(tp).model_fields
        given = {}
        for name, value in kwargs.items():
            field = name if name in fields else name.removesuffix("_")
            wire = (fields[field].alias or field) if field in fields else name
            given[wire] = value
    try:
        return filled_defaults(TypeAdapter(tp).validate_python(given))
    except Exception:  # noqa: BLE001 - the call itself reports why the input is refused
        return []


def call(op, body, server_url, key):
    """Calls the operation once with `body`; the result line's fields (see the module doc)."""
    sent = []
    http = httpx.Client(event_hooks={"request": [lambda request: sent.append(request.url)]})
    client = autumn_sdk.Autumn(secret_key=key, server_url=f"{server_url}/{op['operation_id']}",
                               client=http)
    result = {"operation_id": op["operation_id"], "sent": False, "error": None,
              "dropped": [], "defaults": []}
    try:
        method = getattr(sub_sdk(client, op), op["method"])
        kwargs, result["dropped"] = kwargs_for(op, method, body)
        result["defaults"] = defaults_for(op, kwargs)
        method(**kwargs, timeout_ms=30_000)
    except Exception as error:  # noqa: BLE001 - reported, the caller compares
        if not sent:
            result["error"] = "".join(traceback.format_exception_only(error)).strip()[:2000]
    finally:
        http.close()
    result["sent"] = bool(sent)
    return result


def main():
    """Reads the calls from stdin and makes them in order (see the module doc)."""
    server_url = sys.argv[1].rstrip("/")
    key = os.environ.get("AUTUMN_TEST_KEY", "am_sk_test_contract")
    calls = json.load(sys.stdin)
    operations = {op["operation_id"]: op for op in facts.operations()}
    for entry in calls:
        op = operations.get(entry["operation_id"])
        if op is None:
            line = {"operation_id": entry["operation_id"], "sent": False,
                    "error": "no such operation in the official SDK", "dropped": [], "defaults": []}
        else:
            line = call(op, entry.get("body"), server_url, key)
        print("RESULT " + json.dumps(line), flush=True)
    print("MENDED " + json.dumps(official_sdk.MENDED), flush=True)


if __name__ == "__main__":
    main()
