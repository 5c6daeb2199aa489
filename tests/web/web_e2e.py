#!/usr/bin/env python3
"""End-to-end test of the web page in headless Chromium (Debian's chromium
and chromedriver), against the real `turnaround serve` on 127.0.0.1 with an
ephemeral port and a database made by the CLI from examples/acme.

Scenarios: an executive claims a callback and logs the call (first without
the required fields: the errors show beside them), and sees the history
update; an ops lead filters the board and reassigns a case, which then shows
on the new owner's list; an analyst sees no control that changes data, and
the server refuses such requests, also forged cross-site ones. Every view is
screenshotted (laptop and phone widths) into ARTIFACTS. Any failed step or
unexpected console error fails the test (exit 1); exit 77 = skipped (no
chromium/chromedriver).

Then, unless --no-bench: the board over 10,000+ open cases, timed and
reported (BENCH lines and ARTIFACTS/bench.txt), never asserted.

Usage: web_e2e.py --turnaround BIN --gen BIN --source DIR --artifacts DIR [--no-bench]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Browser, WebDriverError  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

steps_passed = 0


def step(name):
    global steps_passed
    steps_passed += 1
    print(f"ok {steps_passed} - {name}", flush=True)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Company:
    """A database of the example company, with tokens, and its server."""

    def __init__(self, args, work, responses_csv=None):
        self.ta = args.turnaround
        self.db = os.path.join(work, "acme.db")
        self.run("init", "--db", self.db, "--config", os.path.join(args.source, "examples/acme"))
        self.run("import", "responses", responses_csv or os.path.join(args.source, "examples/acme/responses.csv"),
                 "--db", self.db)
        if not responses_csv:  # the example company's lost customers (loss review)
            self.run("import", "churn", os.path.join(args.source, "examples/acme/churn.csv"), "--db", self.db)
        self.tokens = {}
        self.out = open(os.path.join(work, "serve.out"), "w")
        self.err = open(os.path.join(work, "serve.err"), "w")
        self.proc = subprocess.Popen([self.ta, "serve", "--db", self.db, "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, stderr=self.err, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            raise Failure(f"no 'listening on' line from turnaround serve: {line!r}")
        self.port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def run(self, *argv):
        r = subprocess.run([self.ta, *argv], capture_output=True, text=True)
        if r.returncode != 0:
            raise Failure(f"turnaround {' '.join(argv)} failed: {r.stderr}")
        return r.stdout

    def token(self, person):
        if person not in self.tokens:
            self.tokens[person] = self.run("user", "token", "add", person, "--db", self.db).strip().splitlines()[-1]
        return self.tokens[person]

    def api(self, method, path, person, body=None):
        req = urllib.request.Request(self.url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + self.token(person)})
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.loads(res.read())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.out.close()
        self.err.close()


class Page:
    """The browser on the page, with the console checked after every step."""

    def __init__(self, browser, company, artifacts):
        self.b = browser
        self.co = company
        self.artifacts = artifacts
        self.expected = []  # (url part, status) of requests refused on purpose

    def expect_refusal(self, url_part, status):
        self.expected.append((url_part, status))

    def check_console(self):
        stray = self.b.js("return /\\b(null|undefined|\\[object Object\\])\\b/.test(document.querySelector('main').innerText)")
        check(not stray, "the page shows 'null', 'undefined' or '[object Object]'")
        unlabelled = self.b.js(
            "return [...document.querySelectorAll('input, select, textarea')]"
            ".filter(e => e.type !== 'hidden' && !e.labels.length && !e.getAttribute('aria-label'))"
            ".map(e => e.id || e.name)")
        check(not unlabelled, f"form controls without a label: {unlabelled}")
        bad = []
        for entry in self.b.console():
            if entry.get("level") not in ("SEVERE", "ERROR"):
                continue
            msg = entry.get("message", "")
            if entry.get("source") == "network" or "Failed to load resource" in msg:
                m = re.search(r"status of (\d+)", msg)
                status = int(m.group(1)) if m else 0
                if any(part in msg and status == code for part, code in self.expected):
                    continue
            bad.append(msg)
        self.expected = []
        check(not bad, "console errors: " + "; ".join(bad))

    def shot(self, name, doc=False, anchor=None):
        """NAME.png: the whole page; with doc, also doc-NAME.png: the first
        screen at 1024x640, small enough for docs/img/."""
        self.b.screenshot(os.path.join(self.artifacts, name + ".png"))
        if doc:
            rect = self.b.cmd("GET", "/window/rect")
            self.b.set_size(1024, 640 + rect["height"] - self.b.js("return window.innerHeight"))
            if anchor:
                self.b.js("document.querySelector(arguments[0]).scrollIntoView({block: 'start'})", anchor)
            else:
                self.b.js("window.scrollTo(0, 0)")
            time.sleep(0.3)  # let the resized page repaint before the picture
            self.b.screenshot(os.path.join(self.artifacts, "doc-" + name + ".png"), full_page=False)
            self.b.set_size(rect["width"], rect["height"])

    def open(self, hash_=""):
        self.b.get(self.co.url + "/" + hash_)

    def sign_in(self, person):
        self.open()
        # Not signed in: the probe of GET /v1/session is refused (401) on purpose.
        self.expect_refusal("/v1/session", 401)
        self.b.find("#signin-form #token")
        self.b.type("#token", self.co.token(person))
        self.b.keys("#token", "\ue007")  # Enter: the keyboard alone signs in
        self.b.wait("return !document.getElementById('signout').hidden && !!document.querySelector('.view')",
                     what=f"{person} signed in")
        self.check_console()

    def sign_out(self):
        self.b.click("#signout")
        self.b.find("#signin-form")
        # The cookie is gone: the next probe is 401 again.
        status = self.b.js("return fetch('/v1/session').then(r => r.status)")
        self.expect_refusal("/v1/session", 401)
        check(status == 401, f"after sign-out GET /v1/session is {status}, not 401")
        self.check_console()

    def rows(self, css="table.cases tbody tr"):
        return self.b.js(f"return [...document.querySelectorAll({json.dumps(css)})].map(r => r.dataset.caseId)")


def executive_scenario(p, co):
    p.open()
    p.expect_refusal("/v1/session", 401)
    p.b.find("#signin-form")
    # A wrong token: the error shows beside the field.
    p.b.type("#token", "ta_" + "x" * 43)
    p.b.click("#signin-form button[type=submit]")
    p.b.wait("return document.getElementById('token-error').textContent.length > 0", what="sign-in error")
    p.expect_refusal("/v1/session", 401)
    p.check_console()
    p.shot("signin", doc=True)
    step("a wrong token is refused on the sign-in form")

    p.sign_in("clara.ceo")
    check(p.b.js("return location.hash") == "#/work", "an executive lands on My work")
    queue = p.rows("#queue tbody tr")
    check(len(queue) > 0, "the executive's callback queue is not empty")
    check(not p.b.exists("#escalated"), "an executive sees no ops lead lists")
    p.shot("work-executive", doc=True)
    step("executive: My work shows the callback queue")

    case_id = queue[0]
    p.b.click(f"#queue button[data-claim='{case_id}']")
    p.b.wait(f"return location.hash === '#/case/{case_id}' && !!document.getElementById('event-log_call')",
             what="case page with the log_call form")
    check("clara.ceo" in p.b.text(".facts"), "the claimed case shows its new owner")
    p.check_console()
    step(f"executive: claimed case {case_id} from the queue")

    # Log the call without the required fields: the server's errors show beside them.
    p.b.click("#event-log_call button[type=submit]")
    p.b.wait("return document.getElementById('event-log_call-callback_notes-error').textContent.length > 0",
             what="field error beside callback_notes")
    err = p.b.text("#event-log_call-callback_notes-error")
    check("callback_notes" in err, f"the error names the field: {err!r}")
    check(p.b.js("return document.getElementById('event-log_call-themes-error').textContent.length > 0"),
          "the themes field shows its error too")
    check(p.b.js("return document.getElementById('event-log_call-callback_notes').getAttribute('aria-invalid')") == "true",
          "the field is marked invalid")
    p.expect_refusal(f"/v1/cases/{case_id}/events", 400)
    p.check_console()
    p.shot("case-validation-errors", doc=True, anchor="#actions-h")
    step("executive: logging the call without the required fields shows the errors beside them")

    history_before = p.b.js("return document.querySelectorAll('#history li').length")
    p.b.type("#event-log_call-callback_notes", "Invoices doubled after the migration; nobody called back.")
    p.b.click("#event-log_call-themes-5")  # billing
    p.b.click("#event-log_call button[type=submit]")
    p.b.wait("return document.getElementById('case-status').textContent.includes('done')", what="event done")
    history_after = p.b.js("return document.querySelectorAll('#history li').length")
    check(history_after > history_before, f"the history grew ({history_before} -> {history_after})")
    entries = p.b.js("return [...document.querySelectorAll('#history li')].map(li => li.innerText)")
    check(any("log call" in e and "clara.ceo" in e and "billing" in e for e in entries[:3]),
          f"the history's newest entries show the call: {entries[:3]!r}")
    check("Root cause" in p.b.text(".facts"), "the case moved to the root cause state")
    p.check_console()
    p.shot("case-executive")
    step("executive: logged the call; the history shows it")

    p.b.set_size(390, 844)
    p.open("#/work")
    p.b.find("#queue")
    p.check_console()
    p.shot("work-executive-phone")
    p.b.set_size(1366, 900)
    p.sign_out()
    step("executive: My work at phone width; signed out")
    return case_id


def ops_scenario(p, co):
    p.sign_in("jonas.ops")
    check(p.b.js("return location.hash").startswith("#/board"), "an ops lead lands on the board")
    p.b.find("table.cases tbody tr")
    counts = p.b.js("return [...document.querySelectorAll('.chip')].map(c => c.textContent)")
    check(len(counts) >= 2 and counts[0].startswith("All open"), f"state counts: {counts}")
    dues = p.b.js("return [...document.querySelectorAll('table.cases tbody tr')].length")
    check(dues > 0, "the board lists cases")
    check(p.b.exists("#next-page"), "the board has a next page (server-side pagination)")
    p.shot("board", doc=True)
    step("ops lead: the board shows open cases with counts by state")

    # Filters: segment, then a customer search (Enter applies it).
    p.b.js("const s = document.getElementById('segment'); s.value = 'enterprise';"
           "s.dispatchEvent(new Event('change', {bubbles: true}));")
    p.b.wait("return location.hash.includes('segment=enterprise') && "
             "[...document.querySelectorAll('table.cases tbody td[data-label=Segment]')].every(td => td.textContent === 'enterprise')",
             what="enterprise filter")
    name = p.b.js("return document.querySelector('table.cases tbody td[data-label=Customer] a').textContent")
    p.b.type("#q", name[:6].lower())
    p.b.keys("#q", "\ue007")  # Enter
    p.b.wait("return location.hash.includes('q=')", what="search applied")
    p.b.wait("const a = [...document.querySelectorAll('table.cases tbody td[data-label=Customer] a')];"
             f"return a.length > 0 && a.every(x => x.textContent.toLowerCase().includes({json.dumps(name[:6].lower())}))",
             what="search results")
    p.check_console()
    p.shot("board-filtered")
    step(f"ops lead: segment filter and customer search ({name[:6].lower()!r})")

    p.b.set_size(390, 844)
    p.open("#/board")
    p.b.find("table.cases tbody tr")
    p.check_console()
    p.shot("board-phone")
    p.b.set_size(1366, 900)

    p.open("#/work")
    p.b.find("#unassigned")
    check(p.b.exists("#overdue") and p.b.exists("#escalated"), "the ops lead's lists")
    p.check_console()
    p.shot("work-ops-lead", doc=True)
    step("ops lead: My work shows unassigned, overdue and escalated work")

    # Reassign one of eva.owner's cases to noah.owner.
    case = co.api("GET", "/v1/cases?owner=eva.owner&open=true&limit=1", "jonas.ops")["cases"][0]
    case_id = case["id"]
    p.open(f"#/case/{case_id}")
    p.b.find("#assign-form")
    p.b.js("const s = document.getElementById('assign-owner'); s.value = 'noah.owner';")
    p.b.click("#assign-form button[type=submit]")
    p.b.wait("return document.getElementById('case-status').textContent.includes('noah.owner')", what="assigned")
    check("noah.owner" in p.b.text(".facts"), "the case shows its new owner")
    check("assigned" in p.b.text("#history li:first-child"), "the history shows the assignment")
    p.check_console()
    p.shot("case-ops-lead")
    p.b.set_size(390, 844)
    p.open(f"#/case/{case_id}")
    p.b.find("#history")
    p.check_console()
    p.shot("case-phone")
    p.b.set_size(1366, 900)
    p.sign_out()
    step(f"ops lead: reassigned case {case_id} from eva.owner to noah.owner")

    p.sign_in("noah.owner")
    check(p.b.js("return location.hash") == "#/work", "an owner lands on My work")
    mine = p.rows("#mine tbody tr")
    check(str(case_id) in mine, f"case {case_id} is on noah.owner's list")
    p.shot("work-owner")
    p.sign_out()
    step("owner: the reassigned case is on the new owner's list")


def analyst_scenario(p, co, case_id):
    p.sign_in("ana.analyst")
    p.b.find("table.cases tbody tr")
    check(not p.b.exists("#nav a[href='#/work']"), "an analyst has no My work")
    changing = "form.event, #claim, #assign-form, [data-claim]"
    check(not p.b.exists(changing), "no data-changing control on the board")
    p.open(f"#/case/{case_id}")
    p.b.find("#history")
    check(not p.b.exists(changing), "no data-changing control on the case page")
    check(p.b.js("return [...document.querySelectorAll('main button')].length") == 0,
          "no button at all on the analyst's case page")
    p.check_console()
    p.shot("case-analyst", doc=True)
    step("analyst: sees no control that changes data")

    # The server refuses such requests from the analyst's session, header or not.
    script = """
      const [id, headers] = arguments;
      return fetch(`/v1/cases/${id}/claim`, {method: 'POST', headers, body: '{}', credentials: 'same-origin'})
        .then(async r => [r.status, (await r.json()).error.code]);"""
    status = p.b.js(script, case_id, {"X-Requested-With": "turnaround", "Content-Type": "application/json"})
    check(status == [403, "permission_denied"], f"analyst claim through the page's session: {status}")
    status = p.b.js(script.replace("/claim", "/events"), case_id,
                    {"X-Requested-With": "turnaround", "Content-Type": "application/json"})
    check(status[0] == 403, f"analyst event through the page's session: {status}")
    # Without the page's header (what a forged form or a foreign script sends): refused too.
    status = p.b.js(script, case_id, {"Content-Type": "text/plain"})
    check(status[0] == 403, f"a request without X-Requested-With: {status}")
    p.expect_refusal(f"/v1/cases/{case_id}/claim", 403)
    p.expect_refusal(f"/v1/cases/{case_id}/events", 403)
    p.check_console()
    step("analyst: the server refuses data changes from the session (403)")

    # A forged cross-site form post (from another origin) carries no session
    # cookie (SameSite=Strict), and no header: refused, nothing changes.
    version = co.api("GET", f"/v1/cases/{case_id}", "jonas.ops")["version"]
    form = (f"<form id=f method=post enctype=text/plain action='{co.url}/v1/cases/{case_id}/events'>"
            "<input name='{\"event\":\"customer_lost\",\"data\":{\"lost_reason\":\"x\"},\"x\":\"' value='\"}'></form>"
            "<script>document.getElementById('f').submit()</script>")
    p.b.get("data:text/html;charset=utf-8," + urllib.request.quote(form))
    p.b.wait("return location.href.startsWith('http://127.0.0.1')", what="forged post answered")
    body = p.b.js("return document.body.innerText")
    check("unauthenticated" in body or "permission_denied" in body, f"forged post refused: {body[:200]!r}")
    check(co.api("GET", f"/v1/cases/{case_id}", "jonas.ops")["version"] == version, "the case did not change")
    p.b.console()  # the refused post and the data: page's own messages
    p.open()
    p.b.find("#signout")
    p.sign_out()
    step("a forged cross-site post is refused and changes nothing")


def reports_scenario(p, co):
    """An analyst reads the reports: charts with their tables, a flare-up's
    test on focus, the period selector; an owner has no Reports view."""
    p.sign_in("ana.analyst")
    p.b.click("#nav a[href='#/reports']")
    p.b.wait("return !!document.querySelector('.view[data-charts]')", timeout=30, what="reports drawn")
    segments = p.b.js("return [...document.querySelectorAll('#nps .chart-block[data-segment]')].map(e => e.dataset.segment)")
    check(len(segments) >= 2, f"an NPS mix chart per segment: {segments}")
    charts = int(p.b.js("return document.querySelector('.view').dataset.charts"))
    # One mix chart per segment, NPS + weighted NPS, detractor share, themes.
    check(charts == len(segments) + 3, f"{charts} charts for {len(segments)} segments")
    bars = p.b.js("return document.querySelectorAll('#nps .chart-block[data-segment] svg rect').length")
    check(bars > 0, "the NPS mix charts have bars")
    lines = p.b.js("return document.querySelectorAll('#nps svg path, #detractors svg path').length")
    check(lines >= 3, f"NPS, weighted NPS and detractor share lines drawn ({lines})")
    # Every chart has a table of the same numbers beside it.
    tables = p.b.js("return [...document.querySelectorAll('svg.chart')].filter(s => "
                    "s.parentElement.querySelector('details.data table')).length")
    check(tables == charts, f"every chart has its table ({tables} of {charts})")
    check(all(p.b.js("return [...document.querySelectorAll('svg.chart')].map(s => !!s.getAttribute('aria-label'))")),
          "every chart is labelled")
    # The detractor table carries the test's z and p for every period.
    head = p.b.js("return [...document.querySelectorAll('#detractors details.data th[scope=col]')].map(t => t.textContent)")
    check("z" in head and "p" in head, f"the detractor table shows z and p: {head}")
    check(p.b.exists("#scorecard table.scorecard tbody tr"), "the scorecard has a row per owner")
    check(p.b.exists("#themes svg.chart rect"), "theme counts are drawn")
    flares = p.b.js("return document.querySelectorAll('#detractors circle.flare').length")
    if flares:
        label = p.b.js("const c = document.querySelector('#detractors circle.flare'); c.focus();"
                       "return [document.activeElement === c, c.getAttribute('aria-label')]")
        check(label[0] and " z " in label[1] and " p " in label[1], f"a flare-up mark is focusable with z and p: {label}")
    p.check_console()
    p.shot("reports-analyst", doc=True, anchor="#nps .chart-grid")
    step(f"analyst: reports drawn ({charts} charts with tables, {flares} flare-up marks)")

    p.b.js("const s = document.getElementById('period'); s.focus(); s.value = 'week';"
           "s.dispatchEvent(new Event('change'))")
    p.b.wait("return location.hash === '#/reports?period=week' && !!document.querySelector('.view[data-charts]')"
             " && document.querySelector('#nps .chart-block[data-segment] svg.chart')"
             ".getAttribute('aria-label').endsWith('by week')", timeout=30, what="the charts by week")
    p.check_console()
    p.b.set_size(390, 844)
    p.open("#/reports?period=quarter")
    p.b.wait("return !!document.querySelector('.view[data-charts]')", timeout=30, what="quarterly reports")
    wide = p.b.js("return document.documentElement.scrollWidth > window.innerWidth + 1")
    check(not wide, "the reports fit a phone's width")
    p.check_console()
    p.shot("reports-phone")
    p.b.set_size(1366, 900)
    p.sign_out()
    step("analyst: period selector (week, quarter); reports at phone width")

    p.sign_in("lena.owner")
    check(not p.b.exists("#nav a[href='#/reports']"), "an owner has no Reports link")
    p.open("#/reports")
    p.b.wait("return document.querySelector('main h1') && document.querySelector('main h1').textContent === 'Not found'",
             what="no reports view for an owner")
    status = p.b.js("return fetch('/v1/reports/nps').then(r => r.status)")
    check(status == 403, f"the server refuses an owner's report request: {status}")
    p.expect_refusal("/v1/reports/nps", 403)
    p.check_console()
    p.sign_out()
    step("owner: no Reports view, and the server refuses the reports (403)")


def review_scenario(p, co):
    """An ops lead opens the next loss review of the example company, checks
    its sections and exports, and marks a loss case reviewed: its history
    shows it. An analyst reads the agenda without the mark controls."""
    p.sign_in("jonas.ops")
    p.b.click("#nav a[href='#/review']")
    p.b.wait("return !!document.querySelector('.view[data-month]')", timeout=30, what="loss review drawn")
    month = p.b.js("return document.querySelector('.view').dataset.month")
    agenda = co.api("GET", f"/v1/reviews/{month}/agenda", "jonas.ops")
    check(p.b.text("main h1") == f"Loss review {month}", f"heading of the {month} review")
    check(p.b.js("return document.querySelector('.meeting time').getAttribute('datetime')") == agenda["starts_at"],
          "the meeting's time is the agenda's")
    for sec in ("lost", "sample", "loss-cases", "overdue-items", "detractor-cases", "outreach", "on-time",
                "top-themes", "flare-ups", "top-five"):
        check(p.b.exists(f"section#{sec}"), f"the agenda shows section {sec}")
    shown = p.b.js("return document.querySelectorAll('#loss-cases tbody tr').length")
    check(shown == len(agenda["loss_cases"]["cases"]) and shown > 0,
          f"every loss case of the agenda is listed ({shown} of {len(agenda['loss_cases']['cases'])})")
    for fmt, ctype in (("csv", "text/csv"), ("md", "text/markdown"), ("html", "text/html")):
        got = p.b.js("return fetch(document.querySelector(`a[href$='format=${arguments[0]}']`).href)"
                     ".then(async r => [r.status, r.headers.get('content-type'), (await r.text()).length])", fmt)
        check(got[0] == 200 and got[1].startswith(ctype) and got[2] > 0, f"export {fmt}: {got}")
    p.check_console()
    p.shot("review-ops-lead", doc=True)
    step(f"ops lead: the {month} loss review shows every section of the agenda and its exports")

    case_id = p.b.js("return document.querySelector('#loss-cases form.review-mark').dataset.caseId")
    p.b.type(f"#review-{case_id}-notes", "Discussed: pricing; win-back offer agreed.")
    p.b.keys(f"#review-{case_id}-notes", "\ue007")
    p.b.wait(f"return document.getElementById('review-{case_id}-status').textContent === 'reviewed'",
             what="case marked reviewed")
    p.check_console()
    p.open(f"#/case/{case_id}")
    p.b.find("#history li")
    entries = p.b.js("return [...document.querySelectorAll('#history li')].map(li => li.innerText)")
    check(any("reviewed" in e.lower() and "jonas.ops" in e for e in entries[:3]),
          f"the history's newest entries show the review: {entries[:3]!r}")
    p.check_console()
    p.sign_out()
    step(f"ops lead: marked case {case_id} reviewed; its history shows it")

    p.sign_in("ana.analyst")
    p.open("#/review")
    p.b.wait("return !!document.querySelector('.view[data-month]')", timeout=30, what="analyst's loss review")
    check(not p.b.exists("form.review-mark"), "an analyst cannot mark cases reviewed")
    p.check_console()
    p.b.set_size(390, 844)
    p.open("#/review")
    p.b.wait("return !!document.querySelector('.view[data-month]')", timeout=30, what="loss review at phone width")
    p.check_console()
    p.shot("review-phone")
    p.b.set_size(1366, 900)
    p.sign_out()
    step("analyst: reads the loss review, without the mark controls; at phone width too")


def bench(args, work, artifacts):
    """The board over 10,000+ open cases: time until usable (reported only)."""
    csv_path = os.path.join(work, "bench.csv")
    subprocess.run([args.gen, "--seed", "7", "--responses", "20000", "--customers", "40000",
                    "--start", "2026-10-01T00:00:00Z", "--days", "40", "--detractor-share", "1.0",
                    "--out-responses", csv_path], check=True, capture_output=True)
    bench_dir = os.path.join(work, "bench")
    os.makedirs(bench_dir)
    co = Company(args, bench_dir, csv_path)
    b = None
    try:
        total = sum(co.api("GET", "/v1/cases?open=true&limit=1&counts=true", "jonas.ops")["counts"].values())
        b = Browser(CHROMIUM, CHROMEDRIVER, log_path=os.path.join(bench_dir, "chromedriver.log"))
        p = Page(b, co, artifacts)
        p.sign_in("jonas.ops")
        timings = []
        for _ in range(3):
            b.get("about:blank")
            start = time.perf_counter()
            b.get(co.url + "/#/board")  # a full page load: HTML, modules, session, first page
            b.find("#board-results table.cases tbody tr", timeout=30)
            wall = time.perf_counter() - start
            nav = b.js("const n = performance.getEntriesByType('navigation')[0];"
                       "return [n.responseEnd, n.domContentLoadedEventEnd, performance.now(),"
                       "Number(document.getElementById('board-results').dataset.loadMs),"
                       "performance.getEntriesByType('resource').reduce((a, r) => a + (r.transferSize || 0), n.transferSize || 0)]")
            timings.append((wall, nav))
        p.check_console()
        p.shot("board-10k")
        lines = [f"open cases: {total}"]
        for wall, (html, dcl, at, load_ms, size) in timings:
            lines.append(f"board usable after {wall * 1000:.0f} ms (WebDriver, navigation to first rows); in the page: "
                         f"HTML at {html:.0f} ms, DOMContentLoaded {dcl:.0f} ms, rows drawn by {at:.0f} ms, "
                         f"GET /v1/cases (50 by due date + counts) {load_ms} ms, {size} bytes transferred")
        with open(os.path.join(artifacts, "bench.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        for line in lines:
            print("BENCH " + line)
        step(f"board with {total} open cases measured (see bench.txt)")
    finally:
        if b:
            b.quit()
        co.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--turnaround", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--artifacts", required=True)
    ap.add_argument("--no-bench", action="store_true")
    args = ap.parse_args()
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            print(f"skipped: {tool} is not installed (scripts/install-deps.sh installs it)")
            return 77
    os.makedirs(args.artifacts, exist_ok=True)
    for old in os.listdir(args.artifacts):
        if old.endswith(".png") or old == "bench.txt":
            os.remove(os.path.join(args.artifacts, old))
    work = tempfile.mkdtemp(prefix="turnaround-web-")
    co = Company(args, work)
    b = None
    try:
        b = Browser(CHROMIUM, CHROMEDRIVER, log_path=os.path.join(work, "chromedriver.log"))
        p = Page(b, co, args.artifacts)
        case_id = executive_scenario(p, co)
        ops_scenario(p, co)
        analyst_scenario(p, co, case_id)
        reports_scenario(p, co)
        review_scenario(p, co)
        b.quit()
        b = None
        co.stop()
        if not args.no_bench:
            bench(args, work, args.artifacts)
    except (Failure, WebDriverError, subprocess.CalledProcessError) as e:
        print(f"not ok {steps_passed + 1} - {e}")
        if b:
            try:
                p.shot("failure")
            except Exception:
                pass
        print(f"server log: {work}/serve.err; screenshots: {args.artifacts}")
        return 1
    finally:
        if b:
            b.quit()
        co.stop()
    shutil.rmtree(work, ignore_errors=True)
    print(f"{steps_passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
