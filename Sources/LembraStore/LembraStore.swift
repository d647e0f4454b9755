// LembraStore
