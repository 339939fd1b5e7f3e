"""Filing a demande: the public form, the JSON API and the partners' form, with their rate limits and
file checks; all three call intake.depot.services.deposer_demande."""
