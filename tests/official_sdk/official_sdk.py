"""Imports Autumn's official Python SDK (autumn-sdk 1.2.0) with its one import-time defect mended.

`autumn_sdk/models/createfeatureop.py` (and `updatefeatureop.py`) use
`...DimensionsResponse5` (and its TypedDict) in a union before the module defines
them, so importing them, and with them every `features.*` call, raises NameError.
We load each model module that fails so in two passes: the first
fills each name that is used too early with a stand-in until the module runs to the
end, the second runs it again with the real definitions from the first pass in place.
Nothing else of the SDK is changed.
"""
import importlib.abc
import importlib.util
import sys

MODELS_PACKAGE = "autumn_sdk.models."


#: Modules that needed the second pass, with the names they use too early.
MENDED = {}


class _TwoPassLoader(importlib.abc.Loader):
    def __init__(self, spec):
        self.origin = spec.origin
        self.inner = spec.loader

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        source = self.inner.get_source(module.__name__)
        code = compile(source, self.origin, "exec")
        namespace = dict(module.__dict__)
        early = set()
        while True:
            trial = dict(namespace)
            try:
                exec(code, trial)
                break
            except NameError as error:
                if error.name in early or error.name is None:
                    raise
                early.add(error.name)
                namespace[error.name] = type(error.name, (), {})
        if not early:
            module.__dict__.update(trial)
            return
        for name in early:
            module.__dict__[name] = trial[name]
        exec(code, module.__dict__)
        MENDED[module.__name__] = sorted(early)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if not fullname.startswith(MODELS_PACKAGE):
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        spec.loader = _TwoPassLoader(spec)
        return spec


sys.meta_path.insert(0, _Finder())

import autumn_sdk  # noqa: E402
import autumn_sdk.models as models  # noqa: E402
