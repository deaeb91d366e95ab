"""Numbers on the page: grids, formulas, the kernel editor, small charts."""
