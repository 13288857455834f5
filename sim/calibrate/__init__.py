"""Calibration on several patterns at once by ABC-SMC (`vliegwiel-calibrate`, docs/ODD.md s9).

- patterns.py:   the observed patterns (energy co-operatives' count, members, members per
                 co-operative, foundings, stoppings; care initiatives), each with its
                 distance and weight, and their weighted total;
- mapping.py:    how the model's region stands for the Netherlands (one stated scale: adults);
- national.py:   a run's record -> national yearly series -> a particle's summary statistics;
- simulators.py: a particle as runs (its values in the configurations) and back;
- sampler.py:    pyabc's populations evaluated as ensembles of the experiment layer;
- priors.py:     the stated priors (uniform or log-uniform, each with its reason), the worked case's;
- smc.py:        ABC-SMC with pyabc (adaptive tolerances, ESS, a resumable history);
- posterior.py:  the shipped posterior: load, summarise, the fixed weighted draw;
- predictive.py: the posterior predictive (fit per pattern, forecast, hindcast judgement);
- report.py:     tables, figures, report.md;
- ship.py:       the posterior into the package, the config group calibration=energy, the scenario;
- cli.py:        the command.
"""
