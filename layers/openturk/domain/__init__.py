"""The rules of openturk: plain Python over the data layer, no wire formats."""
