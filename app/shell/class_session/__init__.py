"""A class following its teacher: the shared store of classes, waking the followers, and
the class panel and follow loop every page runs."""
