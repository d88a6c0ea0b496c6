"""Who may do what with the referential: its whole access policy.

The referential is public data (INSEE codes, SIREN, populations), so anyone may search and read
it; only organisers add the bodies it lacks.
"""

import rules

from accounts.rules import is_organiser

rules.add_perm("territories.view_organisation", rules.always_allow)
rules.add_perm("territories.add_organisation", is_organiser)
