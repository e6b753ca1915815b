"""The projects as a spreadsheet: the secretariat's export of every project and its import (a preview of what a
file changes, then the change itself, all or nothing), and a project's own export for its managers.
The format is in docs/projects-import.md."""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.forms import error_text
from core.security_log import Event, security_event_record
from members.access import representative_required, secretariat_required

from . import project_spreadsheet as spreadsheet
from .forms_project_import import ProjectImportConfirmForm, ProjectImportForm
from .selectors import project_export as selectors
from .services import project_import as import_services

EXPORTS = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "projects-csv": ("csv", "text/csv; charset=utf-8"),
    "phases-csv": ("csv", "text/csv; charset=utf-8"),
}
# The previewed import waiting for its confirmation, and the result shown once after it was made.
PENDING_KEY = "projects_import_pending"
RESULT_KEY = "projects_import_result"
# The preview lists at most this many projects' changes (the counts cover them all).
PREVIEW_PROJECTS = 200


def _download(request, projects, stem: str) -> HttpResponse:
    kind = request.GET.get("format", "xlsx")
    if kind not in EXPORTS:
        raise Http404
    extension, content_type = EXPORTS[kind]
    if kind == "xlsx":
        content = spreadsheet.xlsx_bytes(projects)
        filename = f"{stem}.xlsx"
    elif kind == "projects-csv":
        content = spreadsheet.csv_bytes(spreadsheet.PROJECT_COLUMNS, spreadsheet.project_rows(projects))
        filename = f"{stem}-projekter.{extension}"
    else:
        content = spreadsheet.csv_bytes(spreadsheet.PHASE_COLUMNS, spreadsheet.phase_rows(projects))
        filename = f"{stem}-faser.{extension}"
    # The rows name each project's lead by e-mail.
    security_event_record(
        event=Event.PERSONAL_DATA_EXPORT,
        request=request,
        details={"what": f"projects_{kind}", "projects": len(projects)},
    )
    reply = HttpResponse(content, content_type=content_type)
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply


@secretariat_required
def projects_export(request):
    """Every project and its phases, as XLSX (?format=xlsx, two sheets) or one CSV per sheet."""
    return _download(request, selectors.projects_for_export(user=request.user), "pogi-projekter")


@representative_required
def project_export(request, slug):
    """One project and its phases, for its owner's representatives and the secretariat."""
    projects = selectors.project_for_export(slug=slug, user=request.user)
    return _download(request, projects, f"pogi-projekt-{projects[0].slug}")


def _confirm(request):
    form = ProjectImportConfirmForm(request.POST)
    pending = request.session.get(PENDING_KEY)
    if not form.is_valid() or not pending or not secrets.compare_digest(pending["token"], form.cleaned_data["token"]):
        messages.error(request, _("The preview is no longer waiting to be imported. Upload the file again."))
        return redirect("projects:projects-import"), None
    sheets = import_services.sheets_from_data(pending["sheets"])
    try:
        result = import_services.project_import_apply(sheets=sheets, by=request.user, expected=pending["digest"])
    except import_services.ImportRefused as exc:
        request.session.pop(PENDING_KEY, None)
        return None, exc.errors
    except ValidationError as exc:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, error_text(exc))
        return redirect("projects:projects-import"), None
    request.session.pop(PENDING_KEY, None)
    messages.success(
        request,
        _("The import is saved: %(projects)s, %(phases)s changed and %(created)s added.")
        % {
            "projects": ngettext("%(count)s project", "%(count)s projects", result.projects_changed)
            % {"count": result.projects_changed},
            "phases": ngettext("%(count)s phase", "%(count)s phases", result.phases_changed)
            % {"count": result.phases_changed},
            "created": ngettext("%(count)s new phase", "%(count)s new phases", result.phases_created)
            % {"count": result.phases_created},
        },
    )
    request.session[RESULT_KEY] = [{"slug": p.slug, "title": p.title} for p in result.projects]
    return redirect("projects:projects-import"), None


@secretariat_required
def projects_import(request):
    """Upload a spreadsheet and see what it changes, project by project and phase by phase, with every error by
    row and column; nothing is saved until the preview is confirmed, and then all of it or nothing."""
    form = ProjectImportForm()
    preview = None
    confirm_form = None
    refused = None
    if request.method == "POST" and "token" in request.POST:
        response, refused = _confirm(request)
        if response is not None:
            return response
    elif request.method == "POST":
        form = ProjectImportForm(request.POST, request.FILES)
        request.session.pop(PENDING_KEY, None)
        if form.is_valid():
            try:
                sheets = spreadsheet.read(form.cleaned_data["spreadsheet"])
                preview = import_services.project_import_preview(sheets=sheets, by=request.user)
            except spreadsheet.UnreadableFile as exc:
                form.add_error("spreadsheet", str(exc))
            except ValidationError as exc:
                form.add_error("spreadsheet", exc)
            else:
                if preview.has_changes and not preview.errors:
                    token = secrets.token_urlsafe(24)
                    kept = import_services.pending_sheets(sheets=sheets, preview=preview)
                    request.session[PENDING_KEY] = {
                        "token": token,
                        "digest": preview.digest,
                        "sheets": [sheet.as_data() for sheet in kept.values()],
                    }
                    confirm_form = ProjectImportConfirmForm(initial={"token": token})
    result = request.session.pop(RESULT_KEY, None) if request.method == "GET" else None
    errors = refused if refused is not None else (preview.errors if preview is not None else [])
    return render(
        request,
        "workgroups/projects/import.html",
        {
            "form": form,
            "preview": preview,
            "shown_projects": preview.projects[:PREVIEW_PROJECTS] if preview is not None else [],
            "hidden_projects": max(0, len(preview.projects) - PREVIEW_PROJECTS) if preview is not None else 0,
            "errors": errors,
            "refused_on_confirm": refused is not None,
            "confirm_form": confirm_form,
            "result": result,
        },
        status=400 if form.errors else 200,
    )
