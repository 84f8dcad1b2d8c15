"""A province's mixed daily load, for locust (driven by bench/province_load.py; docs/benchmarks.md).

Every simulated person makes one visit per second (`constant_throughput(1)`); a visit is one or two requests.
The mix (share of visits) is what a portal and desks of a province of about a million inhabitants see in a busy
hour, most of it people reading: the public catalogue (search page, search API, a procedure's page), dossier
lookups, PAKN; and the staff's work through the API: reading dossiers, the worklist, receiving a dossier and
handing it over, the desk's statistics and tracking book. The data (queries, dossier codes with their proof,
intake bodies, the officer's token) comes from the JSON file named by PROVINCE_LOAD_DATA.

`Hello` is the baseline: the same visits to bench/hello_wsgi.py.
"""

import itertools
import json
import os
import random
import re
import uuid

from locust import FastHttpUser, constant_throughput, task

DATA = json.loads(open(os.environ["PROVINCE_LOAD_DATA"], encoding="utf-8").read()) if os.environ.get("PROVINCE_LOAD_DATA") else {}
_bodies = itertools.cycle(DATA.get("intake_bodies") or [""])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Citizen(FastHttpUser):
    """People on the public portal (no account)."""

    weight = 65
    wait_time = constant_throughput(1)

    @task(30)
    def search_page(self):
        self.client.get("/thu-tuc/", params={"q": random.choice(DATA["queries"])}, name="/thu-tuc/?q=")

    @task(10)
    def search_api(self):
        self.client.get(
            "/api/v1/procedures/",
            params={"search": random.choice(DATA["queries"])},
            headers={"Accept": "application/json"},
            name="/api/v1/procedures/?search=",
        )

    @task(10)
    def procedure_page(self):
        self.client.get(f"/thu-tuc/{random.choice(DATA['procedures'])}/", name="/thu-tuc/{code}/")

    @task(6)
    def lookup(self):
        page = self.client.get("/tra-cuu/", name="/tra-cuu/")
        token = CSRF.search(page.text or "")
        code, proof = random.choice(DATA["lookups"])
        with self.client.post(
            "/tra-cuu/",
            data={"csrfmiddlewaretoken": token.group(1) if token else "", "ma": code, "xac_minh": proof},
            headers={"Referer": self.host + "/tra-cuu/"},
            name="/tra-cuu/ (POST → dossier page)",
            catch_response=True,
        ) as response:
            # A right code and proof lead to the dossier's page; the lookup form again means it failed.
            if response.status_code != 200 or code not in (response.text or ""):
                response.failure(f"lookup of {code} did not open the dossier ({response.status_code})")

    @task(4)
    def pakn_published(self):
        self.client.get("/phan-anh-kien-nghi/da-tra-loi/", name="/phan-anh-kien-nghi/da-tra-loi/")

    @task(1)
    def pakn_submit(self):
        page = self.client.get("/phan-anh-kien-nghi/", name="/phan-anh-kien-nghi/")
        token = CSRF.search(page.text or "")
        with self.client.post(
            "/phan-anh-kien-nghi/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "kind": "kien_nghi",
                "category": "procedure",
                "title": "Đề nghị rút ngắn thời gian giải quyết",
                "content": "Đề nghị cơ quan xem xét rút ngắn thời gian cấp giấy chứng nhận đăng ký đầu tư.",
                "submitter_name": "Nguyễn Văn An",
                "submitter_phone": "0912345678",
                "consent": "on",
            },
            headers={"Referer": self.host + "/phan-anh-kien-nghi/"},
            name="/phan-anh-kien-nghi/ (POST)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "PAKN-" not in (response.text or ""):
                response.failure(f"PAKN not received ({response.status_code})")


class Officer(FastHttpUser):
    """One-stop officers and specialists working through the API (a token per officer)."""

    weight = 35
    wait_time = constant_throughput(1)

    def on_start(self):
        self.headers = {"Authorization": f"Token {DATA['token']}", "Accept": "application/json"}

    @task(20)
    def read_dossier(self):
        self.client.get(
            f"/api/v1/dossiers/{random.choice(DATA['dossiers'])}/", headers=self.headers, name="/api/v1/dossiers/{code}/"
        )

    @task(8)
    def worklist(self):
        self.client.get("/api/v1/desk/worklist/", headers=self.headers, name="/api/v1/desk/worklist/")

    @task(5)
    def receive_and_hand_over(self):
        with self.client.post(
            "/api/v1/dossiers/",
            data=next(_bodies).encode("utf-8"),
            headers={**self.headers, "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
            name="/api/v1/dossiers/ (POST intake)",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"intake answered {response.status_code}: {(response.text or '')[:200]}")
                return
            code = response.json()["code"]
        with self.client.post(
            f"/api/v1/dossiers/{code}/actions/forward/",
            json={"note": "Chuyển phòng chuyên môn thẩm định"},
            headers=self.headers,
            name="/api/v1/dossiers/{code}/actions/forward/",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"hand-over answered {response.status_code}: {(response.text or '')[:200]}")

    @task(1)
    def statistics(self):
        self.client.get("/api/v1/desk/statistics/", headers=self.headers, name="/api/v1/desk/statistics/")

    @task(1)
    def tracking_book(self):
        self.client.get("/api/v1/desk/book/", headers=self.headers, name="/api/v1/desk/book/")


class Hello(FastHttpUser):
    """The baseline: as many visits to a bare WSGI hello-world (bench/hello_wsgi.py)."""

    wait_time = constant_throughput(1)

    @task
    def hello(self):
        self.client.get("/", name="/ (hello)")
