print("evsm: not built yet")
