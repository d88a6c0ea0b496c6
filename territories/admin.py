from django.contrib import admin

from .models import Organisation
from .text import fold


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "insee_code", "siren", "departement", "from_referential"]
    list_filter = ["kind", "from_referential"]
    list_select_related = ["departement"]
    # The folded name makes the search accent- and case-insensitive; codes match exactly.
    search_fields = ["search_name", "=insee_code", "=siren", "postcodes"]
    # 36,000 rows: select boxes would load them all on every change page.
    raw_id_fields = ["region", "departement", "epci"]
    readonly_fields = ["search_name", "created_at", "updated_at"]
    # Counting the unfiltered referential on every search page is wasted work.
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))
