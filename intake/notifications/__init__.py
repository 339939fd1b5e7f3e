"""Every e-mail about a demande: the outbox that sends and retries them, who receives what
(destinataires), their templates, the accusé de réception PDF, reminders and hand-over notices."""
