import { describe, expect, it } from 'vitest';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { scanSource } from '../../src/engine/scan.js';
import type { SinkKind } from '../../src/engine/taint/types.js';

/**
 * A probe rule: every call `sink(x)` (or `sink_<kind>(x)`) asks the dataflow pass about `x` and
 * reports the trace it gets, so tests read flows as `line: source → … → x`.
 */
const probe = defineRule({
  meta: {
    id: 'PGX999',
    slug: 'taint-probe',
    title: 'probe',
    category: 'xml',
    severity: 'low',
    confidence: 'low',
    cwe: [],
    description: 'probe',
    why: 'probe',
    fix: 'probe',
    example: { bad: '', good: '' },
    bandit: [],
    ruff: [],
  },
  messages: { flow: '{{trust}}: {{path}}' },
  create(context) {
    return {
      call(node) {
        const callee = node.childForFieldName('function');
        if (callee?.type !== 'identifier') return;
        const match = /^sink(?:_(\w+))?$/.exec(context.textOf(callee));
        if (match === null) return;
        const argument = context.call(node).positional[0];
        if (argument === undefined) return;
        const kind = (match[1] ?? 'sql') as SinkKind;
        const trace = context.taint(argument, kind);
        if (trace === undefined) return;
        context.report({
          node,
          messageId: 'flow',
          data: {
            trust: trace.trust,
            path: trace.steps.map((step) => `${step.label}@${String(step.line)}`).join(' → '),
          },
          flow: trace.steps,
        });
      },
    };
  },
});

/** `line: message` for every sink the probe found tainted. */
function flows(source: string, path = 'app/views.py'): string[] {
  const result = scanSource(path, source, { rules: [probe] });
  expect(result.notices).toEqual([]);
  return result.findings.map((finding) => `${String(finding.span.start.line)}: ${finding.message}`);
}

const FLASK = 'from flask import Flask, request\napp = Flask(__name__)\n';

describe('taint sources', () => {
  it('follows Flask request data through assignments', () => {
    expect(
      flows(`${FLASK}
@app.route("/s")
def search():
    q = request.args.get("q")
    sql = "SELECT * FROM t WHERE name = '%s'" % q
    sink(sql)
    sink("SELECT 1")
`),
    ).toEqual(['8: web: request.args.get("q")@6 → q@6 → sql@7']);
  });

  it('treats route parameters as input, except converted and injected ones', () => {
    expect(
      flows(`from fastapi import FastAPI, Depends
app = FastAPI()

@app.get("/items/{item_id}")
async def read(item_id: int, name: str, db = Depends(get_db), tag: str | None = None):
    sink(item_id)
    sink(name)
    sink(db)
    sink(tag)
`),
    ).toEqual(['7: web: name@5', '9: web: tag@5']);
  });

  it('respects Flask path converters', () => {
    expect(
      flows(`${FLASK}
@app.route("/u/<int:uid>/<name>")
def user(uid, name):
    sink(uid)
    sink(name)
`),
    ).toEqual(['7: web: name@5']);
  });

  it('knows Django views, class-based views and Lambda handlers', () => {
    expect(
      flows(`from django.http import HttpResponse

def detail(request, slug):
    sink(request.GET["id"])
    sink(slug)
    sink(request.user.id)

class Search(View):
    def get(self, request):
        sink(request.POST.get("q"))
        sink(self.request.body)

def handler(event, context):
    sink(event["cmd"])
`),
    ).toEqual([
      '4: web: request.GET["id"]@4',
      '5: web: slug@3',
      '10: web: request.POST.get("q")@10',
      '11: web: self.request.body@11',
      '14: web: event@13',
    ]);
  });

  it('marks the command line, environment and stdin as local input', () => {
    expect(
      flows(`import os, sys, argparse
parser = argparse.ArgumentParser()
args = parser.parse_args()
sink(sys.argv[1])
sink(os.environ["HOME"])
sink(os.getenv("X"))
sink(input("> "))
sink(args.name)
`),
    ).toEqual([
      '4: local: sys.argv[1]@4',
      '5: local: os.environ["HOME"]@5',
      '6: local: os.getenv("X")@6',
      '7: local: input("> ")@7',
      '8: local: parser.parse_args()@3 → args@3',
    ]);
  });

  it('reads module-qualified and renamed request objects', () => {
    expect(
      flows(`import flask
import bottle
import quart as q
from flask import request as req

def view():
    sink(flask.request.args["a"])
    sink(bottle.request.query.b)
    sink(q.request.form["c"])
    sink(req.get_json())
    sink(flask.current_app.config["D"])
    sink(flask.g.user)
`),
    ).toEqual([
      '7: web: flask.request.args["a"]@7',
      '8: web: bottle.request.query.b@8',
      '9: web: q.request.form["c"]@9',
      '10: web: req.get_json()@10',
    ]);
  });

  it('reads CherryPy, web.py and Pyramid thread-local requests', () => {
    expect(
      flows(`import cherrypy
import web
from pyramid.threadlocal import get_current_request

def view():
    sink(cherrypy.request.params["a"])
    sink(web.input().b)
    sink(get_current_request().params["c"])
    sink(cherrypy.config["d"])
    sink(get_current_request)
`),
    ).toEqual([
      '6: web: cherrypy.request.params["a"]@6',
      '7: web: web.input().b@7',
      '8: web: get_current_request().params["c"]@8',
    ]);
  });

  it('does not count getopt option names as input, only their values and operands', () => {
    expect(
      flows(`import getopt, sys
opts, args = getopt.getopt(sys.argv[1:], "o:")
for opt, value in opts:
    sink(opt)
    sink(value)
for flag, _ in getopt.getopt(sys.argv[1:], "v")[0]:
    sink(flag)
sink(args)
`),
    ).toEqual([
      '5: local: getopt.getopt(sys.argv[1:], "o:")@2 → opts@2 → value@3',
      '8: local: getopt.getopt(sys.argv[1:], "o:")@2 → args@2',
    ]);
  });

  it('reads http.server handler attributes as web input', () => {
    expect(
      flows(`from http.server import BaseHTTPRequestHandler
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        sink(self.path)
`),
    ).toEqual(['4: web: self.path@4']);
  });
});

describe('taint propagation', () => {
  it('goes through f-strings, format, join, containers, unpacking and methods', () => {
    expect(
      flows(`${FLASK}
@app.post("/x")
def x():
    a = request.form["a"]
    sink(f"SELECT {a}")
    sink("SELECT {}".format(a.strip()))
    sink(" ".join(["ls", a]))
    first, second = a, "literal"
    sink(first)
    sink(second)
    parts = []
    parts.append(a)
    sink(parts)
    d = {"k": a}
    sink(d["k"])
    b = "x"
    b += a
    sink(b)
    sink([v for v in request.args.values()])
`),
    ).toEqual([
      '7: web: request.form["a"]@6 → a@6',
      '8: web: request.form["a"]@6 → a@6',
      '9: web: request.form["a"]@6 → a@6',
      '11: web: request.form["a"]@6 → a@6 → first@10',
      '15: web: request.form["a"]@6 → a@6 → parts@14',
      '17: web: request.form["a"]@6 → a@6 → d@16',
      '20: web: request.form["a"]@6 → a@6 → b@19',
      '21: web: request.args.values()@21 → v@21',
    ]);
  });

  it('is a may-analysis over branches and loops, and later assignments replace earlier ones', () => {
    expect(
      flows(`${FLASK}
@app.route("/y")
def y():
    q = "SELECT 1"
    if request.args:
        q = request.args["q"]
    sink(q)
    r = request.args["r"]
    r = "constant"
    sink(r)
    for item in request.args.getlist("i"):
        sink(item)
    w = ""
    while True:
        sink(w)
        w = request.args["w"]
`),
    ).toEqual([
      '9: web: request.args["q"]@8 → q@8',
      '14: web: request.args.getlist("i")@13 → item@13',
      '17: web: request.args["w"]@18 → w@18',
    ]);
  });

  it('uses with-as, the walrus and the values of closures', () => {
    expect(
      flows(`${FLASK}
@app.route("/z")
def z():
    with request.files["f"].stream as stream:
        sink(stream)
    if (n := request.args.get("n")):
        sink(n)
    def inner():
        sink(n)
    return inner
`),
    ).toEqual([
      '7: web: request.files["f"].stream@6 → stream@6',
      '9: web: request.args.get("n")@8 → n@8',
      '11: web: request.args.get("n")@8 → n@8',
    ]);
  });
});

describe('sanitisers and guards', () => {
  it('drops taint on conversions and clears it per sink kind for escapes', () => {
    expect(
      flows(`${FLASK}
import shlex, html
@app.route("/s")
def s():
    v = request.args["v"]
    sink(int(v))
    sink_command(shlex.quote(v))
    sink_sql(shlex.quote(v))
    sink_xss(html.escape(v))
    sink_path(os.path.basename(v))
    sink(len(v))
    sink(v.isdigit())
    sink(COMMANDS[v])
`),
    ).toEqual(['10: web: request.args["v"]@7 → v@7']);
  });

  it('accepts allow-list checks before the sink, and early exits', () => {
    expect(
      flows(`${FLASK}
ALLOWED = {"a", "b"}
@app.route("/g")
def g():
    v = request.args["v"]
    if v in ALLOWED:
        sink(v)
    else:
        sink(v)
    w = request.args["w"]
    if w not in ALLOWED:
        abort(400)
    sink(w)
    u = request.args["u"]
    if not u.isalnum():
        return "bad"
    sink(u)
    x = request.args["x"]
    if x not in ALLOWED:
        print("odd")
    sink(x)
`),
    ).toEqual(['11: web: request.args["v"]@7 → v@7', '23: web: request.args["x"]@20 → x@20']);
  });
});

describe('functions of the same file', () => {
  it('applies summaries of helpers that return their argument', () => {
    expect(
      flows(`${FLASK}
def build(term):
    return "SELECT * FROM t WHERE x = '" + term + "'"

def constant(term):
    return "SELECT 1"

@app.route("/h")
def h():
    sink(build(request.args["t"]))
    sink(constant(request.args["t"]))
`),
    ).toEqual(['12: web: request.args["t"]@12 → build()@12']);
  });

  it('follows parameters of helpers back to their callers in the file', () => {
    expect(
      flows(`${FLASK}
def run(cmd):
    sink_command(cmd)

def quiet(cmd):
    sink_command(cmd)

@app.route("/r")
def r():
    run(request.args["c"])
    quiet("ls")

class Repo:
    def find(self, name):
        sink(name)
    def view(self):
        return self.find(request.args["n"])
`),
    ).toEqual([
      '5: web: request.args["c"]@12 → run(cmd)@4',
      '17: web: request.args["n"]@19 → find(name)@16',
    ]);
  });
});

describe('robustness', () => {
  it('survives self-referencing and recursive definitions', () => {
    expect(
      flows(`${FLASK}
def loop(x):
    return loop(x)

@app.route("/l")
def l():
    a = request.args["a"]
    a = a + a
    b = b + a
    sink(loop(a))
    sink(a)
`),
    ).toEqual(['13: web: request.args["a"]@9 → a@9 → a@10']);
  });
});

describe('attribute paths', () => {
  it('tracks `obj.attr = value` as its own variable, not as all of obj', () => {
    expect(
      flows(`${FLASK}
class Handler:
    def run(self):
        self.query = request.args["q"]
        self.limit = 10
        sink(self.query)
        sink(self.limit)
        sink(self.other)
`),
    ).toEqual(['8: web: request.args["q"]@6 → self.query@6']);
  });
});

describe('labels', () => {
  it('keeps a route parameter as the source when it is spliced into a call', () => {
    expect(
      flows(`from django.http import HttpResponse

def view(request, branch):
    sink_command("git log {}".format(branch))
    sink_command(os.path.join("/srv", branch))
`),
    ).toEqual(['4: web: branch@3', '5: web: branch@3']);
  });
});

describe('request parameters outside web code', () => {
  it('are not sources when the file imports no web framework', () => {
    expect(
      flows(`import subprocess

def install(req, request):
    subprocess.check_call(["pip", "install", req.url])
    sink(request.headers["origin"])
    sink_command(req.url)
`),
    ).toEqual([]);
  });
});

describe('more sources and operators', () => {
  it('reads URL arguments of class-based views and joins pathlib paths with /', () => {
    expect(
      flows(`from pathlib import Path
BASE = Path("/srv")

class Detail(DetailView):
    def get_object(self):
        sink_path(BASE / self.kwargs["name"])
`),
    ).toEqual(['6: web: self.kwargs["name"]@6']);
  });

  it('skips files that cannot hold a source', () => {
    expect(flows('def f(x):\n    sink(x)\n\nf(g())\n')).toEqual([]);
  });
});

describe('URL checks', () => {
  it('accepts a host checked against a constant set, positively or by early exit', () => {
    expect(
      flows(`${FLASK}
from urllib.parse import urlparse
ALLOWED_HOSTS = {"api.example.com"}

@app.route("/fetch")
def fetch():
    url = request.args["url"]
    if urlparse(url).netloc in ALLOWED_HOSTS:
        sink_ssrf(url)
    target = request.args["next"]
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=ALLOWED_HOSTS):
        return redirect("/")
    sink_redirect(target)
    other = request.args["other"]
    if urlparse(other).scheme == "https":
        sink_ssrf(other)
    sink_ssrf(url)
`),
    ).toEqual([
      '18: web: request.args["other"]@16 → other@16',
      '19: web: request.args["url"]@9 → url@9',
    ]);
  });
});

describe('methods called on instances', () => {
  it('links obj.method(x) to the method when obj was built from the class in the file', () => {
    expect(
      flows(`${FLASK}
class Importer:
    def run(self, name):
        sink_command(name)

class Other:
    def run(self, name):
        sink_command(name)

@app.route("/import")
def start():
    importer = Importer()
    importer.run(request.args["name"])
    other = make_other()
    other.run(request.args["name"])
`),
    ).toEqual(['6: web: request.args["name"]@15 → run(name)@5']);
  });
});

describe('limits', () => {
  it('answers a chain of thousands of reassignments without exhausting the stack', () => {
    const chain = Array.from({ length: 6000 }, () => '    x = x + "a"').join('\n');
    const result = flows(`${FLASK}
@app.route("/deep")
def deep():
    x = request.args["q"]
${chain}
    sink(x)
    y = request.args["y"]
    sink(y)
`);
    expect(result).toEqual([
      `${String(6000 + 9)}: web: request.args["y"]@${String(6000 + 8)} → y@${String(6000 + 8)}`,
    ]);
  });

  it('follows a concatenation of thousands of terms', () => {
    const terms = Array.from({ length: 3000 }, () => 'x').join(' + ');
    expect(
      flows(`${FLASK}
@app.route("/long")
def long():
    x = request.args["q"]
    sink("SELECT " + ${terms})
`),
    ).toEqual(['7: web: request.args["q"]@6 → x@6']);
  });
});
