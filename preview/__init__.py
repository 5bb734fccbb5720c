"""The preview server of the ward site: `python -m preview` (make devserver)."""
