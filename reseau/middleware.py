from reseau.compteurs import CompteurPagesMiddleware  # noqa: F401  (the dotted path named in MIDDLEWARE)
