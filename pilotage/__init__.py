"""Steering of the platform: plan d'actions, instances, conventions, bilan annuel.

Depends on `catalogue` (structures, directions, roles) and on intake's public services
(statistics, outbox); nothing imports it."""
