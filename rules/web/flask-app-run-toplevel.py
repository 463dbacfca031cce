import asyncio
import os

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "ok"


async def main():
    await asyncio.sleep(0)


# ok: flask-app-run-toplevel
asyncio.run(main())

# ruleid: flask-app-run-toplevel
app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))

if os.environ.get("RUN_SERVER"):
    # ruleid: flask-app-run-toplevel
    app.run(
        port=8000,
    )

if __name__ == "__main__":
    # ok: flask-app-run-toplevel
    app.run()

if "__main__" == __name__:
    # ok: flask-app-run-toplevel
    app.run(debug=False)


def serve():
    # ok: flask-app-run-toplevel
    app.run()


class Runner:
    def start(self, task):
        # ok: flask-app-run-toplevel
        task.run()
