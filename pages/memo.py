"""Values read once per process while what they show is unchanged (issue 19).

The main menu, the help entries of the menu and footer, and the home page's content change a few
times a year; every such change already bumps the public page cache's generations
(`pages/cache.py`: « site » for a page published, moved or deleted, settings, lexicon, partners,
versions; a charter's scope for its signatories). A `GenerationMemo` keeps a value with the
generations of the scopes it depends on and reads it again from the database when one of them
has moved, so a render costs one cache read instead of the queries.

No reader sees stale content after a commit, as with the page cache: the generations are read
*before* the database, so a value read before a commit is stored under a generation that the
change's after-commit bump leaves behind. A request reads each scope's generation once, the
first time a memo asks for it (`pages.cache.request_generations`): every value and fragment of
the request is then stamped alike, and a fragment rendered from memoised values is never stored
under a later generation than the values it shows. When the cache server is down (no
generations), the value is read each time.

Per process, in memory (like `core.text.RenderCache`): a few small values, no round trip to
fetch them. Tests run in rolled-back transactions that bump generations without undoing them:
the root conftest empties the memos before each test (`clear_memos`).
"""

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from .cache import request_generations

# Every memo of the process, for clear_memos().
_MEMOS: list["GenerationMemo"] = []


class GenerationMemo:
    """One value per key, kept while the generations of its scopes stay the same."""

    def __init__(self, name: str, *, max_keys: int = 16):
        self.name = name
        self.max_keys = max_keys  # beyond, start afresh (keys: a few charters, days, menus)
        self._values: dict[Hashable, tuple[tuple, Any]] = {}
        _MEMOS.append(self)

    def get(
        self,
        key: Hashable,
        scopes: Iterable[str],
        compute: Callable[[], Any],
        *,
        storable: Callable[[Any], bool] = lambda value: True,
    ) -> Any:
        """The value of `key`, computed again when a scope's generation has moved.

        `storable(value)` may refuse to keep a value (read under other scopes than `scopes`).
        """
        found = request_generations(scopes)  # before the database: see the module's docstring
        if found is None:
            return compute()
        stamp = tuple(sorted(found.items()))
        entry = self._values.get(key)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        value = compute()
        if storable(value):
            if len(self._values) >= self.max_keys:
                self._values.clear()
            self._values[key] = (stamp, value)
        return value

    def clear(self) -> None:
        self._values.clear()


def clear_memos() -> None:
    """Forget every memoised value of the process (tests: before each one)."""
    for memo in _MEMOS:
        memo.clear()
