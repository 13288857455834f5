"""The model's phases as functions of the model: residents.py, collectives.py, villages.py."""
