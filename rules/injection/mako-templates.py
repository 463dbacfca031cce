import mako.template
from mako.lookup import TemplateLookup
from mako.template import Template
from mako.template import Template as MakoTemplate

SAFE_FILTERS = ["str", "h"]
PLAIN_FILTERS = ["str"]


def bad_lookup_without_filters():
    # ruleid: mako-templates
    return TemplateLookup(directories=["templates"])


def bad_template_html(name):
    # ruleid: mako-templates
    return Template("<h1>Hello ${name}</h1>").render(name=name)


def bad_template_module(source):
    # ruleid: mako-templates
    return mako.template.Template(source)


def bad_template_file():
    # ruleid: mako-templates
    return MakoTemplate(filename="templates/profile.html")


def bad_filters_without_h():
    # ruleid: mako-templates
    return TemplateLookup(directories=["templates"], default_filters=["str", "trim"])


def bad_named_filters_without_h():
    # ruleid: mako-templates
    return Template("<p>${body}</p>", default_filters=PLAIN_FILTERS)


def bad_unknown_filters(settings):
    # ruleid: mako-templates
    return TemplateLookup(directories=["templates"], default_filters=settings.filters)


def bad_html_lookup():
    # ruleid: mako-templates
    lookup = TemplateLookup(directories=["templates"])
    return lookup.get_template("index.html")


def bad_multiline():
    # ruleid: mako-templates
    return TemplateLookup(
        directories=["templates"],
        module_directory="/tmp/mako",
    )


def bad_function_level_import(text):
    from mako.template import Template as T

    # ruleid: mako-templates
    return T(text)


def ok_escaping_filters():
    # ok: mako-templates
    TemplateLookup(directories=["templates"], default_filters=["h"])
    # ok: mako-templates
    Template("<p>${body}</p>", default_filters=SAFE_FILTERS)
    # ok: mako-templates
    TemplateLookup(
        directories=["templates"],
        imports=["from markupsafe import escape"],
        default_filters=["escape"],
    )


def ok_every_expression_escaped(name, bio):
    # auditid: mako-templates
    Template("<h1>${name | h}</h1><p>${bio|h,trim}</p>").render(name=name, bio=bio)


def ok_text_templates(user):
    # auditid: mako-templates
    Template("Dear ${user},\nyour order has shipped.").render(user=user)
    # auditid: mako-templates
    Template(filename="templates/welcome.txt")
    # auditid: mako-templates
    renderer = TemplateLookup(directories=["deploy"])
    return renderer.get_template("nginx.conf.mako")


def ok_options(options):
    # ok: mako-templates
    return TemplateLookup(**options)
