"""Who may do what with the referential.

The referential is public data (INSEE codes, SIREN, populations), so anyone may search and read
it. Only organisers add the bodies it lacks: `territories.create_organisation` is registered by
accounts.rules, where organisers are known (territories sits below accounts and imports no app).
"""

import rules

rules.add_perm("territories.browse_referential", rules.always_allow)
