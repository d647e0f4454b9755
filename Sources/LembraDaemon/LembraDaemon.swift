// LembraDaemon
