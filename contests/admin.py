"""The technical admin (admin-technique/): a fallback for support, not the organisers' tool."""

from django.contrib import admin

from .models import Contest, Criterion, Edition, Event, Level, Phase, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["region"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["contest", "year", "forum", "is_historical"]
    list_filter = ["contest", "is_historical"]
    list_select_related = ["contest", "forum"]
    inlines = [ThemeInline, CriterionInline, LevelInline, PhaseInline]
