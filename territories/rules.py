"""Who may do what with the referential.

The referential is public data (INSEE codes, SIREN, populations), so anyone may search and read
it. Only organisers add the bodies it lacks: `territories.add_organisation` is registered by
accounts.rules, where organisers are known (territories sits below accounts and imports no app).
"""

import rules

rules.add_perm("territories.view_organisation", rules.always_allow)
