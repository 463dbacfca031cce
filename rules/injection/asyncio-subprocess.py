import asyncio
import asyncio as aio
import shlex
import sys
from asyncio import create_subprocess_exec as spawn, create_subprocess_shell


async def bad_shell_fstring(host):
    # ruleid: asyncio-subprocess
    proc = await asyncio.create_subprocess_shell(f"ping -c 1 {host}")
    return await proc.wait()


async def bad_shell_alias(name):
    # ruleid: asyncio-subprocess
    await create_subprocess_shell("grep -r " + name + " /srv")


async def bad_shell_module_alias(command):
    # ruleid: asyncio-subprocess
    await aio.create_subprocess_shell(command, stdout=aio.subprocess.PIPE)


async def bad_shell_request(request):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_shell(cmd=request.query["cmd"])


async def bad_shell_quoted(path):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_shell(f"wc -l {shlex.quote(path)}")


async def bad_exec_inline_code(script):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec("bash", "-c", script)


async def bad_exec_program(tool):
    # ruleid: asyncio-subprocess
    await spawn(tool, "--version")


async def bad_exec_argument(url):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec("git", "clone", url)


async def bad_exec_splat(args):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_exec(*args)


async def bad_loop_shell(loop, factory, command):
    # ruleid: asyncio-subprocess
    await loop.subprocess_shell(factory, f"sh {command}")


async def bad_loop_exec(factory, code):
    loop = asyncio.get_running_loop()
    # ruleid: asyncio-subprocess
    await loop.subprocess_exec(factory, sys.executable, "-c", code)


async def bad_multiline(branch):
    # ruleid: asyncio-subprocess
    await asyncio.create_subprocess_shell(
        "git checkout {}".format(branch),
        stdout=asyncio.subprocess.PIPE,
    )


async def bad_function_level_import(target):
    import asyncio as a

    # ruleid: asyncio-subprocess
    await a.create_subprocess_shell("make " + target)


async def ok_literals(factory):
    # ok: asyncio-subprocess
    await asyncio.create_subprocess_shell("ls -l | wc -l")
    # ok: asyncio-subprocess
    await asyncio.create_subprocess_exec("git", "status", "--short")
    # ok: asyncio-subprocess
    await asyncio.create_subprocess_exec(sys.executable, "-m", "pip", "list")
    loop = asyncio.get_running_loop()
    # ok: asyncio-subprocess
    await loop.subprocess_exec(factory, "uname", "-a")


async def ok_named_literal_argv():
    command = ["git", "log", "-n", "1"]
    # ok: asyncio-subprocess
    await asyncio.create_subprocess_exec(*command)


async def ok_other_calls(runner, command):
    # ok: asyncio-subprocess
    await runner.run(command)
    # ok: asyncio-subprocess
    await asyncio.sleep(1)
