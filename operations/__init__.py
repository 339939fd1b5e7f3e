"""Running the platform: /sante/, backup and restore, scheduled jobs, initial and generated data."""
