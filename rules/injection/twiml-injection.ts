import {
  callsWhenInputPossible,
  defineRule,
  taintedSink,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** `client.calls.create(...)`, `client.calls(sid).update(...)`: calls that take TwiML text. */
const CALL_METHODS = /(?:^|\.)calls(?:\s*\([^()]*\))?\s*\.\s*(?:create|update)$/;

/** The TwiML text a Twilio call is given, when the call is one and the file uses Twilio. */
function twimlOf(model: SemanticModel, call: CallInfo): SyntaxNode | undefined {
  const twiml = call.keywords.get('twiml');
  if (twiml === undefined || !model.importsModule('twilio')) return undefined;
  return CALL_METHODS.test(model.textOf(call.callee)) ? twiml : undefined;
}

export default defineRule({
  meta: {
    id: 'PGI047',
    slug: 'twiml-injection',
    title: 'TwiML built from request data',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [91],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags request data that reaches the `twiml=` text of a Twilio call (`client.calls.create`, `client.calls(sid).update`) unescaped.',
    why: 'TwiML is XML that tells Twilio what a phone call does. A value spliced into it as text can close the element it sits in and add verbs of its own: `</Say><Dial>+1900…</Dial>` makes the call ring a premium-rate number on your account, and `<Record>` or `<Gather>` can capture what the callee says.',
    fix: 'Build the TwiML with the Twilio helper library (`VoiceResponse().say(text)`), which escapes text, or escape the value with `xml.sax.saxutils.escape` / `html.escape` before splicing it in.',
    example: {
      bad: 'from flask import Flask, request\nfrom twilio.rest import Client\n\napp = Flask(__name__)\nclient = Client()\n\n\n@app.post("/call")\ndef call():\n    name = request.form["name"]\n    client.calls.create(\n        to=request.form["to"],\n        from_="+15550100",\n        twiml=f"<Response><Say>Hello {name}</Say></Response>",\n    )\n    return "calling"\n',
      good: 'from flask import Flask, request\nfrom twilio.rest import Client\nfrom twilio.twiml.voice_response import VoiceResponse\n\napp = Flask(__name__)\nclient = Client()\n\n\n@app.post("/call")\ndef call():\n    response = VoiceResponse()\n    response.say(f"Hello {request.form[\'name\']}")\n    client.calls.create(to=request.form["to"], from_="+15550100", twiml=str(response))\n    return "calling"\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/91.html',
      'https://www.twilio.com/docs/voice/twiml',
      'https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedTwiml:
      'The TwiML of `{{sink}}` is built from {{origin}}: {{path}}. Markup in the value adds verbs to the call (`<Dial>` a premium number, `<Record>`); build it with `VoiceResponse` or escape the value with `xml.sax.saxutils.escape`.',
  },
  select: { methods: ['create', 'update'] },
  create(context) {
    const { model } = context;
    return callsWhenInputPossible(context, (node, call) => {
      const twiml = twimlOf(model, call);
      if (twiml === undefined) return;
      const sink = context.textOf(call.callee).replace(/\s+/g, '');
      const tainted = taintedSink(context, twiml, 'xss', node, sink);
      if (tainted === undefined) return;
      context.report({
        node,
        messageId: 'taintedTwiml',
        data: { sink, origin: tainted.origin, path: tainted.path },
        severity: tainted.severity,
        confidence: tainted.confidence,
        flow: tainted.flow,
      });
    });
  },
});
