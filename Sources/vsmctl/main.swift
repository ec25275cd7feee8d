print("vsmctl: not built yet")
