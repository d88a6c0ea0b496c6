"""The technical admin (admin-technique/): a fallback for support, not the organisers' tool.

Dossiers are read-only here: their state, version and content change only through
applications.domain (workflow log, optimistic locking), which the admin would bypass.
"""

from django.contrib import admin

from .models import Application, ApplicationPartner, Attachment, Question, Transition


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PartnerInline(ReadOnlyInline):
    model = ApplicationPartner
    fields = ["organisation", "position"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_at"]


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = ["at", "by", "from_state", "to_state", "reason"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "lead_organisation", "edition", "state", "submitted_at"]
    list_filter = ["state", "edition"]
    search_fields = ["reference", "title", "lead_organisation__name"]
    list_select_related = ["lead_organisation", "edition__contest"]
    inlines = [PartnerInline, AttachmentInline, TransitionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "edition", "kind", "required", "visibility", "position"]
    list_filter = ["edition", "kind"]
