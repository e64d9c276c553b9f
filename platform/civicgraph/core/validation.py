"""Property rules, declared once per property and checked the same way by every write path.

A domain declares what each of its properties accepts (required, how long, which format, which
values) next to the rest of its model; the GraphQL mutations, the console, the feeds, the seeds
and the generator all clean their values through :meth:`Rules.clean` and :func:`clean`, so a
value refused by one door is refused by every door, with the same ``BadInput`` naming the
property and saying what would be accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from civicgraph.core.errors import BadInput


@dataclass(frozen=True)
class Rules:
    """What one property accepts. Text is trimmed first; ``""`` counts as missing.

    ``pattern`` is matched in full against non-empty text and ``hint`` says, for the message,
    what it asks for ("2-63 lower-case letters, digits or dashes"). ``choices`` apply to any
    given value, ``minimum`` to numbers, ``date`` asks for a date (or a date-time).
    """

    required: bool = False
    max_length: int | None = None
    pattern: str = ""
    hint: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    date: bool = False

    def clean(self, field: str, value: Any) -> Any:
        """The value as it is stored (text trimmed), or ``BadInput`` saying what to change."""
        if value is None:
            if self.required:
                raise BadInput(f"{field} is required", field=field)
            return None
        if isinstance(value, str):
            value = value.strip()
            if not value:
                if self.required:
                    raise BadInput(f"{field} is required", field=field)
            else:
                if self.max_length is not None and len(value) > self.max_length:
                    raise BadInput(f"{field} is {len(value)} characters long; the limit is "
                                   f"{self.max_length}", field=field)
                if self.pattern and not re.fullmatch(self.pattern, value):
                    raise BadInput(f"{field} must be {self.hint or 'in the expected format'}",
                                   field=field)
        elif (self.minimum is not None and isinstance(value, int | float)
                and not isinstance(value, bool) and value < self.minimum):
            raise BadInput(f"{field} cannot be negative" if self.minimum == 0
                           else f"{field} must be at least {self.minimum:g}", field=field)
        if self.choices and value not in self.choices:
            raise BadInput(f"{field} must be one of {', '.join(self.choices)} (got {value!r})",
                           field=field)
        if self.date and not isinstance(value, dt.date):
            raise BadInput(f"{field} must be a date", field=field)
        return value


def clean(rules: Mapping[str, Rules], values: Mapping[str, Any], *, creating: bool,
          ordered: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """The declared properties among ``values``, cleaned, in declaration order.

    Creating, a required property must be given; updating, only the given ones are checked
    (a required one may not be cleared). Other keys of ``values`` are not properties here and
    are left out. ``ordered`` pairs (low, high) must not be given the wrong way round.
    """
    props: dict[str, Any] = {}
    for name, rule in rules.items():
        if name in values:
            props[name] = rule.clean(name, values[name])
        elif creating and rule.required:
            raise BadInput(f"{name} is required", field=name)
    for low, high in ordered:
        if props.get(low) is not None and props.get(high) is not None and \
                props[low] > props[high]:
            raise BadInput(f"{low} is above {high}", field=low)
    return props
