import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()


def _warm_public_search() -> None:
    """Build the in-memory search index of every agreement's latest published list in the
    background, so the first public search of this process does not wait for it (seconds at
    a million locations). COVENANT_WARM_SEARCH=0 turns it off."""
    try:
        from django.db import close_old_connections

        from covenant.supplychain.selectors.published import published_search_warm

        n = published_search_warm()
        logging.getLogger("covenant").info("public search index warmed for %s list(s)", n)
    except Exception:  # a missing table on a fresh database must not stop the server
        logging.getLogger("covenant").warning("could not warm the public search", exc_info=True)
    finally:
        close_old_connections()


if os.environ.get("COVENANT_WARM_SEARCH", "1") != "0":
    threading.Thread(target=_warm_public_search, name="warm-search", daemon=True).start()
