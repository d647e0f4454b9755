// LembraCore
