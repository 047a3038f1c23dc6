"""At most RENDER_SLOTS requests rendered at once per process (config/render_slots.py)."""

import threading
import time

from django.http import HttpResponse
from django.test import RequestFactory

from config.render_slots import RenderSlotsMiddleware


def _peak_of_concurrent_renders(settings, slots: int, requests: int = 6) -> int:
    settings.RENDER_SLOTS = slots
    running, peak, lock = [0], [0], threading.Lock()

    def render(request):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return HttpResponse("ok")

    middleware = RenderSlotsMiddleware(render)
    request = RequestFactory().get("/")
    threads = [threading.Thread(target=middleware, args=(request,)) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return peak[0]


def test_at_most_render_slots_at_once(settings):
    assert _peak_of_concurrent_renders(settings, 2) == 2


def test_zero_slots_is_no_bound(settings):
    assert _peak_of_concurrent_renders(settings, 0) == 6


def test_the_middleware_comes_after_the_public_page_cache(settings):
    order = settings.MIDDLEWARE
    cache = order.index("pages.cache.PublicPageCacheMiddleware")
    assert order.index("config.render_slots.RenderSlotsMiddleware") == cache + 1
