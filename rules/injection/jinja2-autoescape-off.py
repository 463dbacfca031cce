import jinja2
from jinja2 import Environment, FileSystemLoader, PackageLoader, Template, select_autoescape
from jinja2 import Environment as Env
from jinja2.nativetypes import NativeEnvironment
from jinja2.sandbox import SandboxedEnvironment

AUTOESCAPE = False


def bad_missing():
    # ruleid: jinja2-autoescape-off
    return Environment(loader=FileSystemLoader("templates"))


def bad_explicit_false():
    # ruleid: jinja2-autoescape-off
    return jinja2.Environment(loader=PackageLoader("app"), autoescape=False)


def bad_constant_false():
    # ruleid: jinja2-autoescape-off
    return Env(autoescape=AUTOESCAPE)


def bad_html_templates():
    # ruleid: jinja2-autoescape-off
    env = Environment(loader=FileSystemLoader("templates"))
    return env.get_template("profile.html")


def bad_template_html(name):
    # ruleid: jinja2-autoescape-off
    return Template("<h1>Hello {{ name }}</h1>").render(name=name)


def bad_template_variable(source):
    # ruleid: jinja2-autoescape-off
    return jinja2.Template(source)


def bad_sandboxed():
    # ruleid: jinja2-autoescape-off
    return SandboxedEnvironment(autoescape=False)


def bad_unknown(settings):
    # ruleid: jinja2-autoescape-off
    return Environment(autoescape=settings.escape)


def bad_multiline():
    # ruleid: jinja2-autoescape-off
    return Environment(
        loader=FileSystemLoader("templates"),
        trim_blocks=True,
    )


def bad_function_level_import():
    from jinja2 import Environment as E

    # ruleid: jinja2-autoescape-off
    return E()


def bad_aiohttp_setup(app, escape):
    import aiohttp_jinja2
    from aiohttp_jinja2 import setup as setup_jinja

    # ruleid: jinja2-autoescape-off
    aiohttp_jinja2.setup(app, loader=FileSystemLoader("templates"), autoescape=False)
    # ruleid: jinja2-autoescape-off
    setup_jinja(
        app,
        loader=PackageLoader("shop", "templates"),
        context_processors=[],
        autoescape=AUTOESCAPE,
    )
    # ruleid: jinja2-autoescape-off
    setup_jinja(app, loader=PackageLoader("shop"), autoescape=escape)


def ok_aiohttp_setup(app, options):
    import aiohttp_jinja2

    # aiohttp-jinja2 passes autoescape=True to the environment unless told otherwise.
    # ok: jinja2-autoescape-off
    aiohttp_jinja2.setup(app, loader=FileSystemLoader("templates"))
    # ok: jinja2-autoescape-off
    aiohttp_jinja2.setup(app, loader=FileSystemLoader("templates"), autoescape=True)
    # ok: jinja2-autoescape-off
    aiohttp_jinja2.setup(app, autoescape=select_autoescape())
    # ok: jinja2-autoescape-off
    aiohttp_jinja2.setup(app, **options)


def ok_enabled():
    # ok: jinja2-autoescape-off
    Environment(loader=FileSystemLoader("templates"), autoescape=True)
    # ok: jinja2-autoescape-off
    Environment(autoescape=select_autoescape(["html", "xml"]))
    # ok: jinja2-autoescape-off
    Environment(autoescape=select_autoescape())
    # ok: jinja2-autoescape-off
    Template("<b>{{ x }}</b>", autoescape=True)


def by_extension(name):
    return name is not None and name.endswith(".html")


def ok_callable_decides():
    # ok: jinja2-autoescape-off
    Environment(autoescape=by_extension)
    # ok: jinja2-autoescape-off
    Environment(autoescape=lambda name: True)


def ok_text_templates(name):
    # Plain-text output (e-mails, configuration) does not want HTML escaping.
    # ok: jinja2-autoescape-off
    Template("Hello {{ name }}, your order has shipped.").render(name=name)
    # ok: jinja2-autoescape-off
    mail = Environment(loader=FileSystemLoader("mail"), autoescape=False)
    return mail.get_template("welcome.txt")


def ok_config_renderer():
    # ok: jinja2-autoescape-off
    renderer = Environment(loader=FileSystemLoader("deploy"))
    return renderer.get_template("nginx.conf.j2")


def ok_native_and_options(options):
    # ok: jinja2-autoescape-off
    NativeEnvironment()
    # ok: jinja2-autoescape-off
    Environment(**options)
