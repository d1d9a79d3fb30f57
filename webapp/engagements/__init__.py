"""Engagements: resident mentor teams planned over the program year."""
