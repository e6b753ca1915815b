"""Generating, storing and publishing the annual report, and choosing the quotes it shows.

A report is rendered by a worker (``followup.tasks.report_render``) that calls
``report_build``. The guarantees:

- one request at a time per round, kind and language: asking again while one
  is queued or rendering changes nothing;
- a PDF is written under a name made from its content hash, to a temporary
  file first and then renamed, so a worker stopped mid-render leaves no
  half-written file behind and the task can simply run again;
- a delivery of the task for a report that is already done does nothing, so a
  task delivered twice produces the PDF once;
- when the figures are unchanged since the stored PDF, the stored file is kept;
- a run lost with its worker (still "rendering" past the task's hard time
  limit, ``Report.is_lost``) does not block: it may be generated again at
  once, and ``reports_requeue_lost`` (beat) queues it again by itself;
- a request the broker cannot take (Redis down) is marked failed with the
  reason, so the page answers and the report can be generated again.
"""

import hashlib
import os
import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import history
from core.enqueue import enqueue
from members.models import User, private_storage

from ..models import GoalAnswer, Report, ReportQuote, Round
from ..selectors import reports as report_selectors

# A request still queued after this long was lost (the broker was emptied, say) and may be made again.
STALE_AFTER = timedelta(minutes=15)
QUOTE_MAX_LENGTH = 600


@transaction.atomic
def report_generate(*, round: Round, kind: str, language: str, by: User | None, enqueue: bool = True) -> Report:
    """Queue the rendering of a round's report (or annex) in one language; the worker starts after commit.

    With ``enqueue=False`` the caller renders it itself with ``report_build`` (the demo data does).
    """
    if kind not in Report.Kind.values:
        raise ValidationError(_("Unknown kind of report."))
    if language not in dict(settings.REPORT_LANGUAGES):
        raise ValidationError(_("The report can be made in Danish or English."))
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status == Round.Status.DRAFT:
        raise ValidationError(_("A round being prepared has no answers to report on yet."))
    report, _created = Report.objects.select_for_update().get_or_create(
        round=round_, kind=kind, language=language, defaults={"status": Report.Status.QUEUED}
    )
    now = timezone.now()
    if (
        not _created
        and report.is_active
        and not report.is_lost
        and report.requested_at
        and now - report.requested_at < STALE_AFTER
    ):
        return report
    report.status = Report.Status.QUEUED
    report.requested_at = now
    report.requested_by = by
    report.started_at = report.finished_at = None
    report.attempts = 0
    report.error = ""
    report.reused = False
    history.by(report, by).save()
    report_id = report.pk
    if enqueue:
        transaction.on_commit(lambda: _enqueue_render(report_id))
    return report


def _enqueue_render(report_id: int) -> None:
    from ..tasks import report_render

    def refused(exc: BaseException) -> None:
        report_fail(
            report_id=report_id,
            reason=_("The request could not be handed to the worker (its queue is unavailable). Try again shortly."),
        )

    enqueue(report_render, report_id, on_failure=refused)


LOST_MAX_ATTEMPTS = 3


def reports_requeue_lost() -> int:
    """Queue again every report whose run was lost with its worker; returns how many.

    A run is lost when it is still "rendering" past the task's hard time limit
    (``Report.is_lost``). After ``LOST_MAX_ATTEMPTS`` attempts the report is
    marked failed instead, so a report that kills its worker every time is not
    tried for ever. Safe to run at any time and twice: each row is locked and
    checked again.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.REPORT_TIME_LIMIT)
    candidates = list(
        Report.objects.filter(status=Report.Status.RENDERING, started_at__lt=cutoff).values_list("pk", flat=True)
    )
    requeued = 0
    for report_id in candidates:
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=report_id).first()
            if report is None or not report.is_lost:
                continue
            if report.attempts >= LOST_MAX_ATTEMPTS:
                report.status = Report.Status.FAILED
                report.finished_at = timezone.now()
                report.error = _("The worker stopped %(attempts)d times while rendering this report.") % {
                    "attempts": report.attempts
                }
                history.by(report, report.requested_by).save()
                continue
            report.status = Report.Status.QUEUED
            report.started_at = None
            report.error = _("The previous attempt was lost when its worker stopped; the report is made again.")
            history.by(report, report.requested_by).save()
            transaction.on_commit(partial(_enqueue_render, report_id))
            requeued += 1
    return requeued


def _claim(report_id: int) -> Report | None:
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("round").filter(pk=report_id).first()
        # Done or failed already: this is a second delivery of the same request, and it does nothing.
        if report is None or report.status not in Report.ACTIVE:
            return None
        report.status = Report.Status.RENDERING
        report.started_at = timezone.now()
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "attempts"])
        return report


def _file_stem(report: Report) -> str:
    return report.download_name.removesuffix(".pdf")


def _store(report: Report, pdf: bytes, digest: str) -> str:
    """Write the PDF under its content hash: to a temporary file, then renamed, so no reader sees half a file."""
    name = f"followup/reports/{report.round.year}/{_file_stem(report)}-{digest[:16]}.pdf"
    path = private_storage().path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        return name
    partial = f"{path}.{os.getpid()}.part"
    with open(partial, "wb") as handle:
        handle.write(pdf)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return name


def _remove_unused(names: set[str]) -> None:
    still_used = set(Report.objects.filter(file__in=names).values_list("file", flat=True)) | set(
        Report.objects.filter(published_file__in=names).values_list("published_file", flat=True)
    )
    storage = private_storage()
    for name in names - still_used:
        if name:
            storage.delete(name)


def _render(report: Report) -> tuple[bytes, str]:
    from .. import pdf

    with translation.override(report.language):
        if report.kind == Report.Kind.ANNEX:
            data_hash = report_selectors.annex_data_hash(round=report.round, language=report.language)
            if _unchanged(report, data_hash):
                return b"", data_hash
            return pdf.annex_pdf_render(round=report.round), data_hash
        data = report_selectors.report_data(round=report.round)
        data_hash = report_selectors.report_data_hash(data=data, kind=report.kind, language=report.language)
        if _unchanged(report, data_hash):
            return b"", data_hash
        pause = getattr(settings, "REPORT_RENDER_PAUSE_SECONDS", 0)
        if pause:
            # Lets a test stop the worker while it is rendering.
            time.sleep(pause)
        return pdf.report_pdf_render(round=report.round, data=data), data_hash


def _unchanged(report: Report, data_hash: str) -> bool:
    return bool(report.file) and report.data_hash == data_hash and private_storage().exists(report.file.name)  # type: ignore[arg-type]  # bool(report.file): it has a name


def report_build(*, report_id: int) -> Report | None:
    """Render and store the PDF of a queued report; keep the stored file when the figures are unchanged.

    Returns the report, or None when there was nothing to do (already done, or gone).
    """
    report = _claim(report_id)
    if report is None:
        return None
    pdf_bytes, data_hash = _render(report)
    name = ""
    digest = ""
    if pdf_bytes:
        digest = hashlib.sha256(pdf_bytes).hexdigest()
        name = _store(report, pdf_bytes, digest)
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("round").get(pk=report_id)
        if report.status != Report.Status.RENDERING:
            # Another delivery finished first; its file stands.
            transaction.on_commit(lambda: _remove_unused({name}))
            return report
        replaced = report.file.name
        if pdf_bytes:
            report.file.name = name
            report.size = len(pdf_bytes)
            report.content_hash = digest
            report.data_hash = data_hash
            report.generated_at = timezone.now()
            report.reused = False
        else:
            report.reused = True
        report.status = Report.Status.DONE
        report.finished_at = timezone.now()
        report.error = ""
        history.by(report, report.requested_by).save()
        if replaced and replaced != report.file.name:
            transaction.on_commit(lambda: _remove_unused({replaced}))
    return report


def report_fail(*, report_id: int, reason: str) -> None:
    """Record why a rendering failed; the secretariat sees the reason and can generate again."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == Report.Status.DONE:
            return
        report.status = Report.Status.FAILED
        report.finished_at = timezone.now()
        report.error = reason[:2000]
        history.by(report, report.requested_by).save()


def report_retry_wait(*, report_id: int, reason: str) -> None:
    """A transient failure: the task will run again; until then the report shows as queued with the reason."""
    Report.objects.filter(pk=report_id, status=Report.Status.RENDERING).update(
        status=Report.Status.QUEUED, error=reason[:2000]
    )


@transaction.atomic
def report_publish(*, report: Report, by: User | None) -> Report:
    """Publish the generated report: the public list shows this file until the secretariat publishes again."""
    report = Report.objects.select_for_update().select_related("round").get(pk=report.pk)
    if report.kind != Report.Kind.REPORT:
        raise ValidationError(_("The annex lists each member's answers and is never published."))
    if report.round.status != Round.Status.CLOSED:
        raise ValidationError(_("Close the round before publishing its report."))
    if report.status != Report.Status.DONE or not report.file:
        raise ValidationError(_("Generate the report before publishing it."))
    if report.published_at and report.published_file.name == report.file.name:
        raise ValidationError(_("This version of the report is already published."))
    replaced = report.published_file.name
    report.published_file.name = report.file.name
    report.published_size = report.size
    report.published_hash = report.content_hash
    report.published_at = timezone.now()
    report.published_by = by
    history.by(report, by).save()
    if replaced and replaced != report.file.name:
        transaction.on_commit(lambda: _remove_unused({replaced}))
    return report


@transaction.atomic
def report_unpublish(*, report: Report, by: User | None) -> Report:
    """Take a published report off the public list (the file stays with the round)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.published_at:
        raise ValidationError(_("The report is not published."))
    replaced = report.published_file.name
    report.published_file.name = ""
    report.published_size = None
    report.published_hash = ""
    report.published_at = None
    report.published_by = None
    history.by(report, by).save()
    if replaced and replaced != report.file.name:
        transaction.on_commit(lambda: _remove_unused({replaced}))
    return report


# --- quotes ------------------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write the quote, or remove it from the report.")})
    if len(text) > QUOTE_MAX_LENGTH:
        raise ValidationError({"text": _("A quote can be at most %(max)d characters.") % {"max": QUOTE_MAX_LENGTH}})
    return text


@transaction.atomic
def quote_add(*, round: Round, answer: GoalAnswer, by: User | None, text: str | None = None) -> ReportQuote:
    """Quote a reported challenge in the report, as it stands or edited; each answer at most once."""
    if answer.response.round_id != round.pk:
        raise ValidationError(_("The answer belongs to another round."))
    if not answer.challenges.strip():
        raise ValidationError(_("The answer reports no challenge."))
    if ReportQuote.objects.filter(round=round, answer=answer).exists():
        raise ValidationError(_("This challenge is already quoted in the report."))
    goal_id = answer.goal_version.goal_id
    position = ReportQuote.objects.filter(round=round, goal_id=goal_id).count()
    quote = ReportQuote(
        round=round,
        goal_id=goal_id,
        answer=answer,
        text=_clean_text(text if text is not None else answer.challenges),
        position=position,
        chosen_by=by,
    )
    quote.full_clean()
    history.by(quote, by).save()
    return quote


@transaction.atomic
def quote_update(*, quote: ReportQuote, text: str, by: User | None) -> ReportQuote:
    """Edit a quote's wording, e.g. to remove what would identify the member."""
    quote.text = _clean_text(text)
    quote.full_clean()
    history.by(quote, by).save()
    return quote


@transaction.atomic
def quote_remove(*, quote: ReportQuote, by: User | None) -> None:
    """Leave a quote out of the report."""
    history.by(quote, by)
    quote.delete()
