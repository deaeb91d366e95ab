"""`make bench`: ConvScope's speed, as ratios against references measured in the same run."""
