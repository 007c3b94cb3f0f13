"""Prints, as JSON, what Autumn's official Python SDK knows about the API.

`operations`: one entry per SDK method (the async twins left out): module,
class and method name, HTTP method, path, operationId, the request model
(a Python expression over `models`, or null when the method sends no body)
and the response model per status.

`models`: for each of those models, its facts: a tree whose nodes are
`{"type": "string"|"number"|"integer"|"boolean"}`, `{"any": true}`,
`{"nullable": node}`, `{"enum": [...]}`, `{"const": value}`,
`{"array": node}`, `{"map": node}`, `{"union": [node, ...]}`,
`{"object": class name, "properties": {wire name: {"required": bool,
"schema": node, "default"?: value}}}`, or `{"ref": class name}` where a
model contains itself. Union members come in the order of the SDK's
numbered class names (`...1`, `...2`), which is upstream's order; the SDK
itself sorts them differently.

Usage: python facts.py > facts.json
"""
import importlib
import inspect
import json
import re
import sys
import types as pytypes
import typing

from official_sdk import models
from autumn_sdk.types.basemodel import UnrecognizedInt, UnrecognizedStr, Unset
from pydantic import BaseModel

#: The SDK's resource modules (each holds one class of methods).
SDK_MODULES = [
    "sdk", "balances", "billing", "customers", "entities", "events", "features",
    "invoices", "keys", "licenses", "logs", "plans", "platform", "referrals",
    "rewards_sdk", "sandboxes", "webhooks",
]

_SCOPE = {"models": models, "Optional": typing.Optional, "List": typing.List,
          "Dict": typing.Dict, "Any": typing.Any}


def operations():
    """Every SDK method that sends a request, read from its source."""
    found = []
    for module_name in SDK_MODULES:
        module = importlib.import_module(f"autumn_sdk.{module_name}")
        for class_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for name, function in inspect.getmembers(cls, inspect.isfunction):
                if name.startswith("_") or name.endswith("_async"):
                    continue
                source = inspect.getsource(function)
                route = re.search(r'method="(\w+)",\s*path="([^"]+)"', source)
                if not route:
                    continue
                body = re.search(
                    r'serialize_request_body\(\s*request,\s*(\w+),\s*(\w+),\s*"(\w+)",\s*(.+?),?\s*\),?\s*\n',
                    source)
                responses = {}
                for status, _ctype, model in re.findall(
                        r'match_response\(http_res, "(\w+)", "([^"]+)"\):\s*\n\s*'
                        r'return unmarshal_json_response\(\s*(.+?),\s*http_res', source):
                    responses[status] = model
                for status, _ctype in re.findall(r'match_response\(http_res, "(\w+)", "([^"]+)"\)', source):
                    responses.setdefault(status, None)
                found.append({
                    "module": module_name,
                    "class": class_name,
                    "method": name,
                    "http": route.group(1),
                    "path": route.group(2),
                    "operation_id": re.search(r'operation_id="([^"]+)"', source).group(1),
                    "request_model": body.group(4) if body else None,
                    "request_body_optional": body.group(1) == "True" if body else None,
                    "responses": responses,
                })
    return sorted(found, key=lambda op: op["path"])


def _alias_name(tp):
    """The name of the generic alias `tp` is made from (`Nullable`, ...), or ""."""
    origin = typing.get_origin(tp)
    return getattr(origin, "__name__", "") if origin is not None else ""


def _numbered_order(arms):
    """Speakeasy sorts union members; its numbered class names keep upstream's order."""
    keyed = []
    for arm in arms:
        match = re.match(r"^(.*?)(\d+)$", arm.get("object") or "")
        if not match:
            return arms
        keyed.append((match.group(1), int(match.group(2)), arm))
    if len({k[0] for k in keyed}) != 1:
        return arms
    return [k[2] for k in sorted(keyed, key=lambda k: k[1])]


def _speakeasy_catch_all(tp):
    """Whether `tp` is the member Speakeasy adds to a discriminated union for
    kinds it does not know (`Unknown...`, with `raw` and `is_unknown`); the
    document has no such member."""
    return isinstance(tp, type) and issubclass(tp, BaseModel) and "is_unknown" in tp.model_fields


def facts(tp, seen, namespace):
    """The facts node of the Python type `tp` (see the module doc)."""
    if isinstance(tp, typing.ForwardRef):
        tp = eval(tp.__forward_arg__, namespace)  # noqa: S307 - the SDK's own annotations
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if _alias_name(tp) in ("Nullable", "OptionalNullable"):
        return {"nullable": facts(args[0], seen, namespace)}
    if origin is typing.Annotated:
        return facts(args[0], seen, namespace)
    if origin is typing.Union or origin is pytypes.UnionType:
        arms = [a for a in args if a is not type(None) and a is not Unset]
        literals, others, open_enum = [], [], False
        for arm in arms:
            if typing.get_origin(arm) is typing.Literal:
                literals += list(typing.get_args(arm))
            elif arm in (UnrecognizedStr, UnrecognizedInt):
                open_enum = True
            else:
                others.append(arm)
        if len(others) == 1 and not literals:
            return facts(others[0], seen, namespace)
        others = [a for a in others if not _speakeasy_catch_all(a)]
        if len(others) == 1 and not literals:
            return facts(others[0], seen, namespace)
        nodes = [facts(a, seen, namespace) for a in others]
        if all("enum" in n or "const" in n for n in nodes):
            for n in nodes:
                literals += n["enum"] if "enum" in n else [n["const"]]
            nodes = []
        if literals:
            nodes.append({"enum": literals} if open_enum or len(literals) > 1 else {"const": literals[0]})
        return nodes[0] if len(nodes) == 1 else {"union": _numbered_order(nodes)}
    if origin is typing.Literal:
        return {"const": args[0]} if len(args) == 1 else {"enum": list(args)}
    if origin in (list, typing.List):
        return {"array": facts(args[0], seen, namespace) if args else {"any": True}}
    if origin in (dict, typing.Dict):
        return {"map": facts(args[1], seen, namespace)}
    if tp is typing.Any:
        return {"any": True}
    scalar = {str: "string", float: "number", int: "integer", bool: "boolean"}.get(tp)
    if scalar:
        return {"type": scalar}
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return model_facts(tp, seen)
    value = getattr(tp, "__value__", None)
    if value is not None:
        return facts(value, seen, namespace)
    raise TypeError(f"no facts for {tp!r}")


def model_facts(cls, seen=frozenset()):
    """The facts node of a pydantic model of the SDK."""
    if cls in seen:
        return {"ref": cls.__name__}
    seen = seen | {cls}
    namespace = vars(sys.modules[cls.__module__])
    properties = {}
    for name, field in cls.model_fields.items():
        entry = {"required": field.is_required(), "schema": facts(field.annotation, seen, namespace)}
        default = field.default
        if not field.is_required() and default is not None and not isinstance(default, Unset):
            entry["default"] = default
        properties[field.alias or name] = entry
    return {"object": cls.__name__, "properties": properties}


def model(expression):
    """The model a request or response expression of `operations()` names."""
    return eval(expression, dict(_SCOPE))  # noqa: S307 - expressions read from the SDK


def main():
    """Prints the operations and the facts of every model they use (see the module doc)."""
    ops = operations()
    out = {"operations": ops, "models": {}}
    for op in ops:
        for expression in [op["request_model"], *op["responses"].values()]:
            if expression and expression not in out["models"]:
                out["models"][expression] = facts(model(expression), frozenset(), {})
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
