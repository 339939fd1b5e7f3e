"""The outbox seen by administrators: a read-only list of emails, their attempts and errors."""

from django.utils.html import format_html
from wagtail_modeladmin.options import modeladmin_register

from catalogue.admin_securite import AdministrateursSeulementPermissionHelper, ModelAdminSecurise
from intake.models import Notification


class NotificationPermissionHelper(AdministrateursSeulementPermissionHelper):
    """Administrators read (list, detail, history: the emails hold the demandeurs' personal
    data); nobody creates, edits or deletes (the outbox is a record)."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class NotificationAdmin(ModelAdminSecurise):
    model = Notification
    menu_label = "Courriels envoyés"
    menu_icon = "mail"
    menu_order = 900
    add_to_settings_menu = True
    permission_helper_class = NotificationPermissionHelper
    inspect_view_enabled = True
    list_display = ("created_at", "kind", "objet", "destinataires", "etat", "attempts", "last_error")
    list_filter = ("kind",)
    search_fields = ("subject",)
    inspect_view_fields = (
        "created_at",
        "kind",
        "demande",
        "to",
        "subject",
        "body",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    )

    def objet(self, obj):
        return obj.subject

    objet.short_description = "objet"

    def destinataires(self, obj):
        return ", ".join(obj.to)

    destinataires.short_description = "destinataires"

    def etat(self, obj):
        if obj.sent_at:
            return format_html("Envoyé le {}", obj.sent_at.strftime("%d/%m/%Y %H:%M"))
        return format_html(
            "<strong>En attente</strong> (prochain essai {})", obj.next_attempt_at.strftime("%d/%m/%Y %H:%M")
        )

    etat.short_description = "état"


modeladmin_register(NotificationAdmin)
