"""Personal data: retention and anonymisation, the rights of the person, the access log."""
