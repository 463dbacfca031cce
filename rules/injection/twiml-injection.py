from xml.sax.saxutils import escape

from flask import Flask, request
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

app = Flask(__name__)
client = Client()


@app.post("/call")
def bad_fstring_twiml():
    name = request.form["name"]
    # ruleid: twiml-injection
    client.calls.create(
        to=request.form["to"],
        from_="+15550100",
        twiml=f"<Response><Say>Hello {name}</Say></Response>",
    )
    return "calling"


@app.post("/redirect-call")
def bad_update_twiml():
    message = request.get_json()["message"]
    # ruleid: twiml-injection
    client.calls(request.form["sid"]).update(twiml="<Response><Say>" + message + "</Say></Response>")
    return "updated"


@app.post("/safe-call")
def ok_voice_response():
    response = VoiceResponse()
    response.say(f"Hello {request.form['name']}")
    # ok: twiml-injection
    client.calls.create(to=request.form["to"], from_="+15550100", twiml=str(response))
    return "calling"


@app.post("/escaped-call")
def ok_escaped():
    name = escape(request.form["name"])
    # ok: twiml-injection
    client.calls.create(to="+15550101", from_="+15550100", twiml=f"<Response><Say>{name}</Say></Response>")
    return "calling"
