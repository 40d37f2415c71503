"""The cache for what is cached only for speed (`CACHES["local"]` in the settings).

Rate limits and anything else that must hold across worker processes use Django's default
cache instead. What goes here is keyed so that a copy another process still holds is never
wrong (by a revision that every change raises) or only briefly stale by design.
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

LOCAL_CACHE_ALIAS = "local"

local_cache = ConnectionProxy(caches, LOCAL_CACHE_ALIAS)
