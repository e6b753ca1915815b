"""The signed links of the dialogues' e-mails: confirm an interest-list address, see or delete what is stored,
unsubscribe (an interest-list sign-up or a participant's news).

A link carries the row's id signed with the portal's secret key under a salt of its own, so it cannot be guessed
or turned into another kind of link; nothing secret is stored. A confirmation link is valid for
INTEREST_CONFIRM_DAYS; the others for as long as the row exists (deleting the row ends them).
"""

from django.core import signing
from django.urls import reverse

INTEREST_CONFIRM_DAYS = 30

_CONFIRM = "pogi.dialogue.interest.confirm"
_MINE = "pogi.dialogue.interest.mine"
_PARTICIPANT = "pogi.dialogue.participant.news"


def _dump(pk: int, salt: str) -> str:
    return signing.dumps(pk, salt=salt, compress=False)


def _load(token: str, salt: str, max_age: int | None = None) -> int | None:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired included
        return None
    return value if isinstance(value, int) else None


def confirm_token(signup_pk: int) -> str:
    return _dump(signup_pk, _CONFIRM)


def confirm_pk(token: str) -> int | None:
    return _load(token, _CONFIRM, max_age=INTEREST_CONFIRM_DAYS * 24 * 3600)


def mine_token(signup_pk: int) -> str:
    return _dump(signup_pk, _MINE)


def mine_pk(token: str) -> int | None:
    return _load(token, _MINE)


def participant_token(application_pk: int) -> str:
    return _dump(application_pk, _PARTICIPANT)


def participant_pk(token: str) -> int | None:
    return _load(token, _PARTICIPANT)


def confirm_path(signup_pk: int) -> str:
    return reverse("projects:interest-confirm", kwargs={"token": confirm_token(signup_pk)})


def mine_path(signup_pk: int) -> str:
    return reverse("projects:interest-mine", kwargs={"token": mine_token(signup_pk)})


def unsubscribe_path(signup_pk: int) -> str:
    return reverse("projects:interest-unsubscribe", kwargs={"token": mine_token(signup_pk)})


def participant_unsubscribe_path(application_pk: int) -> str:
    return reverse("projects:participant-unsubscribe", kwargs={"token": participant_token(application_pk)})
