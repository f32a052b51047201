"""Writes of the canteen, split by sub-domain; import from the sub-modules."""
