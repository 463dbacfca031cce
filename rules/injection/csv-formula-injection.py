import csv
import io
from csv import DictWriter

from defusedcsv import csv as defused_csv
from flask import Flask, request

app = Flask(__name__)


@app.post("/feedback")
def bad_form_fields():
    with open("feedback.csv", "a", newline="") as handle:
        writer = csv.writer(handle)
        # ruleid: csv-formula-injection
        writer.writerow([request.form["name"], request.form["comment"]])
    return "thanks"


@app.post("/import")
def bad_json_rows():
    rows = request.get_json()["rows"]
    buffer = io.StringIO()
    out = DictWriter(buffer, fieldnames=["name", "email"])
    out.writeheader()
    # ruleid: csv-formula-injection
    out.writerows(rows)
    return buffer.getvalue()


@app.get("/export")
def ok_numbers_and_constants():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # ok: csv-formula-injection
    writer.writerow(["id", "count"])
    # ok: csv-formula-injection
    writer.writerow([int(request.args["id"]), len(request.args["q"])])
    return buffer.getvalue()


@app.post("/safe-feedback")
def ok_defused_writer():
    buffer = io.StringIO()
    writer = defused_csv.writer(buffer)
    # ok: csv-formula-injection
    writer.writerow([request.form["name"]])
    return buffer.getvalue()


def ok_command_line_export(rows):
    writer = csv.writer(open("out.csv", "w", newline=""))
    # ok: csv-formula-injection
    writer.writerows(rows)
