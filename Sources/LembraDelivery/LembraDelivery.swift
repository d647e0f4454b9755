// LembraDelivery
