"""Generators: models that propose new molecules and learn from their scores (ask/tell)."""
