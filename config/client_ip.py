"""The client's address for django-axes (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR unless configured.

Behind a load balancer REMOTE_ADDR is the proxy's address: keyed on it, the login lockout
(username + address) would let anyone lock a named account for everyone. With
TRUSTED_PROXY_COUNT = N (> 0) proxies in front of the application, each appending the address it
received the connection from to CLIENT_IP_HEADER (X-Forwarded-For by default), the client is the
N-th address from the right of that header: the entries on its left are written by the client
and never trusted. Without TRUSTED_PROXY_COUNT the header is ignored (it can be forged).

django-ipware, which axes would otherwise use with its AXES_IPWARE_* settings, is an optional
extra of django-axes 8 that is not installed here: this function replaces it.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def header_meta_key(header: str) -> str:
    """`X-Forwarded-For` → `HTTP_X_FORWARDED_FOR` (the key of request.META)."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_ip_address(request) -> str | None:
    """REMOTE_ADDR, or the address the trusted proxies give in CLIENT_IP_HEADER."""
    remote = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    header = getattr(settings, "CLIENT_IP_HEADER", "X-Forwarded-For")
    value = request.META.get(header_meta_key(header), "")
    addresses = [address.strip() for address in value.split(",") if address.strip()]
    if len(addresses) < count:
        # Not through every proxy (a direct request, or a proxy that does not set the header).
        return remote
    candidate = addresses[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        logger.warning("Adresse client illisible dans l'en-tête %s : %r", header, candidate)
        return remote
