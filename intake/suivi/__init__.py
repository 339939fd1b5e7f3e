"""Following a demande up: the back office (list, detail, actions, exports, history, journal) and
the commune's side of it (its private tracking page, messages, documents and the survey)."""
