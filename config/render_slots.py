"""At most RENDER_SLOTS requests rendered at once per process; cached pages never wait.

With threaded gunicorn workers (config/gunicorn.py) a process serves several requests at once,
so that a page served from the public cache is not queued behind a render. Without a bound, as
many renders as threads would run side by side: they share one CPU through the GIL (no render
finishes sooner, and the hits get a smaller share of it: bench/campaign.py, charter B's rate with
the writer 44–89 % of without, 90–111 % with one slot) and their memory adds up. This middleware
sits after the public page cache: a hit is answered before it, every other request (a miss, the
admin, the API) takes one of the slots. RENDER_SLOTS = 0 removes the bound.
"""

import threading

from django.conf import settings

_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _semaphore(count: int) -> threading.BoundedSemaphore:
    """The process's semaphore for `count` slots (one per count: settings can change in tests)."""
    with _lock:
        if count not in _slots:
            _slots[count] = threading.BoundedSemaphore(count)
        return _slots[count]


class RenderSlotsMiddleware:
    """Wait for one of the process's RENDER_SLOTS before rendering (after the page cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = getattr(settings, "RENDER_SLOTS", 0)
        if count <= 0:
            return self.get_response(request)
        with _semaphore(count):
            return self.get_response(request)
