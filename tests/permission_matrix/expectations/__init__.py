"""One module per app. Each defines EXPECTATIONS {url name: Expect} and KWARGS {kwarg: builder}.

A builder is `callable(project) -> value` creating (or finding) an object of that kind inside
`project` and returning the value for the URL kwarg (usually its pk).
"""

import importlib
import pkgutil


def load():
    expectations, kwargs = {}, {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, expect in getattr(module, "EXPECTATIONS", {}).items():
            if name in expectations:
                raise AssertionError(f"URL {name} has expectations in two modules")
            expectations[name] = expect
        for kwarg, builder in getattr(module, "KWARGS", {}).items():
            if kwarg in kwargs:
                raise AssertionError(
                    f"URL kwarg <{kwarg}> has builders in two expectation modules; define it once and reuse it"
                )
            kwargs[kwarg] = builder
    return expectations, kwargs
