"""Full-text search over goal versions: PostgreSQL with the Danish configuration, a plain fallback elsewhere."""

from functools import cache

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Value

from .models import Criterion, GoalVersion


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@cache
def search_config() -> str:
    """'danish' where the server has it (stock PostgreSQL does), else 'simple'."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'danish'")
        return "danish" if cursor.fetchone() else "simple"


def document_update(version: GoalVersion) -> None:
    """Write the version's search document from its title, statement, scope and criteria."""
    if not is_postgres():
        return
    criteria = (
        " ".join(f"{c.text} {c.documentation} {c.guidance}" for c in version.criteria.all())
        + " "
        + " ".join(e.name + " " + e.name_da for e in version.ecolabels.all())
    )
    config = search_config()
    GoalVersion.objects.filter(pk=version.pk).update(
        search_document=SearchVector(Value(version.title), weight="A", config=config)
        + SearchVector(Value(version.statement), weight="B", config=config)
        + SearchVector(Value(version.scope), weight="C", config=config)
        + SearchVector(Value(criteria), weight="C", config=config)
    )


def search(queryset: QuerySet[GoalVersion], text: str) -> QuerySet[GoalVersion]:
    text = text.strip()
    if not text:
        return queryset
    if is_postgres():
        query = SearchQuery(text, config=search_config(), search_type="websearch")
        return queryset.filter(search_document=query)
    words = text.split()
    # The same fields as the PostgreSQL document: title, statement, scope, criteria and ecolabel names.
    for word in words:
        in_criteria = Criterion.objects.filter(version=OuterRef("pk")).filter(
            Q(text__icontains=word) | Q(documentation__icontains=word) | Q(guidance__icontains=word)
        )
        in_labels = GoalVersion.ecolabels.through.objects.filter(goalversion=OuterRef("pk")).filter(
            Q(ecolabel__name__icontains=word) | Q(ecolabel__name_da__icontains=word)
        )
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(statement__icontains=word)
            | Q(scope__icontains=word)
            | Exists(in_criteria)
            | Exists(in_labels)
        )
    return queryset
