"""Write docs/API.md: the public Python API of ``ics_model``, from its docstrings.

Run from the repository root after changing a public function or docstring::

    python docs/make_api.py

tests/test_docs.py fails when docs/API.md is out of date.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "API.md"

HEADER = """# Python API

Generated from the docstrings by `python docs/make_api.py`; do not edit by hand.

```python
from ics_model import Scenario, load_inputs, project, run_batch
```

Rates are fractions in Python (0.04 is 4% a year), except in `run_batch`, which takes a batch
file's columns in percent like the command line. Worked example: `examples/analyst_example.py`.
"""


def _doc(obj: object) -> str:
    return inspect.cleandoc(inspect.getdoc(obj) or "(no docstring)")


def _relative(path: str) -> str:
    try:
        return f"'{Path(path).relative_to(ROOT).as_posix()}'"
    except ValueError:
        return f"'{path}'"


def _function(name: str, func: object) -> str:
    signature = str(inspect.signature(func))  # type: ignore[arg-type]
    # Default folders relative to the project, so the page is the same on every machine.
    signature = re.sub(r"\w*Path\('([^']*)'\)", lambda m: _relative(m.group(1)), signature)
    return f"### `{name}{signature}`\n\n{_doc(func)}\n"


def _class(name: str, cls: type) -> str:
    lines = [f"### class `{name}`", "", _doc(cls), ""]
    if dataclasses.is_dataclass(cls):
        names = ", ".join(f"`{f.name}`" for f in dataclasses.fields(cls))
        lines += [f"Fields: {names}.", ""]
    members = [
        (member, value)
        for member, value in vars(cls).items()
        if not member.startswith("_")
        and (inspect.isfunction(value) or isinstance(value, property))
        and inspect.getdoc(value)
    ]
    for member, value in sorted(members):
        target = value.fget if isinstance(value, property) else value
        kind = "property" if isinstance(value, property) else "method"
        first = _doc(target).split("\n\n")[0].replace("\n", " ")
        lines.append(f"- {kind} `{member}`: {first}")
    return "\n".join(lines).rstrip() + "\n"


def render() -> str:
    """The whole of docs/API.md."""
    sys.path.insert(0, str(ROOT))
    import ics_model

    sections = [HEADER]
    classes, functions, values = [], [], []
    for name in sorted(ics_model.__all__, key=str.lower):
        obj = getattr(ics_model, name)
        if inspect.isclass(obj):
            classes.append(_class(name, obj))
        elif callable(obj):
            functions.append(_function(name, obj))
        else:
            values.append(f"- `{name}`: {type(obj).__name__} of {len(obj)} entries")
    sections += [
        "## Functions\n",
        *functions,
        "## Classes\n",
        *classes,
        "## Tables of values\n",
        "\n".join(values) + "\n",
    ]
    return "\n".join(sections)


def main() -> None:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
