"""The one cache a long-running process keeps between builds, passed in where it is used.

A service builds papers for many officers from many threads. It makes one `Cache` and
passes it to every call (`reportgen.build(..., cache=cache)`); the command line makes one
per run. Nothing in reportgen keeps a cache of its own at module level.

The cache forgets its least recently used entries past a bound (by count, and by an
estimate of size), and is read and written under a lock, so a lookup never meets an entry
another thread is forgetting. What it keeps is a pure function of its key (parsed YAML by
file text, compiled templates by their XML, DfE extractions by file content and mapping),
so an entry is never stale, only forgotten.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

Value = TypeVar("Value")


class BoundedCache(Generic[Value]):
    """Values by key, least recently used forgotten first past `most` entries or `size`
    (the sum of `weigh(key, value)`, by default the key's size: a template's XML)."""

    def __init__(
        self,
        most: int,
        size: int = 256_000_000,
        weigh: Callable[[Hashable, Value], int] | None = None,
    ) -> None:
        self._most, self._size = most, size
        self._weigh = weigh or (lambda key, value: sys.getsizeof(key))
        self._entries: OrderedDict[Hashable, tuple[Value, int]] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Value, weight: int | None = None) -> Value:
        weight = self._weigh(key, value) if weight is None else weight
        with self._lock:
            if key in self._entries:
                self._used -= self._entries.pop(key)[1]
            self._entries[key] = (value, weight)
            self._used += weight
            while self._entries and (len(self._entries) > self._most or self._used > self._size):
                _, (_, dropped) = self._entries.popitem(last=False)
                self._used -= dropped
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], Value]) -> Value:
        """The value kept for `key`, or `make()` kept and returned. Two threads may both
        make it; both get an equal value."""
        found = self.get(key)
        return found if found is not None else self.put(key, make())

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class Cache:
    """What reportgen keeps between builds, by kind and key, in one bound: at most `size`
    bytes (an estimate each kind makes of its entries) and `most` entries."""

    def __init__(self, size: int = 512_000_000, most: int = 8192) -> None:
        self._kept: BoundedCache[Any] = BoundedCache(most, size)

    def get(self, kind: str, key: Hashable) -> Any:
        return self._kept.get((kind, key))

    def put(self, kind: str, key: Hashable, value: Value, weight: int) -> Value:
        self._kept.put((kind, key), value, weight)
        return value

    def get_or_make(
        self, kind: str, key: Hashable, make: Callable[[], Value], weight: int = 1_000
    ) -> Value:
        """The value kept for `key` of `kind`, or `make()` kept and returned. Two threads
        may both make it; both get an equal value."""
        found = self.get(kind, key)
        return found if found is not None else self.put(kind, key, make(), weight)

    def __len__(self) -> int:
        return len(self._kept)
