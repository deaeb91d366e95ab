"""What serves one page: one package per page (settings, views, the page's own pieces)."""
