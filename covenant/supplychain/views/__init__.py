"""Supply chain pages; each module exposes `urlpatterns`, combined in ../urls.py."""
