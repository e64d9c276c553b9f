"""An LRU of compiled plans, so a repeated query skips translation.

The key is (query document text, operation name, root field's response key, the selection's
shape): two requests with the same document but different variable values share a plan, while a
variable that changes the statement's structure (an ordering, a hop count, a filter that is now
present) gets its own entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from civicgraph.compiler.cypher import Plan


class PlanCache:
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._plans: OrderedDict[Hashable, Plan] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable | None, compile_plan: Callable[[], Plan]) -> Plan:
        if key is None or self.size <= 0:
            return compile_plan()
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
                self.hits += 1
                return plan
            self.misses += 1
        plan = compile_plan()
        with self._lock:
            self._plans[key] = plan
            while len(self._plans) > self.size:
                self._plans.popitem(last=False)
        return plan

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()
            self.hits = self.misses = 0


PLANS = PlanCache()
