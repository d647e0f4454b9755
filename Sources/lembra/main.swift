print("lembra")
