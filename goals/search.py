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


@cache
def english_config() -> str:
    """'english' where the server has it (stock PostgreSQL does), else 'simple'."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'english'")
        return "english" if cursor.fetchone() else "simple"


def document_update(version: GoalVersion) -> None:
    """Write the version's search document from its title, statement, scope and criteria, in Danish and English.

    The Danish text is stemmed as Danish, the English version as English, so a
    reader finds a goal by the words of either.
    """
    if not is_postgres():
        return
    criteria = list(version.criteria.all())
    danish = (
        " ".join(f"{c.text} {c.documentation} {c.guidance}" for c in criteria)
        + " "
        + " ".join(e.name + " " + e.name_da for e in version.ecolabels.all())
    )
    english = " ".join(f"{c.text_en} {c.documentation_en} {c.guidance_en}" for c in criteria)
    config, en = search_config(), english_config()
    GoalVersion.objects.filter(pk=version.pk).update(
        search_document=SearchVector(Value(version.title), weight="A", config=config)
        + SearchVector(Value(version.statement), weight="B", config=config)
        + SearchVector(Value(version.scope), weight="C", config=config)
        + SearchVector(Value(danish), weight="C", config=config)
        + SearchVector(Value(version.title_en), weight="A", config=en)
        + SearchVector(Value(version.statement_en), weight="B", config=en)
        + SearchVector(Value(version.scope_en), weight="C", config=en)
        + SearchVector(Value(english), weight="C", config=en)
    )


def search(queryset: QuerySet[GoalVersion], text: str) -> QuerySet[GoalVersion]:
    text = text.strip()
    if not text:
        return queryset
    if is_postgres():
        query = SearchQuery(text, config=search_config(), search_type="websearch") | SearchQuery(
            text, config=english_config(), search_type="websearch"
        )
        return queryset.filter(search_document=query)
    words = text.split()
    # The same fields as the PostgreSQL document: title, statement, scope, criteria and ecolabel names.
    for word in words:
        in_criteria = Criterion.objects.filter(version=OuterRef("pk")).filter(
            Q(text__icontains=word)
            | Q(documentation__icontains=word)
            | Q(guidance__icontains=word)
            | Q(text_en__icontains=word)
            | Q(documentation_en__icontains=word)
            | Q(guidance_en__icontains=word)
        )
        in_labels = GoalVersion.ecolabels.through.objects.filter(goalversion=OuterRef("pk")).filter(
            Q(ecolabel__name__icontains=word) | Q(ecolabel__name_da__icontains=word)
        )
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(statement__icontains=word)
            | Q(scope__icontains=word)
            | Q(title_en__icontains=word)
            | Q(statement_en__icontains=word)
            | Q(scope_en__icontains=word)
            | Exists(in_criteria)
            | Exists(in_labels)
        )
    return queryset
