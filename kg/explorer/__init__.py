"""``kg serve``: a local, read-only web explorer over a built store (:mod:`kg.explorer.app`)."""
