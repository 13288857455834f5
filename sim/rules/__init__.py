"""Decision rules as pure functions (no Mesa): what researchers read and replace.

- adoption.py: residents joining (threshold, Bass, flywheel), awareness, dropout
- collectives.py: founding, workload and burnout, projects, learning, trust, stages
- villages.py: visibility, liveability, wellbeing
- registry.py: the named adoption rules that config can select
"""
