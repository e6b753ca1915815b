"""The benchmark of the portal at Nordic scale (`make bench`): a development app that nothing imports.

Installed only by ``bench.settings.local`` and ``bench.settings.production``
(the settings `make bench` runs with) and by the test settings, which test its
generator; the production image leaves it out.
"""
