"""Small typed records, errors and helpers shared by every component (the bottom layer)."""
