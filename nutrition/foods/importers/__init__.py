"""Importers for the USDA food data: SR28 (sr28.py) and FoodData Central CSV (fdc.py)."""
