"""The platform's figures: the back office's scoped statistics and the public « La plateforme en chiffres »."""
