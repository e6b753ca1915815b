"""The deadline crunch: representatives saving questionnaire sections at once.

Run by ``manage.py bench`` as ``locust -f bench/crunch.py --headless``; not
imported by the portal. Each simulated representative signs in with the
session prepared for it (``BENCH_CRUNCH_USERS``, a JSON file) and, over and
over, opens one of its own round's goal sections, waits as a person filling
in a form would, and saves the section as a draft with new figures. Every
save the server acknowledged is written to ``BENCH_CRUNCH_LEDGER`` when the
run stops, so the bench can check afterwards that each answer in the
database is exactly the last one acknowledged: nothing lost, nothing
overwritten.
"""

import itertools
import json
import os
import random
import re

import gevent
from locust import HttpUser, between, events, task

with open(os.environ["BENCH_CRUNCH_USERS"], encoding="utf-8") as _users:
    USERS = json.load(_users)
WAIT_MIN = float(os.environ.get("BENCH_CRUNCH_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("BENCH_CRUNCH_WAIT_MAX", "3"))
VERSION = re.compile(r'name="version" value="(\d+)"')
_next_user = itertools.count()
_ledger: dict[str, dict] = {}  # "response:goal" → the last acknowledged save
_saves = {"acknowledged": 0, "refused": 0}


class Representative(HttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        self.me = USERS[next(_next_user) % len(USERS)]
        self.rng = random.Random(self.me["response"])
        self.saves = 0
        self.headers = {
            # Behind the TLS proxy of production: the cookies are marked Secure, so they go in by hand.
            "X-Forwarded-Proto": "https",
            "Cookie": f"sessionid={self.me['session']}; csrftoken={self.me['csrf']}",
        }
        # People are already at work when the crunch begins, not all starting in the same second.
        gevent.sleep(self.rng.uniform(0, WAIT_MAX))

    @task
    def fill_in_a_section(self):
        goal = self.rng.choice(self.me["goals"])
        path = f"/followup/responses/{self.me['response']}/goals/{goal}/"
        page_headers = {**self.headers, "X-Bench": "crunch-page"}
        with self.client.get(path, headers=page_headers, name="section page", catch_response=True) as page:
            found = VERSION.search(page.text or "")
            if page.status_code != 200 or not found:
                page.failure(f"section page {page.status_code}")
                return
        self.saves += 1
        completed = self.rng.randint(0, 40)
        answer = {
            "tenders_completed": completed,
            "tenders_with_criteria": self.rng.randint(0, completed),
            "volume_dkk": self.rng.randint(0, 500) * 10_000,
            "challenges": f"Crunch {self.me['response']}/{goal}: save {self.saves}",
        }
        form = {
            "csrfmiddlewaretoken": self.me["csrf"],
            "version": found.group(1),
            "status": "partly",
            "reason": "Ikke alle udbud var omfattet.",
            "comment": "",
            "save": "",
            **answer,
        }
        headers = {**self.headers, "X-Bench": "crunch-save", "Referer": f"https://{self.me['host']}{path}"}
        with self.client.post(
            path, data=form, headers=headers, name="section save", allow_redirects=False, catch_response=True
        ) as saved:
            if saved.status_code == 302 and saved.headers.get("Location", "").endswith(path):
                _ledger[f"{self.me['response']}:{goal}"] = answer
                _saves["acknowledged"] += 1
            else:
                _saves["refused"] += 1
                saved.failure(f"save answered {saved.status_code}")


@events.quitting.add_listener
def _write_ledger(environment, **kwargs):
    with open(os.environ["BENCH_CRUNCH_LEDGER"], "w", encoding="utf-8") as out:
        json.dump({"saves": _saves, "answers": _ledger}, out)
